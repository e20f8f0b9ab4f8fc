// `heapdiff sql` runs only what SQLite reports read-only (no VACUUM INTO a new file, no ATTACH); JSON
// output and error lines carry no raw C1 control or bidi override from heap strings; a 1 MB name is
// shortened in text and Markdown (whole with --wide, in JSON and CSV).
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from './helpers/env.js';
import { SnapshotBuilder } from './helpers/snapshot-builder.js';

const dir = tempDir('heapdiff-sql-output-');
after(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');
const cli = (args: string[]) => runCli(args, { cacheDir: cache });

const HOSTILE = 'C1\u0085\u009b[31m bidi\u202eEVIL\u2066x\u2069 end';
const HUGE = `Huge${'N'.repeat(1_000_000)}`;
const b = new SnapshotBuilder();
const root = b.node('synthetic', '', 0);
const win = b.node('object', 'Window', 10);
const huge = b.node('object', HUGE, 100);
const hostile = b.node('object', HOSTILE, 50);
const items = Array.from({ length: 20 }, () => b.node('object', 'Item', 1000));
b.edge(root, 'shortcut', '1', win).edge(win, 'property', 'huge', huge).edge(win, 'property', 'hostile', hostile);
items.forEach((it, i) => b.edge(huge, 'element', i, it));
const snap = join(dir, 'hostile.heapsnapshot');
writeFileSync(snap, b.toJson());
const db = join(dir, 'hostile.db');
const ing = cli(['ingest', snap, '--db', db, '--quiet']);

// eslint-disable-next-line no-control-regex
const RAW = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('ingest', () => assert.equal(ing.status, 0, ing.stderr));

test('VACUUM INTO and ATTACH are refused; TEMP views still work', () => {
  const target = join(dir, 'copy.db');
  const v = cli(['sql', db, `VACUUM INTO '${target}'`]);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /^heapdiff: sql: only read-only statements may run/);
  assert.equal(existsSync(target), false, 'no file written');
  const a = cli(['sql', db, `/* hi */ ATTACH '${db}' AS other; SELECT 1`]);
  assert.equal(a.status, 2);
  assert.match(a.stderr, /^heapdiff: sql: ATTACH is refused/);
  const w = cli(['sql', db, 'PRAGMA journal_mode = WAL']);
  assert.equal(w.status, 2, w.stdout);
  const t = cli(['sql', db, 'CREATE TEMP VIEW big AS SELECT * FROM classes WHERE count >= 20; SELECT class_name FROM big', '--format', 'csv']);
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.stdout, 'class_name\nItem\n');
});

test('JSON escapes C1 controls and bidi overrides and stays exact', () => {
  const r = cli(['sql', db, "SELECT value FROM strings WHERE value LIKE 'C1%'", '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, RAW);
  assert.equal(JSON.parse(r.stdout).rows[0][0], HOSTILE);
  const p = cli(['partition', db, '--format', 'json']);
  assert.doesNotMatch(p.stdout, RAW);
  assert.ok(JSON.parse(p.stdout).rows.some((row: { kind: string }) => row.kind === HOSTILE));
});

test('error lines neutralise them too', () => {
  const r = cli(['retainers', db, `No${HOSTILE}`]);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, RAW);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.match(r.stderr, /\\x85/);
});

test('a 1 MB name: shortened in text and Markdown, whole with --wide, in JSON and CSV', () => {
  for (const format of ['text', 'md']) {
    const r = cli(['partition', db, '--format', format]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.length < 5000, `${format}: ${r.stdout.length} characters`);
    assert.match(r.stdout, /HugeNNN/);
    const wide = cli(['partition', db, '--format', format, '--wide']);
    assert.ok(wide.stdout.includes(HUGE), `${format} --wide keeps it`);
  }
  assert.ok(cli(['partition', db, '--format', 'csv']).stdout.includes(HUGE));
  assert.ok(cli(['partition', db, '--format', 'json']).stdout.includes(HUGE));
  const s = cli(['suspects', db]);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /HugeNNN/, 'the suspect is there');
  assert.ok(s.stdout.length < 10_000, `suspects text: ${s.stdout.length} characters`);
  assert.ok(cli(['suspects', db, '--wide']).stdout.includes(HUGE));
});
