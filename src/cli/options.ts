// What the command modules share about options: the yargs declarations every command repeats
// (`--format`/`--wide`, the `<snapshot>` positional, `--top`/`--all`, `--max-depth`) and the checks of
// their values (whole numbers, object ids), each failing with one InputError line. Options particular
// to one command are declared in its module. Help texts and defaults differ per command where the
// meaning does (`--top` counts rows, groups or children), so the paging options take them as arguments.

import { InputError } from '../errors.js';
import { FORMATS } from '../render/output.js';

/** `--format` / `--wide`: every command that prints a result. */
export const formatOptions = {
  format: { alias: 'f', choices: FORMATS as unknown as string[], default: 'text', describe: 'output format (json: a stable shape with "version": 1)' },
  wide: { type: 'boolean', default: false, describe: 'text output: keep long names whole instead of shortening them' },
} as const;

/** The arguments of `formatOptions`, plus the global `--quiet` (src/cli/main.ts). */
export interface OutputArgs {
  format: string;
  wide: boolean;
  quiet: boolean;
}

/** The `<snapshot>` positional of the single-snapshot query commands. */
export const snapshotPositional = { type: 'string', demandOption: true, describe: 'snapshot file (ingested through the cache) or .db' } as const;

/** `--top N`: how many rows (groups, children…) are shown. */
export function topOption(defaultTop: number, describe: string) {
  return { type: 'number', default: defaultTop, describe } as const;
}

/** `--all`: show every row instead of `--top`. */
export function allOption(describe = 'show every row') {
  return { type: 'boolean', default: false, describe } as const;
}

/** `--max-depth` of the leak reports' retainer paths (diff, leaks, suspects). */
export const maxDepthOption = { type: 'number', default: 100, describe: 'cut retainer paths after this many hops' } as const;

/** Checks a whole-number option (>= min); an absent optional option passes. */
export function wholeNumber(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new InputError(`${name}: expected a whole number >= ${min} (got ${v})`);
}

/** An object id argument, `@123` or `123`. */
export function objectId(name: string, text: string): number {
  const m = /^@?(\d+)$/.exec(String(text).trim());
  if (!m) throw new InputError(`${name}: expected an object id like @123 (got ${JSON.stringify(String(text))})`);
  return Number(m[1]);
}
