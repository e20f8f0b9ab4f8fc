// The page reader (src/store/page-reader.ts) decodes node columns straight from the database file;
// it must give exactly what SQL gives, on every column of real stores, and step aside (null) where it
// does not know the layout.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTableColumns } from '../src/store/page-reader.js';
import { readNodeColumns, readNodeColumnsViaSql, type NodeColumn } from '../src/store/queries/node-columns.js';
import { FIXTURES, SAMPLES, ingestOnce, tempDir } from './helpers/env.js';

const ALL: NodeColumn[] = ['id', 'class_id', 'self_size', 'retained_size', 'dominator', 'distance', 'type', 'detachedness'];

for (const file of [join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'), join(SAMPLES, 'node-alloc.heapsnapshot.gz')]) {
  test(`${file.split('/').pop()}: node columns from the pages equal SQL`, () => {
    const db = new Database(ingestOnce(file), { readonly: true });
    try {
      const pages = readNodeColumns(db, ALL);
      const sql = readNodeColumnsViaSql(db, ALL);
      assert.equal(pages.count, sql.count);
      for (const c of ALL) assert.deepEqual(pages[c], sql[c], c);
      // and it really came from the pages
      const root = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'node_data'").pluck().get() as number;
      assert.notEqual(readTableColumns(db.name, root, [1], pages.count), null);
    } finally {
      db.close();
    }
  });
}

test('tables it does not know are left to SQL: text values, overflow pages, a write-ahead log', () => {
  const dir = tempDir();
  const path = join(dir, 't.db');
  const db = new Database(path);
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, a INTEGER, b TEXT); INSERT INTO t VALUES (0, 5, 'x'), (1, 6, 'y')");
  const root = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 't'").pluck().get() as number;
  db.close();
  assert.deepEqual(
    readTableColumns(path, root, [1], 2)!.map((a) => Array.from(a)),
    [[5, 6]],
  );
  assert.equal(readTableColumns(path, root, [2], 2), null, 'a text column');
  assert.equal(readTableColumns(path, root, [1], 1), null, 'a rowid past the count');
  const big = new Database(path);
  big.prepare('INSERT INTO t VALUES (2, 7, ?)').run('z'.repeat(70000));
  big.close();
  assert.equal(readTableColumns(path, root, [1], 3), null, 'a payload on overflow pages');
  const copy = join(dir, 'w.db');
  copyFileSync(path, copy);
  writeFileSync(`${copy}-wal`, '');
  assert.equal(readTableColumns(copy, root, [1], 2), null, 'a write-ahead log beside the file');
});
