// End to end against DevTools' engine: the real CLI parses and ingests a snapshot, and every node of
// the resulting SQLite store (class name, self and retained size, distance, dominator, detachedness),
// every `classes` row and the `statistics` table must equal heap-snapshot-toolkit's numbers.
// (test/graph-oracle.test.ts checks the analysis alone; this checks parser + analysis + store.)
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GraphAnalysis } from '../src/graph/analyze.js';
import type { HeapGraph } from '../src/parse/heap-graph.js';
import { FIXTURES, HAS_SHARED, SAMPLES, SHARED_FIXTURES, ingestOnce, readSnapshotBytes, runCli, tempDir } from './helpers/env.js';
import { analysisFromStore, compareWithOracle, loadOracle } from './helpers/oracle.js';

/** Reads the analysis columns back out of a store, in the shape compareWithOracle expects. */
function analysisOfStore(dbPath: string): { graph: HeapGraph; a: GraphAnalysis } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return analysisFromStore(db);
  } finally {
    db.close();
  }
}

/** The older 6-field layout, derived from a 7-field Node snapshot by dropping trace_node_id. */
function sixFieldVariant(text: string): string {
  const j = JSON.parse(text) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
  const fields = j.snapshot.meta.node_fields;
  const drop = fields.indexOf('trace_node_id');
  const F = fields.length;
  j.nodes = j.nodes.filter((_, i) => i % F !== drop);
  fields.splice(drop, 1);
  // to_node and location object_index are node indexes: rescale from F to F - 1 fields.
  const jj = j as unknown as { edges: number[]; locations: number[]; snapshot: { meta: { edge_fields: string[]; location_fields: string[] } } };
  const to = jj.snapshot.meta.edge_fields.indexOf('to_node');
  jj.edges = jj.edges.map((v, i) => (i % 3 === to ? (v / F) * (F - 1) : v));
  const LF = jj.snapshot.meta.location_fields.length;
  jj.locations = jj.locations.map((v, i) => (i % LF === 0 ? (v / F) * (F - 1) : v));
  return JSON.stringify(j);
}

const dir = tempDir();
const cases: { name: string; path: string; skip?: boolean }[] = [
  { name: 'chrome-small-0', path: join(FIXTURES, 'chrome-small-0.heapsnapshot.gz') },
  { name: 'chrome-small-1', path: join(FIXTURES, 'chrome-small-1.heapsnapshot.gz') },
  { name: 'chrome-small-2', path: join(FIXTURES, 'chrome-small-2.heapsnapshot.gz') },
  { name: 'node-leak-after (sample)', path: join(SAMPLES, 'node-leak-after.heapsnapshot.gz') },
  { name: 'node-alloc (sample, allocation traces)', path: join(SAMPLES, 'node-alloc.heapsnapshot.gz') },
  { name: 'chrome-todo-1 (large set)', path: join(SHARED_FIXTURES, 'chrome-todo-1.heapsnapshot.gz'), skip: !HAS_SHARED },
];

for (const c of cases) {
  test(`store equals DevTools on every node: ${c.name}`, { skip: c.skip && 'needs ../shared/fixtures', timeout: 300_000 }, async () => {
    const { graph, a } = analysisOfStore(ingestOnce(c.path));
    const report = compareWithOracle(graph, a, await loadOracle(readSnapshotBytes(c.path).toString('utf8')));
    assert.equal(report, '', report);
  });
}

test('store equals DevTools on every node: the older 6-field layout, through the streaming parser', async () => {
  const text = sixFieldVariant(readSnapshotBytes(join(SAMPLES, 'node-leak-before.heapsnapshot.gz')).toString('utf8'));
  const path = join(dir, 'six-fields.heapsnapshot');
  writeFileSync(path, text);
  const dbPath = join(dir, 'six.db');
  const r = runCli(['ingest', path, '--db', dbPath, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const { graph, a } = analysisOfStore(dbPath);
  const report = compareWithOracle(graph, a, await loadOracle(text));
  assert.equal(report, '', report);
  const db = new Database(dbPath, { readonly: true });
  assert.equal((db.prepare("SELECT value FROM meta WHERE key = 'node_fields'").get() as { value: string }).value.includes('trace_node_id'), false);
  db.close();
});

test('.heaptimeline input ingests like a .heapsnapshot', () => {
  const path = join(dir, 'alloc.heaptimeline');
  writeFileSync(path, readSnapshotBytes(join(SAMPLES, 'node-alloc.heapsnapshot.gz')));
  const r = runCli(['ingest', path, '--db', join(dir, 'timeline.db'), '-q']);
  assert.equal(r.status, 0, r.stderr);
});
