// DevTools' "group retained size" rule, in one place: the retained bytes of a group of objects are the
// retained sizes of its members summed over the members that no other member of the same group
// dominates, so nothing is counted twice. DevTools applies it to classes (`calculateClassesRetainedSize`);
// heapdiff applies it to every partition kind, to the Summary's classes at ingest, to leak suspects
// ("top-most" new objects: one group for all) and to the kinds of a `--where`-narrowed partition.
//
// Two entry points over one depth-first walk:
//   groupRetainedSizes  over a whole dominator tree as children lists (ingest; reports built on it);
//   groupRetainedAmong  over a sparse set of members whose dominator chains are read on demand: the
//                       members' induced forest (each member's parent is its nearest dominating member)
//                       has the same ancestor relation among members, so the same walk applies to it.

import type { DominatedNodes } from './csr.js';

export interface GroupRetainedOptions {
  /** When given, a node is a member only if its self size is not 0 (DevTools' Summary set). */
  selfSize?: ArrayLike<number>;
  /** Where the walk starts (default 0, the snapshot's root). */
  root?: number;
  /** When given, set to 1 for every counted member (those no member of their group dominates). */
  counted?: Uint8Array;
}

/**
 * Σ retained size per group over its members that no other member of the same group dominates. A
 * member is a node with group[k] >= 0 (and self size != 0 when `selfSize` is given). DFS over the
 * dominator tree: a stack entry >= 0 is an ordinal to visit; ~g (< 0) is the marker "leaving the subtree
 * of the member that set seen[g]". At most nodeCount ordinals and nodeCount markers are on the stack at
 * once, but usually far fewer: the stack starts small and grows when a node's children would not fit.
 */
export function groupRetainedSizes(
  group: ArrayLike<number>,
  groupCount: number,
  retainedSize: ArrayLike<number>,
  tree: DominatedNodes,
  options: GroupRetainedOptions = {},
): Float64Array {
  const nodeCount = group.length;
  const retained = new Float64Array(groupCount);
  const { firstDominated, dominated } = tree;
  const selfSize = options.selfSize ?? null;
  const counted = options.counted ?? null;
  const seen = new Uint8Array(groupCount);
  let stack = new Int32Array(Math.min(2 * nodeCount + 1, 1 << 16));
  let top = 0;
  stack[top++] = options.root ?? 0;
  while (top > 0) {
    const entry = stack[--top];
    if (entry < 0) {
      seen[~entry] = 0;
      continue;
    }
    const k = entry;
    const begin = firstDominated[k];
    const end = firstDominated[k + 1];
    const g = group[k];
    if (top + (end - begin) + 1 > stack.length) {
      const grown = new Int32Array(Math.min(2 * nodeCount + 1, Math.max(2 * stack.length, top + (end - begin) + 1)));
      grown.set(stack.subarray(0, top));
      stack = grown;
    }
    if (g >= 0 && !seen[g] && (selfSize === null || selfSize[k] !== 0)) {
      retained[g] += retainedSize[k];
      if (counted !== null) counted[k] = 1;
      if (begin !== end) {
        seen[g] = 1;
        stack[top++] = ~g;
      }
    }
    for (let i = begin; i < end; i++) stack[top++] = dominated[i];
  }
  return retained;
}

/**
 * The rule for a sparse set of members: `members[i]` (distinct ordinals) belongs to group `group[i]` and
 * retains `retained[i]` bytes; `dominatorOf(ordinal)` reads a node's immediate dominator (the root's is
 * itself), and is asked only along the members' dominator chains, each node once. Returns the groups'
 * sums and, per member index, whether it was counted.
 */
export function groupRetainedAmong(
  members: ArrayLike<number>,
  group: ArrayLike<number>,
  groupCount: number,
  retained: ArrayLike<number>,
  dominatorOf: (ordinal: number) => number,
  root = 0,
): { retained: Float64Array; counted: Uint8Array } {
  const n = members.length;
  const indexOf = new Map<number, number>();
  for (let i = 0; i < n; i++) indexOf.set(members[i], i);
  // nearest.get(x): the member index nearest above x on its dominator chain, -1 when none (memoised
  // for every node a walk passed, so chains that share their upper part are walked once).
  const nearest = new Map<number, number>();
  const chain: number[] = [];
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let cur = members[i];
    let found = -1;
    for (;;) {
      const memo = nearest.get(cur);
      if (memo !== undefined) {
        found = memo;
        break;
      }
      chain.push(cur);
      if (cur === root) break;
      const d = dominatorOf(cur);
      if (d === cur) break;
      const m = indexOf.get(d);
      if (m !== undefined) {
        found = m;
        break;
      }
      cur = d;
    }
    for (const c of chain) nearest.set(c, found);
    chain.length = 0;
    parent[i] = found;
  }
  // The induced forest under a virtual root (index n), as children lists.
  const firstDominated = new Uint32Array(n + 2);
  for (let i = 0; i < n; i++) firstDominated[(parent[i] < 0 ? n : parent[i]) + 1]++;
  for (let v = 0; v <= n; v++) firstDominated[v + 1] += firstDominated[v];
  const dominated = new Uint32Array(n);
  const fill = firstDominated.slice(0, n + 1);
  for (let i = 0; i < n; i++) dominated[fill[parent[i] < 0 ? n : parent[i]]++] = i;
  const groupOf = new Int32Array(n + 1);
  const retainedOf = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    groupOf[i] = group[i];
    retainedOf[i] = retained[i];
  }
  groupOf[n] = -1;
  const counted = new Uint8Array(n + 1);
  const sums = groupRetainedSizes(groupOf, groupCount, retainedOf, { firstDominated, dominated }, { root: n, counted });
  return { retained: sums, counted: counted.subarray(0, n) };
}
