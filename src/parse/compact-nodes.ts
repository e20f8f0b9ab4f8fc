// The file's node records (F values per node, 7 in current V8) reshaped into what HeapGraph keeps
// (heap-graph.ts): 4 values per node plus firstEdge, detachedness and, when any node has one, the trace
// node ids. Done once the `nodes` array is complete, after which the file's records can be freed: at
// 8.4 M nodes they are 234 MB, the kept nodes 134 MB and detachedness 8 MB (firstEdge the graph needs
// anyway). A parallel parse does this while its edge worker is still busy (scanner.ts).

import { GRAPH_NODE_FIELDS, type SnapshotLayout } from './layout.js';
import { sharedUint32 } from '../util/typed-arrays.js';

export interface CompactNodes {
  /** type, name, id, self_size per node (shared memory: the store's threads read it). */
  nodes: Uint32Array;
  /** Edge ordinal of each node's first edge, nodeCount + 1 entries (shared memory). */
  firstEdge: Uint32Array;
  /** Σ edge_count, exactly (firstEdge holds it modulo 2^32; buildGraph compares it with the header). */
  edgeTotal: number;
  detachedness: Uint8Array | null;
  traceNodeIds: Uint32Array | null;
  /** The largest type code and name string index of any node: buildGraph checks them in one comparison. */
  maxType: number;
  maxName: number;
}

/** Reshapes complete file records (`file.length` = nodeCount × layout.nodeFieldCount). */
export function compactNodes(file: Uint32Array, layout: SnapshotLayout, nodeCount: number): CompactNodes {
  const F = layout.nodeFieldCount;
  const typeOff = layout.nodeTypeOffset;
  const nameOff = layout.nodeNameOffset;
  const idOff = layout.nodeIdOffset;
  const sizeOff = layout.nodeSelfSizeOffset;
  const ecOff = layout.nodeEdgeCountOffset;
  const detOff = layout.nodeDetachednessOffset;
  const trOff = layout.nodeTraceNodeIdOffset;
  const W = GRAPH_NODE_FIELDS.length; // the order of the writes below
  const nodes = sharedUint32(nodeCount * W);
  const firstEdge = sharedUint32(nodeCount + 1);
  const detachedness = detOff >= 0 ? new Uint8Array(nodeCount) : null;
  // Only allocation-tracked snapshots have nonzero ids; the others need no array at all.
  let traceNodeIds: Uint32Array | null = null;
  let e = 0;
  let maxType = 0;
  let maxName = 0;
  // One pass: the records are read once (every field of one shares its cache line).
  for (let k = 0, i = 0, j = 0; k < nodeCount; k++, i += F, j += W) {
    firstEdge[k] = e;
    e += file[i + ecOff];
    const type = file[i + typeOff];
    const name = file[i + nameOff];
    if (type > maxType) maxType = type;
    if (name > maxName) maxName = name;
    nodes[j] = type;
    nodes[j + 1] = name;
    nodes[j + 2] = file[i + idOff];
    nodes[j + 3] = file[i + sizeOff];
    if (detachedness !== null) detachedness[k] = file[i + detOff];
    if (trOff >= 0 && file[i + trOff] !== 0) {
      traceNodeIds ??= sharedUint32(nodeCount); // shared: the page writer and the summary thread read it
      traceNodeIds[k] = file[i + trOff];
    }
  }
  firstEdge[nodeCount] = e;
  return { nodes, firstEdge, edgeTotal: e, detachedness, traceNodeIds, maxType, maxName };
}
