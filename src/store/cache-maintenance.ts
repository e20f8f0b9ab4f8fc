// Keeping the ingest cache (cache.ts) in bounds: `heapdiff cache list | prune | clear`, and the tidying
// done after every ingest into the cache:
// - temporary files and locks of dead processes are removed (stale-files.ts);
// - an entry superseded by a newer version of the same snapshot file is removed;
// - the entries' total size is kept under a cap, `HEAPDIFF_CACHE_MAX` (default 10G; `0` or `off`: no
//   cap), removing the least recently used first (last use: the verified-stamp's time, verified-stamp.ts);
// - stamps of stores that no longer exist are removed.
// An entry being ingested (its lock is held by a live process) and the entry just made are never
// removed. Removing an entry another process is reading is safe: the open file stays readable.

import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { cacheDir, cacheGroupOfEntry, cachePathFor } from './cache.js';
import { lockOwner, lockPathFor } from './lock.js';
import { processAlive, removeDeadTemps } from './stale-files.js';
import { forgetVerified, stampDir, stampPathFor } from './verified-stamp.js';

export const DEFAULT_CACHE_MAX = 10 * 1024 ** 3;

/** The size cap from `HEAPDIFF_CACHE_MAX` (bytes, or with a K/M/G/T suffix, powers of 1024); Infinity when off. */
export function cacheMaxBytes(value = process.env.HEAPDIFF_CACHE_MAX): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CACHE_MAX;
  const v = value.trim();
  if (/^(0|off|none|unlimited)$/i.test(v)) return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(v);
  if (!m) throw new InputError(`HEAPDIFF_CACHE_MAX: expected a size like 500M or 20G, or 0 for no limit (got ${JSON.stringify(value)})`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * unit);
}

export interface CacheEntry {
  path: string;
  name: string;
  bytes: number;
  /** Last use (ms since the epoch): when a command last opened it, else when it was written. */
  lastUsedMs: number;
  /** The snapshot it was ingested from (from its meta table; '' when unreadable). */
  source: string;
  /** Another live process is ingesting it (its lock is held). */
  busy: boolean;
  /** The snapshot file changed or was removed since: the entry will never be used again. */
  superseded: boolean;
}

function entryNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => cacheGroupOfEntry(n) !== null);
  } catch {
    return [];
  }
}

function lastUsed(path: string, fallbackMs: number): number {
  try {
    return statSync(stampPathFor(path)).mtimeMs;
  } catch {
    return fallbackMs;
  }
}

function sourceOf(path: string): string {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return String((db.prepare("SELECT value FROM meta WHERE key = 'source_path'").pluck().get() as string | undefined) ?? '');
    } finally {
      db.close();
    }
  } catch {
    return '';
  }
}

/** Whether `source` still resolves to the cache entry `path` (false when it changed or is gone). */
function stillCurrent(path: string, source: string): boolean {
  if (!source) return false;
  try {
    return cachePathFor(source) === path;
  } catch {
    return false;
  }
}

/** Every entry of the cache, most recently used first. `withSources`: read each entry's source and whether it is superseded. */
export function listCache(withSources = true): CacheEntry[] {
  const dir = cacheDir();
  const out: CacheEntry[] = [];
  for (const name of entryNames(dir)) {
    const path = join(dir, name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    const source = withSources ? sourceOf(path) : '';
    out.push({
      path,
      name,
      bytes: st.size,
      lastUsedMs: lastUsed(path, st.mtimeMs),
      source,
      busy: lockOwner(path) !== null,
      superseded: withSources ? !stillCurrent(path, source) : false,
    });
  }
  return out.sort((a, b) => b.lastUsedMs - a.lastUsedMs);
}

function removeEntry(path: string): void {
  rmSync(path, { force: true });
  forgetVerified(path);
  if (lockOwner(path) === null) rmSync(lockPathFor(path), { force: true });
}

const LEGACY_ENTRY = /-[0-9a-f]{20}\.db$/;

/** Removes dead processes' temporary files and locks, entries of the old naming, and stamps of stores that no longer exist. */
function removeLeftovers(dir: string): string[] {
  const removed = removeDeadTemps(dir);
  removed.push(...removeDeadTemps(stampDir()).map((n) => join('verified', n)));
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // no cache yet
  }
  for (const n of names) {
    // entries named by heapdiff before the name carried a path key (`<name>-<20 hex>.db`): never used again
    if (LEGACY_ENTRY.test(n) && cacheGroupOfEntry(n) === null) {
      rmSync(join(dir, n), { force: true });
      removed.push(n);
      continue;
    }
    if (!n.endsWith('.db.lock')) continue;
    const target = join(dir, n.slice(0, -'.lock'.length));
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(join(dir, n), 'utf8'), 10);
    } catch {
      continue;
    }
    if (!processAlive(pid)) {
      rmSync(lockPathFor(target), { force: true });
      removed.push(n);
    }
  }
  let stamps: string[] = [];
  try {
    stamps = readdirSync(stampDir());
  } catch {
    // no stamps yet
  }
  for (const s of stamps) {
    if (s.includes('.tmp-')) continue;
    try {
      const store = readFileSync(join(stampDir(), s), 'utf8').split('\n')[1];
      if (store && !existsSync(store)) {
        rmSync(join(stampDir(), s), { force: true });
        removed.push(join('verified', s));
      }
    } catch {
      // unreadable: leave it
    }
  }
  return removed;
}

export interface PruneResult {
  removed: { name: string; bytes: number; why: 'superseded' | 'size cap' | 'cleared' }[];
  leftovers: string[];
  keptBytes: number;
  maxBytes: number;
}

function capToSize(entries: CacheEntry[], maxBytes: number, keep: string | null, result: PruneResult): void {
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  // least recently used first
  for (const e of [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs)) {
    if (total <= maxBytes) break;
    if (e.path === keep || e.busy) continue;
    removeEntry(e.path);
    result.removed.push({ name: e.name, bytes: e.bytes, why: 'size cap' });
    total -= e.bytes;
  }
  result.keptBytes = total;
}

/**
 * After an ingest into the cache made `keep`: removes leftovers of dead processes, the older versions
 * of the same snapshot file, and least recently used entries over the size cap. Never fails a command:
 * a cache that cannot be tidied only grows.
 */
export function tidyCache(keep: string): PruneResult {
  const result: PruneResult = { removed: [], leftovers: [], keptBytes: 0, maxBytes: 0 };
  try {
    result.maxBytes = cacheMaxBytes();
  } catch {
    result.maxBytes = DEFAULT_CACHE_MAX;
  }
  try {
    const dir = cacheDir();
    result.leftovers = removeLeftovers(dir);
    const group = cacheGroupOfEntry(basename(keep));
    const entries: CacheEntry[] = [];
    for (const e of listCache(false)) {
      if (e.path !== keep && group !== null && cacheGroupOfEntry(e.name) === group && !e.busy) {
        removeEntry(e.path);
        result.removed.push({ name: e.name, bytes: e.bytes, why: 'superseded' });
      } else entries.push(e);
    }
    capToSize(entries, result.maxBytes, keep, result);
  } catch {
    // best effort
  }
  return result;
}

/** `heapdiff cache prune`: leftovers, superseded entries (the snapshot changed or is gone), then the size cap. */
export function pruneCache(maxBytes = cacheMaxBytes()): PruneResult {
  const result: PruneResult = { removed: [], leftovers: removeLeftovers(cacheDir()), keptBytes: 0, maxBytes };
  const entries: CacheEntry[] = [];
  for (const e of listCache(true)) {
    if (e.superseded && !e.busy) {
      removeEntry(e.path);
      result.removed.push({ name: e.name, bytes: e.bytes, why: 'superseded' });
    } else entries.push(e);
  }
  capToSize(entries, maxBytes, null, result);
  return result;
}

/** `heapdiff cache clear`: every entry (except those being ingested right now) and every stamp of a cache entry. */
export function clearCache(): PruneResult {
  const result: PruneResult = { removed: [], leftovers: removeLeftovers(cacheDir()), keptBytes: 0, maxBytes: 0 };
  for (const e of listCache(false)) {
    if (e.busy) {
      result.keptBytes += e.bytes;
      continue;
    }
    removeEntry(e.path);
    result.removed.push({ name: e.name, bytes: e.bytes, why: 'cleared' });
  }
  return result;
}
