// Bulk reads of node facts, shared by `diff`, `leaks`, `suspects` and `retainers`: whole node columns
// as typed arrays (from the b-tree pages, or through SQL), columns at given ordinals, a store's class
// table, the property names of its plain objects, node facts and listed retainers of many nodes, and
// the small point lookups the different-process check needs.
//
// Reading millions of rows one JavaScript row at a time costs ~1 µs per row in better-sqlite3 (2.5 s
// for 1.6 M rows × 3 columns). SQLite builds a JSON array of a rowid range in C instead, and
// `JSON.parse` reads it back at native speed: ~0.3 s for the same columns. Ranges of CHUNK ordinals
// keep each JSON text small; ordinals are the rowid, so every range is a rowid seek plus a scan in
// rowid order (the order json_group_array sees its rows in).

import { Worker } from 'node:worker_threads';
import { readTableColumns } from '../page-reader.js';
import { detachednessOfKind, nodeTypeOfKind, packingFor } from '../packing.js';
import { columnPositions } from '../schema.js';
import { stmt, storeCodes, type Db } from './common.js';

/** Columns of `node_rows` the analyses read in bulk. */
export type NodeColumn = 'id' | 'class_id' | 'self_size' | 'retained_size' | 'dominator' | 'distance' | 'type' | 'detachedness';

/** One Float64Array per requested column, indexed by node ordinal. */
export type NodeColumns<C extends NodeColumn> = { readonly count: number } & { readonly [K in C]: Float64Array };

const CHUNK = 1 << 16;

/** Number of nodes (ordinals are 0 … count − 1). */
export function nodeRowCount(db: Db): number {
  return ((stmt(db, 'SELECT max(ordinal) + 1 AS n FROM node_rows').get() as { n: number | null }).n ?? 0) as number;
}

/** Reads whole columns of `node_rows` into Float64Arrays (index = ordinal). */
export function readNodeColumns<C extends NodeColumn>(db: Db, columns: readonly C[]): NodeColumns<C> {
  const count = nodeRowCount(db);
  // `type` and `detachedness` are packed into node_data.kind (packing.ts)
  const physical = [...new Set(columns.map((c) => (c === 'type' || c === 'detachedness' ? 'kind' : c)))];
  const fromPages = columns.length > 0 && count > 0 ? readColumnsFromPages(db, 'node_data', physical, count) : null;
  if (fromPages === null) return readNodeColumnsViaSql(db, columns);
  const out: Record<string, Float64Array | number> = { count };
  physical.forEach((c, i) => (out[c] = fromPages[i]));
  const kind = out.kind as Float64Array | undefined;
  if (kind) {
    const packing = packingFor(storeCodes(db));
    if (columns.includes('type' as C)) out.type = kind.map((k) => nodeTypeOfKind(packing, k));
    if (columns.includes('detachedness' as C)) out.detachedness = kind.map((k) => detachednessOfKind(packing, k));
    delete out.kind; // not a NodeColumn
  }
  return out as unknown as NodeColumns<C>;
}

/** The SQL path of readNodeColumns (exported for the test that checks the page reader against it). */
export function readNodeColumnsViaSql<C extends NodeColumn>(db: Db, columns: readonly C[]): NodeColumns<C> {
  const count = nodeRowCount(db);
  const out: Record<string, Float64Array | number> = { count };
  const arrays = columns.map((c) => {
    const a = new Float64Array(count);
    out[c] = a;
    return a;
  });
  if (columns.length === 0 || count === 0) return out as unknown as NodeColumns<C>;
  const select = columns.map((c) => `json_group_array(${c})`).join(', ');
  const q = stmt(db, `SELECT count(*), ${select} FROM node_rows WHERE ordinal >= ? AND ordinal < ?`).raw();
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    const row = q.get(start, end) as [number, ...string[]];
    const texts = row.slice(1) as string[];
    if (row[0] !== end - start) throw new Error(`node_rows: ordinals ${start}…${end - 1} are not contiguous`);
    for (let c = 0; c < arrays.length; c++) {
      const values = JSON.parse(texts[c]) as number[];
      arrays[c].set(values, start);
    }
  }
  return out as unknown as NodeColumns<C>;
}

/** Whole columns of `table` decoded straight from its b-tree pages (page-reader.ts), or null: then SQL. */
function readColumnsFromPages(db: Db, table: string, columns: readonly string[], count: number): Float64Array[] | null {
  if (db.memory) return null;
  const root = stmt(db, "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as number | undefined;
  const position = columnPositions<string>(table); // the record layout the page writer follows (schema.ts)
  if (root === undefined || columns.some((c) => position[c] === undefined)) return null;
  return readTableColumns(
    db.name,
    root,
    columns.map((c) => position[c]),
    count,
  );
}

const WORKER_URL = new URL('./node-columns-worker.js', import.meta.url);

/** Column-reading threads started ahead of need, waiting for their job (they keep no process alive). */
const spares: { worker: Worker; exited: boolean }[] = [];

/**
 * Starts `count` column-reading threads now, for the next `readNodeColumnsInWorker` calls: a thread's
 * start-up (loading Node's worker internals and SQLite, 50–150 ms) then overlaps the caller's own work
 * (opening, even ingesting, the stores) instead of delaying the read.
 */
export function prestartColumnReaders(count: number): void {
  while (spares.length < count) {
    const spare = { worker: new Worker(WORKER_URL), exited: false };
    spare.worker.unref();
    spare.worker.on('error', () => {}); // reported to the read that takes it, if any (it then sees the exit)
    spare.worker.once('exit', () => (spare.exited = true));
    spares.push(spare);
  }
}

/**
 * `readNodeColumns` on a worker thread with its own read-only connection, so two stores are read at
 * once on two cores (the caller reads the other store meanwhile). Uses a prestarted thread if there is one.
 */
export function readNodeColumnsInWorker<C extends NodeColumn>(dbPath: string, columns: readonly C[]): Promise<NodeColumns<C>> {
  return new Promise((resolve, reject) => {
    let spare = spares.shift();
    while (spare?.exited) spare = spares.shift();
    const worker = spare ? spare.worker : new Worker(WORKER_URL, { workerData: { dbPath, columns: [...columns] } });
    let done = false;
    worker.once('message', (m: NodeColumns<C>) => {
      done = true;
      resolve(m);
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`column reader thread exited with code ${code}`));
    });
    if (spare) {
      worker.ref();
      worker.postMessage({ dbPath, columns: [...columns] });
    }
  });
}

/** A row of `classes`. */
export interface ClassRow {
  class_id: number;
  class_key: string;
  class_name: string;
  count: number;
  self_size: number;
  retained_size: number;
  distance: number;
}

export function allClasses(db: Db): ClassRow[] {
  return stmt(db, 'SELECT class_id, class_key, class_name, count, self_size, retained_size, distance FROM classes').all() as ClassRow[];
}

/** A row of `classes` without the distance (the Summary-view columns `classTable` reads). */
export type ClassTableRow = Omit<ClassRow, 'distance'>;

/** Every row of `classes` (class_id is dense: 0 … n − 1). */
export function classTable(db: Db): ClassTableRow[] {
  return stmt(db, 'SELECT class_id, class_key, class_name, count, self_size, retained_size FROM classes ORDER BY class_id').all() as ClassTableRow[];
}

/** The plain-object interface names the store's snapshot inferred (meta `interfaces`), DevTools' order. */
export function interfaceNames(db: Db): string[] {
  const r = stmt(db, "SELECT value FROM meta WHERE key = 'interfaces'").get() as { value: string } | undefined;
  if (!r) return [];
  const v = JSON.parse(String(r.value)) as unknown;
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String((x as { name?: unknown }).name ?? ''))) : [];
}

/**
 * Property edge names of every plain object (type `object`, raw name `Object`) in the Summary set
 * (self size > 0): the input of DevTools' `applyInterfaceDefinitions` (all property edges, `__proto__`
 * included). Returns parallel arrays: ordinals[i] has the property named names[i] (edge order kept).
 */
export function plainObjectProperties(db: Db): { ordinals: Uint32Array; names: string[] } {
  const c = storeCodes(db);
  // V8's string table holds each string once, and 'Object' comes early: LIMIT 1 ends the scan there.
  const objectSids = (stmt(db, "SELECT id FROM strings WHERE value = 'Object' LIMIT 1").all() as { id: number }[]).map((r) => r.id);
  if (objectSids.length === 0 || c.nodeObject < 0 || c.edgeProperty < 0) return { ordinals: new Uint32Array(0), names: [] };
  // CROSS JOIN keeps node_rows outside, so each plain object's edges are one rowid range of edge_rows;
  // `+e.type` stops SQLite from building an automatic index on the edge type instead.
  const row = stmt(
    db,
    `SELECT json_group_array(n.ordinal), json_group_array(e.name_or_index)
     FROM node_rows n CROSS JOIN edge_rows e ON e.edge_ordinal >= n.first_edge AND e.edge_ordinal < n.first_edge + n.edge_count
     WHERE n.type = ? AND n.name_sid IN (SELECT value FROM json_each(?)) AND n.self_size > 0 AND +e.type = ?`,
  )
    .raw()
    .get(c.nodeObject, JSON.stringify(objectSids), c.edgeProperty) as [string, string];
  const ordinals = Uint32Array.from(JSON.parse(row[0]) as number[]);
  const sids = JSON.parse(row[1]) as number[];
  const text = stringsById(db, [...new Set(sids)]);
  return { ordinals, names: sids.map((s) => text.get(s) ?? '') };
}

/** Values of the given string-table ids. */
export function stringsById(db: Db, ids: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const q = stmt(db, 'SELECT json_group_array(id), json_group_array(value) FROM strings WHERE id IN (SELECT value FROM json_each(?))').raw();
  for (let i = 0; i < ids.length; i += 10000) {
    const [a, b] = q.get(JSON.stringify(ids.slice(i, i + 10000))) as [string, string];
    const keys = JSON.parse(a) as number[];
    const values = JSON.parse(b) as string[];
    keys.forEach((k, j) => out.set(k, values[j]));
  }
  return out;
}

/** Type name and raw name of the nodes at these ordinals (the same-process check's sample), in one query. */
export function typeAndNameAt(db: Db, ordinals: readonly number[]): { id: number; type: string; name: string }[] {
  const c = storeCodes(db);
  const rows = stmt(
    db,
    'SELECT j.key, n.id, n.type, s.value FROM json_each(?) j JOIN node_rows n ON n.ordinal = j.value JOIN strings s ON s.id = n.name_sid ORDER BY j.key',
  )
    .raw()
    .all(JSON.stringify(ordinals)) as [number, number, number, string][];
  if (rows.length !== ordinals.length) throw new Error('node_rows: an ordinal is missing');
  return rows.map(([, id, type, name]) => ({ id, type: c.nodeTypes[type] ?? String(type), name }));
}

/** Type name and raw name of the node with each of these V8 ids (lowest ordinal), or undefined; one query. Uses node_by_id. */
export function typeAndNameByIds(db: Db, ids: readonly number[]): ({ type: string; name: string } | undefined)[] {
  const c = storeCodes(db);
  const rows = stmt(
    db,
    `SELECT j.key, n.type, s.value FROM json_each(?) j
     JOIN node_rows n ON n.ordinal = (SELECT m.ordinal FROM node_rows m WHERE m.id = j.value ORDER BY m.ordinal LIMIT 1)
     JOIN strings s ON s.id = n.name_sid`,
  )
    .raw()
    .all(JSON.stringify(ids)) as [number, number, string][];
  const out: ({ type: string; name: string } | undefined)[] = ids.map(() => undefined);
  for (const [i, type, name] of rows) out[i] = { type: c.nodeTypes[type] ?? String(type), name };
  return out;
}

/** What a path pattern needs of a node: class, raw name, type, distance (plus sizes and id). */
export interface NodeFacts {
  ordinal: number;
  id: number;
  type: string;
  name: string;
  class_name: string;
  self_size: number;
  retained_size: number;
  distance: number;
}

/** Facts of many nodes in one query per 10 000 ordinals. */
export function nodeFactsOf(db: Db, ordinals: readonly number[]): Map<number, NodeFacts> {
  const c = storeCodes(db);
  const out = new Map<number, NodeFacts>();
  const q = stmt(
    db,
    `SELECT n.ordinal, n.id, n.type, s.value AS name, c.class_name, n.self_size, n.retained_size, n.distance
     FROM json_each(?) j JOIN node_rows n ON n.ordinal = j.value JOIN strings s ON s.id = n.name_sid JOIN classes c ON c.class_id = n.class_id`,
  );
  for (let i = 0; i < ordinals.length; i += 10000) {
    for (const r of q.all(JSON.stringify(ordinals.slice(i, i + 10000))) as (Omit<NodeFacts, 'type'> & { type: number })[]) {
      out.set(r.ordinal, { ...r, type: c.nodeTypes[r.type] ?? String(r.type) });
    }
  }
  return out;
}

/** One listed retainer (DevTools' Retainers view: not weak, not from the root) of a node. */
export interface ListedRetainer {
  to_node: number;
  edge_ordinal: number;
  from_node: number;
  /** Edge type name and display name (element/hidden: the index as text). */
  type: string;
  name: string;
  from_distance: number;
}

/** The listed retainers of many nodes in one query per 10 000 ordinals, grouped by target. */
export function listedRetainersOf(db: Db, ordinals: readonly number[]): Map<number, ListedRetainer[]> {
  const c = storeCodes(db);
  const out = new Map<number, ListedRetainer[]>();
  const q = stmt(
    db,
    `SELECT r.to_node, e.edge_ordinal, r.from_node, e.type, e.name_or_index, s.value AS sname, n.distance AS from_distance
     FROM json_each(?) j JOIN retainer_rows r ON r.to_node = j.value JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
     JOIN node_rows n ON n.ordinal = r.from_node LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE e.type != ? AND r.from_node != 0`,
  ).raw();
  for (let i = 0; i < ordinals.length; i += 10000) {
    const rows = q.all(JSON.stringify(ordinals.slice(i, i + 10000)), c.edgeWeak) as [number, number, number, number, number, string | null, number][];
    for (const [to, edge, from, type, nameOrIndex, sname, fromDistance] of rows) {
      const indexLike = type === c.edgeElement || type === c.edgeHidden;
      let list = out.get(to);
      if (!list) out.set(to, (list = []));
      list.push({
        to_node: to,
        edge_ordinal: edge,
        from_node: from,
        type: c.edgeTypes[type] ?? String(type),
        name: indexLike ? String(nameOrIndex) : (sname ?? ''),
        from_distance: fromDistance,
      });
    }
  }
  return out;
}

/**
 * Columns of `node_rows` at the given ordinals (rowid lookups, 100 000 per query), aligned with them:
 * cheaper than whole columns when the ordinals are a small part of the store.
 */
export function nodeColumnsAt<C extends NodeColumn>(db: Db, ordinals: ArrayLike<number>, columns: readonly C[]): { readonly [K in C]: Float64Array } {
  const out: Record<string, Float64Array> = {};
  for (const c of columns) out[c] = new Float64Array(ordinals.length);
  if (ordinals.length === 0) return out as { [K in C]: Float64Array };
  const select = columns.map((c) => `json_group_array(n.${c})`).join(', ');
  const q = stmt(db, `SELECT count(*), ${select} FROM json_each(?) j JOIN node_rows n ON n.ordinal = j.value`).raw();
  const STEP = 100000;
  for (let i = 0; i < ordinals.length; i += STEP) {
    const part = Array.from({ length: Math.min(STEP, ordinals.length - i) }, (_, j) => ordinals[i + j]);
    const row = q.get(JSON.stringify(part)) as [number, ...string[]];
    if (row[0] !== part.length) throw new Error('node_rows: an ordinal is missing');
    const texts = row.slice(1) as string[];
    columns.forEach((c, j) => out[c].set(JSON.parse(texts[j]) as number[], i));
  }
  return out as { [K in C]: Float64Array };
}
