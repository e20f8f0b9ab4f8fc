// heapdiff's fuzzer: mutated small snapshots through the parser, the store and the real CLI.
//
//   npm run fuzz -- [--seed N] [--runs N | --minutes M] [--cli-every K] [--save DIR] [--case I] [--quiet]
//
// Case i of seed N is always the same bytes (mutate.ts), so a failure is reproduced by its seed and case
// number (`--case I` runs that one case and keeps its input under --save). Every case goes through the
// in-process checks of check-worker.ts (in a child process, killed and counted as a hang after
// --timeout seconds); every K-th case, and the first accepted ones, also through the real CLI:
//   heapdiff ingest X --db OUT/x.db   exit 0 or 2 (never 1, a signal or a timeout); on 2 exactly one
//                                     stderr line `heapdiff: …` and no stack, OUT left empty; on 0 no
//                                     stderr and OUT holds x.db only; the cache directory stays empty;
//                                     exit 0 only for inputs the parser accepted
//   heapdiff stats|partition OUT/x.db exit 0 with output, after an accepted ingest
//   heapdiff stats X                  (rejected inputs) exit 2, one line, nothing left in the cache
// Failing inputs are written to --save (gzip, named seed-case.gz) with the reason in a .txt beside;
// the worth-keeping ones join the regression corpus in test/fuzz-corpus/.

import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CheckJob, CheckResult } from './check-worker.js';
import { caseRng, mutate } from './mutate.js';
import { makeSeeds, type Seed } from './seeds.js';

const HERE = fileURLToPath(new URL('.', import.meta.url)); // dist/test/fuzz/
const ROOT = resolve(HERE, '../../..');
const BIN = join(ROOT, 'bin/heapdiff');

export interface FuzzOptions {
  seed: number;
  /** Number of cases; or stop after `minutes`. */
  runs: number;
  minutes?: number;
  /** Every K-th case also runs through the CLI (0: never). */
  cliEvery: number;
  /** The first `cliAccepted` accepted cases also run through the CLI. */
  cliAccepted: number;
  /** Seconds before a case counts as a hang. */
  timeoutSeconds: number;
  /** Where failing inputs are written (null: nowhere). */
  saveDir: string | null;
  /** Only this case. */
  onlyCase?: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  caseIndex: number;
  seedName: string;
  steps: string[];
  reason: string;
  savedAs?: string;
}

export interface FuzzReport {
  cases: number;
  accepted: number;
  rejected: number;
  ingested: number;
  cliCases: number;
  cliCommands: number;
  failures: FuzzFailure[];
  seconds: number;
  /** Distinct first words of the rejection messages (what kinds of damage were caught). */
  reasons: Map<string, number>;
}

/** Runs inputs (given, or generated) through every check. Used by the fuzzer and the regression corpus test. */
export class Checker {
  private child: ChildProcess | null = null;
  private readonly work: string;
  constructor(private readonly timeoutSeconds: number) {
    this.work = mkdtempSync(join(tmpdir(), 'heapdiff-fuzz-'));
  }

  /** All checks of one input: in-process, then (when `cli`) the real CLI. Returns the failure, or null. */
  async run(
    bytes: Buffer,
    name: string,
    options: { bothPaths: boolean; cli: boolean | 'if-accepted' },
  ): Promise<{ failure: string | null; result: CheckResult | null; cliCommands: number }> {
    const dir = join(this.work, 'case');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const path = join(dir, `${name}.heapsnapshot`);
    writeFileSync(path, bytes);
    const job: CheckJob = { path, bothPaths: options.bothPaths, ingest: true, dbDir: join(dir, 'db') };
    const result = await this.inProcess(job);
    if (result.verdict === 'failed') return { failure: result.message, result, cliCommands: 0 };
    if (options.cli === false || (options.cli === 'if-accepted' && result.verdict !== 'accepted')) return { failure: null, result, cliCommands: 0 };
    const cli = await this.cliChecks(path, result, dir);
    return { failure: cli.failure, result, cliCommands: cli.commands };
  }

  private async inProcess(job: CheckJob): Promise<CheckResult> {
    if (this.child === null) {
      this.child = fork(join(HERE, 'check-worker.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
      this.child.stderr!.resume();
    }
    const child = this.child;
    return new Promise<CheckResult>((done) => {
      const timer = setTimeout(() => {
        cleanup();
        this.kill();
        done({ verdict: 'failed', message: `hang: the in-process checks took more than ${this.timeoutSeconds} s` });
      }, this.timeoutSeconds * 1000);
      const onMessage = (r: CheckResult) => {
        cleanup();
        done(r);
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        this.child = null;
        done({ verdict: 'failed', message: `the check process died (exit ${code}, signal ${signal})` });
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(job);
    });
  }

  private async cliChecks(path: string, inProcess: CheckResult, dir: string): Promise<{ failure: string | null; commands: number }> {
    const out = join(dir, 'out');
    const cache = join(dir, 'cache');
    mkdirSync(out);
    mkdirSync(cache);
    let commands = 0;
    const cmd = async (args: string[]) => {
      commands++;
      return runCli(args, cache, this.timeoutSeconds);
    };
    const db = join(out, 'x.db');
    const ingest = await cmd(['ingest', path, '--db', db, '--quiet']);
    const bad =
      checkExit('ingest', ingest) ??
      checkFiles(out, ingest.status === 0 ? ['x.db'] : [], 'the output directory') ??
      checkFiles(cache, [], 'the cache', ingest.status === 0);
    if (bad !== null) return { failure: bad, commands };
    if (ingest.status === 0 && inProcess.verdict !== 'accepted')
      return { failure: `the CLI ingested what the parser refused (${inProcess.message})`, commands };
    if (ingest.status === 0) {
      for (const c of ['stats', 'partition']) {
        const r = await cmd([c, db]);
        if (r.status !== 0 || r.stdout.length === 0)
          return { failure: `${c} on an ingested input: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.trim()}`, commands };
      }
    } else {
      const r = await cmd(['stats', path]);
      const problem =
        checkExit('stats on the snapshot', r) ??
        (r.status === 0 ? 'stats accepted what ingest refused' : null) ??
        checkFiles(cache, [], 'the cache after a refused stats');
      if (problem !== null) return { failure: problem, commands };
    }
    return { failure: null, commands };
  }

  private kill(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  close(): void {
    this.kill();
    rmSync(this.work, { recursive: true, force: true });
  }
}

interface CliRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runCli(args: string[], cacheDir: string, timeoutSeconds: number): Promise<CliRun> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, HEAPDIFF_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** Exit 0 or 2, never 1, a signal or a hang; on 2 exactly one `heapdiff: ` line without a stack; on 0 silence. */
function checkExit(what: string, r: CliRun): string | null {
  if (r.timedOut) return `${what}: hang (killed after the timeout)`;
  if (r.signal !== null) return `${what}: killed by ${r.signal}`;
  if (r.status !== 0 && r.status !== 2) return `${what}: exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`;
  if (r.status === 2) {
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    if (lines.length !== 1) return `${what}: ${lines.length} stderr lines: ${JSON.stringify(r.stderr.slice(0, 300))}`;
    if (!lines[0].startsWith('heapdiff: ')) return `${what}: stderr does not start with "heapdiff: ": ${lines[0]}`;
  }
  if (/\n\s+at /.test(r.stderr)) return `${what}: a stack trace on stderr`;
  if (r.status === 0 && r.stderr !== '' && what === 'ingest') return `${what}: exit 0 with stderr ${JSON.stringify(r.stderr.slice(0, 200))}`;
  return null;
}

/**
 * `dir` holds exactly `expected`. With `stampsAllowed`, the verification stamps a successful ingest
 * records in the cache (`verified/…`: this store's pages were checked) are not leftovers.
 */
function checkFiles(dir: string, expected: string[], what: string, stampsAllowed = false): string | null {
  const left = listFiles(dir).filter((f) => !(stampsAllowed && f.startsWith('verified/')));
  return left.join('\n') === expected.join('\n') ? null : `${what} holds ${JSON.stringify(left)} (expected ${JSON.stringify(expected)})`;
}

/** Every file under `dir`, relative, sorted (directories alone do not count). */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...listFiles(join(dir, e.name), `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

/** The first word or two of a rejection message, after the file name: a rough class of the damage. */
function reasonOf(message: string): string {
  const m = /^[^:]*: (.*?)(?: at byte \d+)?$/.exec(message);
  const text = (m?.[1] ?? message).replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
  return text.split(/[(:]/)[0].trim().slice(0, 70);
}

export async function runFuzz(options: FuzzOptions, seeds: Seed[] = makeSeeds()): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const checker = new Checker(options.timeoutSeconds);
  const report: FuzzReport = { cases: 0, accepted: 0, rejected: 0, ingested: 0, cliCases: 0, cliCommands: 0, failures: [], seconds: 0, reasons: new Map() };
  const t0 = Date.now();
  const deadline = options.minutes !== undefined ? t0 + options.minutes * 60_000 : Infinity;
  let acceptedViaCli = 0;
  try {
    for (let i = options.onlyCase ?? 0; ; i++) {
      if (options.onlyCase !== undefined ? i > options.onlyCase : options.minutes !== undefined ? Date.now() >= deadline : i >= options.runs) break;
      const r = caseRng(options.seed, i);
      const seed = seeds[Math.floor(r() * seeds.length)];
      const m = mutate(seed.bytes, r);
      const cliEvery = options.cliEvery > 0 && i % options.cliEvery === 0;
      const cli = cliEvery ? true : acceptedViaCli < options.cliAccepted ? ('if-accepted' as const) : false;
      const { failure, result, cliCommands } = await checker.run(m.bytes, `case-${i}`, { bothPaths: i % 3 === 0, cli });
      report.cases++;
      if (cliCommands > 0) report.cliCases++;
      report.cliCommands += cliCommands;
      if (result?.verdict === 'accepted') {
        report.accepted++;
        if (result.ingested === 'ok') report.ingested++;
        if (cliCommands > 0) acceptedViaCli++;
      } else if (result?.verdict === 'rejected') {
        report.rejected++;
        const k = reasonOf(result.message);
        report.reasons.set(k, (report.reasons.get(k) ?? 0) + 1);
      }
      if (failure !== null || options.onlyCase !== undefined) {
        const f: FuzzFailure = {
          caseIndex: i,
          seedName: seed.name,
          steps: m.steps,
          reason: failure ?? `(kept on request) ${result?.verdict}: ${result?.message}`,
        };
        if (options.saveDir !== null) {
          mkdirSync(options.saveDir, { recursive: true });
          f.savedAs = join(options.saveDir, `${options.seed}-${i}.gz`);
          writeFileSync(f.savedAs, gzipSync(m.bytes));
          writeFileSync(f.savedAs.replace(/\.gz$/, '.txt'), `seed ${options.seed} case ${i} (${seed.name}: ${m.steps.join(', ')})\n${f.reason}\n`);
        }
        if (failure !== null) {
          report.failures.push(f);
          log(`FAIL case ${i} (${seed.name}: ${m.steps.join(', ')}): ${failure.split('\n')[0]}`);
        }
      }
      if (report.cases % 100 === 0)
        log(`${report.cases} cases, ${report.accepted} accepted, ${report.failures.length} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    checker.close();
  }
  report.seconds = (Date.now() - t0) / 1000;
  return report;
}

function parseArgs(argv: string[]): FuzzOptions & { quiet: boolean } {
  const o: FuzzOptions & { quiet: boolean } = {
    seed: 1,
    runs: 200,
    cliEvery: 20,
    cliAccepted: 5,
    timeoutSeconds: 60,
    saveDir: resolve('fuzz-failures'),
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = () => {
      const v = Number(next());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--seed') o.seed = num();
    else if (a === '--runs') o.runs = num();
    else if (a === '--minutes') o.minutes = num();
    else if (a === '--cli-every') o.cliEvery = num();
    else if (a === '--cli-accepted') o.cliAccepted = num();
    else if (a === '--timeout') o.timeoutSeconds = num();
    else if (a === '--save') o.saveDir = resolve(next());
    else if (a === '--case') o.onlyCase = num();
    else if (a === '--quiet') o.quiet = true;
    else throw new Error(`unknown option ${a} (see docs/reliability.md)`);
  }
  return o;
}

async function main(): Promise<void> {
  let o: ReturnType<typeof parseArgs>;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const r = await runFuzz({ ...o, log: o.quiet ? undefined : log });
  const reasons = [...r.reasons.entries()].sort((a, b) => b[1] - a[1]);
  process.stdout.write(
    `seed ${o.seed}: ${r.cases} cases in ${r.seconds.toFixed(0)} s (${(r.cases / r.seconds).toFixed(1)}/s): ` +
      `${r.accepted} accepted (${r.ingested} ingested), ${r.rejected} rejected, ${r.cliCases} through the CLI (${r.cliCommands} commands), ` +
      `${r.failures.length} failures\n` +
      `${reasons.length} kinds of rejection; most frequent:\n${reasons
        .slice(0, 15)
        .map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`)
        .join('\n')}\n`,
  );
  for (const f of r.failures)
    process.stdout.write(`FAIL case ${f.caseIndex} (${f.seedName}: ${f.steps.join(', ')}): ${f.reason.split('\n')[0]}${f.savedAs ? ` [${f.savedAs}]` : ''}\n`);
  if (r.failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
