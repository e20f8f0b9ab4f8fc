// DevTools' group retained rule over a tree's preorder (src/graph/group-retained.ts) against the stack
// walk it replaced, on random trees: wide ones, and chain-shaped ones long enough that most subtrees are
// too big for an entry's size bits (their ends listed apart); and the set classifiers' groups
// (src/store/classifiers.ts SetGroups) against sets spelled as text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DominatedNodes } from '../src/graph/csr.js';
import { buildDominatedNodes } from '../src/graph/csr.js';
import { bigSubtree, groupRetainedSizes, PreorderWalker, treePreorder } from '../src/graph/group-retained.js';
import { SetGroups } from '../src/store/classifiers.js';
import { setKind } from '../src/store/queries/labels.js';

/** A deterministic pseudo-random generator (xorshift32) in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** The rule as the stack walk over children lists it replaced: a member is counted unless a counted member of its group is an ancestor. */
function reference(group: Int32Array, groupCount: number, retainedSize: Float64Array, tree: DominatedNodes, selfSize: Uint32Array | null, root: number) {
  const retained = new Float64Array(groupCount);
  const counted = new Uint8Array(group.length);
  const seen = new Uint8Array(groupCount);
  const stack: number[] = [root];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry < 0) {
      seen[~entry] = 0;
      continue;
    }
    const g = group[entry];
    if (g >= 0 && !seen[g] && (selfSize === null || selfSize[entry] !== 0)) {
      retained[g] += retainedSize[entry];
      counted[entry] = 1;
      seen[g] = 1;
      stack.push(~g);
    }
    for (let i = tree.firstDominated[entry]; i < tree.firstDominated[entry + 1]; i++) stack.push(tree.dominated[i]);
  }
  return { retained, counted };
}

/**
 * A random tree rooted at 0: each node's parent is the node before it with probability `chain`, else
 * the root or any earlier node (so long chains are siblings too).
 */
function randomTree(nodeCount: number, chain: number, next: () => number): DominatedNodes {
  const parent = new Uint32Array(nodeCount);
  for (let k = 1; k < nodeCount; k++) parent[k] = next() < chain ? k - 1 : next() < 0.5 ? 0 : Math.floor(next() * k);
  return buildDominatedNodes(parent, 0);
}

test('group retained sizes over the preorder equal the stack walk (wide and chain-shaped trees, roots, self sizes)', () => {
  const next = random(12345);
  for (const [nodeCount, chain, groupCount] of [
    [1, 0, 1],
    [2, 1, 1],
    [1000, 0, 3],
    [1000, 0.9, 2],
    [50_000, 0.2, 40],
    [300_000, 0.99995, 3], // sizes past 2^13 - 1 are big (19 bits of ordinal): most subtrees of the chain
  ] as const) {
    const tree = randomTree(nodeCount, chain, next);
    const group = Int32Array.from({ length: nodeCount }, () => (next() < 0.2 ? -1 : Math.floor(next() * groupCount)));
    const retainedSize = Float64Array.from({ length: nodeCount }, () => Math.floor(next() * 1e6));
    const selfSize = Uint32Array.from({ length: nodeCount }, () => (next() < 0.1 ? 0 : 1));
    for (const root of [0, Math.floor(nodeCount / 2)]) {
      const preorder = treePreorder(tree, root);
      for (const self of [null, selfSize]) {
        const expected = reference(group, groupCount, retainedSize, tree, self, root);
        const counted = new Uint8Array(nodeCount);
        const options = { counted, ...(self ? { selfSize: self } : {}) };
        const what = `${nodeCount} nodes, chain ${chain}, root ${root}, ${self ? 'self sizes' : 'all members'}`;
        assert.deepEqual(groupRetainedSizes(group, groupCount, retainedSize, preorder, options), expected.retained, what);
        assert.deepEqual(counted, expected.counted, what);
        // Children lists are turned into the preorder on the way.
        assert.deepEqual(groupRetainedSizes(group, groupCount, retainedSize, tree, { root, ...(self ? { selfSize: self } : {}) }), expected.retained, what);
      }
    }
    if (chain === 0.99995) assert.ok(treePreorder(tree).bigEnds.length > nodeCount / 2, 'the long chain has big subtrees');
  }
});

test('treePreorder: entries in preorder with their subtree sizes; big ones listed apart', () => {
  //      0
  //    1   2
  //   3 4
  const tree = buildDominatedNodes(Uint32Array.from([0, 0, 0, 1, 1]), 0);
  const p = treePreorder(tree);
  assert.equal(p.ordinalBits, 3);
  const mask = (1 << p.ordinalBits) - 1;
  const ordinals = Array.from(p.entries, (e) => e & mask);
  const sizes = Array.from(p.entries, (e) => e >>> p.ordinalBits);
  assert.deepEqual(ordinals, [0, 1, 3, 4, 2]); // children popped in list order reversed: lists are descending
  assert.deepEqual(sizes, [5, 3, 1, 1, 1]);
  assert.ok(bigSubtree(p) > 5);
  assert.equal(p.bigEnds.length, 0);
});

test("PreorderWalker: every node reached from the root has its children lists' children, ascending, and its subtree's size", () => {
  const next = random(4242);
  for (const [nodeCount, chain] of [
    [1, 0],
    [5, 0],
    [2000, 0],
    [50_000, 0.5],
    [300_000, 0.99995], // most subtrees big (their ends listed apart)
  ] as const) {
    const tree = randomTree(nodeCount, chain, next);
    const preorder = treePreorder(tree);
    const walker = new PreorderWalker(preorder);
    // Subtree sizes by the children lists, leaves first (a parent's ordinal is below its children's).
    const size = new Uint32Array(nodeCount).fill(1);
    for (let k = nodeCount - 1; k >= 0; k--) for (let i = tree.firstDominated[k]; i < tree.firstDominated[k + 1]; i++) size[k] += size[tree.dominated[i]];
    let visited = 0;
    const stack = [0];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const k = walker.ordinal(p);
      visited++;
      const expected = Array.from(tree.dominated.subarray(tree.firstDominated[k], tree.firstDominated[k + 1])).sort((x, y) => x - y);
      const { positions, ordinals } = walker.children(p);
      assert.deepEqual(Array.from(ordinals), expected, `children of ${k} (${nodeCount} nodes, chain ${chain})`);
      assert.equal(walker.end(p) - p, size[k], `subtree of ${k}`);
      positions.forEach((c, i) => assert.equal(walker.ordinal(c), ordinals[i]));
      stack.push(...positions);
    }
    assert.equal(visited, nodeCount);
    if (chain === 0.99995) assert.ok(preorder.bigEnds.length > nodeCount / 2, 'the long chain has big subtrees');
  }
});

test('SetGroups: a set in any order, with repeats, is one group; groups in first-seen order; big ranges too', () => {
  const next = random(777);
  const texts = Array.from({ length: 300 }, (_, i) => `m${i % 290}`); // some texts twice: one kind
  const groups = new SetGroups(texts);
  const byKind = new Map<string, number>();
  for (let round = 0; round < 20_000; round++) {
    const n = next() < 0.05 ? Math.floor(next() * 3000) : Math.floor(next() * 6);
    const spread = next() < 0.5 ? 4 : texts.length;
    const ids = Int32Array.from({ length: n + 2 }, () => Math.floor(next() * spread));
    const kind = setKind(Array.from(ids.subarray(1, n + 1), (m) => texts[m]));
    const g = groups.idOf(ids, 1, n);
    if (!byKind.has(kind)) byKind.set(kind, byKind.size);
    assert.equal(g, byKind.get(kind), kind);
    assert.equal(groups.kinds[g], kind);
  }
  assert.equal(groups.size, byKind.size);
});
