// Signals and files, with real processes: SIGINT/SIGTERM end any phase at once and leave no temporary
// file (src/store/interrupt.ts); what `kill -9` leaves is removed by a later run; commands started
// together on one new snapshot ingest it once (src/store/lock.ts); `sql --timeout` stops a query.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { BIN, makeNodeSnapshot, runCli, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-signals-');
after(() => rmSync(dir, { recursive: true, force: true }));
// A heap big enough that an ingest lasts a while (~40 MB of snapshot).
const snap = makeNodeSnapshot(
  dir,
  'big',
  `globalThis.keep = Array.from({ length: 250000 }, (_, i) => ({ i, s: 'item ' + i, a: [i] }));
   require('v8').writeHeapSnapshot(process.env.OUT);`,
);
const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

interface Run {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
  kill: (s: NodeJS.Signals) => void;
}

function start(args: string[], cacheDir: string): Run {
  const c = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, HEAPDIFF_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  c.stderr.on('data', (d) => (stderr += d));
  c.stdout.on('data', (d) => (stdout += d));
  return {
    pid: c.pid!,
    exited: new Promise((resolve) => c.once('close', (code, signal) => resolve({ code, signal, stderr, stdout }))),
    kill: (s) => c.kill(s),
  };
}

/** Waits until `cond()` holds (polling the file system); fails after `ms`. */
async function until(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const files = (d: string) => (existsSync(d) ? readdirSync(d) : []);
const temps = (d: string) => files(d).filter((n) => n.includes('.tmp-') || n.endsWith('.lock'));

function endedBy(r: { code: number | null; signal: NodeJS.Signals | null }, sig: 'SIGINT' | 'SIGTERM'): boolean {
  return r.signal === sig || r.code === (sig === 'SIGINT' ? 130 : 143);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} in the middle of an ingest: ends by the signal, no temporary file, no database`, async () => {
    const out = join(dir, `ingest-${sig}`);
    const cacheDir = join(out, 'cache');
    const run = start(['ingest', snap, '--db', join(out, 'x.db'), '--quiet'], cacheDir);
    await until(() => files(out).some((n) => n.includes('.tmp-')), 'the temporary database');
    run.kill(sig);
    const r = await run.exited;
    assert.ok(endedBy(r, sig), `ended by ${sig}: ${JSON.stringify(r)}`);
    assert.deepEqual(
      files(out).filter((n) => n !== 'cache'),
      [],
      'nothing left in the output directory',
    );
  });
}

test('SIGTERM while a command ingests into the cache: no temporary file, no lock, no entry', async () => {
  const cacheDir = join(dir, 'cache-term');
  const run = start(['stats', snap], cacheDir);
  await until(() => files(cacheDir).some((n) => n.includes('.tmp-')), 'the temporary entry');
  run.kill('SIGTERM');
  const r = await run.exited;
  assert.ok(endedBy(r, 'SIGTERM'), JSON.stringify(r));
  assert.deepEqual(temps(cacheDir), []);
  assert.deepEqual(
    files(cacheDir).filter((n) => n.endsWith('.db')),
    [],
  );
});

test("SIGINT during a long sql query on a snapshot's first use ends it", async () => {
  const cacheDir = join(dir, 'cache-sql');
  const run = start(['sql', snap, ENDLESS], cacheDir);
  // the ingest is done and the lock released: the query is running (or about to)
  await until(() => files(cacheDir).some((n) => n.endsWith('.db')) && temps(cacheDir).length === 0, 'the cache entry');
  await sleep(300);
  run.kill('SIGINT');
  const r = await run.exited;
  assert.ok(endedBy(r, 'SIGINT'), JSON.stringify(r));
  assert.equal(r.stdout, '');
});

test('sql --timeout stops an endless query: exit 2, one line', () => {
  const cacheDir = join(dir, 'cache-sql');
  const r = runCli(['sql', snap, ENDLESS, '--timeout', '1'], { cacheDir });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'heapdiff: sql: the query ran longer than --timeout 1 s and was stopped\n');
  const ok = runCli(['sql', snap, 'SELECT count(*) AS n FROM classes', '--timeout', '30', '--format', 'csv'], { cacheDir });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^n\n\d+\n$/);
});

test('kill -9 leaves files; a later run removes those of the dead process and takes over its lock', async () => {
  const cacheDir = join(dir, 'cache-kill');
  const run = start(['stats', snap], cacheDir);
  // The database's temporary file, not the lock's (the lock is written beside itself first, then renamed).
  await until(() => files(cacheDir).some((n) => n.includes('.tmp-') && !n.includes('.lock')), 'the temporary entry');
  run.kill('SIGKILL');
  await run.exited;
  const left = temps(cacheDir);
  assert.ok(
    left.some((n) => n.endsWith('.lock')) && left.some((n) => n.includes(`.tmp-${run.pid}-`)),
    `kill -9 leaves the lock and the temporary file: ${left}`,
  );
  const r = runCli(['stats', snap, '--format', 'json'], { cacheDir });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(temps(cacheDir), [], "the dead process's files are gone");
  assert.equal(files(cacheDir).filter((n) => n.endsWith('.db')).length, 1);

  // the same for an explicit --db target: a later ingest to it removes the dead one's temporary files
  const out = join(dir, 'kill-db');
  const run2 = start(['ingest', snap, '--db', join(out, 'y.db'), '--quiet'], join(out, 'cache'));
  await until(() => files(out).some((n) => n.includes('.tmp-')), 'the temporary database');
  run2.kill('SIGKILL');
  await run2.exited;
  assert.ok(temps(out).length > 0);
  const again = runCli(['ingest', snap, '--db', join(out, 'y.db'), '--quiet'], { cacheDir: join(out, 'cache') });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(temps(out), []);
});

test('four commands on one new snapshot ingest it once (the others wait for the first)', async () => {
  const cacheDir = join(dir, 'cache-four');
  const q = "SELECT value FROM meta WHERE key = 'ingested_at'";
  const runs = [0, 1, 2, 3].map(() => start(['sql', snap, q, '--format', 'csv'], cacheDir));
  const results = await Promise.all(runs.map((r) => r.exited));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(new Set(results.map((r) => r.stdout)).size, 1, `one ingest: ${results.map((r) => r.stdout.trim()).join(' | ')}`);
  assert.deepEqual(temps(cacheDir), []);
});
