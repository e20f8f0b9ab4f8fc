// The ingest cache's bounds: superseded entries removed, the size cap (least recently used first),
// `heapdiff cache list | prune | clear | add`, leftovers of dead processes, and directories that cannot
// be created (exit 2, one line).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, FIXTURES, runCli, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-cache-cmd-');
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

function snapshotCopy(name: string, fixture = 'chrome-small-0.heapsnapshot.gz'): string {
  const p = join(dir, name);
  copyFileSync(join(FIXTURES, fixture), p);
  return p;
}
const entries = (cache: string) =>
  readdirSync(cache)
    .filter((n) => n.endsWith('.db'))
    .sort();

test('a changed snapshot supersedes its cache entry: the old one is removed', () => {
  const cache = join(dir, 'c-superseded');
  const snap = snapshotCopy('a.heapsnapshot');
  assert.equal(runCli(['stats', snap], { cacheDir: cache }).status, 0);
  const [first] = entries(cache);
  // the same file, changed (another snapshot copied over it)
  copyFileSync(join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), snap);
  const r = runCli(['stats', snap], { cacheDir: cache });
  assert.equal(r.status, 0, r.stderr);
  const now = entries(cache);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], first);
  assert.equal(now[0].split('-').slice(0, -1).join('-'), first.split('-').slice(0, -1).join('-'), 'same snapshot group');
});

test('the size cap removes the least recently used entries', () => {
  const cache = join(dir, 'c-cap');
  const a = snapshotCopy('cap-a.heapsnapshot', 'chrome-small-0.heapsnapshot.gz');
  const b = snapshotCopy('cap-b.heapsnapshot', 'chrome-small-1.heapsnapshot.gz');
  const c = snapshotCopy('cap-c.heapsnapshot', 'chrome-small-2.heapsnapshot.gz');
  for (const s of [a, b]) assert.equal(runCli(['stats', s], { cacheDir: cache }).status, 0);
  assert.equal(runCli(['stats', a], { cacheDir: cache }).status, 0); // a is now used more recently than b
  const list = JSON.parse(runCli(['cache', 'list', '--format', 'json'], { cacheDir: cache }).stdout);
  assert.equal(list.entries.length, 2);
  assert.match(list.entries[0].source, /cap-a\.heapsnapshot$/, 'most recently used first');
  // room for the two entries there, not for a third of their size
  const r = runCli(['stats', c], { cacheDir: cache, env: { HEAPDIFF_CACHE_MAX: String(list.total_bytes + 1) } });
  assert.equal(r.status, 0, r.stderr);
  const after = JSON.parse(runCli(['cache', 'list', '--format', 'json'], { cacheDir: cache }).stdout);
  const sources = after.entries.map((e: { source: string }) => e.source.split('/').pop()).sort();
  assert.ok(sources.includes('cap-c.heapsnapshot'), 'the new entry stays');
  assert.ok(!sources.includes('cap-b.heapsnapshot'), `b (least recently used) went first: ${sources}`);
  const bad = runCli(['stats', c], { cacheDir: cache, env: { HEAPDIFF_CACHE_MAX: 'lots' } });
  assert.equal(bad.status, 0, 'a bad cap never fails a query command (the cache only grows)');
  const listBad = runCli(['cache', 'list'], { cacheDir: cache, env: { HEAPDIFF_CACHE_MAX: 'lots' } });
  assert.equal(listBad.status, 2);
  assert.match(listBad.stderr, /^heapdiff: HEAPDIFF_CACHE_MAX: expected a size/);
});

test('cache add, list, prune (superseded and dead leftovers), clear', () => {
  const cache = join(dir, 'c-cmd');
  const snap = snapshotCopy('cmd.heapsnapshot');
  const add = runCli(['cache', 'add', snap, '--quiet'], { cacheDir: cache });
  assert.equal(add.status, 0, add.stderr);
  assert.equal(entries(cache).length, 1);
  assert.equal(add.stdout.trim(), join(cache, entries(cache)[0]));
  const text = runCli(['cache', 'list'], { cacheDir: cache });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /cmd\.heapsnapshot/);
  assert.match(text.stdout, /current/);
  // a dead process's leftovers (a PID that certainly is not running: a child that has exited)
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(cache, `x.db.tmp-${dead}-0123abcd`), 'partial');
  writeFileSync(join(cache, `x.db.tmp-${dead}-0123abcd-side`), 'partial');
  writeFileSync(join(cache, `mine.db.tmp-${process.pid}-0123abcd`), "a live process's");
  // the snapshot is removed: its entry is superseded
  rmSync(snap);
  const prune = runCli(['cache', 'prune', '--format', 'json'], { cacheDir: cache });
  assert.equal(prune.status, 0, prune.stderr);
  const pr = JSON.parse(prune.stdout);
  assert.equal(pr.removed.length, 1);
  assert.equal(pr.removed[0].why, 'superseded');
  assert.deepEqual(pr.leftovers_removed.sort(), [`x.db.tmp-${dead}-0123abcd`, `x.db.tmp-${dead}-0123abcd-side`]);
  assert.ok(existsSync(join(cache, `mine.db.tmp-${process.pid}-0123abcd`)), "a live process's file stays");
  assert.deepEqual(entries(cache), []);
  const snap2 = snapshotCopy('cmd2.heapsnapshot');
  assert.equal(runCli(['cache', 'add', snap2, '--quiet'], { cacheDir: cache }).status, 0);
  const clear = runCli(['cache', 'clear', '--format', 'json'], { cacheDir: cache });
  assert.equal(clear.status, 0, clear.stderr);
  assert.equal(JSON.parse(clear.stdout).removed.length, 1);
  assert.deepEqual(entries(cache), []);
});

test('a cache or --db directory that cannot be created: exit 2, one line naming it', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const snap = join(FIXTURES, 'chrome-small-0.heapsnapshot.gz');
  const r1 = runCli(['stats', snap], { cacheDir: join(file, 'cache') });
  assert.equal(r1.status, 2, r1.stderr);
  assert.equal(
    r1.stderr,
    `heapdiff: ${join(file, 'cache')}: cannot create the cache directory (a part of the path is a file, ENOTDIR); set HEAPDIFF_CACHE_DIR to a writable directory\n`,
  );
  const r2 = runCli(['ingest', snap, '--db', join(file, 'sub', 'x.db')], { cacheDir: join(dir, 'c-env') });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /^heapdiff: .*a-file\/sub: cannot create the database directory \(a part of the path is a file, ENOTDIR\)\n$/);
  // $HOME that cannot hold ~/.cache and no HEAPDIFF_CACHE_DIR / XDG_CACHE_HOME
  const env = { ...process.env, HOME: file } as Record<string, string>;
  delete env.HEAPDIFF_CACHE_DIR;
  delete env.XDG_CACHE_HOME;
  const r3 = spawnSync(process.execPath, [BIN, 'stats', snap], { env, encoding: 'utf8' });
  assert.equal(r3.status, 2, r3.stderr);
  assert.match(r3.stderr, /^heapdiff: .*a-file\/\.cache\/heapdiff: cannot create the cache directory .*HEAPDIFF_CACHE_DIR/);
});

test('EACCES: a cache directory a non-root user may not create', (t) => {
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find(existsSync);
  if (process.getuid?.() !== 0 || !setpriv) return t.skip('needs root and setpriv to run the CLI as another user (root ignores permissions)');
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o755 });
  const snap = snapshotCopy('eacces.heapsnapshot');
  chmodSync(snap, 0o644);
  const r = spawnSync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'stats', snap], {
    env: { ...process.env, HEAPDIFF_CACHE_DIR: join(locked, 'cache') },
    encoding: 'utf8',
  });
  if (r.status !== 2 && /EACCES|permission/i.test(r.stderr) === false && r.stderr.includes('Cannot find module'))
    return t.skip('the checkout is not readable by another user');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(
    r.stderr,
    `heapdiff: ${join(locked, 'cache')}: cannot create the cache directory (permission denied, EACCES); set HEAPDIFF_CACHE_DIR to a writable directory\n`,
  );
});
