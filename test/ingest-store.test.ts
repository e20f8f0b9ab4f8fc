// Ingest end to end: the real CLI writes a real SQLite file; its contents are checked against an
// independent JSON.parse of the same snapshot.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync, utimesSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { BIN, FIXTURES, SAMPLES, ingestOnce, readSnapshotBytes, runCli, tempDir } from './helpers/env.js';

interface Json {
  snapshot: {
    node_count: number;
    edge_count: number;
    meta: { node_fields: string[]; node_types: string[][]; edge_types: string[][] };
    extra_native_bytes?: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations: number[];
}

const cases = [join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), join(SAMPLES, 'node-alloc.heapsnapshot.gz')];

for (const file of cases) {
  const name = file.split('/').pop()!;
  test(`ingest ${name}: tables hold what the file holds`, () => {
    const dir = tempDir();
    const dbPath = join(dir, 'out.db');
    const r = runCli(['ingest', file, '--db', dbPath, '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), dbPath);
    assert.equal(r.stderr, '', 'quiet and not a TTY: nothing on stderr');
    assert.deepEqual(readdirSync(dir), ['out.db'], 'no temporary files left');

    const json = JSON.parse(readSnapshotBytes(file).toString('utf8')) as Json;
    const F = json.snapshot.meta.node_fields.length;
    const fi = (n: string) => json.snapshot.meta.node_fields.indexOf(n);
    const db = new Database(dbPath, { readonly: true });
    // the big tables are written as raw pages (src/store/sqlite-pages.ts): SQLite must accept every page
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: unknown }[]).map((r) => [r.key, r.value]));
    assert.equal(meta.node_count, json.snapshot.node_count);
    assert.equal(meta.edge_count, json.snapshot.edge_count);
    assert.equal(meta.source_size, statSync(file).size);
    assert.equal(meta.extra_native_bytes, json.snapshot.extra_native_bytes ?? 0);
    let maxOdd = 0;
    for (let i = fi('id'); i < json.nodes.length; i += F) if (json.nodes[i] % 2 === 1) maxOdd = Math.max(maxOdd, json.nodes[i]);
    assert.equal(meta.max_js_object_id, maxOdd);
    for (const k of ['schema_version', 'heapdiff_version', 'ingest_seconds', 'source_path', 'source_mtime_ms']) assert.ok(meta[k] !== undefined, `meta.${k}`);

    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT count(*) AS n FROM nodes'), json.snapshot.node_count);
    assert.equal(count('SELECT count(*) AS n FROM edges'), json.snapshot.edge_count);
    assert.equal(count('SELECT count(*) AS n FROM strings'), json.strings.length);
    assert.equal(count('SELECT max(ordinal) AS n FROM nodes'), json.snapshot.node_count - 1);
    let rawSelf = 0;
    let edgeSum = 0;
    for (let i = 0; i < json.nodes.length; i += F) {
      rawSelf += json.nodes[i + fi('self_size')];
      edgeSum += json.nodes[i + fi('edge_count')];
    }
    assert.equal(count('SELECT sum(raw_self_size) AS n FROM nodes'), rawSelf);
    assert.equal(count('SELECT sum(self_size) AS n FROM nodes'), rawSelf, 'the size transfer moves bytes, never creates them');
    assert.equal(count('SELECT sum(edge_count) AS n FROM nodes'), edgeSum);

    // Spot checks: every 1000th node and edge, resolved through the public views.
    const types = json.snapshot.meta.node_types[0];
    const etypes = json.snapshot.meta.edge_types[0];
    const nodeStmt = db.prepare('SELECT id, type, name, raw_self_size, edge_count FROM nodes WHERE ordinal = ?');
    for (let k = 0; k < json.snapshot.node_count; k += 1000) {
      const row = nodeStmt.get(k) as { id: number; type: string; name: string; raw_self_size: number; edge_count: number };
      const i = k * F;
      assert.deepEqual(row, {
        id: json.nodes[i + fi('id')],
        type: types[json.nodes[i + fi('type')]],
        name: json.strings[json.nodes[i + fi('name')]],
        raw_self_size: json.nodes[i + fi('self_size')],
        edge_count: json.nodes[i + fi('edge_count')],
      });
    }
    const edgeStmt = db.prepare('SELECT from_node, to_node, type, name FROM edges WHERE edge_ordinal = ?');
    let from = 0;
    let seen = 0;
    for (let e = 0; e < json.snapshot.edge_count; e++) {
      while (seen + json.nodes[from * F + fi('edge_count')] <= e) seen += json.nodes[from++ * F + fi('edge_count')];
      if (e % 1000 !== 0) continue;
      const t = etypes[json.edges[e * 3]];
      const nameOrIndex = json.edges[e * 3 + 1];
      const expected = {
        from_node: from,
        to_node: json.edges[e * 3 + 2] / F,
        type: t,
        name: t === 'element' || t === 'hidden' ? String(nameOrIndex) : json.strings[nameOrIndex],
      };
      assert.deepEqual(edgeStmt.get(e), expected, `edge ${e}`);
    }
    // Every node and edge through the views that unpack the packed columns (src/store/packing.ts); edge
    // counts and trace node ids are not among the node fields the parser keeps (heap-graph.ts), but stored.
    const hasTrace = fi('trace_node_id') >= 0;
    let k = 0;
    for (const [type, raw, trace, edgeCount] of db
      .prepare('SELECT type, raw_self_size, trace_node_id, edge_count FROM node_rows ORDER BY ordinal')
      .raw()
      .iterate() as Iterable<number[]>) {
      const i = k++ * F;
      assert.deepEqual(
        [type, raw, trace, edgeCount],
        [json.nodes[i + fi('type')], json.nodes[i + fi('self_size')], hasTrace ? json.nodes[i + fi('trace_node_id')] : 0, json.nodes[i + fi('edge_count')]],
        `node ${k - 1}`,
      );
    }
    assert.equal(k, json.snapshot.node_count);
    let e = 0;
    for (const [type, nameOrIndex, to] of db.prepare('SELECT type, name_or_index, to_node FROM edge_rows ORDER BY edge_ordinal').raw().iterate() as Iterable<
      number[]
    >) {
      assert.deepEqual([type, nameOrIndex, to * F], [json.edges[e * 3], json.edges[e * 3 + 1], json.edges[e * 3 + 2]], `edge ${e}`);
      e++;
    }
    assert.equal(e, json.snapshot.edge_count);
    // Every edge's source, stored only in retainer_index (as source and slot): each edge once, in the
    // public view and in retainer_rows, with the source the file's edge counts give.
    const sourceOf = new Uint32Array(json.snapshot.edge_count);
    for (let n = 0, at = 0; n < json.snapshot.node_count; n++) {
      for (let c = json.nodes[n * F + fi('edge_count')]; c > 0; c--) sourceOf[at++] = n;
    }
    for (const view of ['edges', 'retainer_rows']) {
      let count = 0;
      for (const [ordinal, from, to] of db.prepare(`SELECT edge_ordinal, from_node, to_node FROM ${view} ORDER BY edge_ordinal`).raw().iterate() as Iterable<
        number[]
      >) {
        assert.deepEqual([ordinal, from, to * F], [count, sourceOf[count], json.edges[count * 3 + 2]], `${view}: edge ${count}`);
        count++;
      }
      assert.equal(count, json.snapshot.edge_count, view);
    }
    // Retainers and outgoing edges are index lookups, not scans.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM edges WHERE to_node = 5').all() as { detail: string }[];
    assert.ok(
      plan.some((p) => /SEARCH r USING PRIMARY KEY \(to_node=\?\)/.test(p.detail)),
      JSON.stringify(plan),
    );
    const outgoing = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM edges WHERE from_node = 5').all() as { detail: string }[];
    assert.ok(!outgoing.some((p) => /^SCAN/.test(p.detail)), JSON.stringify(outgoing));
    assert.ok(
      outgoing.some((p) => /SEARCH r USING PRIMARY KEY \(to_node=\? AND from_node=\? AND slot=\?\)/.test(p.detail)),
      JSON.stringify(outgoing),
    );
    const byId = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM nodes WHERE id = 5').all() as { detail: string }[];
    assert.ok(
      byId.some((p) => /node_by_id/.test(p.detail)),
      JSON.stringify(byId),
    );
    // The locations table keeps the file's own fields.
    assert.equal(
      count('SELECT count(*) AS n FROM locations'),
      json.locations.length / (json.snapshot.meta as unknown as { location_fields: string[] }).location_fields.length,
    );
    db.close();
  });
}

test('allocation traces are stored when present', () => {
  const db = new Database(ingestOnce(join(SAMPLES, 'node-alloc.heapsnapshot.gz')), { readonly: true });
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  assert.ok(n('SELECT count(*) AS n FROM trace_function_infos') > 100);
  assert.ok(n('SELECT count(*) AS n FROM trace_tree') > 100);
  assert.equal(n('SELECT count(*) AS n FROM trace_tree WHERE parent_id = 0'), 1, 'one root');
  assert.equal(
    n('SELECT count(*) AS n FROM trace_tree t WHERE parent_id <> 0 AND NOT EXISTS (SELECT 1 FROM trace_tree p WHERE p.id = t.parent_id)'),
    0,
    'every parent exists',
  );
  assert.ok(n('SELECT count(*) AS n FROM samples') > 0);
  assert.ok(n('SELECT count(*) AS n FROM nodes WHERE trace_node_id > 0') > 1000);
  db.close();
});

test('the cache: a snapshot is ingested once and reused while unchanged', () => {
  const cache = tempDir();
  const dir = tempDir();
  const snap = join(dir, 'a.heapsnapshot.gz');
  copyFileSync(join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'), snap);
  const sql = ['sql', snap, 'SELECT count(*) AS n FROM nodes', '--format', 'csv'];
  const first = runCli(sql, { cacheDir: cache });
  assert.equal(first.status, 0, first.stderr);
  const files = readdirSync(cache).filter((f) => f.endsWith('.db'));
  assert.equal(files.length, 1);
  const mtime = statSync(join(cache, files[0])).mtimeMs;
  assert.equal(runCli(sql, { cacheDir: cache }).status, 0);
  assert.equal(statSync(join(cache, files[0])).mtimeMs, mtime, 'reused, not rewritten');
  // A changed source gets a new entry, which supersedes the old one (removed).
  utimesSync(snap, new Date(), new Date(Date.now() + 5000));
  assert.equal(runCli(sql, { cacheDir: cache }).status, 0);
  const now = readdirSync(cache).filter((f) => f.endsWith('.db'));
  assert.equal(now.length, 1);
  assert.notEqual(now[0], files[0]);
});

test('two concurrent ingests of one snapshot both succeed and leave one good file', async () => {
  const dir = tempDir();
  const dbPath = join(dir, 'same.db');
  const file = join(FIXTURES, 'chrome-small-0.heapsnapshot.gz');
  const run = () =>
    new Promise<number>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'ingest', file, '--db', dbPath, '--force', '-q'], { stdio: 'ignore' });
      p.on('exit', (code) => resolve(code ?? -1));
    });
  const codes = await Promise.all([run(), run()]);
  assert.deepEqual(codes, [0, 0]);
  assert.deepEqual(readdirSync(dir), ['same.db']);
  const db = new Database(dbPath, { readonly: true });
  assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  assert.equal((db.prepare("SELECT value FROM meta WHERE key = 'node_count'").get() as { value: number }).value, 48469);
  db.close();
});

test('an ingest killed with SIGKILL leaves no file that passes for a finished one', async () => {
  const dir = tempDir();
  const dbPath = join(dir, 'killed.db');
  const file = join(FIXTURES, 'chrome-small-1.heapsnapshot.gz');
  const p = spawn(process.execPath, [BIN, 'ingest', file, '--db', dbPath, '-q'], { stdio: 'ignore' });
  // Kill as soon as the temporary file exists, i.e. in the middle of writing.
  const deadline = Date.now() + 30_000;
  while (!readdirSync(dir).some((f) => f.includes('.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  p.kill('SIGKILL');
  await new Promise((r) => p.on('exit', r));
  assert.equal(existsSync(dbPath), false, 'the final name appears only on completion');
  // A later run is not fooled by leftovers and succeeds.
  const r = runCli(['ingest', file, '--db', dbPath, '-q']);
  assert.equal(r.status, 0, r.stderr);
});
