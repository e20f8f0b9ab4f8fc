// Opens what a command was given: an ingested `.db`, or a snapshot file (ingested through the cache).
// Connections are read-only, so no query can damage a cached store. A store's page checksums are
// verified before it answers (page-checksums.ts; once per version of the file, verified-stamp.ts): a
// damaged cache entry is ingested again, a damaged `.db` given by the user is an input error.
//
// Cache entries are made under a lock (lock.ts), so commands started together on one new snapshot
// ingest it once; after an ingest the cache is tidied (cache-maintenance.ts).

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { statSnapshotFile } from '../parse/read-snapshot.js';
import { cacheDir, cachePathFor } from './cache.js';
import { tidyCache } from './cache-maintenance.js';
import { ensureDirectory } from './directories.js';
import { ingestSnapshot, type IngestOptions } from './ingest.js';
import { trackChild } from './interrupt.js';
import { acquireLock } from './lock.js';
import { noteOpenedStore } from './malformed.js';
import { SCHEMA_VERSION } from './schema.js';
import { checkStoreIntegrity } from './verified-stamp.js';

export interface OpenedStore {
  db: Database.Database;
  dbPath: string;
  /** What the user passed (a snapshot or a .db path). */
  source: string;
  meta: Record<string, string | number>;
}

export function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(16);
    return readSync(fd, b, 0, 16, 0) === 16 && b.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

export function readMeta(db: Database.Database): Record<string, string | number> {
  const meta: Record<string, string | number> = {};
  for (const row of db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string | number }[]) meta[row.key] = row.value;
  return meta;
}

/** A store whose page checksums do not match (or that has none). */
export class DamagedStoreError extends InputError {}

/** Opens a finished store read-only, after checking its page checksums and that heapdiff understands its schema. */
export function openDb(dbPath: string, source = dbPath): OpenedStore {
  let verdict: ReturnType<typeof checkStoreIntegrity>;
  try {
    verdict = checkStoreIntegrity(dbPath);
  } catch (e) {
    throw new InputError(`${source}: cannot read database (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!verdict.ok) throw new DamagedStoreError(`${source}: damaged database: ${verdict.reason}; re-ingest the snapshot (heapdiff ingest --force)`);
  noteOpenedStore(source === dbPath ? dbPath : `${source} (cached as ${dbPath})`);
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new InputError(`${source}: cannot open database (${(e as Error).message})`);
  }
  let meta: Record<string, string | number>;
  try {
    meta = readMeta(db);
  } catch {
    db.close();
    throw new InputError(`${source}: not a heapdiff database (no meta table)`);
  }
  if (Number(meta.schema_version) !== SCHEMA_VERSION) {
    db.close();
    throw new InputError(
      `${source}: database schema version ${meta.schema_version ?? '?'} is not ${SCHEMA_VERSION}; re-ingest the snapshot (heapdiff ingest --force)`,
    );
  }
  return { db, dbPath, source, meta };
}

/** Where opening looks for and puts ingested copies: the progress callback and the cache directory. */
export interface OpenOptions extends Pick<IngestOptions, 'onProgress'> {
  /** The ingest cache's directory (default: `$HEAPDIFF_CACHE_DIR`, else ~/.cache/heapdiff). */
  cacheDir?: string;
}

/** Resolves a snapshot or database argument to an open read-only store, ingesting on first use. */
export async function openStore(arg: string, options: OpenOptions = {}): Promise<OpenedStore> {
  statSnapshotFile(arg);
  if (isSqliteFile(arg)) return openDb(arg, arg);
  return openCached(arg, options);
}

/** The cache entry of `arg` if it exists and is sound; null when it must be (re-)ingested. */
function openEntry(entry: string, arg: string): OpenedStore | null {
  if (!existsSync(entry)) return null;
  try {
    return openDb(entry, arg);
  } catch {
    return null; // damaged, or an old schema: ingested again
  }
}

/** Ensures the snapshot `arg` is in the cache (ingesting it under the entry's lock) and opens it. */
export async function openCached(arg: string, options: OpenOptions = {}): Promise<OpenedStore> {
  const entry = cachePathFor(arg, options.cacheDir);
  const ready = openEntry(entry, arg);
  if (ready) return ready;
  ensureDirectory(options.cacheDir ?? cacheDir(), 'cache', 'set HEAPDIFF_CACHE_DIR to a writable directory');
  const release = await acquireLock(entry, (pid) => options.onProgress?.(`waiting for process ${pid}, which is ingesting this snapshot`, 0, 0));
  try {
    const madeMeanwhile = openEntry(entry, arg);
    if (madeMeanwhile) return madeMeanwhile;
    await ingestSnapshot(arg, { dbPath: entry, force: true, onProgress: options.onProgress });
  } finally {
    release();
  }
  tidyCache(entry);
  return openDb(entry, arg);
}

const BIN = fileURLToPath(new URL('../../../bin/heapdiff', import.meta.url));

/**
 * Opens several snapshot/.db arguments. Snapshots not yet in the cache are ingested at the same time:
 * the first here (reporting to `progress`), the others one after another by a `heapdiff ingest` child
 * process (an ingest keeps about one core busy between its parallel phases, so two overlap well). A
 * child that fails changes nothing: the argument is then opened here, which reports the error.
 */
export async function openStores(
  paths: readonly string[],
  progress: { update: NonNullable<IngestOptions['onProgress']>; done: () => void },
  options: Pick<OpenOptions, 'cacheDir'> = {},
): Promise<OpenedStore[]> {
  const cacheTarget = (p: string): string | null => {
    try {
      return isSqliteFile(p) ? null : existsSync(cachePathFor(p, options.cacheDir)) ? null : p;
    } catch {
      return null; // a missing or unreadable file: openStore says why
    }
  };
  const pending = [...new Set(paths)].map((p) => ({ p, target: cacheTarget(p) })).filter((x) => x.target !== null);
  const inBackground = new Set(pending.slice(1).map((x) => x.p));
  const children = new Set<ReturnType<typeof spawn>>();
  const background = (async () => {
    for (const { p } of pending.slice(1)) {
      await new Promise<void>((resolve) => {
        const env = options.cacheDir ? { ...process.env, HEAPDIFF_CACHE_DIR: options.cacheDir } : process.env;
        const child = spawn(process.execPath, [BIN, 'cache', 'add', p, '--quiet'], { stdio: 'ignore', env });
        children.add(child);
        trackChild(child);
        child.once('error', () => resolve());
        child.once('exit', () => {
          children.delete(child);
          resolve();
        });
      });
    }
  })();
  const opened: OpenedStore[] = [];
  try {
    for (const p of paths) {
      if (inBackground.has(p)) await background;
      opened.push(await openStore(p, { onProgress: progress.update, cacheDir: options.cacheDir }).finally(progress.done));
    }
    return opened;
  } catch (e) {
    for (const child of children) if (child.pid !== undefined) process.kill(child.pid);
    for (const s of opened) s.db.close();
    throw e;
  }
}
