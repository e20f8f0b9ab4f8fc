// Small pure helpers of the store, checked against a plain implementation on random inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { select } from '../src/store/summaries.js';
import { recordsByKey } from '../src/util/record-order.js';
import { detachednessOfKind, packEdgeLabel, packNodeKind, nodeTypeOfKind, packingFor, unpackSql } from '../src/store/packing.js';

/** Deterministic pseudo-random numbers (a test that fails must fail again). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test('select: the k-th smallest, with duplicates and every k', () => {
  const r = rng(7);
  for (let t = 0; t < 3000; t++) {
    const n = 1 + Math.floor(r() * 60);
    const spread = [2, 10, 1e6][t % 3];
    const a = Float64Array.from({ length: n }, () => Math.floor(r() * spread));
    const sorted = Float64Array.from(a).sort();
    const k = Math.floor(r() * n);
    assert.equal(select(Float64Array.from(a), k), sorted[k], `${Array.from(a)} k=${k}`);
  }
});

test('recordsByKey: ordinals in (id, ordinal) order, stable on equal ids', () => {
  const r = rng(11);
  for (const F of [6, 7]) {
    const n = 5000;
    const nodes = new Uint32Array(n * F);
    for (let k = 0; k < n; k++) nodes[k * F + 2] = k % 7 === 0 ? 12345 : Math.floor(r() * 2 ** 32);
    const got = Array.from(recordsByKey(nodes, F, 2, n));
    const want = Array.from({ length: n }, (_, k) => k).sort((x, y) => nodes[x * F + 2] - nodes[y * F + 2] || x - y);
    assert.deepEqual(got, want);
  }
});

test('packing: node kind and edge label round-trip through the SQL unpacking, for any type-list length', async () => {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(':memory:');
  const r = rng(3);
  for (const [nodeTypes, edgeTypes] of [
    [16, 7],
    [15, 7],
    [17, 9],
    [2, 2],
    [40, 33],
  ]) {
    const p = packingFor({ nodeTypes: new Array<string>(nodeTypes).fill('t'), edgeTypes: new Array<string>(edgeTypes).fill('t') });
    const u = unpackSql(p);
    const q = db.prepare(
      `WITH v(kind, label) AS (SELECT ?, ?) SELECT ${u.nodeType('kind')} AS t, ${u.detachedness('kind')} AS d, ${u.traceNodeId('kind')} AS tr, ${u.edgeType('label')} AS et, ${u.nameOrIndex('label')} AS n, ${u.essential('label')} AS ess FROM v`,
    );
    for (let i = 0; i < 300; i++) {
      const type = Math.floor(r() * nodeTypes);
      const det = Math.floor(r() * 3);
      const trace = i % 3 === 0 ? 0 : Math.floor(r() * 2 ** 32);
      const etype = Math.floor(r() * edgeTypes);
      const name = i % 5 === 0 ? 2 ** 32 - 1 : Math.floor(r() * 2 ** 32);
      const ess = i % 2;
      const row = q.get(packNodeKind(p, type, det, trace), packEdgeLabel(p, etype, name, ess));
      assert.deepEqual(row, { t: type, d: det, tr: trace, et: etype, n: name, ess });
      assert.deepEqual([nodeTypeOfKind(p, packNodeKind(p, type, det, trace)), detachednessOfKind(p, packNodeKind(p, type, det, trace))], [type, det]);
    }
  }
  db.close();
});
