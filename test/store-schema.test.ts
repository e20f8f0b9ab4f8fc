// The declared schema (src/store/schema.ts) against docs/schema.md and against real stores: the docs'
// generated tables are current, and every table, view, index and column of an ingested store is in the
// docs with the same columns, and the reverse.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestSnapshot } from '../src/store/ingest.js';
import { BEGIN_MARKER, END_MARKER, withSchemaTables } from '../src/store/schema-docs.js';
import { SCHEMA } from '../src/store/schema.js';
import { FIXTURES, ROOT, SAMPLES, tempDir } from './helpers/env.js';

const DOCS = join(ROOT, 'docs/schema.md');
const dir = tempDir('heapdiff-schema-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** The documented objects: name → kind and column names, parsed back from the docs' generated part. */
function documented(): Map<string, { kind: string; columns: string[] }> {
  const text = readFileSync(DOCS, 'utf8');
  const part = text.slice(text.indexOf(BEGIN_MARKER), text.indexOf(END_MARKER));
  const out = new Map<string, { kind: string; columns: string[] }>();
  let current: { kind: string; columns: string[] } | null = null;
  for (const line of part.split('\n')) {
    const h = /^#### `([^`]+)` \((table|view|index)\)$/.exec(line);
    if (h) out.set(h[1], (current = { kind: h[2], columns: [] }));
    const c = /^\| `([^`]+)` \|/.exec(line);
    if (c && current) current.columns.push(c[1]);
  }
  return out;
}

const stores: { name: string; path: string }[] = [];
before(async () => {
  // A Chromium snapshot (locations with extra fields) and a Node.js one with allocation traces.
  for (const file of [join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'), join(SAMPLES, 'node-alloc.heapsnapshot.gz')]) {
    const name = file.split('/').pop()!;
    const { dbPath } = await ingestSnapshot(file, { dbPath: join(dir, `${name}.db`), quiet: true });
    stores.push({ name, path: dbPath });
  }
});

test('docs/schema.md: the generated tables are current (npm run docs:schema)', () => {
  const text = readFileSync(DOCS, 'utf8');
  assert.equal(withSchemaTables(text), text, 'docs/schema.md is stale: run `npm run docs:schema`');
});

test('every table, view, index and column of a real store is documented, and every documented one exists', () => {
  const docs = documented();
  assert.equal(docs.size, SCHEMA.length, 'one docs section per declared object');
  for (const { name, path } of stores) {
    const db = new Database(path, { readonly: true });
    try {
      const objects = db.prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { type: string; name: string }[];
      const inStore = new Set(objects.map((o) => o.name));
      for (const o of objects) {
        const d = docs.get(o.name);
        assert.ok(d, `${name}: ${o.type} ${o.name} is not in docs/schema.md`);
        assert.equal(d.kind, o.type, `${name}: ${o.name}`);
        const columns =
          o.type === 'index'
            ? (db.pragma(`index_info(${o.name})`) as { name: string }[]).map((c) => c.name)
            : (db.pragma(`table_info(${o.name})`) as { name: string }[]).map((c) => c.name);
        for (const c of columns) assert.ok(d.columns.includes(c), `${name}: column ${o.name}.${c} is not in docs/schema.md`);
        // Tables whose columns are the file's own field list may lack a documented (V8 default) column.
        const fromFile = SCHEMA.find((t) => t.name === o.name)?.fromFile !== undefined;
        if (!fromFile) assert.deepEqual(columns, d.columns, `${name}: columns of ${o.name} (store) vs docs/schema.md`);
      }
      for (const documentedName of docs.keys())
        assert.ok(inStore.has(documentedName), `${name}: docs/schema.md lists ${documentedName}, the store has no such object`);
    } finally {
      db.close();
    }
  }
});

test('public and internal objects are apart in the docs', () => {
  const text = readFileSync(DOCS, 'utf8');
  const pub = text.indexOf('### Public tables and views');
  const internal = text.indexOf('### Internal tables, views and indexes');
  assert.ok(pub > 0 && internal > pub);
  for (const t of SCHEMA) {
    const at = text.indexOf(`#### \`${t.name}\` (`);
    assert.ok(t.visibility === 'public' ? at > pub && at < internal : at > internal, `${t.name} under ${t.visibility}`);
  }
});
