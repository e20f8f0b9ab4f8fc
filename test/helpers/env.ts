// Paths and small utilities shared by the test suites.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Repository root (tests run from dist/test/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SAMPLES = join(ROOT, 'samples');
/** The large fixture set; present on developer machines and CI, absent in a bare clone. */
export const SHARED_FIXTURES = resolve(ROOT, '../shared/fixtures');
export const HAS_SHARED = existsSync(join(SHARED_FIXTURES, 'chrome-todo-0.heapsnapshot.gz'));
export const BIN = join(ROOT, 'bin/heapdiff');

export function tempDir(prefix = 'heapdiff-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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

/** Runs the real CLI as a child process. */
export function runCli(args: string[], options: { cacheDir?: string; input?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    // The terminal's variables of whoever runs the tests must not change the output (a test sets them to test them).
    env: { ...process.env, COLUMNS: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, HEAPDIFF_CACHE_DIR: options.cacheDir ?? tempDir('heapdiff-cache-'), ...options.env },
    input: options.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
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

let ingestDir: string | null = null;
const ingested = new Map<string, string>();

/**
 * Ingests a snapshot with the real CLI (`heapdiff ingest --db`) once per test process and returns the
 * `.db` path: `<name>.db` (the snapshot's name without `.heapsnapshot[.gz]`, so reports name it the
 * way the snapshot is named) in a temp dir removed when the process exits.
 */
export function ingestOnce(snapshot: string): string {
  let out = ingested.get(snapshot);
  if (out) return out;
  if (ingestDir === null) {
    const dir = (ingestDir = tempDir('heapdiff-ingested-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const stem = basename(snapshot).replace(/\.heapsnapshot(\.gz)?$/, '');
  out = join(ingestDir, `${stem}.db`);
  for (let n = 2; [...ingested.values()].includes(out); n++) out = join(ingestDir, `${stem}-${n}.db`);
  const r = runCli(['ingest', snapshot, '--db', out, '--force', '--quiet'], { cacheDir: join(ingestDir, 'cache') });
  assert.equal(r.status, 0, r.stderr);
  ingested.set(snapshot, out);
  return out;
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
