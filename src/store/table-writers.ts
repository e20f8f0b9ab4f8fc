// The big tables (strings, locations, edge_data, retainer_index, node_data, and their indexes) are written
// as raw SQLite pages (sqlite-pages.ts) by one worker thread, straight into the final (temporary) file
// from page 2 on, while the main thread finishes the analysis and writes the small tables into a side
// file with SQLite:
//
//   start job: strings (their UTF-8, string-bytes.ts), locations + location_by_node and node_by_id
//              (they need only the parse); right after the parse, on the core the analysis leaves idle
//              until its essential edges.
//   edges job: edge_data (to_node, label) + retainer_index (to_node, from_node, slot); sent as soon as
//              the essential-edge flags exist, i.e. while dominators and distances are still running.
//   nodes job: node_data; sent when the analysis is done.
//
// Then the main thread writes page 1 (header and schema of these tables), opens the file with SQLite and
// moves the side tables in (adoptSideTables). The worker reads the parser's and the analysis' arrays
// through SharedArrayBuffers: no copies between threads.

import { Worker } from 'node:worker_threads';
import { closeSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { HeapGraph, NodesPart } from '../parse/heap-graph.js';
import { packingFor, type Packing } from './packing.js';
import { locationColumns, pageTables, quoteIdent } from './schema.js';
import type { GraphLayout } from '../parse/layout.js';
import { writeHeaderPage, type SchemaEntry } from './sqlite-pages.js';
import { encodeStrings, type StringBytes } from './string-bytes.js';
import type { StoreAnalysis } from './memory.js';
import type { EdgeSources, Retainers } from '../graph/csr.js';

/** The tables and indexes written as pages (schema.ts declares them: phase 'pages', pageTables()). */
export type BigTable = 'strings' | 'locations' | 'location_by_node' | 'edge_data' | 'retainer_index' | 'node_data' | 'node_by_id';
export type BigTableRoots = Record<BigTable, number>;

/** The worker's data: what it writes before any job arrives. */
export interface StartJob {
  path: string;
  strings: StringBytes;
  nodeCount: number;
  nodeFieldCount: number;
  idOffset: number;
  nodes: Uint32Array;
  /** The file's locations, `locationFields` values each; the one at `objectAt` (object_index) is stored as an ordinal. */
  locations: Uint32Array;
  locationFields: number;
  objectAt: number;
  /** The file's values per node: object_index is the ordinal times this. */
  fileNodeFieldCount: number;
}

export interface EdgeJob {
  job: 'edges';
  packing: Packing;
  nodeCount: number;
  edgeCount: number;
  edgeTypes: Uint8Array;
  edgeNames: Uint32Array;
  edgeTo: Uint32Array;
  firstEdge: Uint32Array;
  essential: Uint8Array;
  /** The analysis' retainer CSR (per node, edge ordinals in descending order). */
  firstRetainer: Uint32Array;
  retainerEdge: Uint32Array;
  /** The analysis' edge-source anchors (csr.ts EdgeSources): each retainer edge's source. */
  edgeSourceAnchors: Uint32Array;
}

export interface NodeJob {
  job: 'nodes';
  packing: Packing;
  nodeCount: number;
  nodeFieldCount: number;
  typeOffset: number;
  nameOffset: number;
  idOffset: number;
  selfSizeOffset: number;
  nodes: Uint32Array;
  /** null when every node's trace_node_id is 0 (HeapGraph.traceNodeIds). */
  traceNodeIds: Uint32Array | null;
  firstEdge: Uint32Array;
  selfSize: Uint32Array;
  retainedSize: Float64Array;
  distance: Int32Array;
  dominator: Uint32Array;
  classIndex: Uint32Array;
  detachedness: Uint8Array;
}

/** What the worker reports when both jobs are written. */
export interface WrittenTables {
  roots: BigTableRoots;
  /** Database size in pages so far (page 1 included). */
  pageCount: number;
  /** crc32 of pages 2 … pageCount as written (page-checksums.ts): the ingest need not read them back. */
  pageCrcs: Uint32Array;
}

type Shareable = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** The array itself when it already lives in shared memory, else a shared copy. */
function shared<T extends Shareable>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

export interface TableWriter {
  /** Hands over the edge arrays, the essential-edge flags and the retainer lists. */
  writeEdges(graph: HeapGraph, essential: Uint8Array, retainers: Retainers, edgeSources: EdgeSources): void;
  /** Hands over the node arrays once the analysis is done. */
  writeNodes(graph: HeapGraph, a: StoreAnalysis): void;
  /** Settles when both jobs are on disk. */
  done: Promise<WrittenTables>;
  /** Stops the thread (on a failure elsewhere) before its file is removed. */
  terminate: () => Promise<void>;
}

/** Starts the writer thread on the new database file `path` (the strings, the locations and node_by_id first). */
export function startTableWriter(graph: NodesPart, path: string): TableWriter {
  const l = graph.layout;
  const start: StartJob = {
    path,
    strings: encodeStrings(graph.strings),
    nodeCount: graph.nodeCount,
    nodeFieldCount: l.nodeFieldCount,
    idOffset: l.nodeIdOffset,
    nodes: shared(graph.nodes),
    locations: shared(graph.rawLocations),
    locationFields: locationColumns(l).length,
    objectAt: locationColumns(l).indexOf('node_ordinal'),
    fileNodeFieldCount: graph.fileLayout.nodeFieldCount,
  };
  const worker = new Worker(new URL('./table-writer-worker.js', import.meta.url), { workerData: start });
  const done = new Promise<WrittenTables>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { error?: { message: string; code?: string }; written?: WrittenTables }) => {
      settled = true;
      if (m.error) reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else resolve(m.written!);
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`table writer thread exited with status ${code} before it finished`));
    });
  });
  done.catch(() => {}); // awaited by the caller; avoid an unhandled rejection while it is busy
  return {
    done,
    terminate: async () => void (await worker.terminate()),
    writeEdges(g: HeapGraph, essential: Uint8Array, retainers: Retainers, edgeSources: EdgeSources) {
      const edgesJob: EdgeJob = {
        job: 'edges',
        packing: packingFor(g.layout),
        nodeCount: g.nodeCount,
        edgeCount: g.edgeCount,
        edgeTypes: shared(g.edgeTypes),
        edgeNames: shared(g.edgeNames),
        edgeTo: shared(g.edgeTo),
        firstEdge: shared(g.firstEdge),
        essential: shared(essential),
        firstRetainer: shared(retainers.firstRetainer),
        retainerEdge: shared(retainers.retainerEdge),
        edgeSourceAnchors: shared(edgeSources.anchors),
      };
      worker.postMessage(edgesJob);
    },
    writeNodes(g: HeapGraph, a: StoreAnalysis) {
      const l = g.layout;
      const nodesJob: NodeJob = {
        job: 'nodes',
        packing: packingFor(l),
        nodeCount: g.nodeCount,
        nodeFieldCount: l.nodeFieldCount,
        typeOffset: l.nodeTypeOffset,
        nameOffset: l.nodeNameOffset,
        idOffset: l.nodeIdOffset,
        selfSizeOffset: l.nodeSelfSizeOffset,
        nodes: shared(g.nodes),
        traceNodeIds: g.traceNodeIds && shared(g.traceNodeIds),
        firstEdge: shared(g.firstEdge),
        selfSize: shared(a.selfSize),
        retainedSize: shared(a.retainedSize),
        distance: shared(a.distance),
        dominator: shared(a.dominator),
        classIndex: shared(a.classIndex),
        detachedness: shared(a.detachedness),
      };
      worker.postMessage(nodesJob);
    },
  };
}

/** Writes page 1 of the database: the header and the schema entries of the big tables. */
export function writeBigTablesSchema(path: string, written: WrittenTables, layout: GraphLayout): void {
  const entries: SchemaEntry[] = pageTables(layout).map((t) => ({
    type: t.kind,
    name: t.name,
    tableName: t.table,
    rootPage: written.roots[t.name as BigTable],
    sql: t.sql,
  }));
  const fd = openSync(path, 'r+');
  try {
    writeHeaderPage(fd, written.pageCount, entries);
  } finally {
    closeSync(fd);
  }
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
