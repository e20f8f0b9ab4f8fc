// The in-memory graph the parser produces: the file's flat integer arrays, reshaped where that saves
// memory, plus the few index arrays every algorithm needs. No per-node objects.
//
// Nodes: the file has F values per node (7 in current V8). `nodes` keeps only the four that the analysis
// and the store read per node, 4 values per node (`layout`, see GraphLayout): at 31 M nodes the file's
// records are 870 MB, these 500 MB. The rest is kept only where it carries information: edge_count is
// `firstEdge[k + 1] - firstEdge[k]`; detachedness (read once, by the DOM state propagation) one byte per
// node; trace_node_id only when some node has one (allocation-tracked snapshots). `fileLayout` keeps the
// file's own layout for what speaks of the file's node indexes.
//
// Number spaces (never mix them up):
//   node ordinal  k         0-based position of a node; 0 is the synthetic root. Typed arrays are indexed by it.
//   nodes offset  k * 4     offset of a node's record in `nodes` (4 = layout.nodeFieldCount).
//   node index    k * F     the file's name for a node (F = fileLayout.nodeFieldCount): `to_node`, the
//                           locations' object_index. Converted to ordinals by the parser; only `rawLocations`
//                           (the file's records as written) still holds node indexes.
//   node id                 V8's object id (`@123` in DevTools), stable across snapshots of one process.
//   edge ordinal  e         0-based position of an edge; node k owns edge ordinals [firstEdge[k], firstEdge[k+1]).
//                           Edges are kept one array per field (type, name, target), indexed by edge ordinal:
//                           a third less memory than the file's interleaved records plus a target-ordinal array.
//   string index            position in `strings`.

import type { GraphLayout, SnapshotHeader, SnapshotLayout } from './layout.js';
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
  /** The in-memory layout: the file's, with `nodes` reduced to type, name, id and self_size. */
  readonly layout: GraphLayout;
  /** The file's own layout (F values per node), for the file's node indexes. */
  readonly fileLayout: SnapshotLayout;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Flat node records, `layout.nodeFieldCount` (4) values per node: type, name, id, self_size. */
  readonly nodes: Uint32Array;
  /** The file's detachedness per node ordinal (its low byte: DevTools reads 2 bits); null when the file has no such field. */
  readonly detachedness: Uint8Array | null;
  /** The file's trace_node_id per node ordinal; null when the file has no such field or every node's is 0. */
  readonly traceNodeIds: Uint32Array | null;
  /** Edge type code per edge ordinal (`layout.edgeTypes`). */
  readonly edgeTypes: Uint8Array;
  /** Per edge ordinal: the name's string index, or the element/hidden index (the file's `name_or_index`). */
  readonly edgeNames: Uint32Array;
  /** Edge ordinal of each node's first edge; `nodeCount + 1` entries (end sentinel). */
  readonly firstEdge: Uint32Array;
  /** Target ordinal of each edge (the file's `to_node / F`). */
  readonly edgeTo: Uint32Array;
  readonly strings: StringTable;
  /** `locations` normalised to 4 values per record: node ordinal, script id, line, column (0-based). Shared memory: the summary thread reads it. */
  readonly locations: Uint32Array;
  /**
   * `locations` as the file wrote them, `layout.locationFields.length` values per record (Chromium adds
   * `script_object_index`): node indexes of the file (`fileLayout.nodeFieldCount` per node), not ordinals.
   */
  readonly rawLocations: Uint32Array;
  /** Raw JSON text of sections heapdiff does not interpret (e.g. `scopes`); null when too large to keep. */
  readonly extraSections: Record<string, string | null>;
  readonly trace: TraceData | null;
  readonly extraNativeBytes: number;
  /** Top-level keys the file held, in file order (for the store's meta). */
  readonly sections: string[];
}

/** The file's node index of an ordinal (DevTools' name for the node). */
export function nodeIndexOf(graph: HeapGraph, ordinal: NodeOrdinal): number {
  return ordinal * graph.fileLayout.nodeFieldCount;
}

export function nodeOrdinalOf(graph: HeapGraph, nodeIndex: number): NodeOrdinal {
  return nodeIndex / graph.fileLayout.nodeFieldCount;
}

/**
 * What a parallel parse has before its edges are done: enough to start writing the strings, the
 * locations and the id index while the edges are still being scanned (ReadOptions.onBeforeEdges).
 * Checked only as far as the scan checks; the whole graph is checked when the edges are in.
 */
export type NodesPart = Pick<HeapGraph, 'layout' | 'fileLayout' | 'nodeCount' | 'nodes' | 'strings' | 'rawLocations'>;
