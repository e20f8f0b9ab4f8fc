// `heapdiff suspects SNAP` end to end (MAT's Leak Suspects): a cache that never evicts is the first
// suspect with its path and accumulation point; heaps without a leak report none; thresholds are flags.
// The reports run in-process (runInProcess); the usage errors through a real process.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import type { SuspectsResult } from '../src/analyses/suspects.js';
import { FIXTURES, SAMPLES, ingestOnce as db, makeNodeSnapshot, runCli, runInProcessJsonAndText, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-suspects-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

const suspects = (args: string[]) => runInProcessJsonAndText<SuspectsResult>(['suspects', ...args]);

test('a response cache that never evicts is the first suspect: its path, accumulation point and entries', async () => {
  const script = `
    class CacheEntry { constructor(i) { this.key = 'req-' + i; this.body = 'x'.repeat(200) + i; this.headers = { host: 'h' + i, accept: 'a' + i }; } }
    const responseCache = new Map();
    function handle(i) { const k = 'GET /item/' + i; if (!responseCache.has(k)) responseCache.set(k, new CacheEntry(i)); return responseCache.get(k); }
    for (let i = 0; i < 20000; i++) handle(i);
    globalThis.app = { handle };
    require('v8').writeHeapSnapshot(process.env.OUT);`;
  const { json } = await suspects([db(makeNodeSnapshot(dir, 'cache', script))]);
  assert.equal(json.version, 1);
  assert.equal(json.threshold_percent, 10);
  const s = json.suspects[0];
  assert.equal(s.suspect, 'object');
  assert.ok(s.retained_percent > 50, String(s.retained_percent));
  const a = s.accumulation!;
  assert.equal(a.owner.class_name, 'Map');
  assert.match(a.line, /\.responseCache → Map\.table → \(internal array\) @\d+$/);
  assert.equal(a.children_by_class[0].class_name, 'CacheEntry');
  assert.equal(a.children_by_class[0].count, 20000);
  assert.ok(s.line!.length > 0 && s.path!.length > 0);
  const flat = runCli(['suspects', db(makeNodeSnapshot(dir, 'cache', script)), '--wide']).stdout;
  assert.match(flat, /^ 1\. system \/ Context \(module \[eval\]\): [\d.]+ MB retained \(\d+% of the heap\)$/m);
  assert.match(
    flat,
    /^ {4}The memory accumulates 2 steps down in \(internal array\) @\d+ .*owned by Map @\d+ .*\(responseCache → Map\.table → \(internal array\) {2}\(responseCache: module \[eval\]\)\): [\d,]+ dominated children\.$/m,
  );
  assert.match(flat, /^ {4}there {4}20,000 × CacheEntry [\d.]+ MB,/m);
  assert.match(flat, /^ {4}keeps {4}.*20,000 × CacheEntry/m);
});

test('heaps without a leak: no suspect above the threshold', async () => {
  const quiet = makeNodeSnapshot(
    dir,
    'quiet',
    `globalThis.data = Array.from({ length: 3000 }, (_, i) => ({ id: i, name: 'n' + i })); require('v8').writeHeapSnapshot(process.env.OUT)`,
  );
  for (const file of [quiet, join(SAMPLES, 'node-leak-before.heapsnapshot.gz')]) {
    const { json, text } = await suspects([db(file)]);
    assert.deepEqual(json.suspects, [], basename(file));
    assert.ok(json.top_objects.length > 0);
    assert.match(text, /^[\w-]+\.db: [\d.]+ MB heap; no leak suspect \(nothing retains 10% or more of it\)\.$/m);
    assert.match(text, /^Biggest top-level objects:$/m);
  }
});

test('--threshold: the samples module context accumulates the 305 Sessions; Chromium: the detachedCache array', async () => {
  const node = (await suspects([db(join(SAMPLES, 'node-leak-final.heapsnapshot.gz')), '--threshold', '5'])).json;
  const ctx = node.suspects.find((x) => x.accumulation?.children_by_class.some((c) => c.class_name === 'Session'));
  assert.ok(ctx, 'a suspect accumulating the Sessions');
  assert.equal(ctx.accumulation!.children_by_class[0].class_name, 'Session');
  assert.equal(ctx.accumulation!.children_by_class[0].count, 305);
  const chrome = (await suspects([db(join(FIXTURES, 'chrome-small-2.heapsnapshot.gz')), '--threshold', '5', '--children', '2'])).json;
  const cache = chrome.suspects.find((x) => /\.detachedCache → Array @\d+$/.test(x.line ?? ''));
  assert.ok(cache, 'the detachedCache array is a suspect at 5 %');
  assert.deepEqual(
    cache.accumulation!.children_by_class.map((c) => [c.class_name, c.count]),
    [
      ['Detached <div>', 300],
      ['(array)', 1],
    ],
  );
  assert.equal(cache.accumulation!.children.length, 2);
});

test('suspects: bad thresholds exit 2', () => {
  const file = join(SAMPLES, 'node-leak-before.heapsnapshot.gz');
  for (const args of [
    ['--threshold', '0'],
    ['--threshold', '150'],
    ['--big-drop', '1.5'],
    ['--children', '0'],
  ]) {
    const r = runCli(['suspects', file, ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^heapdiff: --/);
  }
});

test('--ignore leaves out a suspect by class or path, as heapdiff.config.json does', async () => {
  const snap = db(join(SAMPLES, 'node-leak-after.heapsnapshot.gz'));
  const all = (await suspects([snap, '--threshold', '3'])).json;
  assert.ok(all.suspects.length >= 2, JSON.stringify(all.suspects.map((s) => s.label)));
  const first = all.suspects[0];
  const without = (await suspects([snap, '--threshold', '3', '--ignore', first.kind])).json;
  assert.equal(without.suspects.length, all.suspects.length - all.suspects.filter((s) => s.kind === first.kind).length);
  assert.ok(!without.suspects.some((s) => s.kind === first.kind));
});
