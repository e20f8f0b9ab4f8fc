// What the command modules share about options: the yargs declarations every command repeats
// (`--format`/`--wide`/`--bytes`/`--color`, the `<snapshot>` positional, `--top`/`--all`, `--max-depth`) and the checks of
// their values (whole numbers, object ids), each failing with one InputError line. Options particular
// to one command are declared in its module. Help texts and defaults differ per command where the
// meaning does (`--top` counts rows, groups or children), so the paging options take them as arguments.

import { OptionError } from '../errors.js';
import type { IdRange } from '../store/queries/where.js';
import { FORMATS } from '../render/output.js';
import { COLOR_CHOICES } from '../render/terminal.js';

/** `--format` / `--wide`: every command that prints a result. */
export const formatOptions = {
  format: { alias: 'f', choices: FORMATS as unknown as string[], default: 'text', describe: 'output format (json: a stable shape with "version": 1)' },
  wide: {
    type: 'boolean',
    default: false,
    describe: 'text output: no line-width limit (long names and paths whole); otherwise lines fit COLUMNS, the terminal, or 100',
  },
  bytes: { type: 'boolean', default: false, describe: 'text output: exact byte counts (10,230,184 B) instead of human sizes (10.2 MB)' },
  color: {
    choices: COLOR_CHOICES as unknown as string[],
    default: 'auto',
    describe: 'text output: ANSI colour (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)',
  },
} as const;

/** The arguments of `formatOptions`, plus the global `--quiet` (src/cli/main.ts). */
export interface OutputArgs {
  format: string;
  wide: boolean;
  /** `--bytes` (absent when a caller builds the arguments itself). */
  bytes?: boolean;
  /** `--color auto|always|never`. */
  color?: string;
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

// The options several commands share mean the same thing and have the same default everywhere:
//   --top        rows (groups, classes, children) shown: 10
//   --paths      path patterns shown per group, suspect or class: 3 (one object: 1 path, plus alternatives)
//   --instances  how many of the biggest objects have their retainer paths traced: 1000 (counts and
//                sizes are always of every object; only the path sample is limited)
//   --max-depth  retainer paths are cut after this many hops: 100

/** `--top`'s default in every command. */
export const DEFAULT_TOP = 10;
/** `--paths`' default (patterns per group) in every command. */
export const DEFAULT_PATHS = 3;
/** `--instances`' default in every command. */
export const DEFAULT_INSTANCES = 1000;
/** `--max-depth`'s default in every command. */
export const DEFAULT_MAX_DEPTH = 100;

/** `--max-depth` of retainer paths (diff, leaks, suspects, retainers). */
export const maxDepthOption = { type: 'number', default: DEFAULT_MAX_DEPTH, describe: 'cut retainer paths after this many hops' } as const;

/** `--instances`: the path sample (diff, leaks, suspects, retainers). */
export function instancesOption(describe: string) {
  return { type: 'number', default: DEFAULT_INSTANCES, describe } as const;
}

/** `--paths`: path patterns shown per group. */
export function pathsOption(describe: string) {
  return { type: 'number', default: DEFAULT_PATHS, describe } as const;
}

/** Checks a whole-number option (>= min); an absent optional option passes. */
export function wholeNumber(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new OptionError(`${name}: expected a whole number >= ${min} (got ${v})`);
}

/** An object id argument, `@123` or `123`. */
export function objectId(name: string, text: string): number {
  const m = /^@?(\d+)$/.exec(String(text).trim());
  if (!m) throw new OptionError(`${name}: expected an object id like @123 (got ${JSON.stringify(String(text))})`);
  return Number(m[1]);
}

/** `--id-range A..B`, `A..`, `..B` (ids, `@` optional): objects with A < id <= B. */
export function idRange(text: string): IdRange {
  const m = /^\s*@?(\d*)\s*\.\.\s*@?(\d*)\s*$/.exec(text);
  if (!m || (m[1] === '' && m[2] === '')) throw new OptionError(`--id-range: expected A..B, A.. or ..B with object ids (got ${JSON.stringify(text)})`);
  const r: IdRange = {};
  if (m[1] !== '') r.min = Number(m[1]);
  if (m[2] !== '') r.max = Number(m[2]);
  if (r.min !== undefined && r.max !== undefined && r.max < r.min) throw new OptionError(`--id-range: ${r.max} is below ${r.min}`);
  return r;
}

/** A size given as bytes or as a share of some total (known only once the snapshots are open). */
export type SizeOrShare = { bytes: number } | { share: number };

/**
 * A size option: bytes (`1048576`), with a unit (`10MB` = 10^7 bytes, `10MiB` = 10 × 2^20; k/K, M, G,
 * T and KiB…TiB; a trailing `B` optional), or a percentage (`5%`) of a total the command names.
 */
export function sizeOrShare(name: string, text: string, shareOf: string): SizeOrShare {
  const t = String(text).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) return { share: Number(pct[1]) / 100 };
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kKmMgGtT])(i)?)?[bB]?$/.exec(t);
  if (!m) throw new OptionError(`${name}: expected bytes (1048576), a size (10MB, 512KiB) or a percentage of ${shareOf} (5%) (got ${JSON.stringify(text)})`);
  const power = m[2] ? 'kmgt'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return { bytes: Number(m[1]) * (m[3] ? 1024 : 1000) ** power };
}

/** The bytes a `sizeOrShare` means against `total`. */
export function bytesOf(size: SizeOrShare, total: number): number {
  return 'bytes' in size ? size.bytes : size.share * total;
}
