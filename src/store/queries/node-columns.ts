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
import { sortUnique } from '../../util/typed-arrays.js';
import { stmt, storeCodes, type Db } from './common.js';
import { setKind, viaLabel } from './labels.js';
import { allClasses, valueKinder, type ClassRow } from './partition.js';

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
  const info = db.pragma(`table_info(${table})`) as { cid: number; name: string }[];
  const position = new Map(info.map((c) => [c.name, c.cid]));
  if (root === undefined || columns.some((c) => !position.has(c))) return null;
  return readTableColumns(db.name, root, columns.map((c) => position.get(c)!), count);
}

/**
 * `readNodeColumns` on a worker thread with its own read-only connection, so two stores are read at
 * once on two cores (the caller reads the other store meanwhile).
 */
export function readNodeColumnsInWorker<C extends NodeColumn>(dbPath: string, columns: readonly C[]): Promise<NodeColumns<C>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./node-columns-worker.js', import.meta.url), { workerData: { dbPath, columns: [...columns] } });
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
  });
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

/** Type name and raw name of the nodes at these ordinals (the same-process check's sample). */
export function typeAndNameAt(db: Db, ordinals: readonly number[]): { id: number; type: string; name: string }[] {
  const c = storeCodes(db);
  const q = stmt(db, 'SELECT n.id, n.type, s.value AS name FROM node_rows n JOIN strings s ON s.id = n.name_sid WHERE n.ordinal = ?');
  return ordinals.map((k) => {
    const r = q.get(k) as { id: number; type: number; name: string };
    return { id: r.id, type: c.nodeTypes[r.type] ?? String(r.type), name: r.name };
  });
}

/** Type name and raw name of the node with this V8 id (lowest ordinal), or undefined. Uses node_by_id. */
export function typeAndNameById(db: Db, id: number): { type: string; name: string } | undefined {
  const c = storeCodes(db);
  const r = stmt(db, 'SELECT n.type, s.value AS name FROM node_rows n JOIN strings s ON s.id = n.name_sid WHERE n.id = ? ORDER BY n.ordinal LIMIT 1').get(id) as
    | { type: number; name: string }
    | undefined;
  return r ? { type: c.nodeTypes[r.type] ?? String(r.type), name: r.name } : undefined;
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
    `SELECT r.to_node, e.edge_ordinal, e.from_node, e.type, e.name_or_index, s.value AS sname, n.distance AS from_distance
     FROM json_each(?) j JOIN retainer_index r ON r.to_node = j.value JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
     JOIN node_rows n ON n.ordinal = e.from_node LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE e.type != ? AND e.from_node != 0`,
  ).raw();
  for (let i = 0; i < ordinals.length; i += 10000) {
    const rows = q.all(JSON.stringify(ordinals.slice(i, i + 10000)), c.edgeWeak) as [number, number, number, number, number, string | null, number][];
    for (const [to, edge, from, type, nameOrIndex, sname, fromDistance] of rows) {
      const indexLike = type === c.edgeElement || type === c.edgeHidden;
      let list = out.get(to);
      if (!list) out.set(to, (list = []));
      list.push({ to_node: to, edge_ordinal: edge, from_node: from, type: c.edgeTypes[type] ?? String(type), name: indexLike ? String(nameOrIndex) : (sname ?? ''), from_distance: fromDistance });
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

/** The classifiers whose value is looked up per object (incoming edges, locations, allocation traces). */
export const OBJECT_CLASSIFIERS = ['rcs', 'via', 'script', 'alloc'] as const;
export type ObjectClassifier = (typeof OBJECT_CLASSIFIERS)[number];

/** Kinds of a list of objects: `group[i]` indexes `kinds` / `keys` for the i-th ordinal given. */
export interface ObjectKinds {
  group: Int32Array;
  kinds: string[];
  /** The classifier's raw value of the first member seen (as partition's `key`; null for rcs, via and catch-all kinds). */
  keys: (string | null)[];
}

/** Ordinals per lookup query (one JSON array in, one JSON array per column out). */
const OBJECT_BATCH = 50000;

/**
 * Kind texts of the objects at the given ordinals for a classifier read per object, spelled exactly as
 * `partition --by` spells them (./labels.ts): what `heapdiff A B --by` needs for the new and deleted
 * objects only. Indexed lookups, OBJECT_BATCH ordinals per prepared statement: rcs / via seek the
 * incoming edges in `retainer_index` (then the edge and its source by rowid), script the last
 * `locations` record of the node (location_by_node), alloc the node's trace_node_id by rowid.
 */
export function objectKinds(db: Db, classifier: ObjectClassifier, ordinals: ArrayLike<number>): ObjectKinds {
  const n = ordinals.length;
  const group = new Int32Array(n);
  const kinds: string[] = [];
  const keys: (string | null)[] = [];
  const byKind = new Map<string, number>();
  const intern = (kind: string, key: string | null): number => {
    let g = byKind.get(kind);
    if (g === undefined) {
      g = kinds.length;
      byKind.set(kind, g);
      kinds.push(kind);
      keys.push(key);
    }
    return g;
  };
  if (classifier === 'rcs' || classifier === 'via') {
    retainerSetGroups(db, classifier, ordinals, group, (kind) => intern(kind, null));
    return { group, kinds, keys };
  }
  const kinder = valueKinder(db, classifier);
  // Correlated subqueries keep json_each's order, so the values come back aligned with the ordinals.
  const q = stmt(
    db,
    classifier === 'script'
      ? 'SELECT count(*), json_group_array(coalesce((SELECT l.script_id FROM locations l WHERE l.node_ordinal = j.value ORDER BY l.rowid DESC LIMIT 1), -1)) FROM json_each(?) j'
      : 'SELECT count(*), json_group_array(coalesce((SELECT n.trace_node_id FROM node_rows n WHERE n.ordinal = j.value), 0)) FROM json_each(?) j',
  ).raw();
  const groupOfValue = new Map<number, number>();
  for (let i = 0; i < n; i += OBJECT_BATCH) {
    const part = batchOf(ordinals, i);
    const [count, text] = q.get(JSON.stringify(part)) as [number, string];
    const values = JSON.parse(text) as number[];
    if (count !== part.length || values.length !== part.length) throw new Error(`${classifier}: ${part.length} ordinals looked up, ${values.length} values`);
    for (let j = 0; j < values.length; j++) {
      const v = values[j];
      let g = groupOfValue.get(v);
      if (g === undefined) {
        const d = kinder(v);
        groupOfValue.set(v, (g = intern(d.kind, d.key)));
      }
      group[i + j] = g;
    }
  }
  return { group, kinds, keys };
}

function batchOf(ordinals: ArrayLike<number>, start: number): number[] {
  return Array.from({ length: Math.min(OBJECT_BATCH, ordinals.length - start) }, (_, j) => ordinals[start + j]);
}

/**
 * rcs / via of each ordinal (see `retainerKind`, the same sets over the same non-weak incoming edges).
 * Members are interned as small integers by text (class names; edge labels, resolved once per string id),
 * so a set is keyed by its sorted ids and its kind text is spelled once per distinct set.
 */
function retainerSetGroups(db: Db, classifier: 'rcs' | 'via', ordinals: ArrayLike<number>, group: Int32Array, intern: (kind: string) => number): void {
  const c = storeCodes(db);
  // Member id → text. rcs: one id per distinct class name; via: one per distinct label.
  const texts: string[] = [];
  const idOfText = new Map<string, number>();
  const idOf = (text: string): number => {
    let id = idOfText.get(text);
    if (id === undefined) {
      id = texts.length;
      idOfText.set(text, id);
      texts.push(text);
    }
    return id;
  };
  let memberOfClass: Int32Array | null = null;
  if (classifier === 'rcs') {
    const classes = allClasses(db);
    memberOfClass = new Int32Array(classes.reduce((m, r) => Math.max(m, r.class_id + 1), 0)).fill(-1);
    for (const r of classes) memberOfClass[r.class_id] = idOf(r.class_name);
  }
  const INDEX_LABEL = -1;
  const memberOfSid = new Map<number, number>();
  const q = stmt(
    db,
    classifier === 'rcs'
      ? `SELECT json_group_array(r.to_node), json_group_array(n.class_id) FROM json_each(?) j JOIN retainer_index r ON r.to_node = j.value
         JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal JOIN node_rows n ON n.ordinal = e.from_node WHERE e.type != ?`
      : `SELECT json_group_array(r.to_node), json_group_array(CASE WHEN e.type IN (?, ?) THEN ${INDEX_LABEL} ELSE e.name_or_index END)
         FROM json_each(?) j JOIN retainer_index r ON r.to_node = j.value JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal WHERE e.type != ?`,
  ).raw();
  const indexTypes = [c.edgeElement, c.edgeHidden].map((t) => (t < 0 ? -1000 : t));
  const groupOfSet = new Map<string, number>();
  for (let i = 0; i < ordinals.length; i += OBJECT_BATCH) {
    const part = batchOf(ordinals, i);
    const json = JSON.stringify(part);
    const [toText, valueText] = (classifier === 'rcs' ? q.get(json, c.edgeWeak) : q.get(indexTypes[0], indexTypes[1], json, c.edgeWeak)) as [string, string];
    const to = JSON.parse(toText) as number[];
    const values = JSON.parse(valueText) as number[];
    if (classifier === 'via') {
      const missing = [...new Set(values.filter((v) => v !== INDEX_LABEL && !memberOfSid.has(v)))];
      const names = stringsById(db, missing);
      for (const sid of missing) memberOfSid.set(sid, idOf(viaLabel(false, names.get(sid) ?? '')));
    }
    // Members of each object of the batch, gathered by a counting sort on the target's position. The rows
    // come in json_each's order as SQLite runs the join (checked: otherwise positions go through a Map).
    const at = positionsOf(part, to);
    const start = new Int32Array(part.length + 1);
    for (let r = 0; r < at.length; r++) start[at[r] + 1]++;
    for (let j = 0; j < part.length; j++) start[j + 1] += start[j];
    const fill = start.slice(0, part.length);
    const flat = new Int32Array(at.length);
    for (let r = 0; r < at.length; r++) {
      const v = values[r];
      flat[fill[at[r]]++] = classifier === 'rcs' ? memberOfClass![v] : v === INDEX_LABEL ? idOf('[]') : memberOfSid.get(v)!;
    }
    for (let j = 0; j < part.length; j++) {
      const n = sortUnique(flat, start[j], start[j + 1]);
      let key = '';
      for (let m = start[j]; m < start[j] + n; m++) key += m === start[j] ? String(flat[m]) : `,${flat[m]}`;
      let g = groupOfSet.get(key);
      if (g === undefined) groupOfSet.set(key, (g = intern(setKind(Array.from(flat.subarray(start[j], start[j] + n), (id) => texts[id])))));
      group[i + j] = g;
    }
  }
}

/** Position in `part` of each row's target `to[r]`: a merge walk when the rows follow `part`'s order, else a Map. */
function positionsOf(part: readonly number[], to: readonly number[]): Int32Array {
  const at = new Int32Array(to.length);
  let j = 0;
  for (let r = 0; r < to.length; r++) {
    while (j < part.length && part[j] !== to[r]) j++;
    if (j === part.length) {
      const position = new Map<number, number>();
      part.forEach((o, p) => position.set(o, p));
      for (let q = 0; q < to.length; q++) at[q] = position.get(to[q])!;
      return at;
    }
    at[r] = j;
  }
  return at;
}
