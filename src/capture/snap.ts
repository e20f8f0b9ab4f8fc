// Takes one heap snapshot over a DevTools-protocol connection and streams it to disk.
//
// `HeapProfiler.takeHeapSnapshot` makes the target serialize its heap as a series of
// `addHeapSnapshotChunk` events (~100 KB of JSON each) and answers the command only after the last
// one. Each chunk is written straight into a gzip stream to a temporary file beside the final name
// (`<final>.tmp-<pid>-<random>`); when the gzip stream would buffer more, the socket is paused, so the
// target waits instead of this process growing. The file is fsynced and renamed only when the command
// has answered and every byte is on disk: a capture cut short (target gone, disk full, Ctrl-C) never
// passes for a snapshot, and its temporary file is removed.
//
// No `HeapProfiler.enable`: it is not needed to take a snapshot. Object ids stay the same across the
// snapshots taken through one connection; V8 forgets them (ClearObjectIds) whenever a DevTools session
// ends, so two separate `snap` runs against one process number its objects independently.

import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import { InputError } from '../errors.js';
import type { CdpClient } from './cdp.js';

export interface SnapOptions {
  /** `HeapProfiler.collectGarbage` first (V8 collects garbage before a snapshot anyway; this adds a separate full GC). */
  gc?: boolean;
  /** Gzip the output (default: when the name ends in `.gz`). */
  gzip?: boolean;
  /** Progress: V8's traversal (`done`/`total` objects), then bytes written. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface SnapResult {
  path: string;
  /** Snapshot JSON bytes received (uncompressed). */
  bytes: number;
  /** Bytes of the file written. */
  fileBytes: number;
  seconds: number;
}

// ---- temporary files removed on any exit ----------------------------------------------------

const liveTemps = new Set<string>();
let hooked = false;

/** Registers a temporary file to remove if the process exits or is interrupted before it is renamed. */
export function trackTemp(path: string): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const f of liveTemps) rmSync(f, { force: true });
    });
  }
  liveTemps.add(path);
  return () => liveTemps.delete(path);
}

/** Removes every tracked temporary file now (signal handlers call this before exiting). */
export function removeTemps(): void {
  for (const f of liveTemps) rmSync(f, { force: true });
  liveTemps.clear();
}

export function tempNameFor(finalPath: string): string {
  return `${finalPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function describeWriteError(path: string, e: NodeJS.ErrnoException): InputError {
  const why =
    e.code === 'ENOSPC' ? 'no space left on device' : e.code === 'EDQUOT' ? 'disk quota exceeded' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return new InputError(`cannot write ${path}: ${why}`);
}

/**
 * Takes a snapshot through `client` into `finalPath`. On any failure the temporary file is removed and
 * an InputError says why; `finalPath` is only ever created complete.
 */
export async function takeSnapshot(client: CdpClient, finalPath: string, options: SnapOptions = {}): Promise<SnapResult> {
  const path = resolve(finalPath);
  const gzip = options.gzip ?? path.endsWith('.gz');
  const progress = options.onProgress ?? (() => {});
  const t0 = performance.now();
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw describeWriteError(dirname(path), e as NodeJS.ErrnoException);
  }
  const tmp = tempNameFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o644);
  } catch (e) {
    throw describeWriteError(path, e as NodeJS.ErrnoException);
  }
  const untrack = trackTemp(tmp);
  const file = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
  // Level 1: snapshot JSON still shrinks ~5-8x, at several times the speed of the default level.
  const gz = gzip ? createGzip({ level: 1, chunkSize: 1 << 16 }) : null;
  const sink = gz ?? file;
  if (gz) gz.pipe(file);

  let failure: Error | null = null;
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, reject) => {
    fail = (e: Error) => {
      if (!failure) failure = e;
      reject(failure);
    };
  });
  failed.catch(() => {});
  file.on('error', (e) => fail(describeWriteError(path, e as NodeJS.ErrnoException)));
  gz?.on('error', (e) => fail(new InputError(`cannot compress ${basename(path)}: ${e.message}`)));
  const unwatch = client.onClose((e) => fail(e));

  let bytes = 0;
  let lastReport = 0;
  client.on('HeapProfiler.reportHeapSnapshotProgress', (p: { done: number; total: number }) => progress('snapshot', p.done, p.total));
  client.on('HeapProfiler.addHeapSnapshotChunk', (p: { chunk: string }) => {
    if (failure) return;
    bytes += p.chunk.length;
    if (bytes - lastReport > 4 << 20) {
      lastReport = bytes;
      progress('write', bytes, 0);
    }
    if (!sink.write(p.chunk)) {
      client.pause();
      sink.once('drain', () => client.resume());
    }
  });

  try {
    if (options.gc) await Promise.race([client.send('HeapProfiler.collectGarbage'), failed]);
    await Promise.race([client.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true }), failed]);
    if (bytes === 0) throw new InputError(`${client.label}: the target sent an empty snapshot`);
    // Every chunk has arrived (the answer follows the last one): finish the streams, then sync and rename.
    await Promise.race([
      new Promise<void>((res, rej) => {
        file.once('finish', res);
        file.once('error', rej);
        sink.end();
      }),
      failed,
    ]);
    try {
      fsyncSync(fd);
    } catch (e) {
      throw describeWriteError(path, e as NodeJS.ErrnoException);
    }
    const fileBytes = file.bytesWritten;
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
    untrack();
    syncDir(dirname(path));
    return { path, bytes, fileBytes, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    const err = failure ?? e;
    gz?.destroy();
    file.destroy();
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        // already closed by the stream
      }
    }
    rmSync(tmp, { force: true });
    untrack();
    throw err;
  } finally {
    unwatch();
    client.on('HeapProfiler.reportHeapSnapshotProgress', null);
    client.on('HeapProfiler.addHeapSnapshotChunk', null);
    client.resume();
  }
}

/** fsyncs a directory so the rename itself is durable (best effort: not every file system allows it). */
function syncDir(dir: string): void {
  try {
    const d = openSync(dir, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // not supported here
  }
}

/** The default output name: `<stem>-YYYYMMDD-HHMMSS.heapsnapshot.gz` in the current directory. */
export function defaultSnapName(stem: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const ts = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stem}-${ts}.heapsnapshot.gz`;
}
