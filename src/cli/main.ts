// The one place that maps errors to exit codes (0 ok, 1 internal error, 2 bad input or usage,
// 3 --fail-on-growth tripped). Command modules only parse options, call an analysis and render.

import { existsSync } from 'node:fs';
import yargs, { type CommandModule } from 'yargs';
import { EXIT_INPUT, EXIT_INTERNAL, ExitError, InputError } from '../errors.js';
import { closest } from '../similar.js';
import { VERSION } from '../version.js';
import * as ingest from './ingest.js';
import * as partition from './partition.js';
import * as retainers from './retainers.js';
import * as stats from './stats.js';
import * as inspect from './inspect.js';
import * as dominators from './dominators.js';
import * as strings from './strings.js';
import * as sql from './sql.js';
import * as diff from './diff.js';
import * as leaks from './leaks.js';
import * as suspects from './suspects.js';
import * as cache from './cache.js';
import * as snap from './snap.js';
import * as record from './record.js';
import * as report from './report.js';
import { safeText } from '../render/escape.js';
import { malformedStoreError } from '../store/malformed.js';

// Every command module: `command`, `describe`, `builder`, `handler` (yargs' module shape).
const COMMANDS = [
  ingest,
  partition,
  retainers,
  stats,
  inspect,
  dominators,
  strings,
  sql,
  diff,
  leaks,
  suspects,
  report,
  cache,
  snap,
  record,
] as unknown as CommandModule[];

export async function main(args: string[]): Promise<void> {
  const verbose = args.includes('--verbose');
  try {
    checkCommandWord(args);
    await yargs(args)
      .scriptName('heapdiff')
      .usage('$0 <command> [options]\n\nOffline analyzer of V8 heap snapshots (Chrome/Edge DevTools, Node.js). Numbers match Chrome DevTools.')
      .command(COMMANDS)
      .option('quiet', { alias: 'q', type: 'boolean', default: false, global: true, describe: 'no progress output on stderr' })
      .option('verbose', { type: 'boolean', default: false, global: true, describe: 'show stack traces of internal errors' })
      .demandCommand(1, 'Give a command (see --help).')
      .strict()
      .version(VERSION)
      .help()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(msg);
      })
      .parseAsync();
  } catch (e) {
    process.exitCode = exitCodeFor(e, verbose);
  }
}

class UsageError extends Error {}

/** The commands' names (`partition <snapshot>` → `partition`), for "did you mean". */
export const COMMAND_NAMES: readonly string[] = COMMANDS.flatMap((c) => [c.command].flat())
  .map((c) => String(c).split(' ')[0])
  .filter((n) => n !== '$0');

/**
 * `heapdiff partiton app.heapsnapshot` would run the default command (`heapdiff A B`) and fail on a
 * missing file named "partiton": a first argument that is not a command, not an existing file and not
 * path-like (no `/` or `.`), but close to a command's name, is a mistyped command instead.
 */
export function checkCommandWord(args: readonly string[]): void {
  const word = args.find((a, i) => !a.startsWith('-') && args.slice(0, i).every((b) => GLOBAL_FLAGS.has(b)));
  if (word === undefined || COMMAND_NAMES.includes(word) || /[./\\]/.test(word) || existsSync(word)) return;
  const [best] = closest(word, COMMAND_NAMES, 1);
  if (best !== undefined) throw new InputError(`unknown command ${JSON.stringify(word)}: did you mean ${JSON.stringify(best)}?`);
}

/** Global flags that take no value and may come before the command. */
const GLOBAL_FLAGS = new Set(['-q', '--quiet', '--no-quiet', '--verbose', '--no-verbose']);

function exitCodeFor(e: unknown, verbose: boolean): number {
  const malformed = malformedStoreError(e);
  if (malformed) e = malformed;
  if (e instanceof ExitError) {
    if (e.message) process.stderr.write(`heapdiff: ${oneLine(e.message)}\n`);
    return e.exitCode;
  }
  if (e instanceof InputError || e instanceof UsageError) {
    process.stderr.write(`heapdiff: ${oneLine((e as Error).message)}\n`);
    if (e instanceof UsageError) process.stderr.write('Run heapdiff --help for usage.\n');
    return EXIT_INPUT;
  }
  const err = e as Error;
  process.stderr.write(`heapdiff: internal error: ${oneLine(err?.message ?? String(e))}${verbose ? '' : ' (run with --verbose for details)'}\n`);
  if (verbose && err?.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT_INTERNAL;
}

/** One line of plain text: newlines become spaces, other controls, C1 controls and bidi overrides are escaped (escape.ts). */
function oneLine(s: string): string {
  return safeText(s.replace(/[\r\n]+/g, ' '));
}
