// Stores shared by every test file of a run. `node --test` runs each file in its own process (two at a
// time), and most files need the same few samples as `.db` files: each is ingested once per run into
// test/.tmp/ingests/ (git-ignored; `npm test` removes test/.tmp before and after the run), under a key
// made of the compiled code's build time and the snapshot's path, size and mtime, so a rebuild or a
// changed file never reuses an old store. A lock file per key makes a second process wait for the first
// one's ingest instead of repeating it. A file run on its own (`node --test dist/test/x.test.js`) reuses
// the stores of the same build; stores of older builds are removed on first use.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Per-run scratch space of the suite, removed by `npm test` before and after the run. */
export const SUITE_TMP = join(ROOT, 'test/.tmp');
const INGESTS = join(SUITE_TMP, 'ingests');
/** How long a lock of a live process is waited for before giving up (an ingest of a sample takes seconds). */
const LOCK_TIMEOUT_MS = 10 * 60_000;

let buildDir: string | null = null;
const done = new Map<string, string>();

/** test/.tmp/ingests/<build>: the compiled store code's mtime names the build; older builds' entries go. */
function currentBuildDir(): string {
  if (buildDir !== null) return buildDir;
  const compiled = ['src/store/ingest.js', 'src/store/schema.js', 'src/cli/main.js'].map((f) => statSync(join(ROOT, 'dist', f)).mtimeMs);
  const stamp = createHash('sha1').update(compiled.join(',')).digest('hex').slice(0, 12);
  mkdirSync(INGESTS, { recursive: true });
  for (const old of readdirSync(INGESTS)) if (old !== stamp) rmSync(join(INGESTS, old), { recursive: true, force: true });
  buildDir = join(INGESTS, stamp);
  mkdirSync(buildDir, { recursive: true });
  return buildDir;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The path of `snapshot`'s store for this run, calling `ingest(snapshot, dbPath)` when no process of the
 * run has made it yet. The store is named `<stem>.db` (the snapshot's name without
 * `.heapsnapshot[.gz]`) in a directory of its own, and appears complete or not at all.
 */
export function sharedIngest(snapshot: string, ingest: (snapshot: string, dbPath: string) => void): string {
  const source = resolve(snapshot);
  const known = done.get(source);
  if (known) return known;
  const st = statSync(source);
  const key = createHash('sha1').update(`${source}\n${st.size}\n${st.mtimeMs}`).digest('hex').slice(0, 16);
  const parent = currentBuildDir();
  const dir = join(parent, key);
  const name = `${basename(source).replace(/\.heapsnapshot(\.gz)?$/, '')}.db`;
  const db = join(dir, name);
  const lock = join(parent, `${key}.lock`);
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  while (!existsSync(db)) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      // A holder that died (killed test process) leaves its lock behind: take it over.
      if (holder > 0 && !alive(holder)) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: still held by process ${holder} after ${LOCK_TIMEOUT_MS / 1000} s`);
      else sleep(50);
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      if (!existsSync(db)) {
        const work = `${dir}.tmp-${process.pid}`;
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work);
        try {
          ingest(source, join(work, name));
          renameSync(work, dir);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
  done.set(source, db);
  return db;
}
