// heapdiff benchmark: `npm run bench [-- options]` (= tsc, then node --expose-gc dist/bench/bench.js).
//
//   --size 150|700|MB   snapshot to generate/reuse with bench/make-big-snapshot.mjs (default 150); from 2000 MB on
//                       (e.g. 2600, 4000) tiled by bench/tile-snapshot.ts from a 620 MB one (see bench/README.md)
//   --big-dir DIR       where tiled snapshots and their DBs go (default bench/out; several GB each)
//   --shape NAME        heap shape (bench/shapes.ts): leaky (default, make-big-snapshot.mjs), strings-closures,
//                       linked-list (make-shape-snapshot.mjs), chromium (a page in /usr/bin/chromium)
//   --file PATH         use this snapshot instead (plain .heapsnapshot; no generation); --base PATH for diff
//   --diff              also generate (with --pair) and use a baseline snapshot from the same process
//   --strings           the 600k × 1,000-char strings heap (strings section > V8's 512 M-char limit)
//   --browser-pair      two ~50 MB Chromium snapshots with a planted growth (bench/browser-pair.ts): warm
//                       `heapdiff A B` with suspects vs `--suspects 0` (≤ 2×) and `retainers CacheEntry` (< 1 s)
//   --runs N            runs per task (default 1); the table shows medians
//   --skip-toolkit      skip heap-snapshot-toolkit (DevTools' engine), the oracle
//   --skip-commands     skip the CLI query commands
//   --force             regenerate the snapshot(s)
//   --json PATH         where to write the results (default bench/out/last.json)
//
// Every task runs in a fresh `node dist/bench/measure.js …` process, one at a time (2-core machine).

import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROWTH_CLASS, makeBrowserPair } from './browser-pair.js';
import type { TaskResult } from './measure.js';
import { phaseTable, renderPhaseTable } from './phase-table.js';
import { isShape, makeShapeSnapshot, SHAPES, type Shape } from './shapes.js';

/**
 * CLI commands timed on the ingested DB. Placeholders: {db} (the ingested snapshot), {baseDb} (the ingested
 * baseline), {id:KEY} (heap object id KEY from the snapshot's .meta.json: user, session, sessionsByToken,
 * lastUser). `needs: 'base'` entries run only when a baseline exists. Extend freely.
 */
export const COMMANDS: BenchCommand[] = [
  { label: 'partition', args: ['partition', '{db}'] },
  { label: 'stats', args: ['stats', '{db}'] },
  { label: 'retainers Session', args: ['retainers', '{db}', 'Session'] },
  { label: 'dominators', args: ['dominators', '{db}'] },
  { label: 'strings --duplicates', args: ['strings', '{db}', '--duplicates'] },
  { label: 'inspect @<session>', args: ['inspect', '{db}', '@{id:session}'] },
  { label: 'partition --by rcs', args: ['partition', '{db}', '--by', 'rcs'] },
  { label: 'suspects', args: ['suspects', '{db}'] },
  { label: 'diff base big (both ingested)', args: ['diff', '{baseDb}', '{db}'], needs: 'base' },
  { label: 'diff base big (fresh: ingests both, cold cache)', args: ['diff', '{baseFile}', '{file}', '-q'], needs: 'base' },
];

export interface BenchCommand {
  label: string;
  args: string[];
  needs?: 'base';
}

/** The project's performance targets (700 MB = 684 × 10^6 bytes file). */
const TARGETS = {
  parseMBps: 300,
  ingest700Seconds: 17,
  ingest700RssMB: 1600,
  bytes700: 684e6,
  dbRatio: 2,
  // Notes' measurements of heap-snapshot-toolkit on this machine kind, by nominal size.
  toolkit: { 150: { seconds: 5.2, rssMB: 660 }, 700: { seconds: 21, rssMB: 2500 } } as Record<number, { seconds: number; rssMB: number }>,
  // Notes' best prototype (2 workers, presorted retainers), ingest only: 150 MB 3.45 s, 700 MB 16.4–16.8 s.
  prototype: { 150: 3.45, 700: 16.6 } as Record<number, number>,
};

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const ROOT = resolve(HERE, '..', '..');
const MEASURE = join(HERE, 'measure.js');
const GENERATOR = join(ROOT, 'bench', 'make-big-snapshot.mjs');
const OUT = join(ROOT, 'bench', 'out');
const TOOLKIT_FLAGS = ['--max-old-space-size=16000'];
const TASK_TIMEOUT_MS = 30 * 60 * 1000;

interface Options {
  size: number;
  shape: Shape;
  file?: string;
  base?: string;
  diff: boolean;
  strings: boolean;
  browserPair: boolean;
  runs: number;
  skipToolkit: boolean;
  skipCommands: boolean;
  force: boolean;
  json: string;
  /** Tiled snapshots (--size ≥ TILE_MIN_MB) and their DBs. */
  bigDir: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    size: 150,
    shape: 'leaky',
    diff: false,
    strings: false,
    browserPair: false,
    runs: 1,
    skipToolkit: false,
    skipCommands: false,
    force: false,
    json: join(OUT, 'last.json'),
    bigDir: OUT,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--size') o.size = Number(val());
    else if (a === '--shape') {
      const v = val();
      if (!isShape(v)) throw new Error(`--shape must be one of ${SHAPES.join(', ')}`);
      o.shape = v;
    } else if (a === '--file') o.file = resolve(val());
    else if (a === '--base') o.base = resolve(val());
    else if (a === '--diff') o.diff = true;
    else if (a === '--strings') o.strings = true;
    else if (a === '--browser-pair') o.browserPair = true;
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--skip-toolkit') o.skipToolkit = true;
    else if (a === '--skip-commands') o.skipCommands = true;
    else if (a === '--force') o.force = true;
    else if (a === '--json') o.json = resolve(val());
    else if (a === '--big-dir') o.bigDir = resolve(val());
    else if (a === '-h' || a === '--help') {
      const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
      const end = lines.findIndex((l) => !l.startsWith('//'));
      console.log(
        lines
          .slice(0, end < 0 ? lines.length : end)
          .map((l) => l.replace(/^\/\/ ?/, ''))
          .join('\n'),
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isFinite(o.size) || o.size < 10) throw new Error('--size must be a number of MB ≥ 10');
  return o;
}

// ─────────────────────────────────────────────── helpers ───────────────────────────────────────────────

function run(cmd: string, args: string[], opts: { capture: boolean }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', opts.capture ? 'pipe' : 'inherit'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => {
      if (stderr.length < 100_000) stderr += b.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TASK_TIMEOUT_MS);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/** Runs one measure.js task in a fresh process and returns its JSON line (or an error result). */
async function measure(task: string, args: string[], nodeFlags: string[] = []): Promise<TaskResult> {
  const r = await run(process.execPath, [...nodeFlags, MEASURE, task, ...args], { capture: true });
  const line = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line) {
    try {
      return JSON.parse(line) as TaskResult;
    } catch {
      // fall through
    }
  }
  const why = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const msg = why.find((l) => /Error|error:|FATAL|heap out of memory/.test(l)) ?? why.pop() ?? `exit ${r.code}`;
  return { task, error: `process died (exit ${r.code}): ${msg}` };
}

async function measureRuns(label: string, runs: number, task: string, args: string[], nodeFlags: string[] = []): Promise<TaskResult[]> {
  const out: TaskResult[] = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`  ${label}${runs > 1 ? ` [${i + 1}/${runs}]` : ''} … `);
    const r = await measure(task, args, nodeFlags);
    process.stderr.write(r.error ? `n/a (${r.error})\n` : `${fmtS(r.seconds)}, ${fmtMB(r.maxRssMB)} peak RSS\n`);
    out.push(r);
    if (r.error) break; // the same error again teaches nothing
  }
  return out;
}

export function median(xs: number[]): number | undefined {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1]! + v[m]!) / 2;
}

interface Summary {
  ok: boolean;
  error?: string;
  runs: number;
  seconds?: number;
  maxRssMB?: number;
  last?: TaskResult;
  all: TaskResult[];
}

function summarize(results: TaskResult[]): Summary {
  const ok = results.filter((r) => !r.error);
  return {
    ok: ok.length > 0 && ok.length === results.length,
    error: results.find((r) => r.error)?.error,
    runs: ok.length,
    seconds: median(ok.map((r) => r.seconds ?? NaN)),
    maxRssMB: median(ok.map((r) => r.maxRssMB ?? NaN)),
    last: ok[ok.length - 1],
    all: results,
  };
}

function fmtS(s: number | undefined): string {
  return s === undefined ? '?' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}
function fmtMB(mb: number | undefined): string {
  return mb === undefined ? '?' : mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}
function fmtN(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en') : '?';
}

interface SnapshotInfo {
  file: string;
  bytes: number;
  nodeCount?: number;
  edgeCount?: number;
  sampleIds: Record<string, number>;
  nominalSize?: number;
  gzip: boolean;
}

/** Header counts from the first bytes of the file (no full parse), plus the generator's .meta.json if present. */
function snapshotInfo(file: string, nominalSize?: number): SnapshotInfo {
  const bytes = statSync(file).size;
  let meta: { nodeCount?: number; edgeCount?: number; sampleIds?: Record<string, number> } = {};
  if (existsSync(`${file}.meta.json`)) meta = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8'));
  if (meta.nodeCount === undefined) {
    try {
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(256 * 1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      const text = buf.toString('latin1', 0, n);
      const at = text.indexOf('"nodes"');
      const header = JSON.parse(`${text.slice(0, text.lastIndexOf(',', at))}}`).snapshot;
      meta.nodeCount = header.node_count;
      meta.edgeCount = header.edge_count;
    } catch {
      // gzip or odd file: counts stay unknown
    }
  }
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, 2, 0);
  closeSync(fd);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  return { file, bytes, nodeCount: meta.nodeCount, edgeCount: meta.edgeCount, sampleIds: meta.sampleIds ?? {}, nominalSize, gzip };
}

function substitute(args: string[], vars: Record<string, string | undefined>): string[] | string {
  const out: string[] = [];
  for (const a of args) {
    let missing = '';
    const s = a.replace(/\{([a-zA-Z:]+)\}/g, (_, key: string) => {
      if (key === 'db') return '{db}'; // measure.js substitutes {db} itself
      const v = vars[key];
      if (v === undefined) missing = key;
      return v ?? '';
    });
    if (missing) return `no value for {${missing}}`;
    out.push(s);
  }
  return out;
}

// ─────────────────────────────────────────────── main ───────────────────────────────────────────────

/** Reads a file once, so later runs find it in the page cache. */
function warmPageCache(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** From this size on, `--size` snapshots are tiled (V8 would need ~6× the file in RAM to write them). */
const TILE_MIN_MB = 2000;
/** The real V8 snapshot they are tiled from: 4 copies ≈ 2.6 GB, 6 ≈ 3.9 GB. */
const TILE_SOURCE_MB = 620;
/** DevTools' engine is not run on tiled files above this (its RSS would pass ~11 GB on a 24 GB machine). */
const TOOLKIT_MAX_MB = 3000;

/** `--size` ≥ TILE_MIN_MB: K copies of leaky-620 (generated first if needed) under one root, in --big-dir. */
async function tiledSnapshot(o: Options): Promise<string> {
  const genArgs = ['--size', String(TILE_SOURCE_MB), ...(o.force ? ['--force'] : [])];
  console.log(`# tile source: node bench/make-big-snapshot.mjs ${genArgs.join(' ')}`);
  const g = await run(process.execPath, [GENERATOR, ...genArgs], { capture: false });
  if (g.code !== 0) throw new Error(`make-big-snapshot.mjs failed (exit ${g.code})`);
  mkdirSync(o.bigDir, { recursive: true });
  const file = join(o.bigDir, `leaky-${o.size}.heapsnapshot`);
  const tileArgs = ['--from', join(OUT, `leaky-${TILE_SOURCE_MB}.heapsnapshot`), '--out', file, '--size', String(o.size), ...(o.force ? ['--force'] : [])];
  console.log(`# snapshot: node dist/bench/tile-snapshot.js ${tileArgs.join(' ')}`);
  const t = await run(process.execPath, [join(HERE, 'tile-snapshot.js'), ...tileArgs], { capture: false });
  if (t.code !== 0) throw new Error(`tile-snapshot.js failed (exit ${t.code})`);
  return file;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const load0 = loadavg()[0]!;
  if (load0 > 0.5) {
    console.log(`# warning: 1-min load average ${load0.toFixed(2)} on ${cpus().length} cores — other processes compete; times will be inflated`);
  }
  if (!existsSync(MEASURE)) throw new Error(`${MEASURE} missing: run via npm run bench (it compiles first)`);
  if (o.browserPair) return browserPairMain(o);

  // 1. the snapshot(s)
  let file: string;
  let baseFile: string | undefined;
  let tiled = false;
  if (o.file) {
    file = o.file;
    baseFile = o.base;
  } else if (o.shape !== 'leaky') {
    if (o.strings || o.diff) throw new Error(`--strings and --diff go with the leaky shape only`);
    file = await makeShapeSnapshot(ROOT, OUT, o.shape, o.size, o.force);
  } else if (!o.strings && o.size >= TILE_MIN_MB) {
    if (o.diff) throw new Error('--diff goes with sizes below 2000 MB only');
    file = await tiledSnapshot(o);
    tiled = true;
    if (o.size > TOOLKIT_MAX_MB && !o.skipToolkit) {
      console.log(`# DevTools' engine skipped above ${TOOLKIT_MAX_MB} MB: it needs ~3.7× the file in RAM (9.8 GB at 2.66 GB)`);
      o.skipToolkit = true;
    }
  } else {
    const genArgs = o.strings ? ['--strings'] : ['--size', String(o.size), ...(o.diff ? ['--pair'] : [])];
    if (o.force) genArgs.push('--force');
    console.log(`# snapshot: node bench/make-big-snapshot.mjs ${genArgs.join(' ')}`);
    const g = await run(process.execPath, [GENERATOR, ...genArgs], { capture: false });
    if (g.code !== 0) throw new Error(`make-big-snapshot.mjs failed (exit ${g.code})`);
    file = join(OUT, o.strings ? 'strings-600k.heapsnapshot' : `leaky-${o.size}.heapsnapshot`);
    const candidate = `${file.replace(/\.heapsnapshot$/, '')}-base.heapsnapshot`;
    if (!o.strings && existsSync(candidate)) baseFile = candidate;
  }
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const snap = snapshotInfo(file, o.file || o.strings || o.shape !== 'leaky' ? undefined : o.size);
  const base = baseFile && existsSync(baseFile) ? snapshotInfo(baseFile) : undefined;
  const dbDir = tiled && o.bigDir !== OUT ? o.bigDir : join(OUT, 'db');
  mkdirSync(dbDir, { recursive: true });
  const db = join(dbDir, `${basename(file).replace(/\.heapsnapshot(\.gz)?$/, '')}.db`);
  const baseDb = base ? join(dbDir, `${basename(base.file).replace(/\.heapsnapshot(\.gz)?$/, '')}.db`) : undefined;
  console.log(
    `# ${file}: ${(snap.bytes / 1e6).toFixed(1)} MB, ${fmtN(snap.nodeCount)} nodes, ${fmtN(snap.edgeCount)} edges` +
      (base ? `; baseline ${basename(base.file)}` : ''),
  );

  // Every tool reads the snapshot from the page cache: otherwise the first one measured (heapdiff) pays the
  // disk (~60 MB/s on a cold file here) and the others do not.
  for (const f of [file, baseFile]) if (f && existsSync(f)) warmPageCache(f);

  // 2. heapdiff ingest
  console.log('# heapdiff ingest');
  const ingest = summarize(await measureRuns('ingest', o.runs, 'heapdiff-ingest', [file, db]));
  let baseIngest: Summary | undefined;
  if (base && baseDb) baseIngest = summarize(await measureRuns('ingest baseline', 1, 'heapdiff-ingest', [base.file, baseDb]));

  // 3. DevTools' engine
  let toolkit: Summary | undefined;
  let toolkitDiff: Summary | undefined;
  if (!o.skipToolkit) {
    console.log('# heap-snapshot-toolkit (DevTools engine)');
    toolkit = summarize(await measureRuns('toolkit load', o.runs, 'toolkit-load', [file], TOOLKIT_FLAGS));
    if (base) toolkitDiff = summarize(await measureRuns('toolkit diff', o.runs, 'toolkit-diff', [base.file, file], TOOLKIT_FLAGS));
  }

  // 4. CLI commands on the ingested DB
  const commands: { label: string; args: string[]; summary?: Summary; skipped?: string }[] = [];
  if (!o.skipCommands) {
    console.log('# heapdiff commands');
    const vars: Record<string, string | undefined> = { baseDb: base && baseIngest?.ok ? baseDb : undefined, baseFile: base?.file, file };
    for (const [k, v] of Object.entries(snap.sampleIds)) vars[`id:${k}`] = String(v);
    for (const c of COMMANDS) {
      if (c.needs === 'base' && !base) continue;
      if (!ingest.ok) {
        commands.push({ label: c.label, args: c.args, skipped: 'no DB (ingest failed)' });
        continue;
      }
      const args = substitute(c.args, vars);
      if (typeof args === 'string') {
        commands.push({ label: c.label, args: c.args, skipped: args });
        continue;
      }
      commands.push({ label: c.label, args, summary: summarize(await measureRuns(c.label, o.runs, 'heapdiff-cmd', [db, ...args])) });
    }
  }

  // 5. report
  const report = buildReport(o, snap, base, ingest, baseIngest, toolkit, toolkitDiff, commands);
  (report.json as Record<string, unknown>).loadAverage = { atStart: load0, atEnd: loadavg()[0] };
  const phases = phaseTable(ingest.all, toolkit?.all ?? []);
  (report.json as Record<string, unknown>).phaseTable = phases;
  writeFileSync(o.json, `${JSON.stringify(report.json, null, 2)}\n`);
  console.log(`\n${report.text}`);
  const what = o.file ? basename(file) : `${o.strings ? 'strings' : o.shape}, ${(snap.bytes / 1e6).toFixed(0)} MB`;
  console.log(`\n${renderPhaseTable(phases, `cold ingest vs DevTools' engine load, per phase (${what}${o.runs > 1 ? `, medians of ${o.runs} runs` : ''}):`)}`);
  console.log(`\nresults: ${o.json}`);
}

/**
 * `--browser-pair`: the cost of the leak suspects on a pair of ~50 MB browser snapshots. Both are ingested
 * first; every command then runs once unmeasured (page cache, SQLite pages) and `--runs` times measured
 * (default 3 here), medians compared: `heapdiff A B` ≤ 2× `heapdiff A B --suspects 0`, `retainers` < 1 s.
 */
async function browserPairMain(o: Options): Promise<void> {
  const runs = o.runs > 1 ? o.runs : 3;
  console.log('# browser pair: bench/browser-pair.html in /usr/bin/chromium (generated once, reused)');
  const pair = await makeBrowserPair(ROOT, OUT, o.force);
  const a = snapshotInfo(pair.base);
  const b = snapshotInfo(pair.target);
  console.log(
    `# A ${basename(a.file)}: ${(a.bytes / 1e6).toFixed(1)} MB, ${fmtN(a.nodeCount)} nodes; B ${basename(b.file)}: ${(b.bytes / 1e6).toFixed(1)} MB, ${fmtN(b.nodeCount)} nodes` +
      ` (generation ${fmtS(pair.meta.seconds)})`,
  );
  for (const f of [a.file, b.file]) warmPageCache(f);
  const dbDir = join(OUT, 'db');
  mkdirSync(dbDir, { recursive: true });
  const dbA = join(dbDir, 'browser-pair-a.db');
  const dbB = join(dbDir, 'browser-pair-b.db');
  console.log('# heapdiff ingest');
  const ingA = summarize(await measureRuns('ingest A', 1, 'heapdiff-ingest', [a.file, dbA]));
  const ingB = summarize(await measureRuns('ingest B', 1, 'heapdiff-ingest', [b.file, dbB]));
  if (!ingA.ok || !ingB.ok) throw new Error(`ingest failed: ${ingA.error ?? ingB.error}`);
  const tasks: { label: string; args: string[] }[] = [
    { label: 'heapdiff A B (suspects)', args: ['diff', dbA, '{db}'] },
    { label: 'heapdiff A B --suspects 0', args: ['diff', dbA, '{db}', '--suspects', '0'] },
    { label: `retainers B ${GROWTH_CLASS}`, args: ['retainers', '{db}', GROWTH_CLASS] },
    { label: 'suspects B', args: ['suspects', '{db}'] },
  ];
  console.log(`# heapdiff commands (1 warm-up + ${runs} measured runs each)`);
  const results = new Map<string, Summary>();
  for (const t of tasks) {
    await measure('heapdiff-cmd', [dbB, ...t.args]);
    results.set(t.label, summarize(await measureRuns(t.label, runs, 'heapdiff-cmd', [dbB, ...t.args])));
  }
  const rows: [string, string, string][] = [];
  rows.push(['snapshots', `A ${(a.bytes / 1e6).toFixed(1)} MB / B ${(b.bytes / 1e6).toFixed(1)} MB`, `${fmtN(a.nodeCount)} / ${fmtN(b.nodeCount)} nodes`]);
  rows.push(['ingest A, B', `${fmtS(ingA.seconds)}, ${fmtS(ingB.seconds)}`, '']);
  for (const [label, r] of results) {
    const lines = (r.last as Record<string, unknown> | undefined)?.stdoutLines;
    rows.push([
      label,
      r.ok ? `${fmtS(r.seconds)} (median of ${r.runs}), ${fmtMB(r.maxRssMB)}${typeof lines === 'number' ? `, ${lines} lines` : ''}` : `n/a (${r.error})`,
      '',
    ]);
  }
  const withS = results.get(tasks[0]!.label)!;
  const without = results.get(tasks[1]!.label)!;
  const ret = results.get(tasks[2]!.label)!;
  const ratio = withS.ok && without.ok ? withS.seconds! / without.seconds! : undefined;
  rows.push([
    'suspects cost: with / without',
    ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`,
    ratio === undefined ? '' : `≤ 2× ${ratio <= 2 ? 'OK' : 'MISS'}`,
  ]);
  rows.push([`retainers ${GROWTH_CLASS}`, ret.ok ? fmtS(ret.seconds) : 'n/a', ret.ok ? `< 1 s ${ret.seconds! < 1 ? 'OK' : 'MISS'}` : '']);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${rows.map(([x, y, z]) => `${x.padEnd(w0)}  ${y.padEnd(w1)}  ${z}`.trimEnd()).join('\n')}`);
  const loadNow = loadavg()[0]!;
  if (loadNow > 1.2) console.log(`(load average ${loadNow.toFixed(2)} at the end: the machine was shared; compare ratios, rerun when idle)`);
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    options: o,
    pair: pair.meta,
    a,
    b,
    ingest: { a: ingA, b: ingB },
    commands: Object.fromEntries(results),
    ratio,
    loadAverage: loadavg()[0],
  };
  const out = o.json === join(OUT, 'last.json') ? join(OUT, 'last-browser-pair.json') : o.json;
  writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
}

function buildReport(
  o: Options,
  snap: SnapshotInfo,
  base: SnapshotInfo | undefined,
  ingest: Summary,
  baseIngest: Summary | undefined,
  toolkit: Summary | undefined,
  toolkitDiff: Summary | undefined,
  commands: { label: string; args: string[]; summary?: Summary; skipped?: string }[],
): { text: string; json: unknown } {
  const rows: [string, string, string][] = [];
  const row = (what: string, value: string, target = '') => rows.push([what, value, target]);
  const mb = snap.bytes / 1e6;
  const scale = snap.bytes / TARGETS.bytes700;
  const nominal = snap.nominalSize;

  row('snapshot', `${basename(snap.file)}: ${mb.toFixed(1)} MB`, snap.gzip ? 'gzip file: sizes, MB/s, ratios and scaled targets use compressed bytes' : '');
  row('  nodes / edges', `${fmtN(snap.nodeCount)} / ${fmtN(snap.edgeCount)}`);

  // ingest
  const last = ingest.last ?? {};
  const phases = (last as Record<string, unknown>).phases;
  const phaseMap: Record<string, number> = {};
  if (phases && typeof phases === 'object') {
    for (const [k, v] of Object.entries(phases as Record<string, unknown>)) if (typeof v === 'number') phaseMap[k] = v;
  }
  const parseKey = Object.keys(phaseMap).find((k) => /parse|scan|read/i.test(k));
  const dbBytes = (last as Record<string, unknown>).dbBytes;
  const dbRatio = typeof dbBytes === 'number' ? dbBytes / snap.bytes : undefined;
  const ingestMBps = ingest.seconds ? mb / ingest.seconds : undefined;
  const protoNote = nominal !== undefined && TARGETS.prototype[nominal] !== undefined ? `; notes' prototype ${TARGETS.prototype[nominal]} s` : '';
  if (!ingest.ok) {
    row('heapdiff ingest', `n/a (${ingest.error ?? 'failed'})`);
  } else {
    const s = ingest.seconds!;
    const targetS = TARGETS.ingest700Seconds * scale;
    // The time and memory budgets are set for the ~700 MB file; both have fixed parts (process and thread
    // start, runtime, code), so a linear share means little for a file far from that size: the verdict is
    // given near 700 MB only, the linear figure is shown for orientation.
    const nearTargetSize = scale > 0.8 && scale < 1.25;
    const verdict = (ok: boolean) => (nearTargetSize ? (ok ? 'OK' : 'MISS') : '(judged near 700 MB only)');
    row(
      'heapdiff ingest',
      `${fmtS(s)}${o.runs > 1 ? ` (median of ${ingest.runs})` : ''}`,
      `≤ ${TARGETS.ingest700Seconds} s @ 684 MB → ≈ ${targetS.toFixed(1)} s here (linear) ${verdict(s <= targetS)}${protoNote}`,
    );
    row('  throughput', `${ingestMBps!.toFixed(0)} MB/s`);
    if (parseKey) {
      const pm = mb / phaseMap[parseKey]!;
      row(
        `  ${parseKey} phase`,
        `${fmtS(phaseMap[parseKey])} = ${pm.toFixed(0)} MB/s`,
        `parse ≥ ${TARGETS.parseMBps} MB/s ${pm >= TARGETS.parseMBps ? 'OK' : 'MISS'}`,
      );
    }
    for (const [k, v] of Object.entries(phaseMap)) if (k !== parseKey) row(`  ${k} phase`, fmtS(v));
    const rssTarget = TARGETS.ingest700RssMB * scale;
    row('  peak RSS', fmtMB(ingest.maxRssMB), `≤ 1.6 GB @ 684 MB → ≈ ${fmtMB(rssTarget)} here (linear) ${verdict(ingest.maxRssMB! <= rssTarget)}`);
    if (typeof dbBytes === 'number') {
      row(
        '  DB size',
        `${(dbBytes / 1e6).toFixed(1)} MB = ${dbRatio!.toFixed(2)}× snapshot`,
        `≤ ${TARGETS.dbRatio}× ${dbRatio! <= TARGETS.dbRatio ? 'OK' : 'MISS'}`,
      );
    }
  }
  if (baseIngest) row('heapdiff ingest (baseline)', baseIngest.ok ? `${fmtS(baseIngest.seconds)}, ${fmtMB(baseIngest.maxRssMB)}` : `n/a (${baseIngest.error})`);

  // toolkit
  let ratio: number | undefined;
  let rssRatio: number | undefined;
  if (toolkit) {
    const notes = nominal !== undefined ? TARGETS.toolkit[nominal] : undefined;
    const notesText = notes ? `notes: ${notes.seconds} s, ${fmtMB(notes.rssMB)}` : '';
    if (!toolkit.ok) row('DevTools engine load', `n/a (${toolkit.error ?? 'failed'})`, notesText);
    else {
      row('DevTools engine load', `${fmtS(toolkit.seconds)}, ${fmtMB(toolkit.maxRssMB)} peak RSS`, notesText);
      if (ingest.ok) {
        ratio = ingest.seconds! / toolkit.seconds!;
        rssRatio = ingest.maxRssMB! / toolkit.maxRssMB!;
        row('  heapdiff / toolkit', `time ${ratio.toFixed(2)}×, RSS ${rssRatio.toFixed(2)}×`, 'ingest is paid once; every toolkit question re-pays the load');
      }
    }
    if (toolkitDiff) {
      row(
        'DevTools engine diff (2 loads + diff)',
        toolkitDiff.ok ? `${fmtS(toolkitDiff.seconds)}, ${fmtMB(toolkitDiff.maxRssMB)}` : `n/a (${toolkitDiff.error})`,
      );
    }
  }

  // commands
  for (const c of commands) {
    const s = c.summary;
    let v: string;
    if (c.skipped) v = `skipped (${c.skipped})`;
    else if (!s?.ok) v = `n/a (${s?.error ?? 'failed'})`;
    else {
      const lines = (s.last as Record<string, unknown> | undefined)?.stdoutLines;
      v = `${fmtS(s.seconds)}, ${fmtMB(s.maxRssMB)}${typeof lines === 'number' ? `, ${lines} lines` : ''}`;
    }
    row(`heapdiff ${c.label}`, v);
  }
  // Issue target: `heapdiff A B` on two fresh files takes no longer than DevTools' engine loading both.
  const cold = commands.find((c) => c.label.startsWith('diff base big (fresh'))?.summary;
  const loads = toolkitDiff?.ok ? (toolkitDiff.last as Record<string, unknown> | undefined) : undefined;
  if (cold?.ok && loads && typeof loads.parseASeconds === 'number' && typeof loads.parseBSeconds === 'number') {
    const bothLoads = loads.parseASeconds + loads.parseBSeconds;
    row(
      '  cold `heapdiff A B` / DevTools two loads',
      `${fmtS(cold.seconds)} / ${fmtS(bothLoads)} = ${(cold.seconds! / bothLoads).toFixed(2)}×`,
      `≤ 1× ${cold.seconds! <= bothLoads ? 'OK' : 'MISS'}`,
    );
  }

  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.min(60, Math.max(...rows.map((r) => r[1].length)));
  let text = rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd()).join('\n');
  const loadNow = loadavg()[0]!;
  if (loadNow > 1.2) text += `\n(load average ${loadNow.toFixed(2)} at the end: the machine was shared; compare ratios, rerun when idle)`;

  const json = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGB: totalmem() / 1e9 },
    options: o,
    snapshot: snap,
    baseline: base,
    ingest: { ...ingest, mbPerSec: ingestMBps, dbBytes, dbRatio, phases: phaseMap },
    baselineIngest: baseIngest,
    toolkit,
    toolkitDiff,
    ratios: { ingestVsToolkitSeconds: ratio, ingestVsToolkitRss: rssRatio },
    commands,
    targets: TARGETS,
  };
  return { text, json };
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
