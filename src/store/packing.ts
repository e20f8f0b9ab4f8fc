// Small fields folded into one integer column of the big tables: SQLite spends a header byte on every
// column of every row, and on 28.5 M edges and 8.4 M nodes those bytes are ~10 % of the file. The
// physical tables (`edge_data`, `node_data`) hold the packed values; the views `edge_rows` and
// `node_rows` (schema.ts) unpack them with shifts, so every query reads ordinary columns.
//
//   edge_data.label = name_or_index × 2^(b+1) + essential × 2^b + type          b = edge type bits
//   node_data.kind  = trace_node_id × 2^(t+2) + detachedness × 2^t + type       t = node type bits
//
// (detachedness is 0, 1 or 2.) The bit counts come from the file's type lists, so any layout packs.

import type { SnapshotLayout } from '../parse/layout.js';

export interface Packing {
  edgeTypeBits: number;
  nodeTypeBits: number;
}

function bitsFor(count: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, count))));
}

/** From a snapshot's layout, or a store's type lists (`storeCodes`). */
export function packingFor(types: Pick<SnapshotLayout, 'edgeTypes' | 'nodeTypes'>): Packing {
  return { edgeTypeBits: bitsFor(types.edgeTypes.length), nodeTypeBits: bitsFor(types.nodeTypes.length) };
}

export function edgeLabel(p: Packing, type: number, nameOrIndex: number, essential: number): number {
  return nameOrIndex * 2 ** (p.edgeTypeBits + 1) + essential * 2 ** p.edgeTypeBits + type;
}

export function nodeKind(p: Packing, type: number, detachedness: number, traceNodeId: number): number {
  return traceNodeId * 2 ** (p.nodeTypeBits + 2) + detachedness * 2 ** p.nodeTypeBits + type;
}

/** SQL expressions that unpack, given the packed column's name. */
export function unpackSql(p: Packing): { edgeType: (c: string) => string; nameOrIndex: (c: string) => string; essential: (c: string) => string; nodeType: (c: string) => string; detachedness: (c: string) => string; traceNodeId: (c: string) => string } {
  const b = p.edgeTypeBits;
  const t = p.nodeTypeBits;
  return {
    edgeType: (c) => `(${c} & ${2 ** b - 1})`,
    nameOrIndex: (c) => `(${c} >> ${b + 1})`,
    essential: (c) => `((${c} >> ${b}) & 1)`,
    nodeType: (c) => `(${c} & ${2 ** t - 1})`,
    detachedness: (c) => `((${c} >> ${t}) & 3)`,
    traceNodeId: (c) => `(${c} >> ${t + 2})`,
  };
}

/** The same unpacking in JS (the page reader's callers decode `kind` themselves). */
export function nodeTypeOfKind(p: Packing, kind: number): number {
  return kind % 2 ** p.nodeTypeBits;
}
export function detachednessOfKind(p: Packing, kind: number): number {
  return Math.floor(kind / 2 ** p.nodeTypeBits) % 4;
}
