// stats, inspect, dominators, strings --duplicates and sql through the CLI (in-process): numbers against
// DevTools' engine (heap-snapshot-toolkit) and the store, JSON shapes, formats, read-only SQL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parse } from 'heap-snapshot-toolkit';
import { FIXTURES, SAMPLES, gunzipTo, ingestOnce, runInProcess, runInProcessJson, tempDir } from './helpers/env.js';
import { count, size } from '../src/render/terminal.js';

const dir = tempDir('heapdiff-query-commands-');
const cache = join(dir, 'cache');
const FIX = {
  chrome1: join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'),
  leak: join(SAMPLES, 'node-leak-after.heapsnapshot.gz'),
  before: join(SAMPLES, 'node-leak-before.heapsnapshot.gz'),
};
const db = (name: keyof typeof FIX): string => ingestOnce(FIX[name]);
const cli = (args: string[]) => runInProcess(args, { cacheDir: cache });
const json = (args: string[]) => runInProcessJson(args, { cacheDir: cache });
const engines = new Map<string, any>();
async function engine(name: keyof typeof FIX): Promise<any> {
  if (!engines.has(name)) engines.set(name, await parse(createReadStream(gunzipTo(FIX[name], dir), 'utf-8')));
  return engines.get(name);
}

test("stats equals DevTools' getStatistics() and the store's counts", async () => {
  for (const name of ['chrome1', 'leak'] as const) {
    const s = await json(['stats', db(name)]);
    assert.equal(s.version, 1);
    assert.deepEqual(s.devtools, (await engine(name)).getStatistics(), name);
    const sqlite = new Database(db(name), { readonly: true });
    assert.equal(s.node_count, (sqlite.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number }).n);
    assert.equal(s.edge_count, (sqlite.prepare('SELECT count(*) AS n FROM edges').get() as { n: number }).n);
    sqlite.close();
    assert.equal(s.categories.other_js, s.categories.v8heap - s.categories.code - s.categories.strings - s.categories.js_arrays - s.categories.system);
    const text = (await cli(['stats', db(name)])).stdout;
    assert.match(text, /^Statistics \(DevTools' Memory panel\):\n +Size +% Category\n/);
    // Human sizes by default, exact bytes with --bytes; counts with separators either way.
    assert.match(text, new RegExp(`^ *${size(s.categories.total, { rawBytes: false })} 100 Total$`, 'm'));
    assert.match((await cli(['stats', db(name), '--bytes'])).stdout, new RegExp(`^ *${count(s.categories.total)} B 100 Total$`, 'm'));
    assert.match(text, new RegExp(`Nodes ${count(s.node_count)}, edges ${count(s.edge_count)}`));
  }
});

test('strings --duplicates: totals equal DevTools\' "Duplicated strings" filter', async () => {
  for (const name of ['chrome1', 'leak'] as const) {
    const snap = await engine(name);
    const agg = snap.getAggregatesByClassKey(false, 'duplicatedStrings', snap.createNamedFilter('duplicatedStrings')) as Record<
      string,
      { count: number; self: number }
    >;
    const expectCount = Object.values(agg).reduce((a, x) => a + x.count, 0);
    const expectSize = Object.values(agg).reduce((a, x) => a + x.self, 0);
    const all = await json(['strings', db(name), '--duplicates', '--min-count', '1', '--all']);
    assert.equal(all.count, expectCount, `${name} count`);
    assert.equal(all.size, expectSize, `${name} size`);
    assert.equal(all.rows.length, all.groups);
    const top = await json(['strings', db(name), '--duplicates', '--top', '5']);
    assert.equal(top.rows.length, Math.min(5, top.groups));
    for (let i = 1; i < top.rows.length; i++) assert.ok(top.rows[i - 1].wasted >= top.rows[i].wasted, 'most wasted first');
    for (const r of top.rows) {
      assert.ok(r.count >= 2);
      assert.equal(r.wasted, r.size - r.max_size);
    }
  }
  const text = (await cli(['strings', db('leak'), '--duplicates', '--top', '3'])).stdout.split('\n');
  assert.match(text[0], /^Duplicated strings: [\d,]+ groups, [\d,]+ copies, [\d.]+ [kMG]?B, [\d.]+ [kMG]?B wasted/);
  assert.equal(text[1], ' Count    Bytes   Wasted Example Value');
  assert.match(text[2], /^[ \d,]{6} [ \d.kMGB]{8} [ \d.kMGB]{8} @\d+ +".*"$/);
});

test('inspect: facts, edges (biggest retained first) and retainers (DevTools order)', async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const s = sqlite.prepare("SELECT ordinal, id, edge_count, retained_size, dominator FROM nodes WHERE class_name = 'Session' LIMIT 1").get() as {
    ordinal: number;
    id: number;
    edge_count: number;
    retained_size: number;
    dominator: number;
  };
  const dom = sqlite.prepare('SELECT id FROM nodes WHERE ordinal = ?').get(s.dominator) as { id: number };
  const listed = (sqlite.prepare("SELECT count(*) AS n FROM edges WHERE to_node = ? AND type != 'weak' AND from_node != 0").get(s.ordinal) as { n: number }).n;
  sqlite.close();
  const j = await json(['inspect', db('leak'), `@${s.id}`]);
  assert.equal(j.version, 1);
  assert.equal(j.object.id, s.id);
  assert.equal(j.object.class_name, 'Session');
  assert.equal(j.object.retained_size, s.retained_size);
  assert.equal(j.dominator.id, dom.id);
  assert.equal(j.edges.total, s.edge_count);
  assert.equal(j.retainers.total, listed);
  for (let i = 1; i < j.edges.shown.length; i++) assert.ok(j.edges.shown[i - 1].node.retained_size >= j.edges.shown[i].node.retained_size);
  assert.match(j.object.location.script, /leaky-server\.mjs$/);
  const text = (await cli(['inspect', db('leak'), `${s.id}`])).stdout;
  assert.match(text, new RegExp(`^Object @${s.id}: Session \\(object\\)`));
  assert.match(text, /^Edges \(\d+, biggest retained first\):$/m);
  assert.match(text, /^Retainers \(\d+ listed in DevTools' order/m);
  // The path wraps between hops to fit 100 columns (off a terminal); --wide keeps it on one line.
  assert.match(text, /^ +path +.* →$/m);
  assert.match(text, /^ +.*Session @\d+ \(\d+ hops\)$/m);
  for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
  assert.match((await cli(['inspect', db('leak'), `${s.id}`, '--wide'])).stdout, /^ +path +.* → Session @\d+ \(\d+ hops\)$/m);
  const r = await cli(['inspect', db('leak'), '@999999999']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no object with id @999999999/);
});

test('dominators: children are dominated by their parent, biggest first, counts exact', async () => {
  const j = await json(['dominators', db('chrome1'), '--top', '5', '--depth', '3', '--min-percent', '0']);
  assert.equal(j.version, 1);
  const sqlite = new Database(db('chrome1'), { readonly: true });
  const domOf = sqlite.prepare('SELECT dominator FROM nodes WHERE ordinal = ?');
  const kids = sqlite.prepare('SELECT count(*) AS n FROM nodes WHERE dominator = ? AND ordinal != ?');
  let checked = 0;
  const walk = (n: any, level: number) => {
    if (level < 3) assert.equal(n.child_count, (kids.get(n.ordinal, n.ordinal) as { n: number }).n, `children of @${n.id}`);
    n.children.forEach((c: any, i: number) => {
      assert.equal((domOf.get(c.ordinal) as { dominator: number }).dominator, n.ordinal);
      if (i > 0) assert.ok(n.children[i - 1].retained_size >= c.retained_size);
      checked++;
      walk(c, level + 1);
    });
    assert.ok(n.children.length <= 5);
  };
  walk(j.root, 0);
  assert.ok(checked > 10);
  // Below the precomputed top: the walk gives the same children as a scan.
  const small = sqlite
    .prepare(
      'SELECT n.id, n.ordinal FROM nodes n WHERE n.retained_size < 200 AND EXISTS (SELECT 1 FROM nodes c WHERE c.dominator = n.ordinal AND c.ordinal != n.ordinal) LIMIT 3',
    )
    .all() as { id: number; ordinal: number }[];
  assert.equal(small.length, 3, 'small dominators to walk below the precomputed top');
  for (const s of small) {
    const sub = await json(['dominators', db('chrome1'), '--from', `@${s.id}`, '--depth', '1', '--top', '50', '--min-percent', '0']);
    const expect = (
      sqlite.prepare('SELECT ordinal FROM nodes WHERE dominator = ? AND ordinal != ? ORDER BY retained_size DESC, id LIMIT 50').all(s.ordinal, s.ordinal) as {
        ordinal: number;
      }[]
    ).map((r) => r.ordinal);
    assert.deepEqual(
      sub.root.children.map((c: any) => c.ordinal),
      expect,
    );
  }
  sqlite.close();
  const text = (await cli(['dominators', db('chrome1')])).stdout.split('\n');
  assert.match(text[0], /^Dominator tree: 10 biggest children per node, 3 levels/);
  assert.match(text[1], /^ *[\d.]+ [kMG]?B 100% \(root\) @\d+$/);
  assert.match((await cli(['dominators', db('chrome1'), '--bytes'])).stdout, /^ *[\d,]+ B 100% \(root\) @\d+$/m);
});

test('sql: one snapshot, several ATTACHed as s1, s2, TEMP views, formats', async () => {
  const one = await json(['sql', db('leak'), "SELECT class_name, count, retained_size FROM classes WHERE class_name = 'Session'"]);
  assert.deepEqual(one.columns, ['class_name', 'count', 'retained_size']);
  assert.equal(one.rows[0][0], 'Session');
  const sqlite1 = new Database(db('before'), { readonly: true });
  const sqlite2 = new Database(db('leak'), { readonly: true });
  const beforeIds = new Set((sqlite1.prepare("SELECT id FROM nodes WHERE class_name = 'Session'").all() as { id: number }[]).map((r) => r.id));
  const after = (sqlite2.prepare("SELECT id FROM nodes WHERE class_name = 'Session'").all() as { id: number }[]).map((r) => r.id);
  sqlite1.close();
  sqlite2.close();
  const expectNew = after.filter((id) => !beforeIds.has(id)).length;
  const two = await json([
    'sql',
    db('before'),
    db('leak'),
    "SELECT count(*) AS new_sessions FROM s2.nodes n WHERE n.class_name = 'Session' AND n.id NOT IN (SELECT id FROM s1.nodes)",
  ]);
  assert.deepEqual(two.rows, [[expectNew]]);
  assert.ok(expectNew >= 300);
  const script = await json([
    'sql',
    db('before'),
    db('leak'),
    "CREATE TEMP VIEW grown AS SELECT b.class_name, b.count AS before, a.count AS after FROM s1.classes b JOIN s2.classes a ON a.class_key = b.class_key; SELECT * FROM grown WHERE class_name = 'Session'",
  ]);
  assert.equal(script.rows[0][0], 'Session');
  assert.ok(script.rows[0][2] > script.rows[0][1]);
  const snaps = await json(['sql', db('before'), db('leak'), 'SELECT schema_name, node_count FROM snapshots ORDER BY schema_name']);
  assert.deepEqual(
    snaps.rows.map((r: any[]) => r[0]),
    ['s1', 's2'],
  );
  const csv = (await cli(['sql', db('leak'), 'SELECT 1 AS a, \'x,"y"\' AS b', '--format', 'csv'])).stdout;
  assert.equal(csv, 'a,b\n1,"x,""y"""\n');
  const text = (await cli(['sql', db('leak'), "SELECT 12 AS n, NULL AS z, 'text' AS t"])).stdout;
  assert.equal(text, ' n z    t\n12 NULL text\n');
});

test('sql: writes are refused with a clear error and the store is unchanged', async () => {
  const path = db('leak');
  const hash = () => createHash('sha256').update(readFileSync(path)).digest('hex');
  const before = hash();
  for (const q of ['DELETE FROM meta', 'DROP TABLE node_data', 'UPDATE classes SET count = 0', 'CREATE TABLE x (a)', "INSERT INTO meta VALUES ('a', 1)"]) {
    const r = await cli(['sql', path, q]);
    assert.equal(r.status, 2, q);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    assert.match(r.stderr, /only read-only statements may run/);
  }
  for (const [q, re] of [
    ['SELEC 1', /syntax error/],
    ['SELECT * FROM no_such_table', /no such table/],
  ] as const) {
    const r = await cli(['sql', path, q]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, re);
  }
  assert.equal((await cli(['sql', path])).status, 2, 'a query is required');
  assert.equal(hash(), before, 'the database file is byte-identical');
});

test('every command: JSON is valid with "version": 1; CSV and Markdown render', async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const id = (sqlite.prepare("SELECT id FROM nodes WHERE class_name = 'Session' LIMIT 1").get() as { id: number }).id;
  sqlite.close();
  const commands = [
    ['partition', db('leak')],
    ['retainers', db('leak'), `@${id}`],
    ['stats', db('leak')],
    ['inspect', db('leak'), `@${id}`],
    ['dominators', db('leak')],
    ['strings', db('leak'), '--duplicates'],
    ['sql', db('leak'), 'SELECT ordinal, name FROM nodes LIMIT 3'],
  ];
  for (const c of commands) {
    assert.equal((await json(c)).version, 1, c[0]);
    const csv = await cli([...c, '--format', 'csv']);
    assert.equal(csv.status, 0, csv.stderr);
    assert.ok(csv.stdout.split('\n').length >= 2, c[0]);
    const md = await cli([...c, '--format', 'md']);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^\|.*\|$/m, c[0]);
    const bad = await cli([...c, '--format', 'xml']);
    assert.equal(bad.status, 2, c[0]);
  }
});

test('a snapshot path is ingested through the cache on first use and reused', async () => {
  const c = join(dir, 'cache-2');
  const r1 = await runInProcess(['stats', FIX.leak, '--format', 'json'], { cacheDir: c });
  assert.equal(r1.status, 0, r1.stderr);
  const r2 = await runInProcess(['partition', FIX.leak, '--format', 'json'], { cacheDir: c });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(JSON.parse(r1.stdout).summary_objects, JSON.parse(r2.stdout).objects);
});
