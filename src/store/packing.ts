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
  // The field weights, 2^bits, computed once: a power per row costs seconds over 28 M edges.
  edgeEssentialScale: number;
  edgeNameScale: number;
  nodeDetachedScale: number;
  nodeTraceScale: number;
}

function bitsFor(count: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, count))));
}

/** From a snapshot's layout, or a store's type lists (`storeCodes`). */
export function packingFor(types: Pick<SnapshotLayout, 'edgeTypes' | 'nodeTypes'>): Packing {
  const b = bitsFor(types.edgeTypes.length);
  const t = bitsFor(types.nodeTypes.length);
  return { edgeTypeBits: b, nodeTypeBits: t, edgeEssentialScale: 2 ** b, edgeNameScale: 2 ** (b + 1), nodeDetachedScale: 2 ** t, nodeTraceScale: 2 ** (t + 2) };
}

export function packEdgeLabel(p: Packing, type: number, nameOrIndex: number, essential: number): number {
  return nameOrIndex * p.edgeNameScale + essential * p.edgeEssentialScale + type;
}

export function packNodeKind(p: Packing, type: number, detachedness: number, traceNodeId: number): number {
  return traceNodeId * p.nodeTraceScale + detachedness * p.nodeDetachedScale + type;
}

/** SQL expressions that unpack, given the packed column's name. */
export function unpackSql(p: Packing): {
  edgeType: (c: string) => string;
  nameOrIndex: (c: string) => string;
  essential: (c: string) => string;
  nodeType: (c: string) => string;
  detachedness: (c: string) => string;
  traceNodeId: (c: string) => string;
} {
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
  return kind % p.nodeDetachedScale;
}
export function detachednessOfKind(p: Packing, kind: number): number {
  return Math.floor(kind / p.nodeDetachedScale) % 4;
}
