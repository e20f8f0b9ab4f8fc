// How nodes and edges are spelled in path lines, `via` kinds and patterns. Shared by the summaries
// written at ingest (src/store/summaries.ts) and the analyses, so precomputed and scanned results agree.
// No SQL here: pure string functions.

import { BASE_SYSTEM_DISTANCE } from '../../graph/distances.js';

/** DevTools' WeakMap ephemeron edge name, `<n> / part of key (…) -> value (…) pair in WeakMap (table @<id>)`. */
export const WEAKMAP_PAIR = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @\d+\)$/;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^\d+$/;

/**
 * An edge as it appears after its source, like a JavaScript access: `.name` for identifier-like names,
 * `[12]` for element/hidden indexes and numeric names, `["any name"]` otherwise.
 *
 * With `normalise`, what differs between otherwise equal paths is dropped: every index becomes `[]`
 * (so `Array[12]` and `Array[13]` merge) and WeakMap ephemeron names, which embed object ids, become
 * `[<WeakMap entry>]`.
 */
export function edgeLabel(edgeType: string | null, edgeName: string | null, normalise = false): string {
  if (edgeType === null || edgeName === null) return '';
  if (edgeType === 'element' || edgeType === 'hidden' || INDEX.test(edgeName)) return normalise ? '[]' : `[${edgeName}]`;
  if (IDENT.test(edgeName)) return `.${edgeName}`;
  if (normalise && WEAKMAP_PAIR.test(edgeName)) return '[<WeakMap entry>]';
  return `[${JSON.stringify(edgeName)}]`;
}

/**
 * How a node appears in a path line: its class name, except for the classes that lump unrelated
 * internals together — `(system)`, `(synthetic)`, `(array)` — where the node's own name says more
 * (`system / Context`, `(GC roots)`, `(object elements)`; an unnamed array is `(internal array)`, the
 * unnamed synthetic root `(root)`).
 */
export function nodeLabel(className: string, name: string, type: string): string {
  if (className === '(system)' || className === '(synthetic)' || className === '(array)') {
    if (name !== '') return name;
    return type === 'array' ? '(internal array)' : type === 'synthetic' ? '(root)' : className;
  }
  return className;
}

/**
 * Distances up to here are kinds of their own; longer ones are grouped in power-of-two ranges (`64-127`,
 * `128-255`, …). A heap with a deep chain (a linked list of a million nodes) has a million distinct
 * distances: one row each would make a partition of a million one-object rows, slow to build and
 * useless to read. Ordinary heaps stay well below (their deepest objects are a few dozen hops away).
 */
export const DISTANCE_EXACT_UP_TO = 63;

/** The first distance of `d`'s row (`d` itself up to DISTANCE_EXACT_UP_TO, else its range's start). */
function distanceRowStart(n: number): number {
  return n <= DISTANCE_EXACT_UP_TO ? n : 2 ** (31 - Math.clz32(n)); // distances are below 2^31
}

function distanceRange(n: number): string {
  if (n <= DISTANCE_EXACT_UP_TO) return String(n);
  const start = distanceRowStart(n);
  return `${start}-${2 * start - 1}`;
}

/** Kind text of a `distance` partition row: `7`, `64-127`, `unreachable` (-5), `system+3` (100000003), `system+64-127`. */
export function distanceKind(d: number): string {
  if (d < 0) return 'unreachable';
  if (d >= BASE_SYSTEM_DISTANCE) return `system+${distanceRange(d - BASE_SYSTEM_DISTANCE)}`;
  return distanceRange(d);
}

/** The raw value keying a `distance` row: the distance, or its range's first distance. */
export function distanceKey(d: number): number {
  if (d < 0) return d;
  if (d >= BASE_SYSTEM_DISTANCE) return BASE_SYSTEM_DISTANCE + distanceRowStart(d - BASE_SYSTEM_DISTANCE);
  return distanceRowStart(d);
}

export const DETACHEDNESS_KINDS = ['unknown', 'attached', 'detached'];

export function detachednessKind(v: number): string {
  return DETACHEDNESS_KINDS[v] ?? String(v);
}

/** Kind text of an `alloc` row: `function script:line:col` (1-based as in trace_function_infos; 0 = unknown), `function (no script)` for native frames. */
export function allocKind(fn: string, script: string, line: number, column: number): string {
  const name = fn === '' ? '(anonymous)' : fn;
  if (script === '' && line === 0) return `${name} (no script)`;
  return `${name} ${script === '' ? '(no script)' : script}:${line}:${column}`;
}

/** A `via` label of one incoming edge: `[]` for element and hidden edges, else the edge name as a normalised property access. */
export function viaLabel(indexEdge: boolean, name: string): string {
  return indexEdge ? '[]' : edgeLabel('property', name, true);
}

/** Kind text of an `rcs` / `via` row: the distinct members sorted (code-unit order) and joined with `, `; `<Nothing>` for none. */
export function setKind(members: Iterable<string>): string {
  const parts = [...new Set(members)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return parts.length === 0 ? NO_RETAINERS : parts.join(', ');
}

export const NO_ALLOC_TRACE = '(no allocation trace)';
export const NO_LOCATION = '(no location)';
export const NO_RETAINERS = '<Nothing>';

/** Kind text of a `script` row: the script's name (URL or path), else `(script #id)`. */
export function scriptKind(name: string | undefined, scriptId: number): string {
  return name !== undefined && name !== '' ? name : `(script #${scriptId})`;
}
