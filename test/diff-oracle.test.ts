// `heapdiff A B` rows against DevTools' own Comparison code (heap-snapshot-toolkit), on the fixture
// sequences, the samples, the s2 example (docs/format.md#example-s2) and a Node pair whose interface definitions
// change between the snapshots. Every store is ingested once per run (real CLI) and diffed as `.db` files
// by the CLI's main in-process.
import assert from 'node:assert/strict';
import { createReadStream, writeFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { diff, parse } from 'heap-snapshot-toolkit';
import { FIXTURES, HAS_SHARED, SAMPLES, SHARED_FIXTURES, gunzipTo, ingestOnce, makeNodeSnapshot, runInProcess, tempDir } from './helpers/env.js';
import { S1_JSON } from './helpers/worked-examples.js';

const dir = tempDir('heapdiff-diff-oracle-');
after(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  kind: string;
  class_key: string;
  new: number;
  deleted: number;
  delta: number;
  alloc_size: number;
  freed_size: number;
  size_delta: number;
}
interface OracleRow {
  name: string;
  addedCount: number;
  removedCount: number;
  addedSize: number;
  removedSize: number;
  countDelta: number;
  sizeDelta: number;
}
type Oracle = Record<string, OracleRow>;

const ingest = ingestOnce;

async function heapdiffRows(a: string, b: string): Promise<Row[]> {
  const r = await runInProcess([a, b, '--format', 'json', '--all', '--suspects', '0']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { version: number; same_process: boolean; rows: Row[] };
  assert.equal(out.version, 1);
  assert.equal(out.same_process, true, 'one process: ids comparable');
  return out.rows;
}

interface WorkerSnapshot {
  uid: number;
  interfaceDefinitions(): Promise<string> | string;
  aggregatesForDiff(definitions: string): unknown;
  calculateSnapshotDiff(baseUid: number | string, aggregates: unknown): Promise<unknown> | unknown;
}
const load = async (plain: string) => (await parse(createReadStream(plain, 'utf-8'))) as unknown as WorkerSnapshot;

/**
 * Both oracles from one parse of each snapshot:
 *   devtools: DevTools' Comparison (HeapSnapshotDiffDataGrid.populateChildren) — the NEWER snapshot's
 *             interface definitions applied to the base;
 *   toolkit:  heap-snapshot-toolkit's `diff(a, b)`, which asks the START snapshot for the definitions
 *             (its getAggregatesForDiff) — the same call sequence, run here under another cache key
 *             because calculateSnapshotDiff caches its result per base uid.
 */
async function oracles(plainA: string, plainB: string): Promise<{ devtools: Oracle; toolkit: Oracle }> {
  const a = await load(plainA);
  const b = await load(plainB);
  const devtools = (await b.calculateSnapshotDiff(a.uid, await a.aggregatesForDiff(await b.interfaceDefinitions()))) as Oracle;
  const toolkit = (await b.calculateSnapshotDiff(`${a.uid}-toolkit`, await a.aggregatesForDiff(await a.interfaceDefinitions()))) as Oracle;
  return { devtools, toolkit };
}

/** Keys on which the two oracles disagree (only plain-object classes can: the definitions differ). */
function disagreements(o: { devtools: Oracle; toolkit: Oracle }): string[] {
  const keys = new Set([...Object.keys(o.devtools), ...Object.keys(o.toolkit)]);
  return [...keys].filter((k) => JSON.stringify(o.devtools[k] ?? null) !== JSON.stringify(o.toolkit[k] ?? null)).sort();
}

function assertSameRows(rows: Row[], oracle: Oracle, what: string): void {
  const expected = Object.entries(oracle)
    .map(([key, d]) => ({
      class_key: key,
      new: d.addedCount,
      deleted: d.removedCount,
      delta: d.countDelta,
      alloc_size: d.addedSize,
      freed_size: d.removedSize,
      size_delta: d.sizeDelta,
    }))
    .sort((x, y) => (x.class_key < y.class_key ? -1 : 1));
  const got = rows
    .map((r) => ({
      class_key: r.class_key,
      new: r.new,
      deleted: r.deleted,
      delta: r.delta,
      alloc_size: r.alloc_size,
      freed_size: r.freed_size,
      size_delta: r.size_delta,
    }))
    .sort((x, y) => (x.class_key < y.class_key ? -1 : 1));
  assert.ok(expected.length > 0, `${what}: the oracle found differences`);
  assert.deepEqual(got, expected, what);
}

const pairs: [string, string, boolean][] = [
  [join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'), join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), false],
  [join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), join(FIXTURES, 'chrome-small-2.heapsnapshot.gz'), false],
  [join(SAMPLES, 'node-leak-before.heapsnapshot.gz'), join(SAMPLES, 'node-leak-after.heapsnapshot.gz'), false],
  // after → final: `{host, connection}` (the freed requests' headers) is an interface of `after` only, so
  // DevTools files after's headers under `Object`; the toolkit keeps after's own `{host, connection}`.
  [join(SAMPLES, 'node-leak-after.heapsnapshot.gz'), join(SAMPLES, 'node-leak-final.heapsnapshot.gz'), true],
];

/**
 * heapdiff's rows equal DevTools' Comparison exactly, and heap-snapshot-toolkit's diff(a, b) wherever
 * the toolkit agrees with DevTools; where it does not, only plain-object classes differ.
 */
async function checkPair(fa: string, fb: string, expectToolkitDeviation = false): Promise<void> {
  const rows = await heapdiffRows(ingest(fa), ingest(fb));
  const o = await oracles(gunzipTo(fa, dir), gunzipTo(fb, dir));
  assertSameRows(rows, o.devtools, 'DevTools Comparison');
  const differ = disagreements(o);
  if (differ.length === 0) assertSameRows(rows, o.toolkit, 'toolkit diff()');
  else for (const k of differ) assert.match(k, /(^|,)(Object|\{.*\})$/, `toolkit and DevTools disagree on a non-plain-object class ${k}`);
  assert.equal(differ.length > 0, expectToolkitDeviation, `toolkit deviation: ${differ.join(' ')}`);
}

for (const [fa, fb, deviates] of pairs) {
  test(`diff ${basename(fa)} → ${basename(fb)} equals DevTools (heap-snapshot-toolkit)`, () => checkPair(fa, fb, deviates));
}

test('diff chrome-todo-0 → chrome-todo-1 (large fixtures) equals DevTools', { skip: HAS_SHARED ? false : 'no ../shared/fixtures' }, () =>
  checkPair(join(SHARED_FIXTURES, 'chrome-todo-0.heapsnapshot.gz'), join(SHARED_FIXTURES, 'chrome-todo-1.heapsnapshot.gz')),
);

/** docs/format.md#example-s2: s1 without Foo@11 and the edges `w` and `b`, plus Foo@29 (48 bytes) held by Window.c. */
function s2Json(): string {
  const o = JSON.parse(S1_JSON) as { snapshot: { node_count: number; edge_count: number }; nodes: number[]; edges: number[]; strings: string[] };
  const F = 7;
  const nodes: number[][] = [];
  const edges: number[][][] = [];
  let e = 0;
  for (let k = 0; k < o.snapshot.node_count; k++) {
    const n = o.nodes.slice(k * F, k * F + F);
    nodes.push(n);
    const list: number[][] = [];
    for (let j = 0; j < n[4]; j++, e++) list.push(o.edges.slice(e * 3, e * 3 + 3));
    edges.push(list);
  }
  const str = (s: string) => o.strings.indexOf(s);
  const gone = 5; // Foo@11
  assert.equal(nodes[gone][2], 11);
  edges[3] = edges[3].filter((x) => x[1] !== str('w'));
  edges[4] = edges[4].filter((x) => x[1] !== str('b'));
  o.strings.push('c');
  nodes.push([3, str('Foo'), 29, 48, 0, 0, 0]);
  edges.push([]);
  const newFoo = nodes.length - 1;
  edges[3].push([2, o.strings.length - 1, newFoo * F]);
  const keep = nodes.map((_, k) => k).filter((k) => k !== gone);
  const ordinalOf = new Map(keep.map((k, i) => [k, i]));
  const outNodes: number[] = [];
  const outEdges: number[] = [];
  for (const k of keep) {
    outNodes.push(...nodes[k].slice(0, 4), edges[k].length, ...nodes[k].slice(5));
    for (const [t, name, to] of edges[k]) outEdges.push(t, name, ordinalOf.get(to / F)! * F);
  }
  return JSON.stringify({ ...o, snapshot: { ...o.snapshot, node_count: keep.length, edge_count: outEdges.length / 3 }, nodes: outNodes, edges: outEdges });
}

test('s2 example: diff(s1, s2) is the one ,Foo row of docs/format.md#example-s2, as DevTools computes it', async () => {
  const s1 = join(dir, 's1.heapsnapshot');
  const s2 = join(dir, 's2.heapsnapshot');
  writeFileSync(s1, S1_JSON);
  writeFileSync(s2, s2Json());
  const rows = await heapdiffRows(ingest(s1), ingest(s2));
  const o = await oracles(s1, s2);
  assert.deepEqual(rows, [
    {
      kind: 'Foo',
      class_key: ',Foo',
      key: null,
      new: 1,
      deleted: 1,
      delta: 0,
      alloc_size: 48,
      freed_size: 40,
      size_delta: 8,
      count_a: 2,
      count_b: 2,
      size_a: 80,
      size_b: 88,
    },
  ]);
  assert.deepEqual(Object.keys(o.devtools), [',Foo']);
  assertSameRows(rows, o.devtools, 's2 example DevTools');
  assertSameRows(rows, o.toolkit, 's2 example toolkit diff()');
});

test("plain objects are classified with the NEWER snapshot's interface definitions, as DevTools' Comparison does", async () => {
  // One {uu1, vv1, ww1} object in A (too few to be an interface there), fifty more in B (an interface).
  const script = `
    const v8 = require('v8');
    const make = (i) => ({ uu1: { i }, vv1: [i], ww1: 's' + i });
    globalThis.keep = [make(-1)];
    v8.writeHeapSnapshot(process.env.OUT.replace(/\\.heapsnapshot$/, '-a.heapsnapshot'));
    for (let i = 0; i < 50; i++) keep.push(make(i));
    v8.writeHeapSnapshot(process.env.OUT);`;
  const b = makeNodeSnapshot(dir, 'iface', script);
  const a = b.replace(/\.heapsnapshot$/, '-a.heapsnapshot');
  const rows = await heapdiffRows(ingest(a), ingest(b));
  const o = await oracles(a, b);
  assertSameRows(rows, o.devtools, 'DevTools (newer definitions on both)');
  // The survivor from A is `{uu1, vv1, ww1}` in both snapshots: nothing of that shape was deleted.
  const row = rows.find((r) => r.class_key === ',{uu1, vv1, ww1}');
  assert.ok(row, 'an interface row');
  assert.equal(row.deleted, 0);
  assert.equal(rows.find((r) => r.class_key === ',Object')?.deleted ?? 0, 0);
  // heap-snapshot-toolkit's diff() passes the OLDER snapshot's definitions (its getAggregatesForDiff
  // asks the start snapshot), so there the survivor moves from `Object` to the interface.
  assert.equal(o.toolkit[',Object']?.removedCount, 1);
  assert.equal(o.toolkit[',{uu1, vv1, ww1}'].addedCount, row.new + 1);
  // The toolkit's own diff() gives the same (older-definitions) answer as the replay above.
  const direct = (await diff((await load(a)) as never, (await load(b)) as never)) as Oracle;
  assert.deepEqual(direct[',{uu1, vv1, ww1}'], o.toolkit[',{uu1, vv1, ww1}']);
});
