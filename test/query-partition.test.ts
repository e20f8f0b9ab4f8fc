// `heapdiff partition`: heapy's exact text format (golden output), DevTools-identical Summary rows for
// `--by class` (compared with DevTools' own engine, heap-snapshot-toolkit), the precomputed rows of
// every classifier equal to a scan of the store, --where / --id-range, and clear errors.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'heap-snapshot-toolkit';
import Database from 'better-sqlite3';
import { FIXTURES, ROOT, SAMPLES, gunzipTo, ingestOnce, makeNodeSnapshot, runInProcess, runInProcessJson, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-query-partition-');
const cache = join(dir, 'cache');
const FIX = {
  chrome0: join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'),
  chrome1: join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'),
  leak: join(SAMPLES, 'node-leak-after.heapsnapshot.gz'),
  alloc: join(SAMPLES, 'node-alloc.heapsnapshot.gz'),
};
const db = (name: keyof typeof FIX): string => ingestOnce(FIX[name]);
const cli = (args: string[]) => runInProcess(args, { cacheDir: cache });
const json = (args: string[]) => runInProcessJson(args, { cacheDir: cache });

const ROW = /^[ \d]{6} [ \d]{6} [ \d]{3} [ \d]{8} [ \d]{3} [ \d]{9} [ \d]{3} \S/;

test('golden: heapy text format of `partition` on chrome-small-0 (default and --retained --top 15)', async () => {
  for (const [name, args] of [
    ['partition-chrome-small-0.txt', []],
    ['partition-chrome-small-0-retained-top15.txt', ['--retained', '--top', '15']],
    ['partition-chrome-small-0-by-type.txt', ['--by', 'type', '--all']],
  ] as const) {
    const r = await cli(['partition', db('chrome0'), ...args]);
    assert.equal(r.status, 0, r.stderr);
    const golden = join(ROOT, 'test/golden', name);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, r.stdout);
    assert.equal(r.stdout, readFileSync(golden, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to rewrite)`);
  }
});

test('heapy format: label, header, %6d… rows, paging line', async () => {
  const r = await cli(['partition', db('leak')]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^Partition of a set of \d+ objects\. Total size = \d+ bytes\.$/);
  assert.equal(lines[1], ' Index  Count   %     Size   % Cumulative  % Kind (class / type)');
  assert.equal(lines.length, 13);
  for (let i = 2; i < 12; i++) {
    assert.match(lines[i], ROW, lines[i]);
    assert.equal(lines[i].slice(0, 6).trim(), String(i - 2), 'Index column');
  }
  assert.match(lines[12], /^<\d+ more rows\. Use --all to see them\.>$/);
  const all = (await cli(['partition', db('leak'), '--all'])).stdout.trimEnd().split('\n');
  assert.equal(all.length, 2 + Number(/<(\d+) more/.exec(lines[12])![1]) + 10, '--all prints every row and no paging line');
  assert.ok(!all.some((l) => l.startsWith('<')));
});

test('--by class equals DevTools Summary rows (getAggregatesByClassKey) on the fixtures', async () => {
  for (const name of ['chrome1', 'leak'] as const) {
    const plain = gunzipTo(FIX[name], dir);
    const snap = (await parse(createReadStream(plain, 'utf-8'))) as any;
    const aggregates = snap.getAggregatesByClassKey(false, 'allObjects') as Record<string, { count: number; self: number; maxRet: number; name: string }>;
    const result = await json(['partition', db(name), '--all']);
    assert.equal(result.version, 1);
    assert.equal(result.by, 'class');
    const byKey = new Map<string, any>(result.rows.map((r: any) => [r.class_key, r]));
    assert.equal(byKey.size, Object.keys(aggregates).length, `${name}: one row per DevTools class key`);
    let objects = 0;
    let size = 0;
    for (const [key, a] of Object.entries(aggregates)) {
      const row = byKey.get(key);
      assert.ok(row, `${name}: row for ${key}`);
      assert.equal(row.count, a.count, `${name} ${key} count`);
      assert.equal(row.size, a.self, `${name} ${key} size`);
      assert.equal(row.retained, a.maxRet, `${name} ${key} retained`);
      assert.ok(row.kind.startsWith(a.name), `${name} ${key} kind ${row.kind} shows the class name ${a.name}`);
      objects += a.count;
      size += a.self;
    }
    assert.equal(result.objects, objects);
    assert.equal(result.size, size);
    // Order: size descending, ties by kind; cumulative is the running size.
    let cum = 0;
    result.rows.forEach((r: any, i: number) => {
      cum += r.size;
      assert.equal(r.index, i);
      assert.equal(r.cumulative, cum);
      if (i > 0) {
        const p = result.rows[i - 1];
        assert.ok(p.size > r.size || (p.size === r.size && p.kind <= r.kind), `order at ${i}`);
      }
    });
  }
});

test('same-named classes with different keys are separate rows with their location', async () => {
  const result = await json(['partition', db('leak'), '--all']);
  const names = new Map<string, string[]>();
  for (const r of result.rows) {
    const base = r.class_key.replace(/^\d*,\d*,\d*,|^,/, '');
    names.set(base, [...(names.get(base) ?? []), r.kind]);
  }
  const dup = [...names.values()].filter((k) => k.length > 1);
  assert.ok(dup.length > 0, 'the sample has same-named classes from different scripts');
  for (const kinds of dup) assert.equal(new Set(kinds).size, kinds.length, `distinct kinds ${kinds.join(' | ')}`);
});

test('precomputed rows of every classifier equal a scan of the store (--where "1=1")', async () => {
  for (const [name, by] of [
    ['leak', 'class'],
    ['leak', 'type'],
    ['leak', 'size'],
    ['leak', 'distance'],
    ['leak', 'detachedness'],
    ['leak', 'script'],
    ['leak', 'rcs'],
    ['leak', 'via'],
    ['chrome1', 'detachedness'],
    ['chrome1', 'script'],
    ['alloc', 'alloc'],
  ] as const) {
    const pre = await json(['partition', db(name), '--by', by, '--all']);
    const scan = await json(['partition', db(name), '--by', by, '--all', '--where', '1=1']);
    const strip = (r: any) => r.rows.map((x: any) => [x.kind, x.count, x.size, x.retained]);
    assert.deepEqual(strip(scan), strip(pre), `${name} --by ${by}`);
    assert.equal(pre.objects, scan.objects);
  }
});

test('--by rcs / via / alloc / script produce readable kinds', async () => {
  const rcs = await json(['partition', db('leak'), '--by', 'rcs', '--all']);
  assert.ok(
    rcs.rows.some((r: any) => r.kind.includes(', ')),
    'sets of classes joined with ", "',
  );
  const via = await json(['partition', db('leak'), '--by', 'via', '--all']);
  assert.ok(
    via.rows.some((r: any) => r.kind === '[]'),
    'element edges normalised to []',
  );
  assert.ok(via.rows.some((r: any) => r.kind === '.table' || r.kind.includes('.table')));
  const script = await json(['partition', db('leak'), '--by', 'script', '--all']);
  assert.ok(
    script.rows.some((r: any) => r.kind.endsWith('leaky-server.mjs')),
    'script names resolved',
  );
  const alloc = await json(['partition', db('alloc'), '--by', 'alloc', '--all']);
  assert.ok(
    alloc.rows.some((r: any) => /^\S.* \S+:\d+:\d+$/.test(r.kind) && r.kind !== '(no allocation trace)'),
    'function script:line:col kinds',
  );
});

test('--by alloc without allocation traces: one clear line, exit 2', async () => {
  const r = await cli(['partition', db('leak'), '--by', 'alloc']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.match(r.stderr, /no allocation traces/);
});

test('--where narrows the set; counts equal the nodes view', async () => {
  const sqlite = new Database(db('leak'), { readonly: true });
  const expect = sqlite.prepare('SELECT count(*) AS n, sum(self_size) AS s FROM nodes WHERE self_size > 0 AND id > 40000').get() as { n: number; s: number };
  const sessions = sqlite.prepare("SELECT count(*) AS n FROM nodes WHERE self_size > 0 AND class_name = 'Session'").get() as { n: number };
  const maxId = (sqlite.prepare("SELECT value FROM meta WHERE key = 'max_js_object_id'").get() as { value: number }).value;
  const range = sqlite.prepare('SELECT count(*) AS n FROM nodes WHERE self_size > 0 AND id > 100000 AND id <= ?').get(maxId) as { n: number };
  const open = sqlite.prepare('SELECT count(*) AS n FROM nodes WHERE self_size > 0 AND id > 100000').get() as { n: number };
  sqlite.close();
  const r = await json(['partition', db('leak'), '--where', 'id > 40000', '--all']);
  assert.equal(r.objects, expect.n);
  assert.equal(r.size, expect.s);
  const s = await json(['partition', db('leak'), '--where', "class_name = 'Session'", '--by', 'via']);
  assert.equal(s.objects, sessions.n);
  const ir = await json(['partition', db('leak'), '--id-range', `100000..${maxId}`]);
  assert.equal(ir.objects, range.n);
  assert.equal((await json(['partition', db('leak'), '--id-range', '100000..'])).objects, open.n);
  assert.equal((await json(['partition', db('leak'), '--id-range', '@100000..'])).objects, open.n);
});

test('bad --where / --id-range / --by: one line, exit 2', async () => {
  for (const [args, re] of [
    [['--where', 'id > 1; DROP TABLE meta'], /';' is not allowed/],
    [['--where', 'no_such_column > 1'], /invalid SQL expression/],
    [['--where', 'id > 1) OR (1'], /unbalanced/],
    [['--where', 'id > 1 -- comment'], /comments/],
    [['--id-range', 'abc'], /--id-range/],
    [['--id-range', '10..5'], /below/],
    [['--top', '-1'], /--top/],
  ] as const) {
    const r = await cli(['partition', db('leak'), ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  }
  const r = await cli(['partition', db('leak'), '--by', 'nope']);
  assert.equal(r.status, 2);
});

test('--sort count / retained and the --retained column', async () => {
  const c = await json(['partition', db('leak'), '--sort', 'count', '--all']);
  for (let i = 1; i < c.rows.length; i++) assert.ok(c.rows[i - 1].count >= c.rows[i].count);
  const rt = await json(['partition', db('leak'), '--sort', 'retained', '--all']);
  for (let i = 1; i < rt.rows.length; i++) assert.ok(rt.rows[i - 1].retained >= rt.rows[i].retained);
  const text = (await cli(['partition', db('leak'), '--retained'])).stdout.split('\n');
  assert.equal(text[1], ' Index  Count   %     Size   % Cumulative  %  Retained Kind (class / type)');
});

test('CSV and Markdown carry every shown row', async () => {
  const csv = (await cli(['partition', db('leak'), '--format', 'csv', '--top', '5'])).stdout.trimEnd().split('\n');
  assert.equal(csv[0], 'index,count,count_percent,size,size_percent,cumulative,cumulative_percent,kind');
  assert.equal(csv.length, 6);
  const md = (await cli(['partition', db('leak'), '--format', 'md', '--top', '5'])).stdout;
  assert.match(md, /\| Index \| Count \| % \| Size \|/);
  assert.match(md, /\|---:\|---:\|/);
});

test('--by distance: a deep linked list gives power-of-two ranges past 63, not a row per hop; precomputed rows equal the scan', async () => {
  // 3,000 list nodes, each one hop further from the roots than the one before.
  const script =
    "let head = null; for (let i = 0; i < 3000; i++) head = { next: head, i }; globalThis.list = head; require('v8').writeHeapSnapshot(process.env.OUT)";
  const snap = makeNodeSnapshot(dir, 'linked-list', script);
  const all = await json(['partition', snap, '--by', 'distance', '--all']);
  const kinds: string[] = all.rows.map((r: { kind: string }) => r.kind);
  for (const range of ['64-127', '128-255', '256-511', '512-1023', '1024-2047', '2048-4095'])
    assert.ok(kinds.includes(range), `${range} in ${kinds.join(' ')}`);
  for (const k of kinds) {
    const m = /^(?:system\+)?(\d+)(?:-(\d+))?$/.exec(k);
    if (!m) {
      assert.equal(k, 'unreachable');
      continue;
    }
    const [lo, hi] = [Number(m[1]), m[2] === undefined ? undefined : Number(m[2])];
    if (hi === undefined) assert.ok(lo <= 63, `${k}: a single distance past 63`);
    else assert.ok(lo >= 64 && hi === 2 * lo - 1 && (lo & (lo - 1)) === 0, `${k}: not a power-of-two range`);
  }
  assert.equal(
    all.rows.reduce((s: number, r: { count: number }) => s + r.count, 0),
    all.objects,
  );
  // The scan (any --where) spells and sums the rows exactly as the precomputed ones.
  const scanned = await json(['partition', snap, '--by', 'distance', '--all', '--where', '1 = 1']);
  assert.deepEqual(
    scanned.rows.map((r: { kind: string; count: number; size: number; retained: number; key: string }) => [r.kind, r.count, r.size, r.retained, r.key]),
    all.rows.map((r: { kind: string; count: number; size: number; retained: number; key: string }) => [r.kind, r.count, r.size, r.retained, r.key]),
  );
});

test('inspect on the deep end of a linked list: the path collapses its repeated hops (`×N`), JSON keeps every hop', async () => {
  const script =
    "let head = null; for (let i = 0; i < 3000; i++) head = { next: head, i }; globalThis.list = head; require('v8').writeHeapSnapshot(process.env.OUT)";
  const snap = makeNodeSnapshot(dir, 'linked-list', script);
  const deepest = await json(['sql', snap, 'SELECT id FROM nodes WHERE distance < 100000000 ORDER BY distance DESC LIMIT 1']);
  const id = deepest.rows[0][0] as number;
  const r = await cli(['inspect', snap, `@${id}`]);
  assert.equal(r.status, 0, r.stderr);
  const path = r.stdout.split('\n').filter((l) => /^ {2}path {7}|^ {13}/.test(l));
  assert.match(path.join(' '), /\.next ×\d{3}/, path.join('\n'));
  assert.ok(path.length <= 4, `the path takes ${path.length} lines`);
  const full = await json(['inspect', snap, `@${id}`]);
  assert.ok(full.path_hops >= 999, `JSON path_hops ${full.path_hops}`);
  // 3,000 hops deep: the walk stops at 1,000 and says so.
  assert.equal(full.path_truncated, true);
  assert.match(path.join(' '), /^ {2}path {7}… → .*the path goes on\)/);
});
