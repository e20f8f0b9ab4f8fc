// The ingest summaries (src/store/summaries.ts) as pure functions over the parsed graph and its
// analysis, against DevTools' engine (heap-snapshot-toolkit) — no SQLite involved: the duplicated-strings
// totals equal DevTools' filter, each class's top instances are DevTools' instance order over the
// engine's own retained sizes and ids, and the dominator tree's top lists the engine's dominator
// children, biggest first.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeGraph } from '../src/graph/analyze.js';
import {
  CLASS_TOP,
  classTop,
  DOMINATOR_CHILDREN,
  dominatorTop,
  duplicateStrings,
  partitionSummary,
  scriptNamesOf,
  type DominatorTopNode,
  type DuplicateStringRow,
} from '../src/store/summaries.js';
import { FIXTURES, SAMPLES } from './helpers/env.js';
import { graphFromJson, loadFixture } from './helpers/json-graph.js';
import { SnapshotBuilder } from './helpers/snapshot-builder.js';
import { loadOracle, type OracleSnapshot } from './helpers/oracle.js';

type Engine = OracleSnapshot & {
  createNamedFilter(name: string): unknown;
  getAggregatesByClassKey(sorted: boolean, key: string, filter?: unknown): Record<string, { count: number; self: number }>;
};

for (const file of [join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), join(SAMPLES, 'node-leak-after.heapsnapshot.gz')]) {
  const name = file.split('/').pop()!;
  test(`summaries of ${name} agree with DevTools' engine`, async () => {
    const { text, graph } = await loadFixture(file);
    const a = analyzeGraph(graph);
    const engine = (await loadOracle(text)) as Engine;
    const F = graph.fileLayout.nodeFieldCount; // DevTools' node index
    const node = (k: number) => engine.createNode(k * F);

    // Duplicated strings: DevTools' named filter, Summary set (self size > 0).
    const agg = engine.getAggregatesByClassKey(false, 'duplicatedStrings', engine.createNamedFilter('duplicatedStrings'));
    const dups: DuplicateStringRow[] = [];
    duplicateStrings(graph, a, (r) => dups.push(r));
    assert.ok(dups.length > 0, 'the snapshot has duplicated strings');
    assert.equal(
      dups.reduce((s, r) => s + r.count, 0),
      Object.values(agg).reduce((s, x) => s + x.count, 0),
      'duplicated strings: objects',
    );
    assert.equal(
      dups.reduce((s, r) => s + r.size, 0),
      Object.values(agg).reduce((s, x) => s + x.self, 0),
      'duplicated strings: bytes',
    );
    for (const r of dups) assert.equal(r.wasted, r.size - r.maxSize);

    // Class top: every Summary member of the class, in DevTools' instance order by the engine's numbers.
    const members = new Map<number, number[]>();
    for (let k = 0; k < graph.nodeCount; k++)
      if (a.selfSize[k] > 0) (members.get(a.classIndex[k]) ?? members.set(a.classIndex[k], []).get(a.classIndex[k])!).push(k);
    const top: { classId: number; ordinals: number[] }[] = [];
    classTop(graph, a, (classId, ordinals) => top.push({ classId, ordinals }));
    assert.equal(top.length, members.size, 'one entry per Summary class');
    for (const { classId, ordinals } of top) {
      const expected = members
        .get(classId)!
        .map((k) => ({ k, retained: node(k).retainedSize(), id: node(k).id() }))
        .sort((x, y) => y.retained - x.retained || x.id - y.id)
        .slice(0, CLASS_TOP)
        .map((x) => x.retained);
      assert.deepEqual(
        ordinals.map((k) => node(k).retainedSize()),
        expected,
        `class ${a.classKeys[classId]}`,
      );
    }

    // Dominator top: each listed node's children are the engine's dominator children, biggest first.
    const childrenOf = new Map<number, number[]>();
    for (let k = 1; k < graph.nodeCount; k++) {
      const d = engine.dominatorsTree[k];
      (childrenOf.get(d) ?? childrenOf.set(d, []).get(d)!).push(k);
    }
    const tree: DominatorTopNode[] = [];
    dominatorTop(graph, a, (n) => tree.push(n));
    assert.equal(tree[0].ordinal, 0, 'the root first');
    for (const n of tree) {
      const kids = childrenOf.get(n.ordinal) ?? [];
      assert.equal(n.childCount, kids.length, `children of ${n.ordinal}`);
      const expected = kids
        .map((k) => ({ retained: node(k).retainedSize(), id: node(k).id() }))
        .sort((x, y) => y.retained - x.retained || x.id - y.id)
        .slice(0, DOMINATOR_CHILDREN);
      assert.deepEqual(
        n.children.map((k) => ({ retained: node(k).retainedSize(), id: node(k).id() })),
        expected,
        `top children of ${n.ordinal}`,
      );
    }

    // Partition rows: every classifier's rows cover the Summary set exactly.
    const summary = { count: 0, size: 0 };
    for (let k = 0; k < graph.nodeCount; k++) {
      const s = node(k).selfSize();
      if (s > 0) {
        summary.count++;
        summary.size += s;
      }
    }
    const rows = partitionSummary(graph, a, scriptNamesOf(graph));
    for (const c of new Set(rows.map((r) => r.classifier))) {
      const mine = rows.filter((r) => r.classifier === c);
      assert.equal(
        mine.reduce((s, r) => s + r.count, 0),
        summary.count,
        `${c}: objects`,
      );
      assert.equal(
        mine.reduce((s, r) => s + r.size, 0),
        summary.size,
        `${c}: bytes`,
      );
    }
  });
}

// The duplicated strings' shortcut (only texts whose length and hash another string shares are built):
// equal texts split differently ("ab" + "c" and "a" + "bc"), a concatenated string equal to a flat string,
// a unique one, a flattened one (an empty part) and many unique ones around them — against DevTools' filter.
test("duplicated strings of concatenated strings agree with DevTools' engine", async () => {
  const b = new SnapshotBuilder();
  const root = b.node('synthetic', '', 0);
  const holder = b.node('object', 'Holder', 20);
  b.edge(root, 'element', 1, holder);
  const flat = (text: string, size = 16) => b.node('string', text, size);
  const cons = (first: number, second: number, size = 32) => {
    const c = b.node('concatenated string', '', size);
    b.edge(c, 'internal', 'first', first);
    b.edge(c, 'internal', 'second', second);
    return c;
  };
  const kept: number[] = [];
  kept.push(cons(flat('ab'), flat('c')), cons(flat('a'), flat('bc'))); // "abc" twice, split differently
  kept.push(cons(flat('hello '), flat('world')), flat('hello world', 24)); // equals a flat string
  kept.push(cons(flat('only'), flat(' once'))); // unique
  kept.push(cons(flat('flat'), flat('', 0))); // flattened: skipped
  kept.push(cons(cons(flat('x'), flat('y')), flat('z')), cons(flat('x'), cons(flat('y'), flat('z')))); // nested "xyz" twice
  for (let i = 0; i < 300; i++) kept.push(cons(flat(`u${i}`), flat(`-${i}`)));
  // two different 8-character texts with the same 32-bit hash (found by search): the shortcut must not
  // take one for the other
  const [x, y] = fnvCollision();
  for (const t of [x, y, x, y]) kept.push(cons(flat(t.slice(0, 4)), flat(t.slice(4))));
  kept.forEach((k, i) => b.edge(holder, 'element', i, k));
  const text = b.toJson();
  const graph = graphFromJson(text);
  const a = analyzeGraph(graph);
  const engine = (await loadOracle(text)) as Engine;
  const agg = engine.getAggregatesByClassKey(false, 'duplicatedStrings', engine.createNamedFilter('duplicatedStrings'));
  const dups: DuplicateStringRow[] = [];
  duplicateStrings(graph, a, (r) => dups.push(r));
  // x, y, z and the colliding texts' halves: flat strings named twice
  const expected = ['abc', 'hello world', 'x', 'xyz', 'y', 'z', x, y, ...[x, y].flatMap((t) => [t.slice(0, 4), t.slice(4)])];
  assert.deepEqual(dups.map((r) => r.value).sort(), expected.sort());
  for (const t of [x, y]) assert.equal(dups.find((r) => r.value === t)?.nodes, 2, `${t}: its two copies, not the other text's`);
  assert.equal(
    dups.reduce((s, r) => s + r.count, 0),
    Object.values(agg).reduce((s, x) => s + x.count, 0),
  );
  assert.equal(
    dups.reduce((s, r) => s + r.size, 0),
    Object.values(agg).reduce((s, x) => s + x.self, 0),
  );
});

// The class top and the dominator top pick their members by selection, not by sorting every member; ties
// are where a selection goes wrong: thousands of objects of one class and one size (so one retained size)
// whose ids do not follow their order in the file, among a few bigger ones.
test('class and dominator tops keep the right members among thousands of ties', () => {
  const b = new SnapshotBuilder();
  const root = b.node('synthetic', '', 0);
  const holder = b.node('object', 'Holder', 20);
  b.edge(root, 'element', 1, holder);
  const n = 3 * CLASS_TOP;
  let state = 7;
  const ids = Array.from({ length: n }, (_, i) => 1001 + 2 * i);
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  for (let i = 0; i < n; i++) b.edge(holder, 'element', i, b.node('object', 'Item', i % 500 === 0 ? 64 : 32, { id: 100_000 + ids[i] }));
  const graph = graphFromJson(b.toJson());
  const a = analyzeGraph(graph);
  const F = graph.layout.nodeFieldCount;
  const id = (k: number) => graph.nodes[k * F + graph.layout.nodeIdOffset];
  const order = (x: number, y: number) => a.retainedSize[y] - a.retainedSize[x] || id(x) - id(y);
  const items: number[] = [];
  for (let k = 0; k < graph.nodeCount; k++) if (a.classNames[a.classIndex[k]] === 'Item') items.push(k);
  const tops = new Map<number, number[]>();
  classTop(graph, a, (classId, ordinals) => tops.set(classId, ordinals));
  assert.deepEqual(tops.get(a.classIndex[items[0]]), [...items].sort(order).slice(0, CLASS_TOP));
  const tree: DominatorTopNode[] = [];
  dominatorTop(graph, a, (t) => tree.push(t));
  const ofHolder = tree.find((t) => t.ordinal === holder);
  assert.ok(ofHolder, 'the holder is in the dominator top');
  assert.equal(ofHolder.childCount, n);
  assert.deepEqual(ofHolder.children, [...items].sort(order).slice(0, DOMINATOR_CHILDREN));
});

/** Two distinct 8-character texts whose FNV-1a hashes (over UTF-16 units, as summaries.ts hashes) are equal. */
function fnvCollision(): [string, string] {
  const seen = new Map<number, string>();
  let state = 12345;
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    let t = '';
    for (let i = 0; i < 8; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      t += letters[(state >>> 16) % letters.length];
    }
    let h = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    const other = seen.get(h);
    if (other !== undefined && other !== t) return [other, t];
    seen.set(h, t);
  }
}
