// Remembers which versions of which store files have had their page checksums verified
// (page-checksums.ts), so the full read happens once per version of a file instead of before every
// query: a warm query then costs one stat() and one small read more.
//
// A stamp is a small file in `<cache dir>/verified/`, named after the store's real path, holding the
// store's identity: device, inode, size, and modification and status-change times in nanoseconds. Any
// write to the store through the file system (an editor, `dd`, `cp` over it, a truncation, SQLite)
// changes its ctime, which nobody can set back, so the next open verifies it again. What a stamp cannot
// see is damage that bypasses the file system after the verification (a failing disk returning other
// bytes for the same file): docs/reliability.md says so.
//
// The stamp's mtime is also the store's "last used" time for the cache's least-recently-used pruning
// (cache-maintenance.ts): stores are opened read-only and their own times must not change.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.js';
import { verifyPageChecksums, type ChecksumVerdict } from './page-checksums.js';

export function stampDir(): string {
  return join(cacheDir(), 'verified');
}

/** The stamp file of a store (by its real path). */
export function stampPathFor(dbPath: string): string {
  let real = dbPath;
  try {
    real = realpathSync(dbPath);
  } catch {
    // a missing file has no stamp worth finding; any name will do
  }
  return join(stampDir(), createHash('sha256').update(real).digest('hex').slice(0, 24));
}

function identity(dbPath: string): string {
  const s = statSync(dbPath, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Whether the file is the very version a stamp says was verified; refreshes the stamp's "last used" time. */
function stamped(dbPath: string): boolean {
  const stamp = stampPathFor(dbPath);
  try {
    if (readFileSync(stamp, 'utf8').split('\n')[0] !== identity(dbPath)) return false;
  } catch {
    return false;
  }
  try {
    const now = new Date();
    utimesSync(stamp, now, now);
  } catch {
    // a read-only cache directory: the stamp still counts
  }
  return true;
}

/** Records that this version of `dbPath` is verified. Best effort: without a writable cache directory the next open verifies again. */
export function recordVerified(dbPath: string): void {
  const stamp = stampPathFor(dbPath);
  const tmp = `${stamp}.tmp-${process.pid}`;
  try {
    mkdirSync(stampDir(), { recursive: true });
    writeFileSync(tmp, `${identity(dbPath)}\n${realpathSync(dbPath)}\n`);
    renameSync(tmp, stamp);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Forgets a store's stamp (it was removed or found damaged). */
export function forgetVerified(dbPath: string): void {
  rmSync(stampPathFor(dbPath), { force: true });
}

/**
 * Checks a store's page checksums unless this version of the file was already verified. Returns the
 * verdict; a good one is remembered.
 */
export function checkStoreIntegrity(dbPath: string): ChecksumVerdict | { ok: true; cached: true } {
  if (stamped(dbPath)) return { ok: true, cached: true };
  const verdict = verifyPageChecksums(dbPath);
  if (verdict.ok) recordVerified(dbPath);
  else forgetVerified(dbPath);
  return verdict;
}
