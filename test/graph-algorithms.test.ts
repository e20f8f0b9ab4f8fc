// Graph algorithms on their own: the dominator function on the Lengauer–Tarjan paper's example and
// on edge cases (self edge, unreachable cycle, weak-only retained node, a 1,000,000-long chain,
// random graphs against a brute-force reference), plus retained sizes beyond 2^32.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeGraph } from '../src/graph/analyze.js';
import { buildDominatedNodes, buildEdgeSources, buildRetainers, edgeSource, type Adjacency } from '../src/graph/csr.js';
import { computeDominators } from '../src/graph/dominators.js';
import { computeRetainedSizes } from '../src/graph/retained-sizes.js';
import { graphFromJson } from './helpers/json-graph.js';
import { compareWithOracle, loadOracle } from './helpers/oracle.js';
import { SnapshotBuilder } from './helpers/snapshot-builder.js';
import { U32TupleInterner } from '../src/graph/u32-tuple-interner.js';
import { S1_JSON } from './helpers/worked-examples.js';

/** Adjacency from an edge list (edges grouped by source in list order); essential = 1 unless listed in `nonEssential`. */
function graphOf(nodeCount: number, edges: [number, number][], nonEssential: number[] = []) {
  const order = edges.map((e, i) => ({ e, i })).sort((x, y) => x.e[0] - y.e[0] || x.i - y.i);
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (const [from] of edges) firstEdge[from + 1]++;
  for (let k = 0; k < nodeCount; k++) firstEdge[k + 1] += firstEdge[k];
  const edgeTo = new Uint32Array(edges.length);
  const essential = new Uint8Array(edges.length).fill(1);
  order.forEach(({ e, i }, pos) => {
    edgeTo[pos] = e[1];
    if (nonEssential.includes(i)) essential[pos] = 0;
  });
  const adj: Adjacency = { nodeCount, firstEdge, edgeTo };
  return { adj, essential, retainers: buildRetainers(adj) };
}

function idomsOf(nodeCount: number, edges: [number, number][], nonEssential: number[] = []) {
  const g = graphOf(nodeCount, edges, nonEssential);
  return computeDominators(g.adj, g.retainers, g.essential, 0);
}

/**
 * Brute-force reference for docs/format.md#dominators: G′ = essential edges + root → x for every x ≠ root without an
 * essential incoming edge; d dominates v iff removing d disconnects v; leftovers get the root.
 */
function referenceIdoms(nodeCount: number, edges: [number, number][], essential: boolean[]): number[] {
  const succ: number[][] = Array.from({ length: nodeCount }, () => []);
  const hasEssentialIn = new Array(nodeCount).fill(false);
  edges.forEach(([f, t], i) => {
    if (!essential[i]) return;
    succ[f].push(t);
    hasEssentialIn[t] = true;
  });
  for (let x = 1; x < nodeCount; x++) if (!hasEssentialIn[x]) succ[0].push(x);
  const reach = (removed: number): boolean[] => {
    const seen = new Array(nodeCount).fill(false);
    if (removed === 0) return seen;
    const stack = [0];
    seen[0] = true;
    while (stack.length) for (const t of succ[stack.pop()!]) if (t !== removed && !seen[t]) (seen[t] = true), stack.push(t);
    return seen;
  };
  const reachable = reach(-1);
  const dominators: number[][] = Array.from({ length: nodeCount }, () => []);
  for (let d = 0; d < nodeCount; d++) {
    const r = reach(d);
    for (let v = 0; v < nodeCount; v++) if (v !== d && reachable[v] && !r[v]) dominators[v].push(d);
  }
  return Array.from({ length: nodeCount }, (_, v) => {
    if (v === 0 || !reachable[v]) return 0;
    // The strict dominators form a chain; the immediate one has the most dominators itself.
    return dominators[v].reduce((best, d) => (dominators[d].length > dominators[best].length ? d : best));
  });
}

describe('computeDominators', () => {
  test('Lengauer–Tarjan 1979, Fig. 1', () => {
    const names = 'RABCDEFGHIJKL';
    const id = (c: string) => names.indexOf(c);
    const spec = 'R:ABC A:D B:ADE C:FG D:L E:H F:I G:IJ H:EK I:K J:I K:IR L:H';
    const edges: [number, number][] = [];
    for (const part of spec.split(' ')) {
      const [from, tos] = part.split(':');
      for (const to of tos) edges.push([id(from), id(to)]);
    }
    const { idom, order, leftovers, orphanRoots } = idomsOf(names.length, edges);
    const got = Object.fromEntries([...names].map((c, k) => [c, names[idom[k]]]));
    assert.deepEqual(got, { R: 'R', A: 'R', B: 'R', C: 'R', D: 'R', E: 'R', F: 'C', G: 'C', H: 'R', I: 'R', J: 'G', K: 'R', L: 'D' });
    assert.equal(order[0], 0);
    assert.equal(leftovers.length, 0);
    assert.equal(orphanRoots.length, 0);
  });

  test('self edge, diamond, duplicate edges', () => {
    // 0 → 1 → 1 (self), 1 → 2, 1 → 3, 2 → 4, 3 → 4, 3 → 4
    const { idom } = idomsOf(5, [
      [0, 1],
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 4],
      [3, 4],
      [3, 4],
    ]);
    assert.deepEqual(Array.from(idom), [0, 0, 1, 1, 1]);
  });

  test('unreachable cycle: dominated by the root, reported as leftovers', () => {
    // 0 → 1; 2 ⇄ 3 held only by each other; 3 → 4.
    const { idom, leftovers, unreachableFromRoot, order } = idomsOf(5, [
      [0, 1],
      [2, 3],
      [3, 2],
      [3, 4],
    ]);
    assert.deepEqual(Array.from(idom), [0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(leftovers), [2, 3, 4]);
    assert.equal(unreachableFromRoot, 3);
    assert.deepEqual(Array.from(order), [0, 1, 2, 3, 4]);
  });

  test('weak-only retained node: a virtual root edge, and it dominates what it alone holds', () => {
    // 0 → 1 -weak→ 2 → 3; 0 → 4 → 3 would make 3 shared: here 3 is held by 2 only.
    const { idom, orphanRoots, leftovers } = idomsOf(
      4,
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      [1],
    );
    assert.deepEqual(Array.from(idom), [0, 0, 0, 2]);
    assert.deepEqual(Array.from(orphanRoots), [2]);
    assert.equal(leftovers.length, 0);
  });

  test('a node reached both from the root and from a weak-only node is dominated by the root', () => {
    // 0 → 1 → 3; 0 -weak→ 2 → 3 (2 becomes an orphan root); 3's paths meet only at the root.
    const { idom } = idomsOf(
      4,
      [
        [0, 1],
        [0, 2],
        [1, 3],
        [2, 3],
      ],
      [1],
    );
    assert.deepEqual(Array.from(idom), [0, 0, 0, 0]);
  });

  test('a 1,000,000-long chain (no recursion) and its retained sizes', () => {
    const n = 1_000_000;
    const firstEdge = new Uint32Array(n + 1);
    const edgeTo = new Uint32Array(n - 1);
    for (let k = 0; k < n; k++) firstEdge[k + 1] = Math.min(k + 1, n - 1);
    for (let e = 0; e < n - 1; e++) edgeTo[e] = e + 1;
    const adj: Adjacency = { nodeCount: n, firstEdge, edgeTo };
    const { idom, order } = computeDominators(adj, buildRetainers(adj), null, 0);
    for (let k = 1; k < n; k++) if (idom[k] !== k - 1) assert.fail(`idom[${k}] = ${idom[k]}`);
    const retained = computeRetainedSizes(new Uint32Array(n).fill(2), idom, order);
    assert.equal(retained[0], 2 * n);
    assert.equal(retained[n - 1], 2);
    const { firstDominated, dominated } = buildDominatedNodes(idom, 0);
    assert.equal(dominated.length, n - 1);
    assert.deepEqual([firstDominated[0], firstDominated[1], dominated[0]], [0, 1, 1]);
  });

  test('random graphs agree with the brute-force reference', () => {
    let seed = 12345;
    const rand = (m: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % m;
    };
    for (let round = 0; round < 400; round++) {
      const n = 1 + rand(24);
      const m = rand(3 * n + 1);
      const edges: [number, number][] = [];
      for (let i = 0; i < m; i++) edges.push([rand(n), rand(n)]);
      const nonEssential: number[] = [];
      for (let i = 0; i < m; i++) if (rand(5) === 0) nonEssential.push(i);
      const essential = edges.map((_, i) => !nonEssential.includes(i));
      const { idom } = idomsOf(n, edges, nonEssential);
      assert.deepEqual(Array.from(idom), referenceIdoms(n, edges, essential), `round ${round}: ${JSON.stringify({ n, edges, nonEssential })}`);
    }
  });
});

describe('edgeSource', () => {
  // Each edge's source from the sparse anchors, against the plain walk, on edge-count patterns that
  // stress the search: long runs of edgeless nodes (strings, numbers), a node owning many anchors,
  // edgeless nodes first and last, edge counts around the anchor stride.
  test("finds every edge's source, whatever the runs of edgeless nodes", () => {
    let seed = 99;
    const rand = (m: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % m;
    };
    const patterns: number[][] = [
      [],
      [0],
      [5],
      [0, 0, 64, 0, 0],
      [63, 1, 64, 65, 0, 127, 128],
      [1000, ...new Array(5000).fill(0), 3, ...new Array(300).fill(0)],
    ];
    for (let round = 0; round < 60; round++) {
      const counts: number[] = [];
      const n = 1 + rand(3000);
      for (let k = 0; k < n; k++) {
        const r = rand(10);
        if (r < 4) counts.push(0);
        else if (r < 5) for (let j = rand(2000); j > 0; j--) counts.push(0);
        else if (r < 6) counts.push(rand(400));
        else counts.push(1 + rand(8));
      }
      patterns.push(counts);
    }
    for (const [p, counts] of patterns.entries()) {
      const nodeCount = counts.length;
      const firstEdge = new Uint32Array(nodeCount + 1);
      counts.forEach((c, k) => (firstEdge[k + 1] = firstEdge[k] + c));
      const edgeCount = firstEdge[nodeCount];
      const sources = buildEdgeSources({ nodeCount, firstEdge, edgeTo: new Uint32Array(edgeCount) });
      assert.equal(sources.anchors.length, Math.ceil(edgeCount / 16)); // a quarter byte per edge
      for (let k = 0, e = 0; k < nodeCount; k++) {
        for (; e < firstEdge[k + 1]; e++) {
          const got = edgeSource(firstEdge, sources, e);
          if (got !== k) assert.fail(`pattern ${p}: edge ${e} is node ${k}'s, edgeSource says ${got}`);
        }
      }
    }
  });
});

describe('sizes beyond 32 bits', () => {
  const GiB = 2 ** 30;

  test('retained sizes of six chained 1 GiB objects (DevTools heapSnapshotLargeRetainedSize)', async () => {
    const b = new SnapshotBuilder();
    const root = b.node('synthetic', '', 0);
    let prev = b.node('object', 'Window', GiB);
    b.edge(root, 'shortcut', '1', prev);
    for (let i = 1; i < 6; i++) {
      const next = b.node('object', 'Big', GiB);
      b.edge(prev, 'property', 'next', next);
      prev = next;
    }
    const text = b.toJson();
    const graph = graphFromJson(text);
    const a = analyzeGraph(graph);
    assert.deepEqual(
      Array.from(a.retainedSize),
      [6, 6, 5, 4, 3, 2, 1].map((x) => x * GiB),
    );
    assert.equal(a.totalSize, 6 * GiB);
    assert.equal(compareWithOracle(graph, a, await loadOracle(text)), '');
  });

  test('a transferred self size wraps at 2^32 exactly as in DevTools (u32 storage)', async () => {
    const b = new SnapshotBuilder();
    const root = b.node('synthetic', '', 0);
    const owner = b.node('object', 'Window', 3 * GiB);
    const elements = b.node('array', '(object elements)', 2 * GiB);
    b.edge(root, 'shortcut', '1', owner).edge(owner, 'internal', 'elements', elements);
    const text = b.toJson();
    const graph = graphFromJson(text);
    const a = analyzeGraph(graph);
    assert.equal(a.selfSize[owner], 5 * GiB - 2 ** 32);
    assert.equal(a.selfSize[elements], 0);
    assert.equal(compareWithOracle(graph, a, await loadOracle(text)), '');
  });
});

describe('U32TupleInterner', () => {
  test('dense ids in first-seen order, equal tuples share an id, across growth and rehashing', () => {
    const interner = new U32TupleInterner();
    const reference = new Map<string, number>();
    let seed = 7;
    const rand = (m: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % m;
    };
    const buf = new Uint32Array(300);
    for (let i = 0; i < 50000; i++) {
      const length = rand(4) === 0 ? rand(300) : rand(5);
      for (let j = 0; j < length; j++) buf[j] = rand(3) === 0 ? 0xffffffff - rand(3) : rand(40);
      const key = `${Array.from(buf.subarray(0, length)).join(',')}/${length}`;
      const id = interner.intern(buf, length);
      const expected = reference.get(key);
      if (expected === undefined) {
        assert.equal(id, reference.size);
        assert.equal(interner.isNew(), true);
        reference.set(key, id);
      } else {
        assert.equal(id, expected);
        assert.equal(interner.isNew(), false);
      }
      assert.deepEqual(Array.from(interner.values(id)), Array.from(buf.subarray(0, length)));
    }
    assert.equal(interner.size, reference.size);
  });
});

test('analyzeGraph leaves the graph untouched', () => {
  const graph = graphFromJson(S1_JSON);
  const before = [
    graph.nodes.slice(),
    graph.edgeTypes.slice(),
    graph.edgeNames.slice(),
    graph.firstEdge.slice(),
    graph.edgeTo.slice(),
    graph.strings.toArray(),
  ];
  analyzeGraph(graph);
  assert.deepEqual([graph.nodes, graph.edgeTypes, graph.edgeNames, graph.firstEdge, graph.edgeTo, graph.strings.toArray()], before);
});
