// `heapdiff strings SNAP --duplicates [--top N|--all] [--min-count K]`
import type { Argv } from 'yargs';
import { OptionError } from '../errors.js';
import { stringsJson, stringsTable } from '../render/strings.js';
import { handlerOf, type Renderer } from './runner.js';
import { allOption, DEFAULT_TOP, formatOptions, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';
import type { StringsOptions, StringsResult } from '../analyses/strings.js';

export const command = 'strings <snapshot>';
export const describe = "Duplicated strings (DevTools' rule): value, copies, bytes, bytes wasted";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('duplicates', { type: 'boolean', default: true, describe: "list duplicated strings (the only listing; DevTools' Duplicated strings filter)" })
    .option('top', topOption(DEFAULT_TOP, 'groups shown'))
    .option('all', allOption('show every group'))
    .option('min-count', {
      type: 'number',
      default: 2,
      describe: 'only groups with at least this many copies of self size > 0 (1 = every group DevTools marks)',
    })
    .options(formatOptions)
    .example('$0 strings app.heapsnapshot --duplicates', 'the 10 strings wasting most bytes');
}

export function options(
  argv: OutputArgs & { snapshot: string; duplicates: boolean; top: number; all: boolean; 'min-count': number },
): StringsOptions & { snapshot: string } {
  if (!argv.duplicates) throw new OptionError('strings: only --duplicates is available');
  wholeNumber('--top', argv.top, 0);
  wholeNumber('--min-count', argv['min-count'], 1);
  return { snapshot: argv.snapshot, top: argv.all ? Infinity : argv.top, minCount: argv['min-count'] };
}

export const renderer: Renderer<StringsResult> = {
  table: (r, v) => stringsTable(r, v.format === 'text', v.manners),
  json: (r) => stringsJson(r),
};

export const handler = handlerOf(options, ({ snapshot, ...o }) => ({ inputs: [snapshot], run: ([s]) => s.strings(o), render: renderer }));
