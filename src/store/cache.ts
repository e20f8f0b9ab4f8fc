// The ingest cache: a snapshot given to any command is ingested once into
// `$HEAPDIFF_CACHE_DIR` (default ~/.cache/heapdiff) and reused while the source file is unchanged:
// the cache file's name is derived from the source's real path, size, mtime and a fingerprint of its
// first 64 KiB (the header), so an edited or replaced file gets a new cache entry.

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
  const key = createHash('sha256')
    .update(`${real}\0${st.size}\0${Math.trunc(st.mtimeMs)}\0${fingerprintFile(real)}`)
    .digest('hex')
    .slice(0, 20);
  const stem = basename(real).replace(/\.gz$/i, '').replace(/\.(heapsnapshot|heaptimeline)$/i, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  return join(dir, `${stem}-${key}.db`);
}
