// Edges are ~60 % of a snapshot and most of the write time. A worker thread writes them into the
// (temporary) final file while the main thread finishes the analysis and writes nodes, strings and
// summaries into a side file; the side file's tables are then copied into the final file (see
// adoptSideTables). The worker reads the graph's SharedArrayBuffer-backed arrays: no copies between threads.

import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { HeapGraph } from '../parse/heap-graph.js';
import { quoteIdent } from './schema.js';

export interface EdgeWriterInput {
  path: string;
  nodeCount: number;
  edgeCount: number;
  edgeFieldCount: number;
  edgeTypeOffset: number;
  edgeNameOffset: number;
  edges: Uint32Array;
  edgeTo: Uint32Array;
  firstEdge: Uint32Array;
  essential: Uint8Array;
}

export const EDGE_TABLES_DDL = `
CREATE TABLE edge_rows (
  edge_ordinal INTEGER PRIMARY KEY,
  from_node INTEGER NOT NULL,
  to_node INTEGER NOT NULL,
  type INTEGER NOT NULL,
  name_or_index INTEGER NOT NULL,
  essential INTEGER NOT NULL
);
CREATE TABLE retainer_index (
  to_node INTEGER NOT NULL,
  edge_ordinal INTEGER NOT NULL,
  PRIMARY KEY (to_node, edge_ordinal)
) WITHOUT ROWID;
`;

function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

function shared<T extends Uint8Array | Uint32Array>(a: T): T {
  if (isShared(a)) return a;
  const copy = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/** Starts writing the edge tables of `graph` into a new file `path`; resolves when it is complete. */
export function startEdgeWriter(graph: HeapGraph, essential: Uint8Array, path: string): Promise<void> {
  const input: EdgeWriterInput = {
    path,
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    edgeFieldCount: graph.layout.edgeFieldCount,
    edgeTypeOffset: graph.layout.edgeTypeOffset,
    edgeNameOffset: graph.layout.edgeNameOffset,
    edges: shared(graph.edges),
    edgeTo: shared(graph.edgeTo),
    firstEdge: shared(graph.firstEdge),
    essential: shared(essential),
  };
  const worker = new Worker(new URL('./edge-writer-worker.js', import.meta.url), { workerData: input });
  return new Promise((resolve, reject) => {
    let failed = false;
    worker.once('message', (m: { error?: { message: string; code?: string } }) => {
      if (m.error) {
        failed = true;
        reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      }
    });
    worker.once('error', (e) => {
      failed = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (failed) return;
      if (code === 0) resolve();
      else reject(new Error(`edge writer thread exited with status ${code}`));
    });
  });
}

/**
 * Copies every table and index of the side file (nodes, strings, summaries…) into `db`, which holds the
 * edge tables. `INSERT INTO t SELECT * FROM side.t` into an empty table with the same schema is SQLite's
 * transfer optimization: records and index entries are copied without decoding. The node side is the
 * smaller one, so it is the one that moves.
 */
export function adoptSideTables(db: Database.Database, sidePath: string): void {
  db.prepare('ATTACH DATABASE ? AS side').run(sidePath);
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM side.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid").all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string;
  }[];
  for (const o of objects) db.exec(o.sql);
  for (const o of objects) {
    if (o.type === 'table') db.exec(`INSERT INTO main.${quoteIdent(o.name)} SELECT * FROM side.${quoteIdent(o.name)}`);
  }
}

export function detachSide(db: Database.Database): void {
  db.exec('DETACH DATABASE side');
}
