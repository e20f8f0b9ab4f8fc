// `heapdiff leaks BASELINE TARGET FINAL` end to end: the planted leaks of the samples (a Node server)
// and of the Chromium sequence are the first group with the right path; a cleared cache leaks nothing;
// the JSON shape; snapshots that do not come from one process. The reports run in-process
// (runInProcess); the usage errors through a real process.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LeaksResult } from '../src/analyses/leaks.js';
import {
  FIXTURES,
  HAS_SHARED,
  SAMPLES,
  SHARED_FIXTURES,
  ingestOnce as db,
  makeNodeSnapshot,
  runCli,
  runInProcess,
  runInProcessJsonAndText,
  tempDir,
} from './helpers/env.js';

const dir = tempDir('heapdiff-leaks-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

const leaks = (args: string[]) => runInProcessJsonAndText<LeaksResult>(['leaks', ...args]);

test('Node server (samples): the 300 leaked Sessions are the first group, held through sessionCache → Map', async () => {
  const [b, t, f] = ['before', 'after', 'final'].map((n) => db(join(SAMPLES, `node-leak-${n}.heapsnapshot.gz`)));
  const { json, text } = await leaks([b, t, f]);
  assert.equal(json.version, 1);
  assert.equal(json.same_process, true);
  const g = json.suspects[0];
  assert.equal(g.kind, 'Session');
  assert.equal(g.count, 300);
  assert.equal(g.detached, false);
  assert.match(g.pattern, /system \/ Context\.sessionCache → Map\.table → \(internal array\)\[\] → Session$/);
  assert.equal(g.paths.length, 1);
  assert.equal(g.paths[0].hops[g.paths[0].hops.length - 1].class_name, 'Session');
  // The listeners' closures leak too (bus → EventEmitter → tick array), as a group of their own.
  assert.ok(
    json.suspects.some(
      (x) => x.kind === 'Function' && x.count === 300 && /\.bus → EventEmitter\._events → Object\.tick → Array\[\] → Function$/.test(x.pattern),
    ),
  );
  // Nothing is reported twice: the Sessions' typed arrays live inside the Session group.
  assert.ok(!json.suspects.some((x) => x.kind === 'Float64Array'));
  // The scratch objects freed by "logout-all" are not leaks.
  assert.ok(!json.suspects.some((x) => x.kind === 'RequestScratch'));
  const t0 = json.totals;
  assert.ok(t0.allocated > t0.leaked && t0.leaked >= t0.top_level && t0.top_level >= 600, JSON.stringify(t0));
  const lines = text.split('\n');
  assert.match(lines[0], /^node-leak-before\.db → node-leak-after\.db → node-leak-final\.db: 3,624 objects allocated between$/);
  assert.match(
    text,
    /^ 1\. 300 × Session \(leaky-server\.mjs:\d+:\d+\): [\d.]+ kB retained \([\d.]+% of final\)\n {4}kept by {2}sessionCache → Map\[entry\] {2}\(sessionCache: module leaky-server\.mjs\)\n {4}keeps {4}300 × system \/ JSArrayBufferData/m,
  );
  assert.match(text, /^ 2\. 300 × onTick \(leaky-server\.mjs:\d+:\d+\): [\d.]+ kB retained/m);
  assert.equal(g.label.replace(/ \(.*/, ''), 'Session');
});

test('Chromium sequence: the detached <div>s are the first group, marked, through window.detachedCache', async () => {
  const [b, t, f] = [0, 1, 2].map((i) => db(join(FIXTURES, `chrome-small-${i}.heapsnapshot.gz`)));
  const { json, text } = await leaks([b, t, f]);
  const g = json.suspects[0];
  assert.equal(g.kind, 'Detached <div>');
  assert.equal(g.detached, true);
  assert.equal(g.count, 200, 'one group of the 200 trees, not their children');
  assert.match(g.pattern, /\.detachedCache → Array\[\] → Detached <div>$/);
  assert.equal(json.totals.detached_dom, 200);
  assert.match(
    text,
    /^ 1\. 200 × Detached <div>: 88\.0 kB retained \([\d.]+% of final\)\n {4}kept by {2}window\.detachedCache\[\]\n {4}keeps {4}400 × Detached Text/m,
  );
  const csv = await runInProcess(['leaks', b, t, f, '--format', 'csv']);
  assert.equal(csv.stdout.split('\n')[0], 'index,count,retained,kind,name,detached,path,keeps,pattern');
});

test('Chromium sequence (large): 1,000 × Window.detachedCache → Array → Detached <div>', { skip: HAS_SHARED ? false : 'no ../shared/fixtures' }, async () => {
  const [b, t, f] = [0, 1, 2].map((i) => db(join(SHARED_FIXTURES, `chrome-todo-${i}.heapsnapshot.gz`)));
  const { json, text } = await leaks([b, t, f]);
  assert.equal(json.suspects[0].kind, 'Detached <div>');
  assert.equal(json.suspects[0].count, 1000);
  assert.match(text, /^ 1\. 1,000 × Detached <div>: 440 kB retained \([\d.]+% of final\)\n {4}kept by {2}window\.detachedCache\[\]$/m);
});

test('a cache that is cleared again leaks nothing worth a group', async () => {
  const script = `
    const v8 = require('v8');
    class CacheEntry { constructor(i) { this.key = 'k' + i; this.value = { n: String(i), list: [i, String(i)] }; } }
    globalThis.cache = new Map();
    const out = (s) => process.env.OUT.replace(/\\.heapsnapshot$/, s + '.heapsnapshot');
    v8.writeHeapSnapshot(out('-0'));
    for (let i = 0; i < 2000; i++) cache.set('k' + i, new CacheEntry(i));
    v8.writeHeapSnapshot(out('-1'));
    cache.clear();
    v8.writeHeapSnapshot(process.env.OUT);`;
  const f = makeNodeSnapshot(dir, 'cleared', script);
  const [b, t] = ['-0', '-1'].map((s) => f.replace(/\.heapsnapshot$/, `${s}.heapsnapshot`));
  const { json } = await leaks([db(b), db(t), db(f)]);
  assert.equal(json.same_process, true);
  assert.ok(json.totals.allocated > 10000, 'the cache was allocated between baseline and target');
  assert.ok(json.totals.retained_percent < 0.1, JSON.stringify(json.totals));
  for (const g of json.suspects) assert.ok(g.count <= 1, `${g.kind} ×${g.count}: ${g.pattern}`);
});

test('snapshots of different processes: no leak detection, said plainly', async () => {
  const script = `require('v8').writeHeapSnapshot(process.env.OUT)`;
  const [a, b, c] = ['p1', 'p2', 'p3'].map((n, i) =>
    makeNodeSnapshot(dir, n, `globalThis.x = Array.from({ length: ${i * 500} }, (_, i) => ({ i: String(i) })); ${script}`),
  );
  const { json, text } = await leaks([db(a), db(b), db(c)]);
  assert.equal(json.same_process, false);
  assert.match(json.note!, /different processes/);
  assert.deepEqual(json.suspects, []);
  assert.match(text, /^p1\.db → p2\.db → p3\.db: different processes, so leaks cannot be found/);
  assert.match(text.replace(/\n(?!\n)/g, ' '), /Note: BASELINE and TARGET come from different processes/);
});

test('leaks: usage errors exit 2', () => {
  const r = runCli(['leaks', join(dir, 'nope.db'), join(dir, 'nope.db')]);
  assert.equal(r.status, 2);
  const r2 = runCli(['leaks', join(dir, 'a'), join(dir, 'b'), join(dir, 'c')]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /^heapdiff: /);
});
