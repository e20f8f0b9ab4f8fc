// `heapdiff A B` end to end: the text report, paging, --by, the leak suspects on planted leaks and on a
// quiet process, JSON, --fail-on-growth exit codes, and snapshots from different processes. The CLI
// runs in-process (runInProcess: its options, analyses, renderers and exit statuses); usage errors and
// exit 3 also through a real process. Stores are ingested once per run and reused as `.db` files.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after as afterAll, test } from 'node:test';
import type { DiffResult } from '../src/analyses/diff.js';
import { CLASSIFIERS } from '../src/store/queries/partition.js';
import { FIXTURES, SAMPLES, ingestOnce as db, makeNodeSnapshot, runCli, runInProcess, runInProcessJson, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-diff-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const before = () => db(join(SAMPLES, 'node-leak-before.heapsnapshot.gz'));
const after = () => db(join(SAMPLES, 'node-leak-after.heapsnapshot.gz'));

const json = (args: string[]) => runInProcessJson<DiffResult>(args);

test("text report: the verdict, the suspects in the program's words, then the heapy table sorted by size change", async () => {
  const r = await runInProcess([before(), after(), '--wide']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  // Without --wide every line fits the 100 columns of a pipe.
  assert.ok((await runInProcess([before(), after()])).stdout.split('\n').every((l) => l.length <= 100));
  assert.match(lines[0], /^node-leak-before\.db → node-leak-after\.db: the heap grew by [\d.]+ kB \([\d.]+ MB → [\d.]+ MB, \+\d+%\); 2 leak suspects\.$/);
  assert.equal(lines[1], '');
  assert.match(lines[2], /^Leak suspects: objects allocated after A that B still holds, retaining at least [\d.]+ kB \(1\.0% of B\), most retained first\.$/);
  assert.match(lines[4], /^ 1\. 300 × Session \(leaky-server\.mjs:\d+:\d+\): 254 kB retained \(5\.3% of B\)$/);
  assert.equal(lines[5], '    kept by  sessionCache → Map[entry]  (sessionCache: module leaky-server.mjs)');
  assert.match(lines[6], /^ {4}keeps {4}300 × system \/ JSArrayBufferData 154 kB, 300 × Float64Array 28\.8 kB/);
  const header = lines.indexOf(' Index     New Deleted   Delta Alloc Size Freed Size Size Delta Kind (class)');
  assert.ok(header > 6, 'the table comes after the suspects');
  assert.match(lines[header - 1], /^What changed, by class \(DevTools Comparison\): 7,094 new objects \([\d.]+ kB\), 419 deleted \([\d.]+ kB\)\.$/);
  const rows = lines.slice(header + 1, header + 11);
  for (const row of rows) assert.match(row, /^ {0,5}\d+ +\d+ +\d+ +[+-]?\d+ +\d+ +\d+ +[+-]?\d+ \S/);
  assert.match(lines[header + 11], /^<\d+ more rows\. Use --top N or --all to see them\.>$/);
  // Columns line up: every number ends where its title ends (heapy's right-aligned fields).
  const ends = ['Index', 'New', 'Deleted', 'Delta', 'Alloc Size', 'Freed Size', 'Size Delta'].map((t) => lines[header].indexOf(t) + t.length);
  for (const row of rows) for (const end of ends) assert.match(row.slice(end - 1, end + 1), /^\d $/, `${row} @${end}`);

  const full = await json([before(), after(), '--all']);
  const sizes = full.rows.map((x) => Math.abs(x.size_delta));
  assert.deepEqual(
    sizes,
    [...sizes].sort((x, y) => y - x),
    'sorted by |size delta|',
  );
  assert.equal(Number(/^<(\d+) more rows/.exec(lines[header + 11])![1]), full.rows.length - 10);
  // --raw-paths: every hop as DevTools lists it.
  const raw = await runInProcess([before(), after(), '--raw-paths', '--wide']);
  assert.match(raw.stdout, /^ {4}kept by {2}.*system \/ Context\.sessionCache → Map\.table → \(internal array\)\[\] → Session$/m);
});

test('--top N, --all, csv and md', async () => {
  const top = await runInProcess([before(), after(), '--top', '3', '--suspects', '0']);
  assert.equal(top.status, 0, top.stderr);
  const lines = top.stdout.split('\n');
  assert.match(lines[lines.indexOf(lines.find((l) => l.startsWith(' Index'))!) + 4], /^<\d+ more rows\./);
  const all = await runInProcess([before(), after(), '--all', '--suspects', '0']);
  assert.doesNotMatch(all.stdout, /more rows/);
  const n = (await json([before(), after(), '--all', '--suspects', '0'])).rows.length;
  assert.equal(all.stdout.split('\n').filter((l) => /^ +\d+ /.test(l)).length, n);
  const csv = await runInProcess([before(), after(), '--format', 'csv']);
  const csvLines = csv.stdout.trim().split('\n');
  assert.equal(csvLines[0], 'kind,index,name,class_name,new,deleted,delta,alloc_size,freed_size,size_delta,retained,retained_percent,path,keeps');
  assert.match(csvLines[1], /^suspect,0,Session \(leaky-server\.mjs:\d+:\d+\),Session,300,,,26400,,,254400,5\.33,sessionCache → Map\[entry\] → Session/);
  assert.equal(csvLines.filter((l) => l.startsWith('class,')).length, n, 'csv: every class row');
  assert.equal(csvLines.filter((l) => l.startsWith('suspect,')).length, 2, 'csv: the suspects');
  const md = await runInProcess([before(), after(), '--format', 'md']);
  assert.match(md.stdout, /^\*\*heapdiff\*\* node-leak-before\.db → node-leak-after\.db: the heap grew by/);
  assert.match(
    md.stdout,
    /^\| 1 \| Session \(leaky-server\.mjs:\d+:\d+\) \| 300 \| 254 kB \(5\.3%\) \| `sessionCache → Map\[entry\] → Session {2}\(sessionCache: module leaky-server\.mjs\)` \|/m,
  );
  assert.match(md.stdout, /^\| Index \| New \| Deleted \| Delta \| Alloc Size \| Freed Size \| Size Delta \| Kind \(class\) \|$/m);
});

test('JSON: version 1, rows, totals and suspects with grouped paths', async () => {
  const out = await json([before(), after()]);
  assert.equal(out.version, 1);
  assert.equal(out.same_process, true);
  assert.equal(out.by, 'class');
  for (const row of out.rows) {
    for (const k of ['kind', 'class_key', 'new', 'deleted', 'delta', 'alloc_size', 'freed_size', 'size_delta'] as const) assert.ok(k in row, k);
    assert.equal(row.delta, row.new! - row.deleted!);
    assert.equal(row.size_delta, row.alloc_size! - row.freed_size!);
  }
  const session = out.rows.find((x) => x.kind === 'Session')!;
  assert.match(session.class_key!, /^\d+,\d+,\d+,Session$/, 'a located class key');
  assert.deepEqual([session.new, session.deleted, session.count_a, session.count_b], [300, 0, 5, 305]);
  const t = out.totals;
  assert.equal(
    t.new,
    out.rows.reduce((a, x) => a + x.new!, 0),
  );
  assert.equal(
    t.freed_size,
    out.rows.reduce((a, x) => a + x.freed_size!, 0),
  );
  assert.equal(t.total_delta, t.total_b - t.total_a);
  assert.equal(t.total_a, out.a.total_size);
  const s = out.suspects[0];
  assert.equal(s.kind, 'Session');
  assert.match(s.label, /^Session \(leaky-server\.mjs:\d+:\d+\)$/);
  assert.equal(s.paths[0].text, 'sessionCache → Map[entry] → Session');
  assert.equal(s.paths[0].root, 'module leaky-server.mjs');
  assert.equal(s.keeps!.classes[0].class_name, 'system / JSArrayBufferData');
  assert.equal(s.keeps!.classes[0].count, 300);
  assert.equal(s.count, 300);
  assert.equal(s.retained, 300 * 848);
  assert.equal(s.paths[0].count, 300);
  assert.match(s.paths[0].pattern, /\.sessionCache → Map\.table → \(internal array\)\[\] → Session$/);
  const hops = s.paths[0].hops;
  assert.equal(hops[hops.length - 1].class_name, 'Session');
  assert.deepEqual(
    hops.slice(-3).map((h) => [h.class_name, h.edge_name]),
    [
      ['Map', 'sessionCache'],
      ['(array)', 'table'],
      ['Session', hops[hops.length - 1].edge_name],
    ],
  );
  // No suspect is owned by another: the Sessions' typed arrays are not listed on their own.
  assert.ok(!out.suspects.some((x) => x.kind === 'Float64Array' || x.kind === 'ArrayBuffer'));
});

test('--by type partitions the same verdicts by node type', async () => {
  const byClass = await json([before(), after(), '--all', '--suspects', '0']);
  const byType = await json([before(), after(), '--all', '--suspects', '0', '--by', 'type']);
  assert.equal(byType.by, 'type');
  assert.deepEqual({ ...byType.totals }, { ...byClass.totals });
  const kinds = byType.rows.map((x) => x.kind);
  assert.ok(kinds.includes('object') && kinds.includes('closure'), kinds.join());
  assert.ok(byType.rows.every((x) => x.class_key === null));
  const text = await runInProcess([before(), after(), '--by', 'type', '--suspects', '0']);
  assert.match(text.stdout, /Size Delta Kind \(type\)\n/);
});

/** Σ over the rows (not the totals field) of DevTools' four additive columns. */
function rowSums(r: DiffResult): { new: number; deleted: number; alloc_size: number; freed_size: number } {
  const sum = { new: 0, deleted: 0, alloc_size: 0, freed_size: 0 };
  for (const row of r.rows) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += row[k]!;
  return sum;
}

/** A store's `partition --by` rows as kind → {count, size}. */
async function partitionRows(store: string, by: string): Promise<Map<string, { count: number; size: number }>> {
  const out = await runInProcessJson<{ rows: { kind: string; count: number; size: number }[] }>(['partition', store, '--by', by, '--all']);
  return new Map(out.rows.map((r) => [r.kind, { count: r.count, size: r.size }]));
}

/**
 * The rows of `--by X` against `--by class` and against `partition --by X` of each store: the same objects
 * in total (Σ of the rows equal the class rows' Σ), every kind spelled as partition spells it, and each
 * row's A/B columns that kind's partition row.
 */
const classDiffs = new Map<string, DiffResult>();
async function checkAgainstClassAndPartition(a: string, b: string, by: string): Promise<DiffResult> {
  let byClass = classDiffs.get(`${a}\n${b}`);
  if (!byClass) classDiffs.set(`${a}\n${b}`, (byClass = await json([a, b, '--all', '--suspects', '0'])));
  const out = await json([a, b, '--all', '--suspects', '0', '--by', by]);
  assert.equal(out.by, by);
  assert.equal(out.same_process, true);
  const classSums = rowSums(byClass);
  assert.ok(classSums.new > 0 && classSums.deleted > 0, JSON.stringify(classSums));
  assert.deepEqual(rowSums(out), classSums, `${by}: Σ new/deleted/alloc/freed over the rows = --by class`);
  assert.deepEqual({ ...out.totals }, { ...byClass.totals });
  assert.ok(out.rows.length > 1, `${by}: ${out.rows.length} rows`);
  const inA = await partitionRows(a, by);
  const inB = await partitionRows(b, by);
  for (const row of out.rows) {
    assert.equal(row.class_key, null);
    assert.equal(row.delta, row.new! - row.deleted!);
    assert.equal(row.size_delta, row.alloc_size! - row.freed_size!);
    if (row.new! > 0) assert.ok(inB.has(row.kind), `${by}: new objects' kind ${JSON.stringify(row.kind)} is a row of partition B`);
    if (row.deleted! > 0) assert.ok(inA.has(row.kind), `${by}: deleted objects' kind ${JSON.stringify(row.kind)} is a row of partition A`);
    assert.deepEqual([row.count_a, row.size_a], [inA.get(row.kind)?.count ?? 0, inA.get(row.kind)?.size ?? 0], `${by} ${row.kind}: A`);
    assert.deepEqual([row.count_b, row.size_b], [inB.get(row.kind)?.count ?? 0, inB.get(row.kind)?.size ?? 0], `${by} ${row.kind}: B`);
    assert.ok(row.new! <= row.count_b && row.deleted! <= row.count_a, `${by} ${row.kind}`);
  }
  const sizes = out.rows.map((x) => Math.abs(x.size_delta));
  assert.deepEqual(
    sizes,
    [...sizes].sort((x, y) => y - x),
    'sorted by |size delta| like the class rows',
  );
  return out;
}

test("--by rcs: the 300 new Sessions under the set of their retainers' classes, spelled as partition spells it", async () => {
  // Each Session is held by the Map's internal table and by the onTick closure's context (samples/README.md).
  const sessions = await runInProcessJson<{ rows: { kind: string; count: number }[] }>([
    'partition',
    after(),
    '--by',
    'rcs',
    '--where',
    "class_name = 'Session'",
  ]);
  assert.equal(sessions.rows.length, 1);
  const kind = sessions.rows[0].kind;
  assert.equal(kind, '(array), system / Context');
  const out = await checkAgainstClassAndPartition(before(), after(), 'rcs');
  const row = out.rows.find((x) => x.kind === kind)!;
  assert.ok(row, out.rows.map((x) => x.kind).join(' | '));
  assert.deepEqual([row.new, row.deleted, row.alloc_size, row.key], [300, 0, 300 * 88, null]);
  const text = await runInProcess([before(), after(), '--by', 'rcs', '--suspects', '0', '--all']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Size Delta Kind \(referrers by class\)\n/);
  assert.match(text.stdout, /^ +\d+ +300 +0 +\+300 +26400 +0 +\+26400 \(array\), system \/ Context$/m);
});

test('every other classifier: the same objects as --by class, kinds and A/B counts as in partition', async () => {
  const byKind = new Map<string, DiffResult>();
  for (const by of CLASSIFIERS)
    if (by !== 'class' && by !== 'rcs' && by !== 'alloc') byKind.set(by, await checkAgainstClassAndPartition(before(), after(), by));
  // Sessions are referenced by a context variable `this` and an internal table index (normalised to []).
  assert.equal(byKind.get('via')!.rows.find((x) => x.kind === '.this, []')?.new, 300);
  const script = byKind.get('script')!;
  const server = script.rows.find((x) => x.kind.endsWith('/samples/leaky-server.mjs'));
  assert.ok(server && server.new! >= 900, JSON.stringify(server));
  assert.ok(script.rows.some((x) => x.kind === '(no location)' && x.key === null));
  assert.match((await runInProcess([before(), after(), '--by', 'script', '--suspects', '0'])).stdout, /Size Delta Kind \(script\)\n/);
  assert.match((await runInProcess([before(), after(), '--by', 'via', '--suspects', '0'])).stdout, /Size Delta Kind \(referred via\)\n/);
});

test('--by alloc: allocation sites of the new objects; without allocation traces one line and exit 2', async () => {
  const script = `
    const v8 = require('v8');
    class Foo { constructor(i) { this.i = i; } }
    globalThis.keep = [];
    v8.writeHeapSnapshot(process.env.OUT.replace(/\\.heapsnapshot$/, '-a.heapsnapshot'));
    function plantFoos() { for (let i = 0; i < 500; i++) keep.push(new Foo(i)); }
    plantFoos();
    v8.writeHeapSnapshot(process.env.OUT);`;
  const b = makeNodeSnapshot(dir, 'traced', script, ['--track-heap-objects']);
  const a = b.replace(/\.heapsnapshot$/, '-a.heapsnapshot');
  const out = await checkAgainstClassAndPartition(db(a), db(b), 'alloc');
  const planted = out.rows.find((x) => /^plantFoos \[eval\]:\d+:\d+$/.test(x.kind));
  assert.ok(planted && planted.new! >= 500 && planted.deleted === 0 && planted.key !== null, JSON.stringify(out.rows));
  assert.match((await runInProcess([db(a), db(b), '--by', 'alloc', '--suspects', '0'])).stdout, /Size Delta Kind \(allocation site\)\n/);

  for (const [x, y, which] of [
    [before(), after(), 'A'],
    [db(a), before(), 'B'],
  ] as const) {
    const r = await runInProcess([x, y, '--by', 'alloc', '--assume-same-process']);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    const err = r.stderr.trimEnd().split('\n');
    assert.equal(err.length, 1, r.stderr);
    assert.match(err[0], new RegExp(`^heapdiff: --by alloc: ${which} \\(.*\\) has no allocation traces \\(take it with allocation tracking on`));
  }
});

test('the planted detached <div>s of the Chromium sequence are the first suspect, through window.detachedCache', async () => {
  const out = await json([db(join(FIXTURES, 'chrome-small-0.heapsnapshot.gz')), db(join(FIXTURES, 'chrome-small-2.heapsnapshot.gz'))]);
  const s = out.suspects[0];
  assert.equal(s.kind, 'Detached <div>');
  assert.equal(s.count, 200);
  assert.equal(s.paths[0].count, 200);
  assert.match(s.paths[0].pattern, /\.detachedCache → Array\[\] → Detached <div>$/);
  const text = (await runInProcess([db(join(FIXTURES, 'chrome-small-0.heapsnapshot.gz')), db(join(FIXTURES, 'chrome-small-2.heapsnapshot.gz'))])).stdout;
  assert.match(
    text,
    /^ 1\. 200 × Detached <div>: 88\.0 kB retained \(3\.4% of B\)\n {4}kept by {2}window\.detachedCache\[\]\n {4}keeps {4}400 × Detached Text 32\.0 kB, 200 × Detached <p> 17\.6 kB, 200 × Detached <span> 17\.6 kB$/m,
  );
});

test('--fail-on-growth: exit 3 with a one-line reason past the limit (bytes, units, % of A), else 0', async () => {
  const base = await json([before(), after(), '--suspects', '0']);
  const growth = base.totals.total_delta;
  assert.ok(growth > 500000 && growth < 1000000, String(growth));
  const cases: [string, number][] = [
    [String(growth), 0],
    [String(growth - 1), 3],
    ['500000', 3],
    ['0.5MB', 3],
    ['1MB', 0],
    ['512KiB', 3],
    ['1MiB', 0],
    ['10%', 3],
    ['20%', 0],
  ];
  for (const [limit, status] of cases) {
    const r = await runInProcess([before(), after(), '--suspects', '0', '--fail-on-growth', limit]);
    assert.equal(r.status, status, `${limit}: ${r.stderr}`);
    assert.match(r.stdout, /^node-leak-before\.db → node-leak-after\.db: the heap grew by /, 'the report is printed either way');
    if (status === 3) {
      const err = r.stderr.trimEnd().split('\n');
      assert.equal(err.length, 1, r.stderr);
      assert.match(
        err[0],
        new RegExp(
          `^heapdiff: heap grew by ${growth.toLocaleString('en-US')} bytes \\([\\d,]+ → [\\d,]+\\), more than --fail-on-growth ${limit.replace('.', '\\.')} \\([\\d,]+ bytes\\)$`,
        ),
      );
    } else assert.equal(r.stderr, '');
  }
  const bad = runCli([before(), after(), '--fail-on-growth', 'lots']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^heapdiff: --fail-on-growth: expected bytes/);
  const json3 = runCli([before(), after(), '--format', 'json', '--fail-on-growth', '1%']);
  assert.equal(json3.status, 3);
  assert.equal(JSON.parse(json3.stdout).version, 1);
});

test('no leak: two snapshots of one quiet process report no suspect above the threshold', async () => {
  const script = `
    const v8 = require('v8');
    globalThis.cache = new Map();
    v8.writeHeapSnapshot(process.env.OUT.replace(/\\.heapsnapshot$/, '-a.heapsnapshot'));
    for (let i = 0; i < 5000; i++) cache.set('k' + i, { id: i, payload: 'x'.repeat(100) + i });
    cache.clear();
    v8.writeHeapSnapshot(process.env.OUT);`;
  const b = makeNodeSnapshot(dir, 'quiet', script);
  const a = b.replace(/\.heapsnapshot$/, '-a.heapsnapshot');
  const out = await json([db(a), db(b)]);
  assert.equal(out.same_process, true);
  assert.deepEqual(out.suspects, []);
  const text = (await runInProcess([db(a), db(b), '--wide'])).stdout;
  assert.match(text, /; no leak suspect\.$/m);
  assert.match(text, /^Leak suspects: none \(no class of objects allocated after A that B still holds, retaining at least [\d.]+ kB \(1\.0% of B\)\)\.$/m);
});

test('snapshots of two different processes: said plainly, class-level difference only', async () => {
  const script = `require('v8').writeHeapSnapshot(process.env.OUT)`;
  const a = makeNodeSnapshot(dir, 'process-1', script);
  const b = makeNodeSnapshot(dir, 'process-2', `globalThis.extra = Array.from({ length: 2000 }, (_, i) => ({ i: String(i) })); ${script}`);
  const out = await json([db(a), db(b)]);
  assert.equal(out.same_process, false);
  assert.match(out.note!, /different processes/);
  assert.deepEqual(out.suspects, []);
  assert.ok(out.rows.length > 0);
  for (const row of out.rows) {
    assert.equal(row.new, null);
    assert.equal(row.deleted, null);
    assert.equal(row.delta, row.count_b - row.count_a);
    assert.equal(row.size_delta, row.size_b - row.size_a);
  }
  const extra = out.rows.find((x) => x.class_key === ',{i}');
  assert.ok(extra && extra.count_b - extra.count_a >= 2000, JSON.stringify(extra));
  const text = await runInProcess([db(a), db(b), '--wide']);
  assert.equal(text.status, 0);
  assert.match(
    text.stdout,
    /^process-1\.db → process-2\.db: the heap grew by [\d.]+ [kM]B \([^)]*\)\. Different processes: objects cannot be matched, so there are no leak suspects\.$/m,
  );
  assert.match(text.stdout, /^What changed, by class, class level only: \+[\d,]+ objects \(\+[\d.]+ [kM]B\)\.$/m);
  assert.match(text.stdout, /^ Index Count A Count B {3}Delta {5}Size A {5}Size B Size Delta Kind \(class\)$/m);
  // --fail-on-growth still works on totals.
  assert.equal((await runInProcess([db(a), db(b), '--fail-on-growth', '1'], {})).status, 3);
});

test('snapshot files are ingested on first use (both at once) and give the same diff as their stores', async () => {
  const cacheDir = join(dir, 'cache');
  const files = ['node-leak-before', 'node-leak-after'].map((n) => join(SAMPLES, `${n}.heapsnapshot.gz`));
  const r = await runInProcess([...files, '--format', 'json', '--all', '--suspects', '1'], { cacheDir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.db')).length, 2);
  const fromFiles = JSON.parse(r.stdout) as DiffResult;
  const fromStores = await json([before(), after(), '--all', '--suspects', '1']);
  assert.deepEqual(fromFiles.rows, fromStores.rows);
  assert.deepEqual(fromFiles.suspects, fromStores.suspects);
  assert.equal(fromFiles.a.source, files[0]);
});

test('hostile heap strings are escaped in the table, the suspects and the paths; JSON keeps them exact', async () => {
  const evil = '\u001b[31mEvil\nClass\u202e';
  const script = `
    const v8 = require('v8');
    const Evil = { ${JSON.stringify(evil)}: class { constructor(i) { this.payload = 'p'.repeat(400) + i; } } }[${JSON.stringify(evil)}];
    globalThis[${JSON.stringify('\u001b]0;title\u0007held')}] = [];
    v8.writeHeapSnapshot(process.env.OUT.replace(/.heapsnapshot$/, '-a.heapsnapshot'));
    for (let i = 0; i < 500; i++) globalThis[${JSON.stringify('\u001b]0;title\u0007held')}].push(new Evil(i));
    v8.writeHeapSnapshot(process.env.OUT);`;
  const b = makeNodeSnapshot(dir, 'hostile', script);
  const a = b.replace(/\.heapsnapshot$/, '-a.heapsnapshot');
  const text = await runInProcess([db(a), db(b), '--all', '--wide']);
  assert.equal(text.status, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/, 'no raw control characters');
  assert.match(text.stdout, /\\e\[31mEvil\\nClass\\u202e/);
  assert.match(text.stdout, /^ 1\. 500 × \\e\[31mEvil\\nClass\\u202e( \([^)]*\))?: [\d.]+ kB retained/m);
  assert.match(text.stdout, /^ {4}kept by {2}global\["\\u001b\]0;title\\u0007held"\]\[\]$/m);
  const out = await json([db(a), db(b)]);
  assert.equal(out.suspects[0].kind, evil);
  assert.ok(out.rows.some((r) => r.kind === evil));
});

test('usage errors exit 2 with one line', async () => {
  for (const args of [[before()], [before(), join(dir, 'missing.heapsnapshot')], [before(), after(), '--top', '0'], [before(), after(), '--by', 'colour']]) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^heapdiff: /);
  }
  // Swapped arguments are pointed out.
  const swapped = await runInProcess([after(), before(), '--top', '1', '--suspects', '0']);
  assert.equal(swapped.status, 0);
  assert.match(
    swapped.stdout.replace(/\n(?!\n)/g, ' '),
    /Note: B's largest object id \(\d+\) is below A's \(\d+\): B was taken before A — are the arguments swapped\?/,
  );
  // `heapdiff diff A B` is the same command.
  const r = await runInProcess(['diff', before(), after(), '--top', '1', '--suspects', '0']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^node-leak-before\.db → node-leak-after\.db: the heap grew by/);
});
