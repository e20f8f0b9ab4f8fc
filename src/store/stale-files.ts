// Files a killed heapdiff leaves behind. `kill -9` (or a power loss) runs no handler, so an ingest's
// temporary files (`X.db.tmp-PID-RAND`, `X.db.tmp-PID-RAND-side`), a verified-stamp's temporary file
// (`STAMP.tmp-PID`) and a cache lock (`X.db.lock`, holding the PID) stay. Each name carries the PID of
// the process that made it: a later run removes those whose process is gone.

import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether a process with this PID exists (on this machine). EPERM: it exists, owned by someone else. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TEMP_NAME = /\.tmp-(\d+)(?:-[0-9a-f]+)?(?:-side)?(?:-journal|-wal|-shm)?$/;

/** The PID in a temporary file's name, or null when the name is not one of heapdiff's temporary files. */
export function tempOwner(name: string): number | null {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Removes the temporary files of dead processes in `dir`; with `stem`, only those of that target
 * (`stem.tmp-…`), for a user's own directory where other programs' files live. Returns the names removed.
 */
export function removeDeadTemps(dir: string, stem?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (stem !== undefined && !name.startsWith(`${stem}.tmp-`)) continue;
    const pid = tempOwner(name);
    if (pid === null || processAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // not ours to remove after all (permissions): leave it
    }
  }
  return removed;
}

/** Removes the dead processes' temporary files of the database `dbPath`. */
export function removeDeadTempsOf(dbPath: string): string[] {
  return removeDeadTemps(dirname(dbPath), basename(dbPath));
}
