// The one skeleton every query command runs: check the output options, open the snapshots (ingesting
// through the cache with a progress bar on a terminal), make one API call, render the result in the
// chosen format, write it, and close the snapshots whatever happens. A command module declares only
// what differs: its options (a pure normaliser from argv, tested as a table), the call, and its
// renderer.

import type { Snapshot } from '../api/index.js';
import { checkFormat, renderTableAs, writeOut, type Format } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { renderJson, type Table } from '../render/table.js';
import { mannersFor, type Manners } from '../render/terminal.js';
import type { OutputArgs } from './options.js';

/** How a result is to be shown: the format and the text view's manners. */
export interface View {
  format: Format;
  /** Text and Markdown: keep long names whole. */
  wide: boolean;
  /**
   * Text: line width (Infinity with `--wide`), colour, human sizes or `--bytes`. Colour is never on for
   * JSON, CSV or Markdown.
   */
  manners: Manners;
}

/** The renderings of one command's result; the runner picks one by format. */
export interface Renderer<R> {
  /** Text output; without it, text is `table` drawn heapy-style. */
  text?(result: R, view: View): string;
  /** CSV and Markdown (and text/JSON when those are not given). */
  table(result: R, view: View): Table;
  /** JSON output's value; without it, the table in its generic JSON form. */
  json?(result: R, view: View): unknown;
  /** Markdown, when it is more than `table` (a report to paste into a pull request). */
  markdown?(result: R, view: View): string;
  /** CSV's table, when it differs from `table` (e.g. several tables in one, with a `kind` column). */
  csv?(result: R, view: View): Table;
}

/** What a command does once its options are normalised. */
export interface Plan<R> {
  /** The snapshot or .db arguments to open, in order. */
  inputs: readonly string[];
  run(snapshots: Snapshot[]): R | Promise<R>;
  render: Renderer<R>;
  /** Threads `run` reads whole node columns on (diff: 1, leaks: 2): started before the snapshots are opened, so their start-up overlaps the opening. */
  columnReaders?: number;
  /** Called after the output is written (e.g. `--fail-on-growth` throws its exit status here). */
  after?(result: R): void;
}

/** Checks the options every printing command has (`--format`, `--wide`, `--bytes`, `--color`); manners from stdout and the environment. */
export function viewOf(
  args: Pick<OutputArgs, 'format' | 'wide' | 'bytes' | 'color'>,
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): View {
  const format = checkFormat(args.format);
  const manners = mannersFor({ wide: args.wide, bytes: args.bytes, color: args.color }, stream, env);
  if (format !== 'text') manners.color = false;
  return { format, wide: Boolean(args.wide), manners };
}

/** Renders `result` as `view` asks. */
export function render<R>(renderer: Renderer<R>, result: R, view: View): string {
  if (view.format === 'json') return renderer.json ? renderJson(renderer.json(result, view)) : renderTableAs('json', renderer.table(result, view));
  if (view.format === 'text' && renderer.text) return renderer.text(result, view);
  if (view.format === 'md' && renderer.markdown) return renderer.markdown(result, view);
  const table = view.format === 'csv' && renderer.csv ? renderer.csv(result, view) : renderer.table(result, view);
  // A statement without result columns (`sql` running DDL into a TEMP view) prints nothing.
  if (table.columns.length === 0) return '';
  return renderTableAs(view.format, table, { wide: view.wide, manners: view.manners });
}

/**
 * Runs one command: opens `plan.inputs` (several at once are ingested side by side), runs, renders,
 * writes, closes. Returns the result so tests can call a handler in-process.
 */
export async function runPlan<R>(args: Pick<OutputArgs, 'quiet'>, view: View, plan: Plan<R>): Promise<R> {
  const { open, openAll } = await import('../api/index.js');
  const bar = progressBar(!args.quiet);
  let snapshots: Snapshot[] = [];
  try {
    if (plan.inputs.length === 1) snapshots = [await open(plan.inputs[0], { onProgress: bar.update }).finally(bar.done)];
    else snapshots = await openAll(plan.inputs, { onProgress: bar.update, onDone: bar.done, columnReaders: plan.columnReaders });
    const result = await plan.run(snapshots);
    writeOut(render(plan.render, result, view));
    plan.after?.(result);
    return result;
  } finally {
    bar.done();
    for (const s of snapshots) s.close();
  }
}

/**
 * A yargs handler from a normaliser and a plan: `argv` → options (pure; throws an OptionError on a bad
 * value, before any snapshot is opened) → plan → run.
 */
export function handlerOf<A extends OutputArgs, O, R>(normalise: (argv: A) => O, plan: (options: O) => Plan<R>) {
  return async (argv: A): Promise<R> => {
    const view = viewOf(argv);
    const options = normalise(argv);
    return runPlan(argv, view, plan(options));
  };
}
