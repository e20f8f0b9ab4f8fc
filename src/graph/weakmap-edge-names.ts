// Recognises V8's WeakMap ephemeron edge names (docs/format.md#weakmap-edges), cached per string index, as DevTools'
// `HeapSnapshot.tryParseWeakMapEdgeName` does. Used by the essential-edge rule (the table → value
// edge is not essential) and by the distance filter (a value's distance is max(key, table) + 1).
//
// A name looks like
//   "<n> / part of key (<k> @<keyId>) -> value (<v> @<valId>) pair in WeakMap (table @<tableId>)"
// and is written on two internal edges: key → value and table → value. Names cut by V8's
// 1024-byte buffer no longer match and count as ordinary internal edges.

import type { StringTable } from '../parse/string-table.js';

const EPHEMERON_EDGE_NAME = /^\d+(?<duplicatedPart> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<tableId>\d+)\))$/;

const UNKNOWN = 0;
const NOT_WEAKMAP = 1;
const WEAKMAP = 2;

export class WeakMapEdgeNames {
  private readonly strings: StringTable;
  /** Per string index: UNKNOWN, NOT_WEAKMAP or WEAKMAP. */
  private readonly state: Uint8Array;
  /** Per string index, valid when WEAKMAP: parseInt(tableId, 10). */
  private readonly tableIds: Float64Array;
  /** Per matching string index: the name without its leading counter (shared by the pair's two edges). */
  private readonly duplicatedParts = new Map<number, string>();

  constructor(strings: StringTable) {
    this.strings = strings;
    this.state = new Uint8Array(strings.length);
    this.tableIds = new Float64Array(strings.length);
  }

  /** True if string `nameIndex` is a WeakMap ephemeron edge name. */
  isWeakMapEdgeName(nameIndex: number): boolean {
    let s = this.state[nameIndex];
    if (s === UNKNOWN) s = this.parse(nameIndex);
    return s === WEAKMAP;
  }

  /** The table's node id named in a matching edge name. */
  tableId(nameIndex: number): number {
    return this.tableIds[nameIndex];
  }

  /** The part of a matching name that both edges of one key/value pair share. */
  duplicatedPart(nameIndex: number): string {
    return this.duplicatedParts.get(nameIndex)!;
  }

  private parse(nameIndex: number): number {
    const name = this.strings.get(nameIndex);
    const m = typeof name === 'string' ? EPHEMERON_EDGE_NAME.exec(name) : null;
    if (!m?.groups) {
      this.state[nameIndex] = NOT_WEAKMAP;
      return NOT_WEAKMAP;
    }
    this.tableIds[nameIndex] = parseInt(m.groups.tableId, 10);
    this.duplicatedParts.set(nameIndex, m.groups.duplicatedPart);
    this.state[nameIndex] = WEAKMAP;
    return WEAKMAP;
  }
}
