// One benchmark task in a fresh process; prints exactly one JSON line on stdout.
//
//   node dist/bench/measure.js <task> <args...>
//
//   toolkit-load FILE          heap-snapshot-toolkit `parse` (DevTools' engine: full load incl. distances,
//                              dominators, retained sizes). FILE may be plain or .gz (streamed through gunzip).
//                              Timed per phase: `load` (the JSON loader, until parsingComplete) and `init`
//                              (buildSnapshot: JSHeapSnapshot's initialize), and per DevTools status message
//                              ("Loading nodes…", "Building edge indexes…", …) as `steps`.
//   toolkit-diff A B           parse A, parse B, `diff(a, b)` (both snapshots in memory, as DevTools does)
//   heapdiff-ingest FILE DB    `ingestSnapshot(FILE, { dbPath: DB, force: true, quiet: true })` from
//                              dist/src/store/ingest.js, imported dynamically (it may not exist yet); its
//                              `phases` as reported, plus `steps`: when each progress phase name first arrived
//   heapdiff-parse FILE [N]    parse only (`readSnapshot`, the edge worker on for plain files ≥ 16 MB, then the
//                              one-thread parse), N times each (default 3); best and median MB/s of both paths
//   heapdiff-cmd DB ARGS...    runs `node bin/heapdiff ARGS` with every `{db}` in ARGS replaced by DB;
//                              wall time of the child process, its peak RSS via a tiny --import probe
//
// Output: {"task", "seconds", "maxRssMB", ...extra} — seconds from process.hrtime.bigint() around the work,
// maxRssMB = process.resourceUsage().maxRSS (KiB) × 1024 / 10^6 (MB are 10^6 bytes throughout).
// A failing task prints {"task", "error", ...} and exits with status 1; it never throws past main().

import { spawn } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';

export type TaskResult = { task: string; seconds?: number; maxRssMB?: number; error?: string } & Record<string, unknown>;

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
export const ROOT = resolve(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'heapdiff');
const RSS_PROBE = pathToFileURL(join(HERE, 'rss-probe.js')).href;
/** The lasting cache of warm query runs (bench/out is git-ignored): their stores' verified-checksum stamps. */
const WARM_CACHE = join(ROOT, 'bench', 'out', 'warm-cache');
const INGEST_MODULE = new URL('../src/store/ingest.js', import.meta.url).href;

const now = () => process.hrtime.bigint();
const secondsSince = (t0: bigint) => Number(now() - t0) / 1e9;
export const kibToMB = (kib: number) => (kib * 1024) / 1e6;
const selfRssMB = () => kibToMB(process.resourceUsage().maxRSS);

/** Minimal view of heap-snapshot-toolkit's JSHeapSnapshot (its .d.ts types are DevTools-internal). */
interface ToolkitSnapshot {
  nodeCount: number;
  edgeFieldsCount: number;
  containmentEdges: { length: number };
  strings: string[];
  totalSize: number;
}
interface ToolkitDiffEntry {
  name: string;
  addedCount: number;
  removedCount: number;
  addedSize: number;
  removedSize: number;
  countDelta: number;
  sizeDelta: number;
}
interface Toolkit {
  parse(stream: unknown): Promise<ToolkitSnapshot>;
  diff(a: ToolkitSnapshot, b: ToolkitSnapshot): Promise<Record<string, ToolkitDiffEntry>>;
}

async function loadToolkit(): Promise<Toolkit> {
  return (await import('heap-snapshot-toolkit')) as unknown as Toolkit;
}

/** True when the file starts with the gzip magic bytes 1f 8b. */
function isGzip(file: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** A UTF-8 text stream of the snapshot; gzip files are gunzipped on the fly. */
function textStream(file: string): Readable {
  if (!isGzip(file)) return createReadStream(file, { encoding: 'utf8' });
  const gunzip = createReadStream(file).pipe(createGunzip());
  gunzip.setEncoding('utf8');
  return gunzip;
}

function toolkitCounts(s: ToolkitSnapshot) {
  return {
    nodeCount: s.nodeCount,
    edgeCount: s.containmentEdges.length / s.edgeFieldsCount,
    stringCount: s.strings.length,
    totalSize: s.totalSize,
  };
}

/** The parts of DevTools' heap snapshot worker (the toolkit's `DevToolsAPI` export) that `parse` uses. */
interface DevToolsApi {
  HeapSnapshotLoader: {
    HeapSnapshotLoader: new (dispatcher?: {
      sendEvent(name: string, payload: unknown): void;
    }) => {
      write(chunk: string): void;
      close(): void;
      parsingComplete: Promise<void>;
      buildSnapshot(port: MessagePort): Promise<ToolkitSnapshot>;
    };
  };
  SecondaryInitManager: new (port: MessagePort) => unknown;
}

/** One DevTools status message and how long the work after it ran (until the next one). */
export interface Step {
  name: string;
  seconds: number;
}

/** Turns (name, start) marks into (name, duration) steps, the last one ending at `end`. */
function stepsFrom(marks: { name: string; at: bigint }[], end: bigint): Step[] {
  return marks.map((m, i) => ({ name: m.name, seconds: Number((marks[i + 1]?.at ?? end) - m.at) / 1e9 }));
}

/**
 * heap-snapshot-toolkit's `parse`, step by step, with a progress dispatcher (the toolkit passes none):
 * the same loader, the same one-thread SecondaryInitManager, so the same work and memory as `tk.parse`.
 * DevTools' status messages mark the steps; a repeated message ("Loading nodes… 40%") is one step.
 * Note on the init steps: the second-thread part of DevTools' initialize (retainers, dominators, retained
 * sizes, dominated nodes) runs here in the same thread while initialize awaits its results, i.e. all of
 * it inside the second "Calculating retained sizes…" step; the earlier steps that name it only prepare it.
 */
async function toolkitLoad(file: string): Promise<TaskResult> {
  const { DevToolsAPI } = (await import('heap-snapshot-toolkit')) as unknown as { DevToolsAPI: DevToolsApi };
  const bytes = statSync(file).size;
  const marks: { name: string; at: bigint }[] = [];
  const dispatcher = {
    sendEvent(_name: string, payload: unknown) {
      let name: string;
      try {
        name = String((JSON.parse(String(payload)) as { string: string }).string);
      } catch {
        return; // a problem report, not a status
      }
      if (marks[marks.length - 1]?.name !== name) marks.push({ name, at: now() });
    },
  };
  const t0 = now();
  const loader = new DevToolsAPI.HeapSnapshotLoader.HeapSnapshotLoader(dispatcher);
  const stream = textStream(file);
  await new Promise<void>((res, rej) => {
    stream.on('error', rej);
    stream.on('end', () => res());
    stream.on('data', (chunk: string | Buffer) => loader.write(String(chunk)));
  });
  loader.close();
  await loader.parsingComplete;
  const t1 = now();
  const loadMarks = marks.length;
  const channel = new MessageChannel();
  let snap: ToolkitSnapshot;
  try {
    new DevToolsAPI.SecondaryInitManager(channel.port2);
    snap = await loader.buildSnapshot(channel.port1);
  } finally {
    channel.port1.close(); // or the process would never exit
    channel.port2.close();
  }
  const t2 = now();
  const seconds = Number(t2 - t0) / 1e9;
  return {
    task: 'toolkit-load',
    seconds,
    maxRssMB: selfRssMB(),
    file,
    bytes,
    ...toolkitCounts(snap),
    phases: { load: Number(t1 - t0) / 1e9, init: Number(t2 - t1) / 1e9 },
    loadSteps: stepsFrom(marks.slice(0, loadMarks), t1),
    initSteps: stepsFrom(marks.slice(loadMarks), t2),
  };
}

async function toolkitDiff(a: string, b: string): Promise<TaskResult> {
  const tk = await loadToolkit();
  const t0 = now();
  const sa = await tk.parse(textStream(a));
  const parseASeconds = secondsSince(t0);
  const t1 = now();
  const sb = await tk.parse(textStream(b));
  const parseBSeconds = secondsSince(t1);
  const t2 = now();
  const d = await tk.diff(sa, sb);
  const diffSeconds = secondsSince(t2);
  const seconds = secondsSince(t0);
  const entries = Object.values(d);
  const changed = entries.filter((e) => e.addedCount !== 0 || e.removedCount !== 0);
  const top = [...changed]
    .sort((x, y) => Math.abs(y.sizeDelta) - Math.abs(x.sizeDelta))
    .slice(0, 5)
    .map((e) => ({ name: e.name, countDelta: e.countDelta, sizeDelta: e.sizeDelta }));
  return {
    task: 'toolkit-diff',
    seconds,
    maxRssMB: selfRssMB(),
    a,
    b,
    parseASeconds,
    parseBSeconds,
    diffSeconds,
    classesChanged: changed.length,
    addedCount: changed.reduce((s, e) => s + e.addedCount, 0),
    removedCount: changed.reduce((s, e) => s + e.removedCount, 0),
    top,
  };
}

/** Sum of the sizes of the DB file and its companions (DB-wal, DB.edges, …) in the same directory. */
export function dbFootprint(db: string): { dbBytes: number; dbFiles: string[] } {
  const dir = dirname(db);
  const base = basename(db);
  let dbBytes = 0;
  const dbFiles: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(base) || name.includes('.tmp-')) continue;
    const st = statSync(join(dir, name));
    if (!st.isFile()) continue;
    dbBytes += st.size;
    dbFiles.push(name);
  }
  return { dbBytes, dbFiles };
}

interface IngestModule {
  ingestSnapshot(
    file: string,
    options: { dbPath: string; force: boolean; quiet: boolean; onProgress?: (phase: string, done: number, total: number) => void },
  ): Promise<unknown>;
}

async function heapdiffIngest(file: string, db: string): Promise<TaskResult> {
  // The ingest stamps its store as verified in this cache (verified-stamp.ts), the one the warm query
  // runs use, as one user's ingest and queries share theirs: the first query then does not re-read the
  // store to check its page checksums.
  process.env.HEAPDIFF_CACHE_DIR ??= WARM_CACHE;
  let mod: IngestModule;
  try {
    mod = (await import(INGEST_MODULE)) as IngestModule;
    if (typeof mod.ingestSnapshot !== 'function') throw new Error(`${INGEST_MODULE} has no ingestSnapshot export`);
  } catch (e) {
    return { task: 'heapdiff-ingest', error: `cannot import ingest module: ${firstLine(e)}` };
  }
  const bytes = statSync(file).size;
  const marks: { name: string; at: bigint }[] = [];
  const onProgress = (phase: string) => {
    if (marks[marks.length - 1]?.name !== phase) marks.push({ name: phase, at: now() });
  };
  const t0 = now();
  const r = (await mod.ingestSnapshot(file, { dbPath: db, force: true, quiet: true, onProgress })) as Record<string, unknown> | undefined;
  const end = now();
  const seconds = Number(end - t0) / 1e9;
  const dbPath = typeof r?.dbPath === 'string' ? r.dbPath : db;
  return {
    task: 'heapdiff-ingest',
    seconds,
    maxRssMB: selfRssMB(),
    file,
    bytes,
    mbPerSec: bytes / 1e6 / seconds,
    dbPath,
    ...dbFootprint(dbPath),
    reportedSeconds: typeof r?.seconds === 'number' ? r.seconds : undefined,
    phases: r?.phases,
    // Progress arrives from the ingest thread by message: each step starts when its first message did.
    steps: stepsFrom(marks, end),
    nodeCount: r?.nodeCount,
    edgeCount: r?.edgeCount,
  };
}

/** The parse alone (scanner + validation into a HeapGraph), both paths, `runs` times each. */
async function heapdiffParse(file: string, runs: number): Promise<TaskResult> {
  const mod = (await import(new URL('../src/parse/read-snapshot.js', import.meta.url).href)) as {
    readSnapshot(path: string, o: { parallelMinBytes?: number; stats?: { textBytes: number; edgesInParallel?: boolean } }): Promise<unknown>;
  };
  const bytes = statSync(file).size;
  const paths = { parallel: 0, oneThread: Number.MAX_SAFE_INTEGER };
  const out: Record<string, unknown> = {};
  let total = 0;
  for (const [name, parallelMinBytes] of Object.entries(paths)) {
    const secs: number[] = [];
    for (let i = 0; i < runs; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const stats = { textBytes: 0, edgesInParallel: false };
      const t0 = now();
      await mod.readSnapshot(file, { parallelMinBytes, stats });
      secs.push(secondsSince(t0));
      if (name === 'parallel' && !stats.edgesInParallel) out.parallelFellBack = true;
    }
    secs.sort((a, b) => a - b);
    total += secs.reduce((a, b) => a + b, 0);
    out[`${name}BestMBps`] = bytes / 1e6 / secs[0]!;
    out[`${name}MedianMBps`] = bytes / 1e6 / secs[Math.floor(secs.length / 2)]!;
  }
  return { task: 'heapdiff-parse', seconds: total, maxRssMB: selfRssMB(), file, bytes, runs, ...out };
}

async function heapdiffCmd(db: string, args: string[]): Promise<TaskResult> {
  const argv = args.map((a) => a.split('{db}').join(db));
  const coldFiles = argv.some((a) => /\.heapsnapshot(\.gz)?$/.test(a));
  const probeDir = mkdtempSync(join(tmpdir(), 'heapdiff-bench-'));
  const rssFile = join(probeDir, 'rss');
  try {
    const t0 = now();
    const { code, signal, stdoutBytes, stdoutLines, stdoutHead, stderrHead } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdoutBytes: number;
      stdoutLines: number;
      stdoutHead: string;
      stderrHead: string;
    }>((res, rej) => {
      const child = spawn(process.execPath, ['--import', RSS_PROBE, BIN, ...argv], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        // A command given snapshot files gets a fresh cache: it ingests them cold, as a new user's first run
        // would. A command on ingested stores gets the bench's own lasting cache, which holds the stores'
        // verified-checksum stamps (verified-stamp.ts): the unmeasured first run verifies each store once,
        // as a user's first query does, and the measured runs are warm queries. (A fresh cache here made
        // every run re-read the whole store: +1 s on a 5.4 GB one.)
        env: { ...process.env, HEAPDIFF_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', HEAPDIFF_CACHE_DIR: coldFiles ? join(probeDir, 'cache') : WARM_CACHE },
      });
      let stdoutBytes = 0;
      let stdoutLines = 0;
      let head = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => {
        stdoutBytes += b.length;
        for (const c of b) if (c === 10) stdoutLines++;
        if (head.length < 2000) head += b.toString('utf8');
      });
      child.stderr.on('data', (b: Buffer) => {
        if (err.length < 4000) err += b.toString('utf8');
      });
      child.on('error', rej);
      child.on('close', (code, signal) =>
        res({ code, signal, stdoutBytes, stdoutLines, stdoutHead: head.split('\n').slice(0, 3).join('\n'), stderrHead: err }),
      );
    });
    const seconds = secondsSince(t0);
    let maxRssMB: number | undefined;
    try {
      maxRssMB = kibToMB(Number(readFileSync(rssFile, 'utf8')));
    } catch {
      maxRssMB = undefined;
    }
    const base: TaskResult = { task: 'heapdiff-cmd', seconds, maxRssMB, args: argv, exitCode: code, stdoutBytes, stdoutLines, stdoutHead };
    if (code !== 0) {
      const line = stderrHead.split('\n').find((l) => l.trim()) ?? `exit ${code ?? signal}`;
      return { ...base, error: line.trim() };
    }
    return base;
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.split('\n')[0] ?? msg;
}

const USAGE =
  'usage: node dist/bench/measure.js toolkit-load FILE | toolkit-diff A B | heapdiff-ingest FILE DB | heapdiff-parse FILE [N] | heapdiff-cmd DB ARGS...';

export async function runTask(task: string, args: string[]): Promise<TaskResult> {
  switch (task) {
    case 'toolkit-load':
      if (args.length !== 1) throw new Error(USAGE);
      return toolkitLoad(args[0]!);
    case 'toolkit-diff':
      if (args.length !== 2) throw new Error(USAGE);
      return toolkitDiff(args[0]!, args[1]!);
    case 'heapdiff-ingest':
      if (args.length !== 2) throw new Error(USAGE);
      return heapdiffIngest(args[0]!, args[1]!);
    case 'heapdiff-parse':
      if (args.length < 1 || args.length > 2) throw new Error(USAGE);
      return heapdiffParse(args[0]!, args.length === 2 ? Number(args[1]) : 3);
    case 'heapdiff-cmd':
      if (args.length < 2) throw new Error(USAGE);
      return heapdiffCmd(args[0]!, args.slice(1));
    default:
      throw new Error(`unknown task '${task}'. ${USAGE}`);
  }
}

/** Synchronous write, then exit: some loaders keep handles open, and an async pipe write could be lost. */
function finish(result: TaskResult): never {
  writeSync(1, `${JSON.stringify(result)}\n`);
  process.exit(result.error ? 1 : 0);
}

async function main(): Promise<void> {
  const [task = '', ...args] = process.argv.slice(2);
  const t0 = now();
  // DevTools' loader fails inside its own promise chain (e.g. `RangeError: Invalid string length` on a strings
  // section past V8's string limit); report that as the task's error instead of dying without a JSON line.
  const fail = (e: unknown) => finish({ task, error: firstLine(e), seconds: secondsSince(t0), maxRssMB: selfRssMB() });
  process.on('unhandledRejection', fail);
  process.on('uncaughtException', fail);
  let result: TaskResult;
  try {
    result = await runTask(task, args);
  } catch (e) {
    result = { task, error: firstLine(e), seconds: secondsSince(t0), maxRssMB: selfRssMB() };
  }
  finish(result);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
