// Snapshot file → one finished SQLite file, atomically: everything is written to a temporary file
// beside the target and renamed into place only when complete, so an interrupted ingest (Ctrl-C,
// kill -9, full disk) never leaves a file that a later run takes for a finished one. Before the rename
// the file gets its page checksums (page-checksums.ts) and is fsynced, and the directory is fsynced
// after it, so a power loss cannot leave a file that passes for complete either.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { basename, dirname, resolve } from 'node:path';
import { analyzeGraph } from '../graph/analyze.js';
import { InputError } from '../errors.js';
import { readSnapshot, statSnapshotFile } from '../parse/read-snapshot.js';
import { VERSION } from '../version.js';
import { fingerprintFile } from './cache.js';
import { ensureDirectory } from './directories.js';
import { releaseTemp, trackTemp } from './interrupt.js';
import { appendPageChecksums } from './page-checksums.js';
import { removeDeadTempsOf } from './stale-files.js';
import { recordVerified } from './verified-stamp.js';
import { openForBulkWrite } from './bulk.js';
import { dropLinkArrays, optimizeInForeground, releaseMemory } from './memory.js';
import { adoptSideTables, startTableWriter, writeBigTablesSchema, type TableWriter } from './table-writers.js';
import { SummaryThread } from './summary-thread.js';
import { finishStore, snapshotMeta, writeMeta, writePlannerStats, writeStore } from './writer.js';

export interface IngestOptions {
  /** Output database path; default: the snapshot's path with `.db` appended. */
  dbPath?: string;
  /** Overwrite an existing database. */
  force?: boolean;
  quiet?: boolean;
  /** Progress callback (phase name, done, total); the CLI draws a bar from it. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface IngestResult {
  dbPath: string;
  seconds: number;
  phases: Record<string, number>;
  nodeCount: number;
  edgeCount: number;
  /** Size of the file as given (compressed for gzip input). */
  bytes: number;
  /** Bytes of snapshot text parsed (after gunzip). */
  textBytes: number;
}

/**
 * Ingests a snapshot into `options.dbPath` (default: the snapshot's path + `.db`). The work runs in a
 * worker thread so that this thread stays free to handle SIGINT/SIGTERM at once (interrupt.ts): it
 * removes the temporary files, which this thread names and registers before the worker starts.
 */
export async function ingestSnapshot(snapshotPath: string, options: IngestOptions = {}): Promise<IngestResult> {
  const source = resolve(snapshotPath);
  const dbPath = resolve(options.dbPath ?? `${snapshotPath}.db`);
  if (existsSync(dbPath) && !options.force) {
    throw new InputError(`${dbPath}: already exists (use --force to overwrite)`);
  }
  statSnapshotFile(source);
  ensureDirectory(dirname(dbPath), 'database');
  removeDeadTempsOf(dbPath);
  const tmp = `${dbPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const side = `${tmp}-side`;
  trackTemp(tmp, side);
  try {
    const result = await runIngestWorker({ source, dbPath, tmp, side }, options.onProgress ?? (() => {}));
    recordVerified(dbPath); // its checksums were computed from the file just written
    return result;
  } finally {
    rmSync(tmp, { force: true });
    rmSync(side, { force: true });
    releaseTemp(tmp, side);
  }
}

/** The files of one ingest: all absolute, the temporary ones chosen (and registered) by the caller. */
export interface IngestFiles {
  source: string;
  dbPath: string;
  tmp: string;
  side: string;
}

interface WorkerMessage {
  progress?: [string, number, number];
  result?: IngestResult;
  error?: { name: string; message: string; code?: string; stack?: string };
}

function runIngestWorker(files: IngestFiles, progress: NonNullable<IngestOptions['onProgress']>): Promise<IngestResult> {
  optimizeInForeground();
  return new Promise<IngestResult>((resolvePromise, reject) => {
    const worker = new Worker(new URL('./ingest-worker.js', import.meta.url), { workerData: files });
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.progress) progress(...m.progress);
      else if (m.result) {
        settled = true;
        resolvePromise(m.result);
      } else if (m.error) {
        settled = true;
        if (m.error.name === 'InputError') reject(new InputError(m.error.message));
        else reject(Object.assign(new Error(m.error.message), { code: m.error.code, stack: m.error.stack }));
      }
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`ingest thread exited with status ${code} before it finished`));
    });
  });
}

/** The ingest itself, in the calling thread (the worker's, see ingest-worker.ts). */
export async function ingestInThisThread(files: IngestFiles, onProgress: NonNullable<IngestOptions['onProgress']>): Promise<IngestResult> {
  const { source, dbPath, tmp, side } = files;
  const progress = onProgress;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = (now - mark) / 1000;
    mark = now;
  };

  const st = statSnapshotFile(source);
  const stats = { textBytes: 0 };
  let writer: TableWriter | null = null;
  let counts = { nodeCount: 0, edgeCount: 0 };
  let summaryThread: SummaryThread | null = null;
  try {
    // Parse, analyse and write everything that needs the graph in a scope of its own, so that the
    // graph and analysis arrays (over a gigabyte for a 700 MB snapshot) are garbage before SQLite's
    // final phase below.
    const { layout, meta, written, nodeCount, edgeCount, stringCount, locationCount } = await (async () => {
      // A worker thread writes the big tables as raw pages into the final (temporary) file: the strings,
      // locations and id index as soon as they are parsed (while a parallel parse's edge worker finishes,
      // when this thread would wait), the edge tables as soon as the essential-edge flags exist, while this
      // thread finishes the analysis and writes everything else into a side file; the side tables then
      // move into the final file.
      const graph = await readSnapshot(source, {
        onProgress: (p) => progress('parse', p.bytesRead, p.totalBytes),
        stats,
        onBeforeEdges: (part) => {
          writer = startTableWriter(part, tmp);
        },
      });
      lap('parse');
      // Started now, on the core the analysis leaves free until the page writer starts, so that its code
      // is loaded when the analysis hands it the job (summary-thread.ts); not earlier: the parse uses both cores.
      summaryThread = new SummaryThread();
      writer ??= startTableWriter(graph, tmp);
      let edgesSent = false;
      const analysis = analyzeGraph(graph, (phase: string) => progress(`analysis: ${phase}`, 0, 0), {
        onEssentialEdges: (essential, retainers, edgeSources) => {
          (writer as TableWriter).writeEdges(graph, essential, retainers, edgeSources);
          edgesSent = true;
        },
        onScratchGarbage: releaseMemory,
      });
      lap('analysis');
      // The essential-edge flags' only reader after the analysis is the page writer's edges job, which
      // holds them (shared memory) until it has written them: 1 byte per edge less during the summaries.
      analysis.essentialEdge = new Uint8Array(0);
      releaseMemory(); // the analysis' scratch arrays (dominator computation, DFS stacks)
      const tables = writer as TableWriter;
      if (!edgesSent) throw new Error('the analysis did not report essential edges');
      tables.writeNodes(graph, analysis);
      const sideDb = new Database(side);
      try {
        openForBulkWrite(sideDb);
        sideDb.exec('BEGIN');
        await writeStore(sideDb, graph, analysis, progress, () => dropLinkArrays(analysis), summaryThread);
        sideDb.exec('COMMIT');
      } finally {
        sideDb.close();
      }
      progress('nodes and edges', 0, 0);
      const done = await tables.done;
      writer = null;
      return {
        layout: graph.layout,
        meta: snapshotMeta(graph, analysis),
        written: done,
        nodeCount: graph.nodeCount,
        edgeCount: graph.edgeCount,
        stringCount: graph.strings.length,
        locationCount: graph.locations.length / 4,
      };
    })();
    writeBigTablesSchema(tmp, written, layout);
    lap('write');
    releaseMemory();
    const db = new Database(tmp);
    try {
      openForBulkWrite(db);
      db.exec('BEGIN');
      adoptSideTables(db, side);
      finishStore(db, layout);
      lap('merge');
      writeMeta(db, {
        ...meta,
        source_path: source,
        source_name: basename(source),
        source_size: st.size,
        source_mtime_ms: Math.trunc(st.mtimeMs),
        source_fingerprint: fingerprintFile(source),
        heapdiff_version: VERSION,
        ingested_at: new Date().toISOString(),
        ingest_seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
        ingest_phases: JSON.stringify(phases),
      });
      db.exec('COMMIT');
      writePlannerStats(db, nodeCount, edgeCount, stringCount, locationCount);
    } finally {
      db.close();
    }
    appendPageChecksums(tmp, { firstPage: 2, crcs: written.pageCrcs }); // reads back only SQLite's own pages; fsyncs
    renameSync(tmp, dbPath);
    syncDirectory(dirname(dbPath));
    counts = { nodeCount, edgeCount };
  } catch (e) {
    await (writer as TableWriter | null)?.terminate();
    await (summaryThread as SummaryThread | null)?.stop();
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new InputError(`${dbPath}: disk full while writing the database`);
    if (code === 'EACCES' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') throw new InputError(`${dbPath}: cannot write the database (${code})`);
    throw e;
  } finally {
    rmSync(side, { force: true });
  }
  lap('finish');
  return { dbPath, seconds: (performance.now() - t0) / 1000, phases, ...counts, bytes: st.size, textBytes: stats.textBytes };
}

/** Makes a rename in `dir` durable (a power loss after it cannot bring back the old name). */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a directory; the data itself is synced
  } finally {
    closeSync(fd);
  }
}
