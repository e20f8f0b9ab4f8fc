// DevTools' "group retained size" rule, in one place: the retained bytes of a group of objects are the
// retained sizes of its members summed over the members that no other member of the same group
// dominates, so nothing is counted twice. DevTools applies it to classes (`calculateClassesRetainedSize`);
// heapdiff applies it to every partition kind, to the Summary's classes at ingest, to leak suspects
// ("top-most" new objects: one group for all) and to the kinds of a `--where`-narrowed partition.
//
// The rule is a pass over the tree in preorder (treePreorder: built once per tree, it serves every
// grouping; the analysis keeps the dominator tree's for the Summary's classes and the partitions):
//   groupRetainedSizes  over a whole dominator tree (ingest; reports built on it);
//   groupRetainedAmong  over a sparse set of members whose dominator chains are read on demand: the
//                       members' induced forest (each member's parent is its nearest dominating member)
//                       has the same ancestor relation among members, so the same pass applies to it.
// summaries.ts applies the rule as it walks the preorder itself (the set classifiers' groups are known
// only there); the rule is stated at groupRetainedSizes.

import { grownUint32, sharedUint32 } from '../util/typed-arrays.js';
import type { DominatedNodes } from './csr.js';

export interface GroupRetainedOptions {
  /** When given, a node is a member only if its self size is not 0 (DevTools' Summary set). */
  selfSize?: ArrayLike<number>;
  /** Where the walk starts (default 0, the snapshot's root) when the tree is given as children lists. */
  root?: number;
  /** When given, set to 1 for every counted member (those no member of their group dominates). */
  counted?: Uint8Array;
}

/**
 * A tree in depth-first preorder: the nodes under the root in the order a walk enters them (children in
 * reverse list order, as a stack pops them), each with the size of its subtree. A subtree is one run of
 * positions, so "is x under a member" is one comparison of positions, and a grouping's group retained
 * sizes are one pass over the array (the stack walk it replaces cost twice as much per grouping).
 *
 * 4 bytes a node (an ordinal array and an end array would be 8: 124 MB more on a 2.6 GB snapshot's
 * 31 M nodes): entry i holds the ordinal in its low `ordinalBits` bits and the subtree's size
 * (positions, itself included) in the others; a size too big for them is written as all ones
 * (bigSubtree) and the subtree's end is then the next one of `bigEnds`, which lists them in position
 * order. Big subtrees are few (the top of the tree) but for chain-shaped trees.
 */
export interface TreePreorder {
  entries: Uint32Array;
  ordinalBits: number;
  bigEnds: Uint32Array;
}

/** The size field's value that marks a big subtree (its end is in bigEnds). */
export function bigSubtree(tree: TreePreorder): number {
  return 0xffffffff >>> tree.ordinalBits;
}

/** The bits of an entry that hold the ordinal. */
export function ordinalMask(tree: TreePreorder): number {
  return 0xffffffff >>> (32 - tree.ordinalBits);
}

/** A bigger copy of a stack, so that `more` entries fit above `top`. */
function grownStack(stack: Int32Array, top: number, more: number, limit: number): Int32Array {
  const grown = new Int32Array(Math.min(limit, Math.max(2 * stack.length, top + more)));
  grown.set(stack.subarray(0, top));
  return grown;
}

/**
 * The preorder of the tree under `root`: one walk writes the entries (a stack entry >= 0 is an ordinal
 * to enter; ~p is the marker "leaving the subtree entered at position p", where its size is known), a
 * second one, through the big subtrees only, lists their ends in position order.
 */
export function treePreorder(tree: DominatedNodes, root = 0): TreePreorder {
  const { firstDominated, dominated } = tree;
  const nodeCount = firstDominated.length - 1;
  // At least 2 bits of size, so that a leaf's size (1) is never big.
  if (nodeCount > 1 << 30) throw new RangeError(`treePreorder: ${nodeCount} nodes, at most 2^30`);
  const ordinalBits = Math.max(1, 32 - Math.clz32(nodeCount - 1));
  const big = 0xffffffff >>> ordinalBits;
  const entries = sharedUint32(nodeCount); // shared: the summary thread reads the analysis' one
  const limit = 2 * nodeCount + 1;
  const leaf = 1 << ordinalBits; // size 1
  let stack: Int32Array = new Int32Array(Math.min(limit, 1 << 16));
  let top = 0;
  let position = 0;
  let bigCount = 0;
  stack[top++] = root;
  while (top > 0) {
    const entry = stack[--top];
    if (entry < 0) {
      const p = ~entry;
      const size = position - p;
      if (size >= big) bigCount++;
      entries[p] |= Math.min(size, big) << ordinalBits;
      continue;
    }
    const begin = firstDominated[entry];
    const end = firstDominated[entry + 1];
    if (begin === end) {
      entries[position++] = entry | leaf;
      continue;
    }
    entries[position] = entry;
    if (top + (end - begin) + 1 > stack.length) stack = grownStack(stack, top, end - begin + 1, limit);
    stack[top++] = ~position++;
    for (let i = begin; i < end; i++) stack[top++] = dominated[i];
  }
  const bigEnds = sharedUint32(bigCount);
  // Through the big subtrees: a child that is not one is stepped over by its size.
  let next = 0;
  position = 0;
  stack[top++] = root;
  while (top > 0) {
    const entry = stack[--top];
    if (entry < 0) {
      bigEnds[~entry] = position;
      continue;
    }
    const size = entries[position] >>> ordinalBits;
    if (size !== big) {
      position += size;
      continue;
    }
    position++;
    const begin = firstDominated[entry];
    const end = firstDominated[entry + 1];
    if (top + (end - begin) + 1 > stack.length) stack = grownStack(stack, top, end - begin + 1, limit);
    stack[top++] = ~next++;
    for (let i = begin; i < end; i++) stack[top++] = dominated[i];
  }
  return { entries: entries.subarray(0, position), ordinalBits, bigEnds };
}

/**
 * Walks down a TreePreorder from its root, without the children lists it was built from: the ingest
 * lets those go as soon as the preorder exists (8 bytes a node, 250 MB on a 2.6 GB snapshot, that
 * would otherwise stay through the summaries). A node is addressed by its position; its children are
 * the positions after it, each child's subtree stepped over by its size. Children come in the
 * preorder's order (for the dominator tree: ascending ordinal).
 */
export class PreorderWalker {
  private readonly mask: number;
  private readonly big: number;
  /** Positions of the big subtrees, in order: bigEnds[i] is the end of the one at bigStarts[i]. */
  private readonly bigStarts: Uint32Array;
  /** children()'s growing list of positions. */
  private scratch = new Uint32Array(1024);

  constructor(private readonly tree: TreePreorder) {
    this.mask = ordinalMask(tree);
    this.big = bigSubtree(tree);
    const { entries, ordinalBits, bigEnds } = tree;
    this.bigStarts = new Uint32Array(bigEnds.length);
    for (let i = 0, b = 0; b < bigEnds.length && i < entries.length; i++) if (entries[i] >>> ordinalBits === this.big) this.bigStarts[b++] = i;
  }

  ordinal(position: number): number {
    return this.tree.entries[position] & this.mask;
  }

  /** The position after the subtree entered at `position`. */
  end(position: number): number {
    const size = this.tree.entries[position] >>> this.tree.ordinalBits;
    if (size !== this.big) return position + size;
    let lo = 0;
    let hi = this.bigStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.bigStarts[mid] < position) lo = mid + 1;
      else hi = mid;
    }
    return this.tree.bigEnds[lo];
  }

  /** The children of the node at `position`: their positions and their ordinals, in preorder. */
  children(position: number): { positions: Uint32Array; ordinals: Uint32Array } {
    let n = 0;
    for (let c = position + 1, end = this.end(position); c < end; c = this.end(c)) {
      if (n === this.scratch.length) this.scratch = grownUint32(this.scratch);
      this.scratch[n++] = c;
    }
    const positions = this.scratch.slice(0, n);
    const ordinals = new Uint32Array(n);
    for (let i = 0; i < n; i++) ordinals[i] = this.tree.entries[positions[i]] & this.mask;
    return { positions, ordinals };
  }
}

/**
 * Σ retained size per group over its members that no other member of the same group dominates. A
 * member is a node with group[k] >= 0 (and self size != 0 when `selfSize` is given). One pass over the
 * tree's preorder (built here from children lists, or given: treePreorder): a group's first member met
 * is counted, and so is every later one past the end of the subtree of the group's last counted member;
 * the members inside that subtree are the ones it dominates.
 */
export function groupRetainedSizes(
  group: ArrayLike<number>,
  groupCount: number,
  retainedSize: ArrayLike<number>,
  tree: DominatedNodes | TreePreorder,
  options: GroupRetainedOptions = {},
): Float64Array {
  const preorder = 'entries' in tree ? tree : treePreorder(tree, options.root ?? 0);
  const { entries, ordinalBits, bigEnds } = preorder;
  const big = bigSubtree(preorder);
  const mask = ordinalMask(preorder);
  const retained = new Float64Array(groupCount);
  const selfSize = options.selfSize ?? null;
  const counted = options.counted ?? null;
  // Per group: the end of its last counted member's subtree (0: none yet).
  const coveredUntil = new Uint32Array(groupCount);
  for (let i = 0, bigAt = 0; i < entries.length; i++) {
    const entry = entries[i];
    const size = entry >>> ordinalBits;
    const end = size === big ? bigEnds[bigAt++] : i + size;
    const k = entry & mask;
    const g = group[k];
    if (g < 0 || i < coveredUntil[g] || (selfSize !== null && selfSize[k] === 0)) continue;
    retained[g] += retainedSize[k];
    coveredUntil[g] = end;
    if (counted !== null) counted[k] = 1;
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
