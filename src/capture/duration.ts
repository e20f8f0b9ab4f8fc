// Durations as the capture commands take them: `30s`, `2m`, `1.5h`, `500ms`, or bare seconds.

import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration text; InputError (naming the option) when it is not one. */
export function parseDuration(name: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(text));
  if (!m) throw new InputError(`${name}: expected a duration like 30s, 2m, 500ms (got ${JSON.stringify(String(text))})`);
  const ms = Number(m[1]) * UNITS[m[2] ?? 's'];
  if (!(ms > 0) || !Number.isFinite(ms)) throw new InputError(`${name}: expected a duration above zero (got ${JSON.stringify(String(text))})`);
  return Math.round(ms);
}
