// Snapshot file → one finished SQLite file, atomically: everything is written to a temporary file
// beside the target and renamed into place only when complete, so an interrupted ingest (Ctrl-C,
// kill -9, full disk) never leaves a file that a later run takes for a finished one.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { analyzeGraph } from '../graph/analyze.js';
import { InputError } from '../errors.js';
import { readSnapshot, statSnapshotFile } from '../parse/read-snapshot.js';
import { VERSION } from '../version.js';
import { fingerprintFile } from './cache.js';
import { openForBulkWrite } from './bulk.js';
import { dropLinkArrays, releaseMemory } from './memory.js';
import { adoptSideTables, startTableWriter, writeBigTablesSchema, type TableWriter } from './table-writers.js';
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

const live = new Set<string>();
let hooked = false;
/** Remove temporary files if the process is interrupted (kill -9 cannot be caught; the rename protects that case). */
function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  const cleanup = () => {
    for (const f of live) rmSync(f, { force: true });
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanup();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

export async function ingestSnapshot(snapshotPath: string, options: IngestOptions = {}): Promise<IngestResult> {
  const source = resolve(snapshotPath);
  const dbPath = resolve(options.dbPath ?? `${snapshotPath}.db`);
  if (existsSync(dbPath) && !options.force) {
    throw new InputError(`${dbPath}: already exists (use --force to overwrite)`);
  }
  const progress = options.onProgress ?? (() => {});
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
  mkdirSync(dirname(dbPath), { recursive: true });
  const tmp = `${dbPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const side = `${tmp}-side`;
  hookSignals();
  live.add(tmp);
  live.add(side);
  let writer: TableWriter | null = null;
  let counts = { nodeCount: 0, edgeCount: 0 };
  try {
    // Parse, analyse and write everything that needs the graph in a scope of its own, so that the
    // graph and analysis arrays (over a gigabyte for a 700 MB snapshot) are garbage before SQLite's
    // final phase below.
    const { layout, meta, written, nodeCount, edgeCount } = await (async () => {
      const graph = await readSnapshot(source, { onProgress: (p) => progress('parse', p.bytesRead, p.totalBytes), stats });
      lap('parse');
      // A worker thread writes the big tables as raw pages into the final (temporary) file, starting
      // as soon as the essential-edge flags exist, while this thread finishes the analysis and writes
      // everything else into a side file; the side tables then move into the final file.
      const analysis = analyzeGraph(graph, (phase: string) => progress(`analysis: ${phase}`, 0, 0), {
        onEssentialEdges: (essential, retainers) => {
          writer = startTableWriter(graph, essential, retainers, tmp);
        },
        onScratchGarbage: releaseMemory,
      });
      lap('analysis');
      releaseMemory(); // the analysis' scratch arrays (dominator computation, DFS stacks)
      const tables = writer as TableWriter | null;
      if (tables === null) throw new Error('the analysis did not report essential edges');
      tables.writeNodes(graph, analysis);
      const sideDb = new Database(side);
      try {
        openForBulkWrite(sideDb);
        sideDb.exec('BEGIN');
        writeStore(sideDb, graph, analysis, progress, () => dropLinkArrays(analysis));
        sideDb.exec('COMMIT');
      } finally {
        sideDb.close();
      }
      progress('nodes and edges', 0, 0);
      const done = await tables.done;
      writer = null;
      return { layout: graph.layout, meta: snapshotMeta(graph, analysis), written: done, nodeCount: graph.nodeCount, edgeCount: graph.edgeCount };
    })();
    writeBigTablesSchema(tmp, written);
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
      writePlannerStats(db, nodeCount, edgeCount);
    } finally {
      db.close();
    }
    renameSync(tmp, dbPath);
    counts = { nodeCount, edgeCount };
  } catch (e) {
    await (writer as TableWriter | null)?.terminate();
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new InputError(`${dbPath}: disk full while writing the database`);
    if (code === 'EACCES' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') throw new InputError(`${dbPath}: cannot write the database (${code})`);
    throw e;
  } finally {
    rmSync(side, { force: true });
    live.delete(tmp);
    live.delete(side);
  }
  lap('finish');
  return { dbPath, seconds: (performance.now() - t0) / 1000, phases, ...counts, bytes: st.size, textBytes: stats.textBytes };
}
