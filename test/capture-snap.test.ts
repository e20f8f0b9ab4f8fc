// `heapdiff snap` against real processes: a Node program with a planted leak captured by PID (SIGUSR1)
// and by inspector address, the file ingests and shows the leak; and the faults — a PID that does not
// exist or is not Node (which must survive), a closed port, a non-loopback host, a full disk, a target
// killed mid-snapshot, Ctrl-C: one line on stderr, exit 2, nothing under the final name.
import assert from 'node:assert/strict';
import type { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { runCliJson, tempDir } from './helpers/env.js';
import { killAll, leakyProgram, runCliAsync, start, startNodeProgram, tinyDisk, unmountAll } from './helpers/processes.js';

const dir = tempDir('heapdiff-snap-test-');
const cacheDir = join(dir, 'cache');
after(() => {
  killAll();
  unmountAll();
  rmSync(dir, { recursive: true, force: true });
});

const snap = (args: string[], onStart?: Parameters<typeof runCliAsync>[1]['onStart']) => runCliAsync(['snap', ...args, '--quiet'], { cacheDir, onStart });

function leakRow(file: string, kind: string) {
  const p = runCliJson(['partition', file, '--all'], { cacheDir });
  return p.rows.find((r: { kind: string }) => r.kind === kind);
}

test('by PID: SIGUSR1 opens the inspector; a gzip snapshot that ingests and shows the 3,000 planted objects', async () => {
  // --inspect-port=0: the inspector SIGUSR1 opens gets a free port (found through /proc), never a busy 9229.
  const p = await startNodeProgram(dir, 'by-pid.js', leakyProgram('PlantedByPid', 3000), ['--inspect-port=0']);
  const out = join(dir, 'by-pid.heapsnapshot.gz');
  const r = await snap([String(p.pid), '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('by-pid.heapsnapshot')),
    ['by-pid.heapsnapshot.gz'],
  );
  const text = gunzipSync(readFileSync(out)).toString('utf8');
  assert.ok(text.startsWith('{"snapshot":'), text.slice(0, 40));
  const row = leakRow(out, 'PlantedByPid');
  assert.equal(row?.count, 3000);
  // A second snap of the same process reuses its open inspector.
  const again = await snap([String(p.pid), '-o', join(dir, 'by-pid-2.heapsnapshot'), '--gc']);
  assert.equal(again.status, 0, again.stderr);
  assert.ok(readFileSync(join(dir, 'by-pid-2.heapsnapshot'), 'utf8').startsWith('{"snapshot":'), 'plain when the name has no .gz');
  assert.equal(p.child.exitCode, null, 'the target keeps running');
});

test('by inspector address (host:port and ws://), with --ingest', async () => {
  const p = await startNodeProgram(dir, 'by-port.js', leakyProgram('PlantedByPort', 1234), ['--inspect=127.0.0.1:0']);
  const m = await p.waitFor(/Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/\S+)/);
  const out = join(dir, 'by-port.heapsnapshot.gz');
  const r = await snap([`127.0.0.1:${m[2]}`, '-o', out, '--ingest']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(
    readdirSync(cacheDir).some((f) => f.startsWith('by-port-') && f.endsWith('.db')),
    'ingested into the cache',
  );
  assert.equal(leakRow(out, 'PlantedByPort')?.count, 1234);
  const viaWs = join(dir, 'by-ws.heapsnapshot.gz');
  const w = await snap([m[1], '-o', viaWs]);
  assert.equal(w.status, 0, w.stderr);
  assert.equal(leakRow(viaWs, 'PlantedByPort')?.count, 1234);
});

test('faults: no such PID, a PID that is not Node (left alive), a closed port, a remote host, https', async () => {
  const sleeper = start('sleep', ['30']);
  const cases: [string[], RegExp][] = [
    [['999999999'], /process 999999999: no such process/],
    [[String(sleeper.pid)], /process \d+ \(sleep\) does not handle SIGUSR1: not a Node\.js process/],
    [['127.0.0.1:9'], /127\.0\.0\.1:9: no DevTools endpoint answers there \(connection refused\)/],
    [['10.20.30.40:9229'], /10\.20\.30\.40 is not a loopback address.*--allow-remote/],
    [['ws://192.168.1.1:9229/x'], /192\.168\.1\.1 is not a loopback address/],
    [['https://127.0.0.1:9222'], /give http:\/\/host:port/],
    [['no-such-thing'], /expected a process id, host:port/],
  ];
  for (const [args, re] of cases) {
    const out = join(dir, 'fault.heapsnapshot.gz');
    const r = await snap([...args, '-o', out]);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(out));
  }
  assert.equal(sleeper.child.exitCode, null, 'sleep was not signalled');
  assert.equal(sleeper.child.signalCode, null);
});

test('fault: a full disk (1 MB tmpfs): exit 2, "no space left", nothing left behind', async (t) => {
  const mnt = tinyDisk(join(dir, 'tiny'));
  if (!mnt) {
    t.skip('cannot mount a tmpfs here (needs root); the full-disk case is not tested');
    return;
  }
  const p = await startNodeProgram(dir, 'big.js', leakyProgram('Filler', 200000), ['--inspect-port=0']);
  const r = await snap([String(p.pid), '-o', join(mnt, 'full.heapsnapshot.gz')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^heapdiff: cannot write .*full\.heapsnapshot\.gz: no space left on device\n$/);
  assert.deepEqual(readdirSync(mnt), []);
  assert.equal(p.child.exitCode, null, 'the target keeps running');
});

/** Resolves once a temporary capture file exists in `d` (the snapshot is being written). */
async function tempFileAppears(d: string, stem: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const f = readdirSync(d).find((x) => x.startsWith(`${stem}.tmp-`));
    if (f && statSync(join(d, f)).size > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no temporary file appeared');
}

test('fault: the target is killed mid-snapshot: exit 2, no file, temporary removed', async () => {
  const p = await startNodeProgram(dir, 'dies.js', leakyProgram('Doomed', 200000), ['--inspect-port=0']);
  const d = join(dir, 'dies-out');
  mkdirSync(d);
  const run = snap([String(p.pid), '-o', join(d, 'dies.heapsnapshot.gz')]);
  await tempFileAppears(d, 'dies.heapsnapshot.gz');
  p.child.kill('SIGKILL');
  const r = await run;
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^heapdiff: process \d+: the target closed the connection \(did the process exit\?\)\n$/);
  assert.deepEqual(readdirSync(d), []);
});

test('Ctrl-C mid-snapshot: the temporary file is removed, exit 130', async () => {
  const p = await startNodeProgram(dir, 'interrupted.js', leakyProgram('Interrupted', 200000), ['--inspect-port=0']);
  const d = join(dir, 'int-out');
  mkdirSync(d);
  let cli: ReturnType<typeof spawn> | null = null;
  const run = snap([String(p.pid), '-o', join(d, 'int.heapsnapshot.gz')], (c) => (cli = c));
  await tempFileAppears(d, 'int.heapsnapshot.gz');
  cli!.kill('SIGINT');
  const r = await run;
  assert.equal(r.status, 130, r.stderr);
  assert.deepEqual(readdirSync(d), []);
  assert.equal(p.child.exitCode, null, 'the target keeps running');
});
