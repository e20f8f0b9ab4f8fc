// Retainer paths: DevTools' Retainers-view order (compared with DevTools' own engine), every hop of every
// path is a real non-weak edge, hop counts equal distances, class paths merge by pattern, and the CLI's
// text / JSON shapes.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DevToolsAPI, parse } from 'heap-snapshot-toolkit';
import { expectedHopCount, mergePathsByPattern, PathFinder, pathLine, shortestRetainerPath, sortRetainers, type PathHop } from '../src/analyses/paths.js';
import { listedRetainers } from '../src/store/queries/nodes.js';
import { FIXTURES, SAMPLES, gunzipTo, ingestOnce, runInProcess, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-query-retainers-');
const cache = join(dir, 'cache');
const FIX = {
  chrome1: join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'),
  leak: join(SAMPLES, 'node-leak-after.heapsnapshot.gz'),
};
const db = (name: keyof typeof FIX): string => ingestOnce(FIX[name]);
const cli = (args: string[]) => runInProcess(args, { cacheDir: cache });

/** Checks one path against the edges view; returns true when some hop skips distances (a filtered edge). */
function checkPath(sqlite: Database.Database, hops: PathHop[], label: string): boolean {
  const edge = sqlite.prepare('SELECT from_node, to_node, type, name FROM edges WHERE edge_ordinal = ?');
  let jump = false;
  hops.forEach((h, i) => {
    if (h.edge_ordinal === null) {
      assert.equal(i, 0, `${label}: only the first hop may lack an edge`);
      return;
    }
    const e = edge.get(h.edge_ordinal) as { from_node: number; to_node: number; type: string; name: string };
    assert.ok(e, `${label}: edge ${h.edge_ordinal} exists`);
    assert.notEqual(e.type, 'weak', `${label}: hop ${i} is not weak`);
    assert.equal(e.to_node, h.ordinal, `${label}: hop ${i} edge leads to the hop`);
    assert.equal(e.from_node, i === 0 ? 0 : hops[i - 1].ordinal, `${label}: hop ${i} edge starts at the previous hop (the root for hop 0)`);
    assert.equal(e.type, h.edge_type);
    assert.equal(e.name, h.edge_name);
    if (i > 0) {
      assert.ok(hops[i - 1].distance < h.distance, `${label}: distances decrease towards the root`);
      if (h.distance - hops[i - 1].distance > 1) jump = true;
    }
  });
  return jump;
}

for (const name of ['chrome1', 'leak'] as const) {
  test(`${name}: listed retainers in DevTools' order (createRetainingEdgesProvider + ComparatorConfig('!edgeDistance', true, 'name', true))`, async () => {
    const snap = (await parse(createReadStream(gunzipTo(FIX[name], dir), 'utf-8'))) as any;
    const M = DevToolsAPI.HeapSnapshotModel as any;
    const sqlite = new Database(db(name), { readonly: true });
    let checked = 0;
    const finder = new PathFinder(sqlite);
    for (let k = 1; k < snap.nodeCount; k += 53) {
      const provider = snap.createRetainingEdgesProvider(k * snap.nodeFieldCount);
      provider.sortAndRewind(new M.ComparatorConfig('!edgeDistance', true, 'name', true));
      const theirs = (provider.serializeItemsRange(0, 1e9).items as { edgeIndex: number }[]).map((i) => i.edgeIndex / 3);
      const mine = sortRetainers(sqlite, listedRetainers(sqlite, k)).map((r) => r.edge_ordinal);
      assert.deepEqual(mine, theirs, `retainers of ordinal ${k}`);
      // The path's first step is DevTools' first listed retainer that is reachable and closer to a root.
      const d = snap.createNode(k * snap.nodeFieldCount).distance();
      const path = checked % 10 === 0 ? shortestRetainerPath(sqlite, k) : finder.path(k).hops;
      const items = provider.serializeItemsRange(0, 1e9).items as { edgeIndex: number; node: { distance: number } }[];
      const first = items.find((i) => i.node.distance >= 0 && i.node.distance < d);
      if (first && path.length >= 2) assert.equal(path[path.length - 1].edge_ordinal, first.edgeIndex / 3, `first hop of ordinal ${k}`);
      checked++;
    }
    assert.ok(checked > 500);
    sqlite.close();
  });

  test(`${name}: every hop of every path is a non-weak edge and hop counts equal distances`, async () => {
    const sqlite = new Database(db(name), { readonly: true });
    const finder = new PathFinder(sqlite);
    const nodes = sqlite.prepare('SELECT ordinal, distance FROM node_rows WHERE ordinal % 29 = 1 AND distance >= 0').all() as {
      ordinal: number;
      distance: number;
    }[];
    assert.ok(nodes.length > 100, `${nodes.length} sampled nodes`);
    let jumps = 0;
    for (const n of nodes) {
      const p = finder.path(n.ordinal);
      assert.ok(p.rooted, `path of ${n.ordinal} starts at the root`);
      assert.equal(p.hops[p.hops.length - 1].ordinal, n.ordinal);
      const jump = checkPath(sqlite, p.hops, `ordinal ${n.ordinal}`);
      if (jump) {
        jumps++;
        assert.ok(p.hops.length < expectedHopCount(n.distance));
      } else assert.equal(p.hops.length, expectedHopCount(n.distance), `hops of ${n.ordinal} (distance ${n.distance})`);
    }
    assert.ok(nodes.length > 500);
    assert.ok(jumps <= nodes.length / 100, `paths through filtered edges (WeakMap pairs, sloppy_function_map) are rare: ${jumps}`);
    sqlite.close();
  });
}

test('mergePathsByPattern: element indexes merge, weights add, heaviest group first', async () => {
  const hop = (o: number, cls: string, et: string | null, en: string | null): PathHop => ({
    ordinal: o,
    id: o * 2 + 1,
    type: 'object',
    class_name: cls,
    name: cls,
    retained_size: 10,
    self_size: 10,
    distance: 0,
    edge_type: et,
    edge_name: en,
    edge_ordinal: null,
  });
  const a = [hop(1, 'Window', 'shortcut', '2'), hop(2, 'Array', 'property', 'items'), hop(3, 'Todo', 'element', '12')];
  const b = [hop(1, 'Window', 'shortcut', '2'), hop(2, 'Array', 'property', 'items'), hop(4, 'Todo', 'element', '13')];
  const c = [hop(1, 'Window', 'shortcut', '2'), hop(5, 'Todo', 'property', 'current')];
  assert.equal(pathLine(a), 'Window.items → Array[12] → Todo @7');
  const groups = mergePathsByPattern([a, b, c], [5, 7, 100]);
  assert.deepEqual(
    groups.map((g) => [g.pattern, g.count, g.retained]),
    [
      ['Window.current → Todo', 1, 100],
      ['Window.items → Array[] → Todo', 2, 12],
    ],
  );
  assert.equal(groups[1].hops, b, 'the heaviest path represents its group');
});

test('CLI: retainers @ID prints a path line and one hop per line; JSON hops match', async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const s = sqlite.prepare("SELECT id, distance FROM nodes WHERE class_name = 'Session' ORDER BY id LIMIT 1").get() as { id: number; distance: number };
  sqlite.close();
  const r = await cli(['retainers', db('leak'), `@${s.id}`]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], new RegExp(`^Retainers of Session @${s.id}: distance ${s.distance}, `));
  assert.equal(lines[1], '    kept by  sessionCache → Map[entry]  (sessionCache: module leaky-server.mjs)');
  const wide = (await cli(['retainers', db('leak'), `@${s.id}`, '--wide'])).stdout.split('\n');
  const pathLineText = wide.find((l) => l.startsWith('  ') && l.includes(' → ') && !l.includes('kept by'))!;
  assert.ok(pathLineText.trimEnd().endsWith(`Session @${s.id}`), pathLineText);
  assert.match(pathLineText, /\.sessionCache → Map\.table → \(internal array\)\[\d+\] → Session @/);
  const hopLines = lines.filter((l) => /^ {0,2}\d+ /.test(l));
  assert.equal(hopLines.length, s.distance, 'one line per hop; hop count = distance');
  const j = JSON.parse((await cli(['retainers', db('leak'), `@${s.id}`, '--format', 'json', '--paths', '2'])).stdout);
  assert.equal(j.version, 1);
  assert.equal(j.target, 'object');
  assert.equal(j.paths.length, 2);
  assert.equal(j.paths[0].hops.length, s.distance);
  for (const h of j.paths[0].hops) for (const k of ['id', 'class_name', 'name', 'edge_type', 'edge_name']) assert.ok(k in h, k);
  assert.equal(j.paths[0].hops.at(-1).id, s.id);
  assert.notEqual(j.paths[1].hops.at(-1).edge_name, j.paths[0].hops.at(-1).edge_name, 'the second path enters through another retainer');
});

test("CLI: retainers CLASSNAME merges the instances' paths by pattern", async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const sessions = (sqlite.prepare("SELECT count(*) AS n FROM nodes WHERE class_name = 'Session' AND self_size > 0").get() as { n: number }).n;
  sqlite.close();
  const j = JSON.parse((await cli(['retainers', db('leak'), 'Session', '--format', 'json'])).stdout);
  assert.equal(j.target, 'class');
  assert.equal(j.instances, sessions);
  const total = j.paths.reduce((a: number, p: any) => a + p.count, 0);
  assert.ok(total <= sessions && total >= Math.min(sessions, j.paths[0].count));
  assert.match(j.paths[0].pattern, /Map\.table → \(internal array\)\[\] → Session$/);
  // The located kind `partition` prints for same-named classes is accepted too.
  const kinds = JSON.parse((await cli(['partition', db('leak'), '--all', '--format', 'json'])).stdout).rows.map((r: any) => r.kind) as string[];
  const located = kinds.find((k) => /^\S+ \(.+:\d+:\d+\)$/.test(k));
  if (located) {
    const r = JSON.parse((await cli(['retainers', db('leak'), located, '--format', 'json'])).stdout);
    assert.equal(r.classes.length, 1, located);
  }
  const text = (await cli(['retainers', db('leak'), 'Session'])).stdout;
  assert.match(text, new RegExp(`^Session: ${sessions} instances retaining [\\d.]+ kB; paths traced for all ${sessions} \\(--instances\\)`));
  assert.match(text, /^ 1\. \d+, [\d.]+ kB retained\n {4}kept by {2}sessionCache → Map\[entry\]/m);
  const sampled = (await cli(['retainers', db('leak'), 'Session', '--instances', '100'])).stdout;
  assert.match(sampled, new RegExp(`paths traced for the 100 biggest of ${sessions} \\(--instances\\)`));
  assert.match(sampled, /^ 1\. all 100 traced, /m);
});

test('CLI: --max-depth cuts paths; unknown ids and classes are one-line errors', async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const s = sqlite.prepare("SELECT id FROM nodes WHERE class_name = 'Session' LIMIT 1").get() as { id: number };
  sqlite.close();
  const j = JSON.parse((await cli(['retainers', db('leak'), `@${s.id}`, '--max-depth', '3', '--format', 'json'])).stdout);
  assert.equal(j.paths[0].hops.length, 3);
  assert.equal(j.paths[0].truncated, true);
  for (const [target, re] of [
    ['@999999999', /no object with id @999999999/],
    ['NoSuchClassAnywhere', /no class named "NoSuchClassAnywhere"/],
    ['session', /did you mean "Session"/],
  ] as const) {
    const r = await cli(['retainers', db('leak'), target]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    assert.match(r.stderr, re);
  }
});
