// The ingest cache: a snapshot given to any command is ingested once into
// `$HEAPDIFF_CACHE_DIR` (default ~/.cache/heapdiff) and reused while the source file is unchanged:
// the cache file's name is derived from the source's real path, size, mtime and a fingerprint of its
// first 64 KiB (the header), so an edited or replaced file gets a new cache entry:
// `<name>-<path key>-<version key>.db`. Entries that share a name and path key are versions of one
// snapshot file: when a new one is made, the older ones are superseded and removed
// (cache-maintenance.ts).

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export function cacheDir(): string {
  const env = process.env.HEAPDIFF_CACHE_DIR;
  if (env && env.length > 0) return env;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'heapdiff');
}

/** sha256 (first 16 hex digits) of the file's first 64 KiB. */
export function fingerprintFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return createHash('sha256').update(buf.subarray(0, n)).digest('hex').slice(0, 16);
  } finally {
    closeSync(fd);
  }
}

/** Where the ingested copy of `snapshotPath` lives in the cache. */
export function cachePathFor(snapshotPath: string, dir: string = cacheDir()): string {
  const real = realpathSync(snapshotPath);
  const st = statSync(real);
  const version = createHash('sha256')
    .update(`${real}\0${st.size}\0${Math.trunc(st.mtimeMs)}\0${fingerprintFile(real)}`)
    .digest('hex')
    .slice(0, 16);
  return join(dir, `${cacheGroupOf(real)}${version}.db`);
}

/** The part of a cache entry's name shared by every version of one snapshot file (by its real path). */
function cacheGroupOf(real: string): string {
  const stem = basename(real)
    .replace(/\.gz$/i, '')
    .replace(/\.(heapsnapshot|heaptimeline)$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 60);
  return `${stem}-${createHash('sha256').update(real).digest('hex').slice(0, 8)}-`;
}

const ENTRY_NAME = /^(.*-[0-9a-f]{8}-)[0-9a-f]{16}\.db$/;

/** The group of a cache entry's file name (see cacheGroupOf), or null when the name is not an entry's. */
export function cacheGroupOfEntry(name: string): string | null {
  return ENTRY_NAME.exec(name)?.[1] ?? null;
}
