// What the prose reports of `diff`, `leaks` and `suspects` share: numbers in sentences (thousands
// separators, unlike the plain integers of heapy tables), snapshot names, and the raw (DevTools) form of a suspect's
// retainer paths. Path text is shown from the last global object on; JSON output keeps every hop.

import { pathLine, type PathHop } from '../analyses/paths.js';

/** An integer with thousands separators (prose lines; tables print plain integers as heapy does). */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A signed integer with thousands separators: `+1,234`, `-56`, `0`. */
export function fmtSigned(n: number): string {
  return n > 0 ? `+${fmt(n)}` : fmt(n);
}

/** A percentage in prose: `23`, `7.4`, `0.05` (two significant digits below 10). */
export function percent(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(1) : x.toFixed(2);
}

/** The file name of a snapshot argument, for headings. */
export function baseName(p: string): string {
  return p.split(/[/\\]/).pop() || p;
}

const GLOBAL_OBJECT = /^(?:Window|global)(?:$|[\s/])|\[JSGlobalObject\]/;

/**
 * The part of a path shown in text output: from the last global object on it (`global`, `Window …`)
 * when there is one — the hops above it (GC roots, handles, the native context) are the same for every
 * path of a realm. JSON output keeps every hop.
 */
export function shownHops(hops: readonly PathHop[]): readonly PathHop[] {
  for (let i = hops.length - 2; i > 0; i--) if (GLOBAL_OBJECT.test(hops[i].class_name)) return hops.slice(i);
  return hops;
}

/**
 * Longest heap name (class, object or edge name) shown in report prose without `--wide`: a 1 MB string
 * would otherwise make megabytes of text. JSON and CSV keep names whole.
 */
export const REPORT_NAME_MAX = 200;

/** A name shortened to REPORT_NAME_MAX characters (unless `wide`). */
export function shortName<T extends string | null>(s: T, wide = false): T {
  if (wide || s === null || s.length <= REPORT_NAME_MAX) return s;
  return `${s.slice(0, REPORT_NAME_MAX - 1)}…` as T;
}

/** A path as text: its pattern (`pattern`) or its line ending in `@id`, from the last global object; long names shortened unless `wide`. */
export function shownPath(hops: readonly PathHop[], pattern: boolean, wide = false): string {
  const shown = shownHops(hops);
  return pathLine(
    wide ? shown : shown.map((h) => ({ ...h, class_name: shortName(h.class_name), name: shortName(h.name), edge_name: shortName(h.edge_name) })),
    pattern,
  );
}
