// What a SIGINT, SIGTERM or SIGHUP must undo before the process ends: temporary files (an ingest's
// `*.db.tmp-PID-*` and its side file, a cache lock) and child processes (background ingests, a `sql
// --timeout` query). Handlers are installed only while there is something to undo. Otherwise the
// signal keeps its default action, which ends the process at once, even while the main thread is busy
// in a long synchronous query.
//
// While something is registered the handler runs only when the main thread's event loop turns, so
// code that registers must keep the main thread free (the ingest runs in a worker thread,
// ingest.ts). The handler removes the files synchronously, signals the children, then removes itself
// and raises the same signal again: the process ends by that signal (a shell reports 130 for SIGINT,
// 143 for SIGTERM) at once, whatever its worker threads are doing (process.exit() would first wait
// for a worker stuck in a long SQLite call).

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const files = new Set<string>();
const children = new Set<ChildProcess>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function undo(): void {
  for (const f of files) rmSync(f, { force: true, recursive: true });
  files.clear();
  for (const c of children) {
    try {
      c.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  children.clear();
}

function onSignal(sig: NodeJS.Signals): void {
  undo();
  uninstall();
  // Other listeners (an embedding program's) decide themselves; alone, end the way the signal would have.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function onExit(): void {
  undo();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', onExit);
}

function settle(): void {
  if (files.size === 0 && children.size === 0) uninstall();
  else install();
}

/** Removes `paths` if the process is interrupted before `releaseTemp` (the caller still removes them on errors). */
export function trackTemp(...paths: string[]): void {
  for (const p of paths) files.add(p);
  settle();
}

export function releaseTemp(...paths: string[]): void {
  for (const p of paths) files.delete(p);
  settle();
}

/** Signals `child` with SIGTERM if this process is interrupted while it runs. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  settle();
  child.once('exit', () => {
    children.delete(child);
    settle();
  });
}
