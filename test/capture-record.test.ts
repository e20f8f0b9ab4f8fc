// `heapdiff record` end to end with real Node programs that plant leaks: snapshots at marks (the
// program imports `heapdiff/mark` through the package's exports), at intervals with --max, on a signal
// sent to the program and to heapdiff, at exit and on Ctrl-C; the index; the report (diff of first
// and last, leaks over first/middle/last); and the faults (program gone before its first snapshot, not
// a Node program, a used directory, a full disk).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RecordIndex } from '../src/capture/record.js';
import { ROOT, tempDir } from './helpers/env.js';
import { killAll, runCliAsync, tinyDisk, unmountAll } from './helpers/processes.js';

const dir = tempDir('heapdiff-record-test-');
const cacheDir = join(dir, 'cache');
// The programs live in a package directory whose node_modules/heapdiff is this checkout, so
// `import { mark } from 'heapdiff/mark'` resolves through package.json's exports as for a user.
const app = join(dir, 'app');
mkdirSync(join(app, 'node_modules'), { recursive: true });
symlinkSync(ROOT, join(app, 'node_modules', 'heapdiff'), 'dir');
after(() => {
  killAll();
  unmountAll();
  rmSync(dir, { recursive: true, force: true });
});

function program(name: string, source: string): string {
  const file = join(app, name);
  writeFileSync(file, source);
  return file;
}

const record = (args: string[], onStart?: (c: ChildProcess) => void) => runCliAsync(['record', ...args], { cacheDir, onStart, cwd: app });
const readIndex = (d: string): RecordIndex => JSON.parse(readFileSync(join(d, 'index.json'), 'utf8'));
const snapshotFiles = (d: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.heapsnapshot.gz'))
    .sort();

const LEAK = `
class Planted { constructor(i) { this.i = i; this.tag = 'planted-' + i; } }
const kept = [];
const grow = (n) => { for (let i = 0; i < n; i++) kept.push(new Planted(kept.length)); };
`;

test('marks, exit snapshot, index and report: the planted class leads the diff and the leaks', async () => {
  const file = program(
    'marks.mjs',
    `import { mark } from 'heapdiff/mark';
${LEAK}
grow(500);
const first = await mark('after load');
console.error('mark returned ' + first);
grow(3000);
await mark('after-work');
grow(3000);
let scratch = Array.from({ length: 20000 }, (_, i) => ({ i }));
scratch = null;
`,
  );
  const out = join(dir, 'rec-marks');
  const r = await record(['-o', out, '--startup', '60s', '--format', 'json', '--', 'node', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(snapshotFiles(out), ['01-after-load.heapsnapshot.gz', '02-after-work.heapsnapshot.gz', '03-exit.heapsnapshot.gz']);
  // mark() resolved with the snapshot's path, after it was written; the program's stderr passed through.
  assert.match(r.stderr, new RegExp(`mark returned ${join(out, '01-after-load.heapsnapshot.gz').replace(/[.]/g, '\\.')}`));
  assert.doesNotMatch(r.stderr, /Debugger (listening|attached)|Waiting for the debugger|For help, see/);
  const index = readIndex(out);
  assert.equal(index.version, 1);
  assert.deepEqual(index.command, ['node', file]);
  assert.deepEqual(
    index.snapshots.map((s) => [s.seq, s.label, s.reason]),
    [
      [1, 'after load', 'mark'],
      [2, 'after-work', 'mark'],
      [3, 'exit', 'exit'],
    ],
  );
  assert.deepEqual(index.exit, { code: 0, signal: null });
  assert.ok(index.snapshots.every((s) => s.bytes > s.file_bytes && s.file_bytes > 0));
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  assert.equal(report.record.snapshots.length, 3);
  const planted = report.diff.rows.find((x: { kind: string }) => x.kind === 'Planted');
  assert.equal(planted.new, 6000);
  assert.equal(planted.deleted, 0);
  assert.equal(report.diff.suspects[0].kind, 'Planted');
  // leaks(first, middle, last): the 3,000 made between the marks are still alive at exit.
  assert.equal(report.leaks.same_process, true);
  assert.equal(report.leaks.suspects[0].kind, 'Planted');
  assert.equal(report.leaks.suspects[0].count, 3000);
  // The text report has both sections.
  const text = await record(['-o', out, '--force', '--startup', '60s', '-q', '--', 'node', file]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^== diff 01-after-load\.heapsnapshot\.gz → 03-exit\.heapsnapshot\.gz\n/);
  assert.match(text.stdout, /\n== leaks 01-after-load\.heapsnapshot\.gz → 02-after-work\.heapsnapshot\.gz → 03-exit\.heapsnapshot\.gz\n/);
  assert.match(text.stdout, /^ 1\. 6,000 × Planted \(marks\.mjs:\d+:\d+\): .* retained/m);
  assert.match(text.stdout.slice(text.stdout.indexOf('== leaks')), /^ 1\. 3,000 × Planted \(marks\.mjs:\d+:\d+\): .* retained/m);
});

test('--every with --max: the first snapshot and the latest kept, older ones dropped from disk and index', async () => {
  // The program runs until the index shows three interval snapshots (no timing assumptions).
  const out = join(dir, 'rec-every');
  const file = program(
    'every.mjs',
    `import { readFileSync } from 'node:fs';
${LEAK}
const intervals = () => {
  try {
    const index = JSON.parse(readFileSync(${JSON.stringify(join(out, 'index.json'))}, 'utf8'));
    return [...index.snapshots, ...index.dropped].filter((s) => s.reason === 'interval').length;
  } catch {
    return 0;
  }
};
const timer = setInterval(() => {
  grow(200);
  if (intervals() >= 3) clearInterval(timer);
}, 50);
`,
  );
  const r = await record(['-o', out, '--every', '200ms', '--startup', '100ms', '--max', '3', '--no-report', '--', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const index = readIndex(out);
  assert.equal(index.snapshots.length, 3);
  assert.equal(index.snapshots[0].reason, 'start');
  assert.equal(index.snapshots[0].file, '01-start.heapsnapshot.gz');
  assert.equal(index.snapshots[2].reason, 'exit');
  assert.ok(index.dropped.length >= 1, JSON.stringify(index.dropped));
  assert.ok(index.dropped.every((d) => d.reason === 'interval'));
  assert.deepEqual(snapshotFiles(out), index.snapshots.map((s) => s.file).sort());
  const seqs = index.snapshots.map((s) => s.seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
});

test('--on-signal SIGUSR2: sent to the program (preload) and to heapdiff itself', async () => {
  const out = join(dir, 'rec-signal');
  const file = program(
    'signal.mjs',
    `import { readdirSync, existsSync } from 'node:fs';
${LEAK}
const signals = () => (existsSync(${JSON.stringify(out)}) ? readdirSync(${JSON.stringify(out)}).filter((f) => /-signal\\.heapsnapshot\\.gz$/.test(f)).length : 0);
grow(100);
process.kill(process.pid, 'SIGUSR2');
const timer = setInterval(() => {
  if (signals() === 1 && !globalThis.asked) { globalThis.asked = true; grow(100); console.error('signal heapdiff now'); }
  if (signals() >= 2) clearInterval(timer);
}, 50);
`,
  );
  let cli: ChildProcess | null = null;
  const run = record(['-o', out, '--on-signal', 'USR2', '--startup', '60s', '--no-report', '--', 'node', file], (c) => {
    cli = c;
    let seen = false;
    c.stderr!.on('data', (d: Buffer) => {
      if (!seen && d.toString().includes('signal heapdiff now')) {
        seen = true;
        c.kill('SIGUSR2');
      }
    });
  });
  const r = await run;
  assert.ok(cli);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /kill -USR2 \d+ takes a snapshot/);
  const index = readIndex(out);
  assert.deepEqual(
    index.snapshots.map((s) => [s.label, s.reason]),
    [
      ['signal', 'signal'],
      ['signal', 'signal'],
      ['exit', 'exit'],
    ],
  );
});

test('Ctrl-C: the final snapshot is taken, then the program stopped, the report printed', async () => {
  const out = join(dir, 'rec-int');
  // A server that, once the start-up snapshot is in the index, plants 20,000 objects and says so.
  const file = program(
    'server.mjs',
    `import { readFileSync } from 'node:fs';
${LEAK}
let said = false;
setInterval(() => {
  let n = 0;
  try {
    n = JSON.parse(readFileSync(${JSON.stringify(join(out, 'index.json'))}, 'utf8')).snapshots.length;
  } catch {}
  if (n >= 1 && !said) {
    said = true;
    grow(20000);
    console.error('grown');
  }
}, 20);
`,
  );
  const r = await record(['-o', out, '--startup', '100ms', '--', 'node', file], (c) => {
    let sent = false;
    c.stderr!.on('data', (d: Buffer) => {
      if (!sent && d.toString().includes('grown')) {
        sent = true;
        c.kill('SIGINT');
      }
    });
  });
  assert.equal(r.status, 0, r.stderr);
  const index = readIndex(out);
  assert.deepEqual(
    index.snapshots.map((s) => [s.file, s.reason]),
    [
      ['01-start.heapsnapshot.gz', 'start'],
      ['02-interrupt.heapsnapshot.gz', 'interrupt'],
    ],
  );
  assert.equal(index.exit?.signal, 'SIGINT');
  assert.match(r.stdout, /^== diff 01-start\.heapsnapshot\.gz → 02-interrupt\.heapsnapshot\.gz\n/);
  assert.match(r.stdout, /^ {5}\d +20000 +0 +\+20000 .* Planted$/m);
});

test('faults: gone before the first snapshot (bad Node option), not a Node program, a used directory, bad options', async () => {
  const quick = program('quick.js', `console.log('hi');\n`);
  const gone = join(dir, 'rec-gone');
  const used = join(dir, 'rec-used');
  mkdirSync(used);
  writeFileSync(join(used, 'index.json'), '{}');
  const cases: [string[], RegExp, string | null][] = [
    // Node refuses the option and exits before its inspector starts: no snapshot can be taken.
    [
      ['-o', gone, '--', 'node', '--no-such-node-option', quick],
      /^heapdiff: record: the program exited \(status 9\) before its first snapshot \(its inspector never started: is it a Node program\?\)\n$/,
      gone,
    ],
    [
      ['-o', join(dir, 'rec-py'), '--', 'python3', 'x.py'],
      /^heapdiff: record: runs Node programs; give "-- node python3 x\.py" or a \.js file/,
      join(dir, 'rec-py'),
    ],
    [['-o', used, '--', 'node', quick], /rec-used: not empty \(an earlier recording\); give a new directory, or --force/, null],
    [['-o', join(dir, 'rec-max'), '--max', '1', '--', 'node', quick], /^heapdiff: --max: expected a whole number >= 2 \(got 1\)\n$/, join(dir, 'rec-max')],
    [['-o', join(dir, 'rec-sig'), '--on-signal', 'SIGINT', '--', 'node', quick], /--on-signal: SIGINT is taken/, join(dir, 'rec-sig')],
    [['-o', join(dir, 'rec-every'), '--every', 'soon', '--', 'node', quick], /--every: expected a duration like 30s/, null],
    [['-o', join(dir, 'rec-none')], /give the program to run after --/, join(dir, 'rec-none')],
  ];
  for (const [args, re, mustNotExist] of cases) {
    const r = await record(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    // heapdiff says one line; a program's own stderr (Node's "bad option") is passed through before it.
    const own = r.stderr.split('\n').filter((l) => l.startsWith('heapdiff'));
    assert.equal(own.length, 1, r.stderr);
    assert.match(`${own[0]}\n`, re);
    if (mustNotExist) assert.ok(!existsSync(mustNotExist), mustNotExist);
  }
});

test('fault: a full disk stops the recording: exit 2, no partial snapshot, the program stopped', async (t) => {
  const mnt = tinyDisk(join(dir, 'tiny'));
  if (!mnt) {
    t.skip('cannot mount a tmpfs here (needs root); the full-disk case is not tested');
    return;
  }
  // The snapshot is asked for once the heap is big (its gzip is several MB): it cannot fit.
  const file = program('filler.mjs', `import { mark } from 'heapdiff/mark';\n${LEAK}\ngrow(200000);\nawait mark('full');\nsetInterval(() => {}, 1000);\n`);
  const out = join(mnt, 'rec');
  const r = await record(['-o', out, '--startup', '60s', '--', 'node', file]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^heapdiff: cannot write .*01-full\.heapsnapshot\.gz: no space left on device\n$/m);
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], []);
});
