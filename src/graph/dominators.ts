// Immediate dominators (docs/format.md#dominators; DevTools `HeapSnapshot.calculateDominatorsAndRetainedSizes`,
// `hasOnlyWeakRetainers`).
//
// Graph G′ = the essential edges (essential-edges.ts) plus a virtual edge root → x for every node
// x ≠ root without any essential incoming edge ("only weak retainers"). Nodes G′ cannot reach from the
// root (cycles held only by each other) get idom = root, as DevTools does; the root's idom is itself.
// Immediate dominators are unique, so this matches DevTools' Lengauer–Tarjan exactly although the
// algorithm here is Semi-NCA:
//   Loukas Georgiadis, Robert E. Tarjan, Renato F. Werneck. Finding Dominators in Practice.
//   JGAA 10(1) 69–94 (2006). https://doi.org/10.7155/jgaa.00119
// built on the semidominator step of
//   Thomas Lengauer, Robert Endre Tarjan. A fast algorithm for finding dominators in a flowgraph.
//   ACM TOPLAS 1(1) 121–141 (1979). https://doi.org/10.1145/357062.357071
// (path compression without balancing, "simple" eval/link, as DevTools).
//
// Everything is iterative (explicit stacks in preallocated Uint32Arrays): a 1,000,000-long list must
// not overflow the call stack. Working arrays are indexed by DFS number (`num`), 0 = the root; they
// are converted back to ordinals at the end.

import type { Adjacency, Retainers } from './csr.js';
import { bigUint32, sharedUint32 } from '../util/typed-arrays.js';

const UNVISITED = 0xffffffff;

export interface DominatorResult {
  /** Immediate dominator ordinal per ordinal; idom[root] = root. */
  idom: Uint32Array;
  /**
   * Every ordinal once, each after its immediate dominator: the DFS preorder of G′ (root first),
   * then the nodes G′ does not reach, in ordinal order. Walk it backwards to sum retained sizes.
   */
  order: Uint32Array;
  /** Nodes the DFS from the root over essential edges did not reach (before virtual edges). */
  unreachableFromRoot: number;
  /** Ordinals given a virtual root edge (no essential retainer), in ordinal order. */
  orphanRoots: Uint32Array;
  /** Ordinals G′ cannot reach either (idom = root by fallback), in ordinal order. */
  leftovers: Uint32Array;
}

/**
 * @param essential 1 per edge ordinal that counts (null = all edges count)
 */
export function computeDominators(adj: Adjacency, retainers: Retainers, essential: Uint8Array | null, rootOrdinal = 0): DominatorResult {
  const { nodeCount, firstEdge, edgeTo } = adj;
  const { firstRetainer, retainerEdge } = retainers;
  const all = essential === null;

  const pre = bigUint32(nodeCount).fill(UNVISITED); // ordinal → DFS number
  // Visited flags, one bit per ordinal: the DFS tests one per essential edge, at random ordinals.
  // 1/32 of `pre`'s size, so it stays in the CPU cache on heaps where `pre` (4 bytes a node) cannot.
  const visited = bigUint32((nodeCount + 31) >>> 5);
  const vertex = bigUint32(nodeCount); // DFS number → ordinal
  const parent = bigUint32(nodeCount); // DFS number → DFS number of the DFS-tree parent
  const nextEdge = bigUint32(nodeCount); // DFS number → next edge ordinal to scan (reused below)
  const stack = bigUint32(nodeCount); // DFS numbers (DFS stack, then compression stack)
  let n = 0;

  // Iterative DFS over essential edges from `start`, which becomes a child of DFS number `parentNum`.
  const dfs = (start: number, parentNum: number): void => {
    visited[start >>> 5] |= 1 << (start & 31);
    pre[start] = n;
    vertex[n] = start;
    parent[n] = parentNum;
    nextEdge[n] = firstEdge[start];
    stack[0] = n++;
    let top = 1;
    while (top > 0) {
      const vNum = stack[top - 1];
      const v = vertex[vNum];
      const end = firstEdge[v + 1];
      let e = nextEdge[vNum];
      let w = UNVISITED;
      for (; e < end; e++) {
        if (!all && essential![e] === 0) continue;
        const t = edgeTo[e];
        if ((visited[t >>> 5] & (1 << (t & 31))) === 0) {
          w = t;
          break;
        }
      }
      if (w === UNVISITED) {
        nextEdge[vNum] = end;
        top--;
        continue;
      }
      nextEdge[vNum] = e + 1;
      visited[w >>> 5] |= 1 << (w & 31);
      pre[w] = n;
      vertex[n] = w;
      parent[n] = vNum;
      nextEdge[n] = firstEdge[w];
      stack[top++] = n++;
    }
  };

  dfs(rootOrdinal, 0);
  const unreachableFromRoot = nodeCount - n;

  // Virtual root edges to nodes without essential retainers, in ordinal order (DevTools' order).
  let orphanCount = 0;
  const orphanList = new Uint32Array(unreachableFromRoot);
  if (unreachableFromRoot > 0) {
    for (let k = 0; k < nodeCount; k++) {
      if (pre[k] !== UNVISITED) continue;
      let hasEssentialRetainer = false;
      for (let r = firstRetainer[k], end = firstRetainer[k + 1]; r < end; r++) {
        if (all || essential![retainerEdge[r]] !== 0) {
          hasEssentialRetainer = true;
          break;
        }
      }
      if (hasEssentialRetainer) continue;
      orphanList[orphanCount++] = k;
      dfs(k, 0);
    }
  }
  const reached = n;

  // Semidominators (Lengauer–Tarjan) are computed in DFS-number space, where neighbours are close:
  // walking each node's retainers in ordinal space (retainer, edge, source, its DFS number) costs
  // several dependent cache misses per edge once the per-node arrays outgrow the CPU cache (at ~8 M
  // nodes), which made this phase superlinear. Instead, one sequential pass over the edges (by
  // source) sorts every essential edge v → w of G′ by DFS numbers:
  //   - vNum < wNum: v is not processed yet when w is, so eval(v) = v: only the minimum matters, kept
  //     in semi[w], which starts as the tree parent (the tree edge, real or virtual, is a predecessor);
  //   - vNum > wNum: needs eval (path compression) when w is processed: listed per w (CSR `upper`).
  // Every node G′ reaches has all its essential targets reached too, so pre[target] is a DFS number.
  const semi = bigUint32(reached);
  for (let i = 1; i < reached; i++) semi[i] = parent[i];
  // Memory: this is the analysis' peak, so the upper lists' offsets live in the buffer of the result
  // `idom` (written only at the very end), `ancestor` in that of `pre` (spent after the two passes) and
  // `order` in that of `vertex` (they agree on the nodes G′ reaches).
  const idomBuffer = sharedUint32(nodeCount + 1);
  const firstUpper = idomBuffer.subarray(0, reached + 1);
  for (let v = 0; v < nodeCount; v++) {
    const vNum = pre[v];
    if (vNum === UNVISITED) continue;
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      if (!all && essential![e] === 0) continue;
      const wNum = pre[edgeTo[e]];
      if (vNum < wNum) {
        if (vNum < semi[wNum]) semi[wNum] = vNum;
      } else if (vNum > wNum && wNum !== 0) firstUpper[wNum + 1]++;
    }
  }
  for (let i = 0; i < reached; i++) firstUpper[i + 1] += firstUpper[i];
  const upper = bigUint32(firstUpper[reached]);
  const cursor = nextEdge; // DFS no longer needs it
  for (let i = 0; i < reached; i++) cursor[i] = firstUpper[i + 1];
  for (let v = 0; v < nodeCount; v++) {
    const vNum = pre[v];
    if (vNum === UNVISITED) continue;
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      if (!all && essential![e] === 0) continue;
      const wNum = pre[edgeTo[e]];
      if (vNum > wNum && wNum !== 0) upper[--cursor[wNum]] = vNum;
    }
  }

  // In decreasing DFS number, with LLVM's "last linked" test: a DFS number >= lastLinked has been
  // processed and linked to its `ancestor`.
  const label = nextEdge; // the cursors are spent
  const ancestor = pre; // `pre` is spent
  ancestor.set(parent.subarray(0, reached));
  for (let i = 0; i < reached; i++) label[i] = i;
  for (let wNum = reached - 1; wNum >= 1; wNum--) {
    const lastLinked = wNum + 1;
    let s = semi[wNum];
    for (let r = firstUpper[wNum], end = firstUpper[wNum + 1]; r < end; r++) {
      const vNum = upper[r];
      // eval(vNum): the label of minimum semi on vNum's linked path, compressing it.
      let u: number;
      if (ancestor[vNum] < lastLinked) {
        u = label[vNum];
      } else {
        let top = 0;
        let x = vNum;
        do {
          stack[top++] = x;
          x = ancestor[x];
        } while (ancestor[x] >= lastLinked);
        // x: highest linked node on the path; its ancestor is the (unlinked) tree root.
        let p = x;
        let pLabel = label[p];
        let y = x;
        do {
          y = stack[--top];
          ancestor[y] = ancestor[p];
          const yLabel = label[y];
          if (semi[pLabel] < semi[yLabel]) label[y] = pLabel;
          else pLabel = yLabel;
          p = y;
        } while (top > 0);
        u = label[y];
      }
      if (semi[u] < s) s = semi[u];
    }
    semi[wNum] = s;
  }

  // Immediate dominators by nearest common ancestor (Semi-NCA), in increasing DFS number.
  const idomNum = stack; // compression is done; reuse
  idomNum[0] = 0;
  for (let wNum = 1; wNum < reached; wNum++) {
    let c = parent[wNum];
    const s = semi[wNum];
    while (c > s) c = idomNum[c];
    idomNum[wNum] = c;
  }

  const idom = idomBuffer.subarray(0, nodeCount);
  for (let num = 0; num < reached; num++) idom[vertex[num]] = vertex[idomNum[num]];
  idom[rootOrdinal] = rootOrdinal;
  const order = vertex; // the DFS preorder; the nodes G′ does not reach follow
  const leftovers = bigUint32(nodeCount - reached);
  let next = reached;
  for (let k = 0; k < nodeCount && next < nodeCount; k++) {
    if ((visited[k >>> 5] & (1 << (k & 31))) !== 0) continue;
    idom[k] = rootOrdinal;
    leftovers[next - reached] = k;
    order[next++] = k;
  }
  return { idom, order, unreachableFromRoot, orphanRoots: orphanList.slice(0, orphanCount), leftovers };
}
