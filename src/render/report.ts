// What the prose reports of `diff`, `leaks` and `suspects` share: numbers in sentences (thousands
// separators, unlike the plain integers of heapy tables), snapshot names, and the lines of a suspect's
// retainer paths. Path text is shown from the last global object on; JSON output keeps every hop.

import { pathLine, type PathHop } from '../analyses/paths.js';
import type { PathGroupResult } from '../analyses/suspects-tree.js';
import { safeText } from './escape.js';

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

/** A path as text: its pattern (`pattern`) or its line ending in `@id`, from the last global object. */
export function shownPath(hops: readonly PathHop[], pattern: boolean): string {
  return pathLine(shownHops(hops), pattern);
}

/** Lines of one path group: `300 × pattern  (254,400 bytes)`. */
export function pathGroupLine(g: PathGroupResult): string {
  return `${fmt(g.count)} × ${g.hops.length > 0 ? shownPath(g.hops, true) : g.pattern}  (${fmt(g.retained)} bytes)`;
}

/**
 * The path part of a suspect: grouped patterns, the biggest instance's path, and what was not traced.
 * Paths are never shortened: the whole chain is the answer (`--wide` only matters for names in tables).
 */
export function suspectPathLines(paths: readonly PathGroupResult[], patterns: number, traced: number, total: number): string[] {
  const indent = '    ';
  const out: string[] = [];
  for (const g of paths) out.push(indent + safeText(pathGroupLine(g)));
  if (paths.length > 0) out.push(indent + safeText(`biggest: ${paths[0].hops.length > 0 ? shownPath(paths[0].hops, false) : paths[0].line}`));
  const notes: string[] = [];
  if (patterns > paths.length) notes.push(`${patterns - paths.length} more pattern${patterns - paths.length === 1 ? '' : 's'} (--paths)`);
  if (traced < total) notes.push(`paths of the ${fmt(traced)} biggest of ${fmt(total)} objects (--instances)`);
  if (notes.length > 0) out.push(indent + safeText(`(${notes.join('; ')})`));
  return out;
}
