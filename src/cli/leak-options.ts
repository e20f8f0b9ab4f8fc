// Options the leak reports (`heapdiff A B`, `leaks`, `suspects`) share: `--ignore` with the project's
// `heapdiff.config.json`, and `--raw-paths`.
//
// heapdiff.config.json is looked up from the current directory upwards (the first found wins, as
// linters do), so a project keeps its filters beside its code:
//
//   { "ignore": ["InternalCache", "*._idlePrev*", "bus.handlers*"] }
//
// `ignore` holds class names or labels (exact) and path patterns with `*` wildcards (see
// src/analyses/noise.ts); `--ignore` adds to them.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OptionError } from '../errors.js';

export const CONFIG_FILE = 'heapdiff.config.json';

export const ignoreOption = {
  type: 'string',
  array: true,
  describe: `leave out suspects of this class, or whose path matches this pattern (* wildcards); repeatable; adds to "ignore" in ${CONFIG_FILE}`,
} as const;

export const rawPathsOption = {
  type: 'boolean',
  default: false,
  describe: 'show every hop of the paths as DevTools lists them (GC roots, contexts, handles)',
} as const;

/** The nearest heapdiff.config.json from `dir` upwards, or null. */
export function findConfig(dir = process.cwd()): string | null {
  let d = resolve(dir);
  for (;;) {
    const f = join(d, CONFIG_FILE);
    if (existsSync(f)) return f;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** The config's `ignore` list; a config that is not valid is an option error naming the file. */
export function configIgnores(file: string | null = findConfig()): string[] {
  if (!file) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OptionError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const ignore = (value as { ignore?: unknown } | null)?.ignore;
  if (ignore === undefined) return [];
  if (!Array.isArray(ignore) || !ignore.every((p) => typeof p === 'string' && p !== ''))
    throw new OptionError(`${file}: "ignore" must be a list of class names or path patterns`);
  return ignore as string[];
}

/** `--ignore` values plus the config's. */
export function ignorePatterns(fromArgs: readonly string[] | undefined, config: string[] = configIgnores()): string[] {
  const args = (fromArgs ?? []).map(String);
  if (args.some((p) => p.trim() === '')) throw new OptionError('--ignore: expected a class name or a path pattern');
  return [...config, ...args];
}
