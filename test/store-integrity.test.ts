// A store damaged after ingest never answers: page checksums (src/store/page-checksums.ts) are checked
// before a store is used, once per version of the file (src/store/verified-stamp.ts). A damaged `.db`
// given by the user is an input error naming it; a damaged cache entry is ingested again. SQLite's own
// "malformed" verdict and the page reader's are input errors too.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { appendPageChecksums, verifyPageChecksums } from '../src/store/page-checksums.js';
import { FIXTURES, runCli, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-integrity-');
after(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');
const snap = join(FIXTURES, 'chrome-small-0.heapsnapshot.gz');
const PAGE = 16384;
const cli = (args: string[]) => runCli(args, { cacheDir: cache });

const good = join(dir, 'good.db');
const ing = cli(['ingest', snap, '--db', good, '--quiet']);
const truth = (() => {
  const db = new Database(good, { readonly: true });
  try {
    return { edges: db.prepare('SELECT count(*) FROM edges').pluck().get() as number, nodes: db.prepare('SELECT count(*) FROM nodes').pluck().get() as number };
  } finally {
    db.close();
  }
})();

function zero(path: string, offset: number, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(bytes), 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
}

function copyOf(name: string): string {
  const p = join(dir, name);
  copyFileSync(good, p);
  return p;
}

function countEdges(path: string) {
  return cli(['sql', path, 'SELECT count(*) AS n FROM edges', '--format', 'json']);
}

test('ingest writes page checksums that SQLite ignores and heapdiff verifies', () => {
  assert.equal(ing.status, 0, ing.stderr);
  const v = verifyPageChecksums(good);
  assert.equal(v.ok, true);
  const db = new Database(good, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal((v as { pages: number }).pages, db.pragma('page_count', { simple: true }));
  } finally {
    db.close();
  }
  const r = countEdges(good);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).rows[0][0], truth.edges);
});

test('4 KiB zeroed inside one page of a .db: exit 2 naming the file, no answer', () => {
  const bad = copyOf('zeroed.db');
  zero(bad, 5 * PAGE + 4096, 4096); // inside page 6, one of the edge pages
  assert.equal(verifyPageChecksums(bad).ok, false);
  const r = countEdges(bad);
  assert.equal(r.status, 2, r.stdout);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^heapdiff: .*zeroed\.db: damaged database: page 6 does not match its checksum/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});

test('damage after a verified open is still found (the file changed, so it is verified again)', () => {
  const p = copyOf('later.db');
  assert.equal(countEdges(p).status, 0);
  zero(p, 3 * PAGE + 100, 50);
  const r = countEdges(p);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /later\.db: damaged database: page 4 /);
});

test('a truncated, an extended and a checksum-less store are refused', () => {
  const cut = copyOf('cut.db');
  truncateSync(cut, statSync(cut).size - 100);
  assert.match(countEdges(cut).stderr, /cut\.db: damaged database: /);
  const bare = copyOf('bare.db');
  const db = new Database(bare, { readonly: true });
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  truncateSync(bare, pages * PAGE); // the file as SQLite wrote it, without the trailer
  const r = countEdges(bare);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bare\.db: damaged database: no page checksums/);
});

test('a damaged cache entry is ingested again and answers correctly', () => {
  const first = cli(['sql', snap, 'SELECT count(*) AS n FROM nodes', '--format', 'json']);
  assert.equal(first.status, 0, first.stderr);
  const entry = readdirSync(cache).filter((n) => n.endsWith('.db'));
  assert.equal(entry.length, 1);
  const path = join(cache, entry[0]);
  zero(path, 5 * PAGE + 4096, 4096);
  const again = cli(['sql', snap, 'SELECT count(*) AS n FROM nodes', '--format', 'json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).rows[0][0], truth.nodes);
  assert.equal(verifyPageChecksums(path).ok, true, 'the entry was replaced by a sound one');
});

test('SQLite reporting a malformed database (with valid checksums): exit 2, one line naming the file', () => {
  const p = copyOf('malformed.db');
  const db = new Database(p, { readonly: true });
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  truncateSync(p, pages * PAGE);
  zero(p, 2 * PAGE, 12); // page 3's b-tree page header: not a b-tree page any more
  appendPageChecksums(p); // damage that happened before the checksums were taken
  const r = countEdges(p);
  assert.equal(r.status, 2, r.stdout);
  assert.match(r.stderr, /^heapdiff: .*malformed\.db: malformed database \(database disk image is malformed\)/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});
