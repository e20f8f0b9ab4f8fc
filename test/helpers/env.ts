// Paths and small utilities shared by the test suites.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sharedIngest } from './shared-ingest.js';

/** Repository root (tests run from dist/test/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SAMPLES = join(ROOT, 'samples');
/** The large fixture set; present on developer machines and CI, absent in a bare clone. */
export const SHARED_FIXTURES = resolve(ROOT, '../shared/fixtures');
export const HAS_SHARED = existsSync(join(SHARED_FIXTURES, 'chrome-todo-0.heapsnapshot.gz'));
export const BIN = join(ROOT, 'bin/heapdiff');

const madeDirs = new Set<string>();

/**
 * A fresh directory in the OS temp dir. Removed when the test process exits (also when a test failed
 * before its own `after` ran); removing it earlier with `rmSync` is fine.
 */
export function tempDir(prefix = 'heapdiff-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!hooked) hookRemoval();
  madeDirs.add(dir);
  return dir;
}

let hooked = false;
/** Removal at exit, also when the process is interrupted or terminated (`exit` handlers do not run then). */
function hookRemoval(): void {
  hooked = true;
  process.once('exit', removeTempDirs);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => process.exit(code));
  }
}

function removeTempDirs(): void {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
}

/** Reads a fixture, gunzipping when it starts with the gzip magic bytes. */
export function readSnapshotBytes(path: string): Buffer {
  const b = readFileSync(path);
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

/** Writes the gunzipped copy of `path` into `dir` and returns its path (heap-snapshot-toolkit reads plain text). */
export function gunzipTo(path: string, dir: string): string {
  const out = join(dir, path.split('/').pop()!.replace(/\.gz$/, ''));
  if (!existsSync(out)) writeFileSync(out, readSnapshotBytes(path));
  return out;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The terminal's variables of whoever runs the tests must not change the output (a test sets them to test them). */
const TERMINAL_UNSET = { COLUMNS: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined };

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/**
 * Runs the real CLI as a child process: for what only a process shows (exit status of the launcher,
 * signals, stdin, a TTY, the bin script). Without `cacheDir`, snapshot arguments are ingested into a
 * fresh cache removed afterwards.
 */
export function runCli(args: string[], options: { cacheDir?: string; input?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const cacheDir = options.cacheDir ?? tempDir('heapdiff-cache-');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...TERMINAL_UNSET, HEAPDIFF_CACHE_DIR: cacheDir, ...options.env },
      input: options.input,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    if (options.cacheDir === undefined) rmSync(cacheDir, { recursive: true, force: true });
  }
}

/**
 * Runs the CLI's `main` in this process, as `bin/heapdiff` would: the same option parsing, analyses,
 * renderers and exit-status mapping, without starting a process (about 0.3 s of start-up per call) and
 * with the modules already compiled. stdout and stderr are captured while it runs; the exit status is
 * what `main` left in `process.exitCode`. Use `runCli` where the process itself is under test.
 */
export async function runInProcess(args: string[], options: { cacheDir?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const cacheDir = options.cacheDir ?? tempDir('heapdiff-cache-');
  const env: Record<string, string | undefined> = { ...TERMINAL_UNSET, HEAPDIFF_CACHE_DIR: cacheDir, ...options.env };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  setEnv(env);
  const out: string[] = [];
  const err: string[] = [];
  const savedOut = process.stdout.write;
  const savedErr = process.stderr.write;
  const savedExitCode = process.exitCode;
  // Strings are the CLI's output; anything else (the test runner's own binary report stream, which
  // may flush while `main` awaits) goes through untouched.
  const capture = (stream: NodeJS.WriteStream, original: typeof savedOut, into: string[]) =>
    function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      if (typeof chunk !== 'string') return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      into.push(chunk);
      const callback = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    } as typeof savedOut;
  process.stdout.write = capture(process.stdout, savedOut, out);
  process.stderr.write = capture(process.stderr, savedErr, err);
  process.exitCode = undefined;
  let status: number;
  try {
    await main(args);
    status = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = savedOut;
    process.stderr.write = savedErr;
    process.exitCode = savedExitCode;
    setEnv(savedEnv);
    if (options.cacheDir === undefined) rmSync(cacheDir, { recursive: true, force: true });
  }
  return { status, stdout: out.join(''), stderr: err.join('') };
}

/** `runInProcess` with `--format json`: asserts exit 0 and returns the parsed output. */
export async function runInProcessJson<T = any>(args: string[], options: { cacheDir?: string } = {}): Promise<T> {
  const r = await runInProcess([...args, '--format', 'json'], options);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** `runInProcess` twice, as JSON and as text, asserting exit 0 both times. */
export async function runInProcessJsonAndText<T = any>(args: string[], options: { cacheDir?: string } = {}): Promise<{ json: T; text: string }> {
  const json = await runInProcessJson<T>(args, options);
  const t = await runInProcess(args, options);
  assert.equal(t.status, 0, t.stderr);
  return { json, text: t.stdout };
}

/** Runs the CLI with `--format json`, asserts exit 0 and returns the parsed output. */
export function runCliJson<T = any>(args: string[], options: { cacheDir?: string } = {}): T {
  const r = runCli([...args, '--format', 'json'], options);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** Runs the CLI twice, as JSON and as text, asserting exit 0 both times. */
export function runCliJsonAndText<T = any>(args: string[], options: { cacheDir?: string } = {}): { json: T; text: string } {
  const json = runCliJson<T>(args, options);
  const t = runCli(args, options);
  assert.equal(t.status, 0, t.stderr);
  return { json, text: t.stdout };
}

/**
 * The `.db` of a snapshot, ingested by the real CLI (`heapdiff ingest --db`) once per test run and shared
 * by every test file (see shared-ingest.ts): `<name>.db`, the snapshot's name without
 * `.heapsnapshot[.gz]`, so reports name it the way the snapshot is named. Open it read-only.
 */
export function ingestOnce(snapshot: string): string {
  return sharedIngest(snapshot, (file, db) => {
    const r = runCli(['ingest', file, '--db', db, '--force', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
  });
}

/**
 * Writes a Node.js heap snapshot made by `script` (run in a child process; it ends by calling
 * `require('v8').writeHeapSnapshot(process.env.OUT)`) and returns its path.
 */
export function makeNodeSnapshot(dir: string, name: string, script: string, nodeArgs: string[] = []): string {
  const out = join(dir, `${name}.heapsnapshot`);
  if (existsSync(out)) return out;
  execFileSync(process.execPath, [...nodeArgs, '-e', script], { env: { ...process.env, OUT: out }, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}
