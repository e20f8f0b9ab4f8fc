// CSR ("compressed sparse row") index builders: reverse edges (retainers) and the dominator tree's
// children. Both use DevTools' three-pass idiom (count, prefix-sum, fill by decrement), so slot
// order inside one node's range equals DevTools' (`HeapSnapshot.buildRetainers`,
// `HeapSnapshot.buildDominatedNodes`): the reverse of (source ordinal, edge order).
//
// Number spaces: everything here is ordinals (nodes) and edge ordinals, never node indexes.

import { sharedUint32 } from '../util/typed-arrays.js';

/** The part of HeapGraph the graph algorithms walk. `HeapGraph` satisfies it structurally. */
export interface Adjacency {
  readonly nodeCount: number;
  /** Edge ordinal of each node's first edge; nodeCount + 1 entries. */
  readonly firstEdge: Uint32Array;
  /** Target ordinal per edge ordinal. */
  readonly edgeTo: Uint32Array;
}

/** Incoming edges: node k's retaining edge ordinals are retainerEdge[firstRetainer[k] .. firstRetainer[k+1]). */
export interface Retainers {
  readonly firstRetainer: Uint32Array;
  readonly retainerEdge: Uint32Array;
}

/** Dominator-tree children: node k's dominated ordinals are dominated[firstDominated[k] .. firstDominated[k+1]). */
export interface DominatedNodes {
  readonly firstDominated: Uint32Array;
  readonly dominated: Uint32Array;
}

/** Source ordinal of every edge ordinal (the file has no `from` field). */
export function buildEdgeFrom(adj: Adjacency): Uint32Array {
  const { nodeCount, firstEdge } = adj;
  const edgeFrom = sharedUint32(firstEdge[nodeCount]); // shared: the summary thread reads it (rcs)
  for (let k = 0, e = firstEdge[0]; k < nodeCount; k++) {
    for (const end = firstEdge[k + 1]; e < end; e++) edgeFrom[e] = k;
  }
  return edgeFrom;
}

/** Reverse edges over all edge types (DevTools `buildRetainers`). */
export function buildRetainers(adj: Adjacency): Retainers {
  const { nodeCount, firstEdge, edgeTo } = adj;
  const edgeCount = firstEdge[nodeCount];
  const firstRetainer = sharedUint32(nodeCount + 1);
  const retainerEdge = sharedUint32(edgeCount);
  // Pass 1: count retainers per target into firstRetainer[target + 1].
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTo[e] + 1]++;
  // Pass 2: prefix sum → start of each range; firstRetainer[k+1] is now the end of k's range.
  for (let k = 0; k < nodeCount; k++) firstRetainer[k + 1] += firstRetainer[k];
  // Pass 3: fill each range from its end by decrement, walking edges in (source, edge) order.
  // `cursor` starts at each range's end and moves down; afterwards cursor[k] == firstRetainer[k].
  const cursor = firstRetainer.slice(1);
  for (let e = 0; e < edgeCount; e++) retainerEdge[--cursor[edgeTo[e]]] = e;
  return { firstRetainer, retainerEdge };
}

/** Children lists of the dominator tree (DevTools `buildDominatedNodes`); the root is nobody's child. */
export function buildDominatedNodes(idom: Uint32Array, rootOrdinal: number): DominatedNodes {
  const nodeCount = idom.length;
  const firstDominated = sharedUint32(nodeCount + 1); // shared: the summary thread walks the dominator tree
  const dominated = sharedUint32(nodeCount > 0 ? nodeCount - 1 : 0);
  for (let k = 0; k < nodeCount; k++) if (k !== rootOrdinal) firstDominated[idom[k] + 1]++;
  for (let k = 0; k < nodeCount; k++) firstDominated[k + 1] += firstDominated[k];
  const cursor = firstDominated.slice(1);
  for (let k = 0; k < nodeCount; k++) if (k !== rootOrdinal) dominated[--cursor[idom[k]]] = k;
  return { firstDominated, dominated };
}
