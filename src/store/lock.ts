// A lock per cache entry, so that several commands started at once on one new snapshot ingest it once:
// the first takes the lock and ingests, the others wait and then open its result. The lock is a file
// `X.db.lock` holding its owner's PID, created atomically with its content (written beside it, then
// hard-linked into place, which fails if the lock exists). A lock whose process is gone (`kill -9`) is
// taken over. Correctness never depends on the lock: every ingest writes a temporary file and renames
// it into place, so the rare race of two waiters taking over one stale lock costs a second ingest, not
// a damaged entry.

import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseTemp, trackTemp } from './interrupt.js';
import { processAlive } from './stale-files.js';

const POLL_MS = 150;

export function lockPathFor(target: string): string {
  return `${target}.lock`;
}

/** The PID holding the lock of `target`, or null when it is free or its owner is gone. */
export function lockOwner(target: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockPathFor(target), 'utf8'), 10);
  } catch {
    return null;
  }
  return processAlive(pid) ? pid : null;
}

function tryLock(lock: string): boolean {
  const tmp = `${lock}.tmp-${process.pid}`;
  trackTemp(tmp);
  try {
    writeFileSync(tmp, `${process.pid}\n`);
    linkSync(tmp, lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
    releaseTemp(tmp);
  }
}

/**
 * Takes the lock of `target`, waiting (without blocking the event loop) while a live process holds it;
 * `onWait` is called once with that process's PID. Returns the function that releases it. Until then
 * an interrupt removes the lock (interrupt.ts).
 */
export async function acquireLock(target: string, onWait?: (pid: number) => void): Promise<() => void> {
  const lock = lockPathFor(target);
  let told = false;
  for (;;) {
    trackTemp(lock); // before the link: a signal right after it must not leave the lock behind
    let mine = false;
    try {
      mine = tryLock(lock);
    } finally {
      if (!mine) releaseTemp(lock);
    }
    if (mine) {
      return () => {
        rmSync(lock, { force: true });
        releaseTemp(lock);
      };
    }
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    } catch {
      continue; // released meanwhile
    }
    if (!processAlive(pid)) {
      rmSync(lock, { force: true }); // a dead owner's: take it over
      continue;
    }
    if (!told) {
      told = true;
      onWait?.(pid);
    }
    await sleep(POLL_MS);
  }
}
