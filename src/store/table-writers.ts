// The two big tables are written by worker threads, each into its own SQLite file, while the main thread
// finishes the analysis and writes everything else: SQLite allows one writer per file, and on two cores
// the row-binding work (tens of millions of rows) is what bounds ingest time.
//
//   edges job: edge_rows + retainer_index → the final (temporary) file; starts as soon as the
//              essential-edge flags exist, i.e. while dominators and distances are still running.
//   nodes job: node_rows + node_by_id → a side file; starts when the analysis is done.
//
// Side files are then copied into the final file (adoptSideTables). The workers read the parser's and
// the analysis' arrays through SharedArrayBuffers: no copies between threads for the big ones.

import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { HeapGraph } from '../parse/heap-graph.js';
import { quoteIdent } from './schema.js';
import type { StoreAnalysis } from './writer.js';

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

export const NODE_TABLE_DDL = `
CREATE TABLE node_rows (
  ordinal INTEGER PRIMARY KEY,
  id INTEGER NOT NULL,
  type INTEGER NOT NULL,
  name_sid INTEGER NOT NULL,
  self_size INTEGER NOT NULL,
  raw_self_size INTEGER NOT NULL,
  retained_size INTEGER NOT NULL,
  distance INTEGER NOT NULL,
  dominator INTEGER NOT NULL,
  class_id INTEGER NOT NULL,
  edge_count INTEGER NOT NULL,
  first_edge INTEGER NOT NULL,
  trace_node_id INTEGER NOT NULL,
  detachedness INTEGER NOT NULL
);
`;
export const NODE_INDEX_DDL = 'CREATE INDEX node_by_id ON node_rows(id);';

export interface EdgeJob {
  job: 'edges';
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
  /** The analysis' retainer CSR (per node, edge ordinals in descending order). */
  firstRetainer: Uint32Array;
  retainerEdge: Uint32Array;
}

export interface NodeJob {
  job: 'nodes';
  path: string;
  nodeCount: number;
  nodeFieldCount: number;
  typeOffset: number;
  nameOffset: number;
  idOffset: number;
  selfSizeOffset: number;
  edgeCountOffset: number;
  /** -1 when the file has no trace_node_id field. */
  traceNodeIdOffset: number;
  nodes: Uint32Array;
  firstEdge: Uint32Array;
  selfSize: Float64Array;
  retainedSize: Float64Array;
  distance: Int32Array;
  dominator: Uint32Array;
  classIndex: Uint32Array;
  detachedness: Uint8Array;
}

export type WriterJob = EdgeJob | NodeJob;

type Shareable = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** The array itself when it already lives in shared memory, else a shared copy. */
function shared<T extends Shareable>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

export interface TableWriter {
  done: Promise<void>;
  /** Stops the thread (on a failure elsewhere) before its file is removed. */
  terminate: () => Promise<void>;
}

function start(job: WriterJob): TableWriter {
  const worker = new Worker(new URL('./table-writer-worker.js', import.meta.url), { workerData: job });
  const done = new Promise<void>((resolve, reject) => {
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
      else reject(new Error(`${job.job} writer thread exited with status ${code}`));
    });
  });
  done.catch(() => {}); // awaited by the caller; avoid an unhandled rejection while it is busy
  return { done, terminate: async () => void (await worker.terminate()) };
}

/** Starts writing edge_rows and retainer_index into a new file `path`. */
export function startEdgeWriter(graph: HeapGraph, essential: Uint8Array, retainers: { firstRetainer: Uint32Array; retainerEdge: Uint32Array }, path: string): TableWriter {
  const { layout } = graph;
  return start({
    job: 'edges',
    path,
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    edgeFieldCount: layout.edgeFieldCount,
    edgeTypeOffset: layout.edgeTypeOffset,
    edgeNameOffset: layout.edgeNameOffset,
    edges: shared(graph.edges),
    edgeTo: shared(graph.edgeTo),
    firstEdge: shared(graph.firstEdge),
    essential: shared(essential),
    firstRetainer: shared(retainers.firstRetainer),
    retainerEdge: shared(retainers.retainerEdge),
  });
}

/** Starts writing node_rows (and its id index) into a new file `path`. */
export function startNodeWriter(graph: HeapGraph, a: StoreAnalysis, path: string): TableWriter {
  const { layout } = graph;
  return start({
    job: 'nodes',
    path,
    nodeCount: graph.nodeCount,
    nodeFieldCount: layout.nodeFieldCount,
    typeOffset: layout.nodeTypeOffset,
    nameOffset: layout.nodeNameOffset,
    idOffset: layout.nodeIdOffset,
    selfSizeOffset: layout.nodeSelfSizeOffset,
    edgeCountOffset: layout.nodeEdgeCountOffset,
    traceNodeIdOffset: layout.nodeTraceNodeIdOffset,
    nodes: shared(graph.nodes),
    firstEdge: shared(graph.firstEdge),
    selfSize: shared(a.selfSize),
    retainedSize: shared(a.retainedSize),
    distance: shared(a.distance),
    dominator: shared(a.dominator),
    classIndex: shared(a.classIndex),
    detachedness: shared(a.detachedness),
  });
}

/**
 * Copies every table and index of a side file into `db`. `INSERT INTO t SELECT * FROM side.t` into an
 * empty table with the same schema is SQLite's transfer optimization: records and index entries are
 * copied without decoding.
 */
export function adoptSideTables(db: Database.Database, sidePath: string): void {
  db.prepare('ATTACH DATABASE ? AS side').run(sidePath);
  const objects = db
    .prepare("SELECT type, name, sql FROM side.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid")
    .all() as { type: string; name: string; sql: string }[];
  for (const o of objects) db.exec(o.sql);
  for (const o of objects) {
    if (o.type === 'table') db.exec(`INSERT INTO main.${quoteIdent(o.name)} SELECT * FROM side.${quoteIdent(o.name)}`);
  }
  db.exec('COMMIT');
  db.exec('DETACH DATABASE side');
  db.exec('BEGIN');
}
