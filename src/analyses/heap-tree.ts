// The dominator tree as a picture can show it (`heapdiff report`'s treemap), and what a set of objects
// keeps, by class (a suspect's "accumulated objects by class", as Eclipse MAT lists them).
//
// A heap's dominator tree has millions of nodes; a page can draw a few thousand. The tree is pruned per
// level: a node shows its `children` biggest children (retained size, ties by id) and folds the rest
// into one "others" entry (how many, how many bytes). Nodes are expanded biggest first (best-first over
// retained size) until `budget` nodes are shown or `depth` levels are reached, so the big subtrees get
// the detail and the long tail costs nothing. Every number is exact: an "others" entry carries the sum
// of what it folds, and a node left unexpanded carries its child count.
//
// "New" bytes (a diff's or leak report's colouring): the self sizes of the objects a predicate marks
// (allocated after A, or between baseline and target), summed over each node's dominated subtree.

import type { OpenedStore } from '../store/open.js';
import { classTable, readNodeColumns } from '../store/queries/node-columns.js';
import { displayName, nodeBriefs } from '../store/queries/nodes.js';
import type { NodeSummary } from './paths.js';
import { buildTree, type DominatorTree } from './suspects-tree.js';

export interface HeapTreeOptions {
  /** Children shown per node (default 10); the rest are folded into "others". */
  children?: number;
  /** Levels below the root at most (default 8). */
  depth?: number;
  /** Nodes shown at most (default 2500). */
  budget?: number;
  /** Marks "new" objects by V8 id (colouring by new-since-A); none when absent. */
  isNew?: (id: number) => boolean;
}

/** One shown node. `children` is empty for a leaf or a node left unexpanded (`child_count` > 0). */
export interface HeapTreeNode {
  ordinal: number;
  id: number;
  class_name: string;
  self_size: number;
  retained_size: number;
  /** Bytes of "new" objects in the node's dominated subtree (0 without `isNew`). */
  new_size: number;
  /** Children in the dominator tree (all of them). */
  child_count: number;
  children: HeapTreeNode[];
  /** Children folded: how many, their retained and new bytes (null when nothing is folded). */
  others: { count: number; retained_size: number; new_size: number } | null;
}

export interface HeapTreeResult {
  total_size: number;
  children: number;
  depth: number;
  /** Nodes shown (the root included). */
  shown: number;
  root: HeapTreeNode;
}

/** The store's dominator tree held in memory, for the several questions a report asks of it. */
export interface LoadedTree {
  tree: DominatorTree;
  classId: Float64Array;
  /** Class names by class id. */
  classNames: string[];
  /** New bytes per subtree (null without `isNew`). */
  newSize: Float64Array | null;
  /** Every reachable-from-root node, each after its dominator. */
  order: Uint32Array;
}

/** Reads the columns a tree needs (one pass over the node pages) and builds the children lists. */
export function loadTree(store: OpenedStore, isNew?: (id: number) => boolean): LoadedTree {
  const cols = readNodeColumns(store.db, ['id', 'self_size', 'retained_size', 'dominator', 'class_id']);
  const tree = buildTree(cols.count, cols.dominator, cols.retained_size, cols.self_size, cols.id);
  const classNames: string[] = [];
  for (const c of classTable(store.db)) classNames[c.class_id] = c.class_name;
  const order = preorder(tree);
  return { tree, classId: cols.class_id, classNames, order, newSize: isNew ? subtreeSums(tree, order, (k) => (isNew(tree.id[k]) ? tree.self[k] : 0)) : null };
}

/** Σ value(k) over every node's dominated subtree (the node included); `order` as `LoadedTree.order`. */
export function subtreeSums(tree: DominatorTree, order: Uint32Array, value: (k: number) => number): Float64Array {
  const sums = new Float64Array(tree.count);
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i];
    sums[k] += value(k);
    if (k !== 0) sums[tree.dominator[k]] += sums[k];
  }
  return sums;
}

/** Nodes in an order where every node comes after its dominator (root first). */
function preorder(tree: DominatorTree): Uint32Array {
  const order = new Uint32Array(tree.count);
  let n = 0;
  order[n++] = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i];
    for (let c = tree.firstChild[k]; c < tree.firstChild[k + 1]; c++) order[n++] = tree.children[c];
  }
  return order.subarray(0, n);
}

function sortedChildren(tree: DominatorTree, k: number): number[] {
  const kids = Array.from(tree.children.subarray(tree.firstChild[k], tree.firstChild[k + 1]));
  return kids.sort((x, y) => tree.retained[y] - tree.retained[x] || tree.id[x] - tree.id[y]);
}

export function heapTree(loaded: LoadedTree, options: HeapTreeOptions = {}): HeapTreeResult {
  const { tree, classId, classNames, newSize } = loaded;
  const perNode = Math.max(1, options.children ?? 10);
  const depth = Math.max(0, options.depth ?? 8);
  const budget = Math.max(1, options.budget ?? 2500);
  const make = (k: number): HeapTreeNode => ({
    ordinal: k,
    id: tree.id[k],
    class_name: classNames[classId[k]] ?? '(unknown)',
    self_size: tree.self[k],
    retained_size: k === 0 ? tree.retained[0] : tree.retained[k],
    new_size: newSize ? newSize[k] : 0,
    child_count: tree.firstChild[k + 1] - tree.firstChild[k],
    children: [],
    others: null,
  });
  const root = make(0);
  let shown = 1;
  // Best-first: a max-heap of (node, level) by retained size.
  const heap: { node: HeapTreeNode; level: number }[] = [];
  const push = (e: { node: HeapTreeNode; level: number }) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p].node.retained_size >= heap[i].node.retained_size) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l].node.retained_size > heap[m].node.retained_size) m = l;
        if (r < heap.length && heap[r].node.retained_size > heap[m].node.retained_size) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  if (depth > 0 && root.child_count > 0) push({ node: root, level: 0 });
  while (heap.length > 0 && shown < budget) {
    const { node, level } = pop();
    const kids = sortedChildren(tree, node.ordinal);
    const take = Math.min(perNode, kids.length, budget - shown);
    for (let i = 0; i < take; i++) {
      const child = make(kids[i]);
      node.children.push(child);
      shown++;
      if (level + 1 < depth && child.child_count > 0) push({ node: child, level: level + 1 });
    }
    if (take < kids.length) {
      let retained = 0;
      let fresh = 0;
      for (let i = take; i < kids.length; i++) {
        retained += tree.retained[kids[i]];
        if (newSize) fresh += newSize[kids[i]];
      }
      node.others = { count: kids.length - take, retained_size: retained, new_size: fresh };
    }
  }
  return { total_size: tree.retained[0], children: perNode, depth, shown, root };
}

export interface KeptClass {
  class_name: string;
  /** Objects of the class in the members' dominated subtrees (members included), and their self bytes. */
  count: number;
  size: number;
}

export interface KeptObjects {
  /** Members counted (those no other member dominates) and the bytes they retain together. */
  members: number;
  retained: number;
  /** Everything their subtrees hold, by class, most bytes first (at most `limit` classes). */
  classes: KeptClass[];
  /** Classes left out by the limit, and their objects and bytes. */
  more_classes: number;
  more_count: number;
  more_size: number;
}

/**
 * What a set of objects keeps alive, by class: the union of the members' dominated subtrees (a member
 * inside another member's subtree counts once), grouped by class name. One pass over the tree, root first.
 */
export function dominatedByClass(loaded: LoadedTree, isMember: (k: number) => boolean, limit = 8): KeptObjects {
  const { tree, classId, classNames, order } = loaded;
  const count = new Float64Array(classNames.length + 1);
  const size = new Float64Array(classNames.length + 1);
  const within = new Uint8Array(tree.count);
  let members = 0;
  let retained = 0;
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    if (k !== 0 && within[tree.dominator[k]]) within[k] = 1;
    else if (isMember(k)) {
      within[k] = 1;
      members++;
      retained += tree.retained[k];
    }
    if (within[k]) {
      count[classId[k]]++;
      size[classId[k]] += tree.self[k];
    }
  }
  const byName = new Map<string, KeptClass>();
  for (let c = 0; c < count.length; c++) {
    const n = count[c];
    if (n === 0) continue;
    const name = classNames[c] ?? '(unknown)';
    const g = byName.get(name) ?? { class_name: name, count: 0, size: 0 };
    g.count += n;
    g.size += size[c];
    byName.set(name, g);
  }
  const classes = [...byName.values()].sort((x, y) => y.size - x.size || y.count - x.count || (x.class_name < y.class_name ? -1 : 1));
  const rest = classes.slice(limit);
  return {
    members,
    retained,
    classes: classes.slice(0, limit),
    more_classes: rest.length,
    more_count: rest.reduce((a, c) => a + c.count, 0),
    more_size: rest.reduce((a, c) => a + c.size, 0),
  };
}

/** Facts of many objects by ordinal, names spelled as DevTools shows them (plain objects `{a, b}`, joined cons strings). */
export function summarize(store: OpenedStore, ordinals: readonly number[]): Map<number, NodeSummary> {
  const briefs = nodeBriefs(store.db, ordinals);
  const out = new Map<number, NodeSummary>();
  for (const [ordinal, b] of briefs) {
    const spelled = (b.type === 'object' && b.name === 'Object') || b.type === 'concatenated string';
    out.set(ordinal, { ...b, ordinal, name: spelled ? displayName(store.db, ordinal) : b.name });
  }
  return out;
}
