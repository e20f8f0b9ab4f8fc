// Shared plumbing of the query modules: a per-connection statement cache, the enum codes of this store
// (node/edge type names → integers, read from `node_types`/`edge_types`), and small lookups of what a
// store holds. Every SQL statement heapdiff runs after ingest lives in src/store/queries/.

import type Database from 'better-sqlite3';

export type Db = Database.Database;
/** What the analyses accept: an opened store (open.ts `OpenedStore`, described by shape so that this module imports nothing of the store) or a bare read-only connection. */
export type StoreLike = { readonly db: Db; readonly dbPath: string } | Db;

export function dbOf(store: StoreLike): Db {
  return 'db' in store && typeof (store as { dbPath?: unknown }).dbPath === 'string' ? (store as { db: Db }).db : (store as Db);
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection. */
export function stmt(db: Db, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/** Integer codes of the node and edge types this store was written with (-1 when absent). */
export interface StoreCodes {
  nodeTypes: string[];
  edgeTypes: string[];
  node: (name: string) => number;
  edge: (name: string) => number;
  edgeWeak: number;
  edgeElement: number;
  edgeHidden: number;
  edgeProperty: number;
  edgeInternal: number;
  edgeShortcut: number;
  nodeNative: number;
  nodeObject: number;
  nodeString: number;
  nodeConsString: number;
  nodeSynthetic: number;
  nodeHidden: number;
  nodeArray: number;
}

const codeCache = new WeakMap<Db, StoreCodes>();

export function storeCodes(db: Db): StoreCodes {
  let c = codeCache.get(db);
  if (c) return c;
  const list = (table: string): string[] => {
    const out: string[] = [];
    for (const r of db.prepare(`SELECT code, name FROM ${table} ORDER BY code`).all() as { code: number; name: string }[]) out[r.code] = r.name;
    return out;
  };
  const nodeTypes = list('node_types');
  const edgeTypes = list('edge_types');
  const node = (n: string) => nodeTypes.indexOf(n);
  const edge = (n: string) => edgeTypes.indexOf(n);
  c = {
    nodeTypes,
    edgeTypes,
    node,
    edge,
    edgeWeak: edge('weak'),
    edgeElement: edge('element'),
    edgeHidden: edge('hidden'),
    edgeProperty: edge('property'),
    edgeInternal: edge('internal'),
    edgeShortcut: edge('shortcut'),
    nodeNative: node('native'),
    nodeObject: node('object'),
    nodeString: node('string'),
    nodeConsString: node('concatenated string'),
    nodeSynthetic: node('synthetic'),
    nodeHidden: node('hidden'),
    nodeArray: node('array'),
  };
  codeCache.set(db, c);
  return c;
}

/** True when the store has this table or view (in the main schema). */
export function hasTable(db: Db, name: string): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table','view')").get(name) !== undefined;
}

/** A meta value as a number (meta values are stored as SQLite REALs or TEXT). */
export function metaNumber(db: Db, key: string, fallback = 0): number {
  const r = stmt(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: unknown } | undefined;
  const n = Number(r?.value);
  return r === undefined || !Number.isFinite(n) ? fallback : n;
}

export function metaText(db: Db, key: string): string | undefined {
  const r = stmt(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: unknown } | undefined;
  return r === undefined || r.value === null ? undefined : String(r.value);
}

/** DevTools' distance constants (HeapSnapshotModel): unreachable, and the base of system-only distances. */
export { BASE_SYSTEM_DISTANCE, NO_DISTANCE } from '../../graph/distances.js';
