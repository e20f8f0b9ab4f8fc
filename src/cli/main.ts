// The one place that maps errors to exit codes (0 ok, 1 internal error, 2 bad input or usage,
// 3 --fail-on-growth tripped). Command modules only parse options, call an analysis and render.

import yargs, { type CommandModule } from 'yargs';
import { EXIT_INPUT, EXIT_INTERNAL, ExitError, InputError } from '../errors.js';
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
import * as report from './report.js';

// Every command module: `command`, `describe`, `builder`, `handler` (yargs' module shape).
const COMMANDS = [ingest, partition, retainers, stats, inspect, dominators, strings, sql, diff, leaks, suspects, report] as unknown as CommandModule[];

export async function main(args: string[]): Promise<void> {
  const verbose = args.includes('--verbose');
  try {
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

function exitCodeFor(e: unknown, verbose: boolean): number {
  if (e instanceof ExitError) {
    if (e.message) process.stderr.write(`heapdiff: ${e.message}\n`);
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

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?');
}
