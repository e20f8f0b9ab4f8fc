// The raw page writer (src/store/sqlite-pages.ts) must produce files SQLite itself accepts: every tree
// shape (one leaf, two levels, three levels), every integer width, and a file past 1 GiB. SQLite's own integrity_check walks every page and checks
// index entries against their table, so a wrong pointer, key order or count fails it.
import { StringTable } from '../src/parse/string-table.js';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  IndexTreeWriter,
  LOCK_BYTE_PAGE,
  PAGE_SIZE,
  PageRun,
  RecordEncoder,
  TableTreeWriter,
  writeHeaderPage,
  type SchemaEntry,
} from '../src/store/sqlite-pages.js';
import { encodeStrings, writeStringTable } from '../src/store/string-bytes.js';
import { tempDir } from './helpers/env.js';

/** Deterministic values of every serial-type width, sign and the 0/1 constants. */
function valueAt(i: number, c: number, wide = false): number {
  if (wide) return 2 ** 41 + i * 13 + c; // 6-byte values: few rows per leaf
  const widths = [
    0,
    1,
    -1,
    127,
    -128,
    200,
    40000,
    -40000,
    8388607,
    9000000,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 32 + 5,
    2 ** 40,
    -(2 ** 47),
    2 ** 47,
    2 ** 53 - 1,
    -(2 ** 53) + 1,
  ];
  return (i * 7 + c * 3) % 5 === 0 ? widths[(i + c) % widths.length] : (i * 2654435761 + c * 977) % 100003;
}

/** Second key column: ascending within each x, and of varying width so that entries differ in size. */
function indexY(i: number): number {
  return [0, 1, 2 ** 40][i % 3];
}

function build(rows: number, indexEntries: number, cols: number): { path: string; tableRoot: number; indexRoot: number } {
  const dir = tempDir('heapdiff-pages-');
  const path = join(dir, 'x.db');
  // the big tables' way: O_DIRECT where the file system takes it (direct-io.ts)
  const run = PageRun.create(path, 2);
  // t: (k INTEGER PRIMARY KEY, a, b, c, …); rowids 0..rows-1
  const t = new TableTreeWriter(run, new RecordEncoder(cols));
  t.record.values[0] = NaN; // the rowid alias column holds NULL
  for (let i = 0; i < rows; i++) {
    const v = t.record.values;
    for (let c = 1; c < cols; c++) v[c] = valueAt(i, c, cols > 4);
    t.append(i);
  }
  const tableRoot = t.finish();
  // w: WITHOUT ROWID (x, y) primary key; ascending keys with repeated x
  const w = new IndexTreeWriter(run, new RecordEncoder(2));
  for (let i = 0; i < indexEntries; i++) {
    w.record.values[0] = Math.floor(i / 3) - 1000;
    w.record.values[1] = indexY(i);
    w.append();
  }
  const indexRoot = w.finish();
  closeSync(run.finish());
  const fd = openSync(path, 'r+');
  const entries: SchemaEntry[] = [
    {
      type: 'table',
      name: 't',
      tableName: 't',
      rootPage: tableRoot,
      sql: `CREATE TABLE t (k INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c INTEGER${Array.from({ length: cols - 4 }, (_, k) => `, z${k} INTEGER`).join('')})`,
    },
    {
      type: 'table',
      name: 'w',
      tableName: 'w',
      rootPage: indexRoot,
      sql: 'CREATE TABLE w (x INTEGER NOT NULL, y INTEGER NOT NULL, PRIMARY KEY (x, y)) WITHOUT ROWID',
    },
  ];
  writeHeaderPage(fd, 1 + run.pageCount, entries);
  closeSync(fd);
  assert.equal(statSync(path).size, (1 + run.pageCount) * PAGE_SIZE);
  return { path, tableRoot, indexRoot };
}

/** Levels of the b-tree rooted at `root`, following leftmost children (1 = a single leaf). */
function depth(path: string, root: number): number {
  const fd = openSync(path, 'r');
  try {
    const page = Buffer.alloc(PAGE_SIZE);
    let levels = 1;
    for (let p = root; ; levels++) {
      readSync(fd, page, 0, PAGE_SIZE, (p - 1) * PAGE_SIZE);
      if (page[0] === 0x0d || page[0] === 0x0a) return levels;
      p = page.readUInt32BE(page.readUInt16BE(12)); // first cell's left child
    }
  } finally {
    closeSync(fd);
  }
}

function check(rows: number, indexEntries: number, cols = 4, levels?: [number, number]): string {
  const { path, tableRoot, indexRoot } = build(rows, indexEntries, cols);
  if (levels) assert.deepEqual([depth(path, tableRoot), depth(path, indexRoot)], levels);
  const db = new Database(path, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    assert.equal(Number((db.prepare('SELECT count(*) AS n FROM t').get() as { n: bigint }).n), rows);
    let i = 0;
    for (const r of db.prepare('SELECT k, a, b, c FROM t ORDER BY k').iterate() as Iterable<Record<string, bigint>>) {
      assert.equal(r.k, BigInt(i));
      assert.deepEqual(
        [r.a, r.b, r.c],
        [1, 2, 3].map((c) => BigInt(valueAt(i, c, cols > 4))),
        `row ${i}`,
      );
      if (cols > 4 && i % 997 === 0) {
        const all = Object.values(db.prepare('SELECT * FROM t WHERE k = ?').get(i) as Record<string, bigint>);
        assert.deepEqual(
          all.slice(1),
          Array.from({ length: cols - 1 }, (_, c) => BigInt(valueAt(i, c + 1, true))),
        );
      }
      i++;
    }
    assert.equal(i, rows);
    // seeks through the interior pages
    for (const k of [0, 1, Math.floor(rows / 2), rows - 1].filter((k) => k >= 0 && k < rows)) {
      assert.equal((db.prepare('SELECT a FROM t WHERE k = ?').get(k) as { a: bigint }).a, BigInt(valueAt(k, 1, cols > 4)));
    }
    assert.equal(Number((db.prepare('SELECT count(*) AS n FROM w').get() as { n: bigint }).n), indexEntries);
    let j = 0;
    for (const r of db.prepare('SELECT x, y FROM w').iterate() as Iterable<Record<string, bigint>>) {
      assert.deepEqual([r.x, r.y], [BigInt(Math.floor(j / 3) - 1000), BigInt(indexY(j))]);
      j++;
    }
    assert.equal(j, indexEntries);
    if (indexEntries > 0) {
      const x = Math.floor((indexEntries - 1) / 2 / 3) - 1000;
      assert.equal(Number((db.prepare('SELECT count(*) AS n FROM w WHERE x = ?').get(x) as { n: bigint }).n), Math.min(3, indexEntries - (x + 1000) * 3));
    }
  } finally {
    db.close();
  }
  // SQLite can add tables to the file afterwards
  const rw = new Database(path);
  try {
    rw.exec("CREATE TABLE later (v TEXT); INSERT INTO later VALUES ('x')");
    rw.exec('CREATE INDEX t_a ON t(a)');
    assert.deepEqual(rw.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    rw.close();
  }
  return path;
}

test('empty trees', () => void check(0, 0));
test('written through the page cache where O_DIRECT is off or refused', () => {
  process.env.HEAPDIFF_NO_DIRECT_IO = '1';
  try {
    check(20_000, 30_000, 4, [2, 2]);
  } finally {
    delete process.env.HEAPDIFF_NO_DIRECT_IO;
  }
  // tmpfs refuses O_DIRECT at open (kernels before 6.6)
  if (existsSync('/dev/shm')) {
    const path = join('/dev/shm', `heapdiff-pages-${process.pid}.db`);
    try {
      const run = PageRun.create(path, 2);
      const t = new TableTreeWriter(run, new RecordEncoder(1));
      for (let i = 0; i < 5000; i++) {
        t.record.values[0] = i * 3;
        t.append(i);
      }
      const root = t.finish();
      closeSync(run.finish());
      const fd = openSync(path, 'r+');
      writeHeaderPage(fd, 1 + run.pageCount, [{ type: 'table', name: 't', tableName: 't', rootPage: root, sql: 'CREATE TABLE t (a INTEGER)' }]);
      closeSync(fd);
      const db = new Database(path, { readonly: true });
      try {
        assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
        assert.equal((db.prepare('SELECT sum(a) AS s FROM t').get() as { s: number }).s, 3 * ((4999 * 5000) / 2));
      } finally {
        db.close();
      }
    } finally {
      rmSync(path, { force: true });
    }
  }
});
test('one leaf each', () => void check(10, 10, 4, [1, 1]));
test('two levels', () => void check(20_000, 30_000, 4, [2, 2]));
// wide rows: ~170 per leaf, so 400 k rows need more leaves than one interior page can point at
test('three levels', () => void check(400_000, 2_100_000, 14, [3, 3]));
test('records of more than 14 columns are refused (their size would need two bytes)', () => {
  assert.throws(() => new RecordEncoder(15), /too many columns/);
  assert.doesNotThrow(() => new RecordEncoder(14));
});
// SQLite keeps the page holding byte 2^30 for file locks: a database over 1 GiB must leave it unused
// (found on a 700 MB snapshot, whose node table crossed it).
const freeTmpBytes = (() => {
  const s = statfsSync(tmpdir());
  return s.bavail * s.bsize;
})();
test('a database past 1 GiB leaves the lock-byte page unused', { skip: freeTmpBytes < 3e9 ? `needs 3 GB free in ${tmpdir()}` : false }, () => {
  const rows = 12_000_000; // ~95 bytes a row
  const { path, tableRoot } = build(rows, 0, 14);
  try {
    assert.ok(statSync(path).size > LOCK_BYTE_PAGE * PAGE_SIZE);
    const fd = openSync(path, 'r');
    const page = Buffer.alloc(PAGE_SIZE);
    readSync(fd, page, 0, PAGE_SIZE, (LOCK_BYTE_PAGE - 1) * PAGE_SIZE);
    closeSync(fd);
    assert.ok(page.every((b) => b === 0));
    assert.equal(depth(path, tableRoot), 3);
    const db = new Database(path, { readonly: true });
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, rows);
      for (const k of [0, 6_000_000, rows - 1]) assert.equal((db.prepare('SELECT c FROM t WHERE k = ?').get(k) as { c: number }).c, valueAt(k, 3, true));
    } finally {
      db.close();
    }
  } finally {
    rmSync(path, { force: true });
  }
});

// The strings table (string-bytes.ts + TableTreeWriter.appendPayload): text rows of every size, from empty
// to several overflow pages, at the payload sizes where SQLite's local/overflow split changes, non-ASCII
// text and lone surrogates (stored as their own three bytes, as SQLite stores such a JS string when it is bound).
test('text rows, overflow pages included, read back by SQLite as it would have stored them', () => {
  const strings: string[] = ['<dummy>', '', 'a', 'é', '日本語', '😀', 'x\u0000y', 'lone \ud800 surrogate', '\udc00', 'pair 😀 and lone \udbff', '\udc00\ud800'];
  // around the leaf's maximum local payload (16349) and SQLite's minimum local part, and several pages long
  for (const n of [100, 2000, 16_340, 16_345, 16_346, 16_347, 16_348, 16_349, 16_350, 16_400, 32_760, 40_000, 100_000, 1_000_000]) strings.push('s'.repeat(n));
  strings.push('é'.repeat(30_000)); // 60 kB of two-byte characters
  for (let i = 0; i < 20_000; i++) strings.push(`name${i}${i % 7 === 0 ? 'ü' : ''}`); // groups with and without non-ASCII
  const bytes = encodeStrings(StringTable.from(strings));
  const dir = tempDir('heapdiff-pages-');
  const path = join(dir, 'strings.db');
  const fd = openSync(path, 'w');
  const run = new PageRun(fd, 2);
  const root = writeStringTable(run, bytes);
  run.flush();
  writeHeaderPage(fd, 1 + run.pageCount, [
    { type: 'table', name: 'strings', tableName: 'strings', rootPage: root, sql: 'CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL)' },
  ]);
  closeSync(fd);
  // what SQLite itself stores for the same strings
  const ref = new Database(':memory:');
  ref.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
  const ins = ref.prepare('INSERT INTO r VALUES (?, ?)');
  strings.forEach((s, i) => ins.run(i, s));
  const db = new Database(path, { readonly: true });
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    const got = db.prepare('SELECT id, hex(value) AS h, length(CAST(value AS BLOB)) AS n FROM strings ORDER BY id').all() as {
      id: number;
      h: string;
      n: number;
    }[];
    const want = ref.prepare('SELECT id, hex(value) AS h, length(CAST(value AS BLOB)) AS n FROM r ORDER BY id').all() as { id: number; h: string; n: number }[];
    assert.equal(got.length, strings.length);
    for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `string ${i} (${strings[i].length} chars)`);
    assert.equal(
      (db.prepare('SELECT hex(value) AS h FROM strings WHERE id = 7').get() as { h: string }).h,
      `${Buffer.from('lone ').toString('hex')}eda080${Buffer.from(' surrogate').toString('hex')}`.toUpperCase(),
    );
    assert.equal((db.prepare('SELECT length(value) AS n FROM strings WHERE id = ?').get(strings.indexOf('s'.repeat(1_000_000))) as { n: number }).n, 1_000_000);
  } finally {
    db.close();
    ref.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// A page writer that finds its direct writes slow goes on through the page cache from the 9th stage
// (a threshold below any time forces the switch here): the file is the same either way.
test('a run that switches from direct to buffered writes midway writes the same file', () => {
  const dir = tempDir('heapdiff-pages-');
  try {
    const files = [true, false].map((switchMidway) => {
      const path = join(dir, `s${switchMidway ? 1 : 0}.db`);
      const run = PageRun.create(path, 2, switchMidway ? -1 : Number.POSITIVE_INFINITY);
      const directAtStart = run.writesDirect;
      const t = new TableTreeWriter(run, new RecordEncoder(2));
      for (let i = 0; i < 4_000_000; i++) t.appendUint2(i, (i * 2654435761) % 2 ** 31, i % 300);
      const root = t.finish();
      // with O_DIRECT available (not on tmpfs), the forced run ends buffered and the other stays direct
      if (directAtStart) assert.equal(run.writesDirect, !switchMidway);
      assert.ok(run.pageCount > 9 * 256, `${run.pageCount} pages: more than the 8 timed stages`);
      closeSync(run.finish());
      const fd = openSync(path, 'r+');
      writeHeaderPage(fd, 1 + run.pageCount, [{ type: 'table', name: 'e', tableName: 'e', rootPage: root, sql: 'CREATE TABLE e (a INTEGER, b INTEGER)' }]);
      closeSync(fd);
      return path;
    });
    assert.ok(readFileSync(files[0]).equals(readFileSync(files[1])), 'the two files differ');
    const db = new Database(files[0], { readonly: true });
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(db.prepare('SELECT count(*) AS n, sum(b) AS s FROM e').get(), { n: 4_000_000, s: 597_990_000 });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The edge table's fast path (TableTreeWriter.appendUint2): every byte width of [0, 2^31), rowids past
// 2^21 (4-byte varints), and values it leaves to the generic encoder (≥ 2^31).
test('appendUint2 rows read back as written, with the generic encoder for wider values', () => {
  const widths = [0, 1, 2, 127, 128, 32767, 32768, 8388607, 8388608, 2 ** 31 - 1, 2 ** 31, 2 ** 36 + 5];
  const dir = tempDir('heapdiff-pages-');
  const path = join(dir, 'u2.db');
  const run = PageRun.create(path, 2);
  const t = new TableTreeWriter(run, new RecordEncoder(2));
  const rows: [number, number, number][] = [];
  for (let i = 0; i < 50_000; i++) {
    const rowid = i < 25_000 ? i : 2 ** 21 + i * 7;
    const row: [number, number, number] = [rowid, widths[i % widths.length], i % 3 === 0 ? widths[(i * 5 + 1) % widths.length] : (i * 2654435761) % 2 ** 31];
    rows.push(row);
    t.appendUint2(row[0], row[1], row[2]);
  }
  const root = t.finish();
  closeSync(run.finish());
  const fd = openSync(path, 'r+');
  writeHeaderPage(fd, 1 + run.pageCount, [{ type: 'table', name: 'e', tableName: 'e', rootPage: root, sql: 'CREATE TABLE e (a INTEGER, b INTEGER)' }]);
  closeSync(fd);
  const db = new Database(path, { readonly: true });
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    const got = db.prepare('SELECT rowid AS r, a, b FROM e ORDER BY rowid').raw().all() as number[][];
    assert.deepEqual(got, rows);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
