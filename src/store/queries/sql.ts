// `heapdiff sql`: user SQL over one or several stores. The connection is read-only (SQLite refuses
// every write to the snapshot files, so no query can damage a cached store); each store is ATTACHed
// as s1, s2, … (the first is also `main`, so unqualified names mean s1). SQLite forbids persistent
// views that reference another database, but TEMP views may: a query can start with
// `CREATE TEMP VIEW … AS SELECT … FROM s1.nodes JOIN s2.nodes …;` and use it in the next statement.
// A TEMP view `snapshots` lists the attached stores.
//
// The read-only connection alone is not enough: `VACUUM INTO '/any/path.db'` writes a new file from a
// read-only connection, and `ATTACH` opens any file. So a statement runs only if SQLite itself reports
// it read-only (sqlite3_stmt_readonly, better-sqlite3's `statement.readonly`), or it creates a TEMP
// table or view (they live in the connection's temporary database); ATTACH and DETACH are refused
// (stores are attached only from heapdiff's own arguments).

import type Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import { malformedStoreError } from '../malformed.js';
import type { OpenedStore } from '../open.js';

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
  /** Statements run (a script may hold several separated by `;`). */
  statements: number;
}

/** Splits a script on `;` outside string literals, quoted names and comments. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      i++;
      while (i < sql.length) {
        if (sql[i] === close) {
          if (close !== ']' && sql[i + 1] === close) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (ch === ';') {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  out.push(sql.slice(start));
  return out.filter((s) => s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '');
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Attaches stores 2…N to the first store's connection as s1…sN and creates the `snapshots` TEMP view. */
export function attachStores(stores: readonly OpenedStore[]): void {
  const db = stores[0].db;
  stores.forEach((s, i) => db.exec(`ATTACH DATABASE ${quoteLiteral(s.dbPath)} AS s${i + 1}`));
  const rows = stores
    .map((s, i) => {
      const m = s.meta;
      return `SELECT ${quoteLiteral(`s${i + 1}`)} AS schema_name, ${quoteLiteral(s.source)} AS source, ${quoteLiteral(s.dbPath)} AS db_path, ${Number(m.node_count) || 0} AS node_count, ${Number(m.total_size) || 0} AS total_size, ${Number(m.max_js_object_id) || 0} AS max_js_object_id`;
    })
    .join(' UNION ALL ');
  db.exec(`CREATE TEMP VIEW snapshots AS ${rows}`);
}

/** The statement's first words in upper case, after leading comments and white space. */
function leadingWords(text: string, n: number): string[] {
  let t = text;
  for (;;) {
    const before = t;
    t = t
      .replace(/^\s+/, '')
      .replace(/^--[^\n]*(\n|$)/, '')
      .replace(/^\/\*[\s\S]*?(\*\/|$)/, '');
    if (t === before) break;
  }
  return (t.match(/^[A-Za-z_]+(\s+[A-Za-z_]+)*/)?.[0] ?? '').toUpperCase().split(/\s+/).slice(0, n);
}

/** Why a prepared statement may not run, or null when it may. */
export function refusal(text: string, readonly: boolean): string | null {
  const words = leadingWords(text, 3);
  if (words[0] === 'ATTACH' || words[0] === 'DETACH')
    return `${words[0]} is refused: stores are attached from the command line (heapdiff sql SNAP [SNAP…] "QUERY" attaches them as s1, s2, …)`;
  if (readonly) return null;
  if (words[0] === 'CREATE' && (words[1] === 'TEMP' || words[1] === 'TEMPORARY') && (words[2] === 'TABLE' || words[2] === 'VIEW')) return null;
  return 'only read-only statements may run (and CREATE TEMP TABLE/VIEW); SQLite reports this one as writing';
}

function cellValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Runs a script; returns the rows of its last statement that returns rows. */
export function runSql(stores: readonly OpenedStore[], sql: string): SqlResult {
  const db = stores[0].db;
  const statements = splitStatements(sql);
  if (statements.length === 0) throw new InputError('sql: empty query');
  let result: SqlResult = { columns: [], rows: [], statements: 0 };
  for (const text of statements) {
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(text);
    } catch (e) {
      throw new InputError(`sql: ${(e as Error).message}`);
    }
    const refused = refusal(text, stmt.readonly);
    if (refused) throw new InputError(`sql: ${refused}`);
    try {
      if (stmt.reader) {
        const columns = stmt.columns().map((c) => c.name);
        const rows = (stmt.raw(true).all() as unknown[][]).map((r) => r.map(cellValue));
        result = { columns, rows, statements: 0 };
      } else {
        stmt.run();
      }
    } catch (e) {
      const err = e as Error & { code?: string };
      const malformed = malformedStoreError(err);
      if (malformed) throw malformed;
      if (err.code === 'SQLITE_READONLY' || err.code === 'SQLITE_READONLY_DIRECTORY') {
        throw new InputError('sql: the stores are read-only, writes are refused (only TEMP tables and views can be created)');
      }
      throw new InputError(`sql: ${err.message}`);
    }
  }
  result.statements = statements.length;
  return result;
}
