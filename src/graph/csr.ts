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

/** Edges per anchor of `EdgeSources` (a power of two). */
const ANCHOR_SHIFT = 4;
const ANCHOR_STRIDE = 1 << ANCHOR_SHIFT;

/**
 * The source of any edge without a 4-byte-per-edge `from` array (the file has no `from` field): the
 * source ordinal of every 16th edge, 1/4 byte per edge (700 MB snapshot: 7 MB instead of 114 MB,
 * live through the whole ingest's peak). `edgeSource` narrows the anchors' range with a binary search
 * over `firstEdge`, a step or two within one cache line. Measured on the rcs partition of a 700 MB
 * snapshot, its one hot reader: 0.60 s with the full array, 0.70 s with these anchors, 0.85 s with
 * anchors every 64th edge.
 */
export interface EdgeSources {
  /** anchors[i] = source ordinal of edge ordinal i << ANCHOR_SHIFT. */
  readonly anchors: Uint32Array;
}

export function buildEdgeSources(adj: Adjacency): EdgeSources {
  const { nodeCount, firstEdge } = adj;
  const edgeCount = firstEdge[nodeCount];
  const anchors = sharedUint32(Math.ceil(edgeCount / ANCHOR_STRIDE)); // shared: the summary thread reads it (rcs)
  for (let k = 0, i = 0; k < nodeCount && i < anchors.length; k++) {
    const end = firstEdge[k + 1];
    for (; i < anchors.length && i * ANCHOR_STRIDE < end; i++) anchors[i] = k;
  }
  return { anchors };
}

/** Source ordinal of edge ordinal `e` (< the edge count): the last node whose edges start at or before e. */
export function edgeSource(firstEdge: Uint32Array, sources: EdgeSources, e: number): number {
  const { anchors } = sources;
  const a = e >>> ANCHOR_SHIFT;
  let lo = anchors[a];
  // Sources grow with edge ordinals, so e's is at most the next anchor's (or the last node's).
  let hi = a + 1 < anchors.length ? anchors[a + 1] : firstEdge.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firstEdge[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
