// The in-memory graph the parser produces: the file's flat integer arrays exactly as V8 wrote them,
// plus the few index arrays every algorithm needs. No per-node objects.
//
// Number spaces (never mix them up):
//   node ordinal  k         0-based position of a node; 0 is the synthetic root. Typed arrays are indexed by it.
//   node index    k * F     offset into `nodes` (F = layout.nodeFieldCount); the file's `to_node` is a node index.
//   node id                 V8's object id (`@123` in DevTools), stable across snapshots of one process.
//   edge ordinal  e         0-based position of an edge; node k owns edge ordinals [firstEdge[k], firstEdge[k+1]).
//                           Edges are kept one array per field (type, name, target), indexed by edge ordinal:
//                           a third less memory than the file's interleaved records plus a target-ordinal array.
//   string index            position in `strings`.

import type { SnapshotHeader, SnapshotLayout } from './layout.js';
import type { StringTable } from './string-table.js';

export type NodeOrdinal = number;
export type NodeId = number;
export type EdgeOrdinal = number;

/** Allocation-trace data (present when the snapshot was taken with allocation tracking). */
export interface TraceData {
  /** Flat `trace_function_infos`, `traceFunctionInfoFields.length` values per record. */
  functionInfos: Uint32Array;
  /** `trace_tree` flattened in pre-order: one record per trace node. */
  treeIds: Uint32Array;
  treeFunctionInfoIndex: Uint32Array;
  treeCount: Uint32Array;
  treeSize: Float64Array;
  /** Trace-node id of the parent, 0 for the root. */
  treeParentId: Uint32Array;
  /** Flat `samples`, `sampleFields.length` values per record (timestamps may exceed 2^32). */
  samples: Float64Array;
}

export interface HeapGraph {
  readonly header: SnapshotHeader;
  readonly layout: SnapshotLayout;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Flat node records, `layout.nodeFieldCount` values per node. */
  readonly nodes: Uint32Array;
  /** Edge type code per edge ordinal (`layout.edgeTypes`). */
  readonly edgeTypes: Uint8Array;
  /** Per edge ordinal: the name's string index, or the element/hidden index (the file's `name_or_index`). */
  readonly edgeNames: Uint32Array;
  /** Edge ordinal of each node's first edge; `nodeCount + 1` entries (end sentinel). */
  readonly firstEdge: Uint32Array;
  /** Target ordinal of each edge (the file's `to_node / F`). */
  readonly edgeTo: Uint32Array;
  readonly strings: StringTable;
  /** `locations` normalised to 4 values per record: node index, script id, line, column (0-based); `rawLocations` itself when the file has V8's four fields in that order. */
  readonly locations: Uint32Array;
  /** `locations` as the file wrote them, `layout.locationFields.length` values per record (Chromium adds `script_object_index`). */
  readonly rawLocations: Uint32Array;
  /** Raw JSON text of sections heapdiff does not interpret (e.g. `scopes`); null when too large to keep. */
  readonly extraSections: Record<string, string | null>;
  readonly trace: TraceData | null;
  readonly extraNativeBytes: number;
  /** Top-level keys the file held, in file order (for the store's meta). */
  readonly sections: string[];
}

export function nodeIndexOf(graph: HeapGraph, ordinal: NodeOrdinal): number {
  return ordinal * graph.layout.nodeFieldCount;
}

export function nodeOrdinalOf(graph: HeapGraph, nodeIndex: number): NodeOrdinal {
  return nodeIndex / graph.layout.nodeFieldCount;
}

/**
 * What a parallel parse has before its edges are done: enough to start writing the strings, the
 * locations and the id index while the edges are still being scanned (ReadOptions.onBeforeEdges).
 * Checked only as far as the scan checks; the whole graph is checked when the edges are in.
 */
export type NodesPart = Pick<HeapGraph, 'layout' | 'nodeCount' | 'nodes' | 'strings' | 'rawLocations'>;
