// `heapdiff record`: runs a Node program with an inspector on a free loopback port and takes labelled
// snapshots of it through one DevTools session — after start-up, every `everyMs`, on a signal, at each
// `mark()` the program sets, and at exit — into `DIR/NN-label.heapsnapshot.gz` plus `DIR/index.json`.
//
// One session for the whole run matters: V8 numbers heap objects per session (ids are cleared when a
// session ends), and the diff and leak analyses match objects by id.
//
// How each moment is caught:
// - the port: the child is started with `--inspect=127.0.0.1:0` and prints `Debugger listening on
//   ws://…` on stderr, which is read here (the child's stderr is a pipe; every other line is passed on).
// - exit: with a session attached, Node does not exit when the program ends (event loop empty,
//   `process.exit()`, an uncaught exception, SIGINT/SIGTERM) but prints `Waiting for the debugger to
//   disconnect...` and keeps serving the session. The final snapshot is taken then, and disconnecting
//   lets the process finish. No code is injected for this.
// - marks: `mark(label)` (src/mark.ts) connects to a loopback TCP server of this process named by the
//   environment variable HEAPDIFF_RECORD (`127.0.0.1:PORT/TOKEN`), sends one JSON line and waits for the
//   answer, which comes once the snapshot is on disk — so the snapshot shows the heap at the mark.
// - signals: the signal sent to `heapdiff record` itself, and (through a small `--import`ed preload that
//   turns it into a mark) the same signal sent to the program.
// - Ctrl-C: the program runs in its own process group, so a terminal's SIGINT reaches only heapdiff,
//   which takes the final snapshot (`NN-interrupt`) and then passes the signal on (Node does not wait
//   for the debugger when a signal kills it). A second Ctrl-C kills the program and drops the snapshot
//   in progress. A program killed by someone else's signal gets no final snapshot.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { CdpClient } from './cdp.js';
import { removeTemps, takeSnapshot, type SnapResult } from './snap.js';

export type SnapshotReason = 'start' | 'interval' | 'signal' | 'mark' | 'exit' | 'interrupt';

export interface RecordOptions {
  /** The program: `node [node options] script [args]`, or a script file run with this Node. */
  command: string[];
  dir: string;
  /** Take a snapshot this often. */
  everyMs?: number;
  /** Take a snapshot when heapdiff (or the program) receives this signal. */
  onSignal?: NodeJS.Signals;
  /** Keep at most this many snapshots: the first and the latest ones. */
  max?: number;
  /** The start-up snapshot is taken this long after the program starts (unless a mark came first). */
  startupMs?: number;
  /** Collect garbage before each snapshot (V8 does a full GC for a snapshot anyway). */
  gc?: boolean;
  /** Replace an earlier recording in DIR. */
  force?: boolean;
  /** Status lines ("took 01-start…"), for stderr. */
  log?: (line: string) => void;
  /** Where the program's stderr goes (default: this process' stderr). */
  stderr?: NodeJS.WritableStream;
}

export interface IndexEntry {
  seq: number;
  label: string;
  reason: SnapshotReason;
  file: string;
  /** ISO time the snapshot was asked for. */
  time: string;
  /** Milliseconds since the program started. */
  elapsed_ms: number;
  /** Snapshot JSON bytes, bytes written (gzip), seconds taken. */
  bytes: number;
  file_bytes: number;
  seconds: number;
}

export interface RecordIndex {
  version: 1;
  command: string[];
  pid: number | null;
  started: string;
  ended: string | null;
  exit: { code: number | null; signal: string | null } | null;
  snapshots: IndexEntry[];
  /** Snapshots deleted to stay within --max. */
  dropped: IndexEntry[];
  /** Snapshots that could not be taken, and why. */
  failed: { label: string; reason: SnapshotReason; error: string }[];
}

export interface RecordResult {
  dir: string;
  indexPath: string;
  index: RecordIndex;
  /** Absolute paths of the kept snapshots, in order. */
  files: string[];
  /** True when the recording was interrupted (Ctrl-C). */
  interrupted: boolean;
}

export const INDEX_NAME = 'index.json';
const SNAPSHOT_RE = /^\d{2,}-.*\.heapsnapshot\.gz$/;
const PRELOAD = fileURLToPath(new URL('./record-preload.js', import.meta.url));

/** Node's own inspector messages on stderr (only its first `Debugger listening` line names our port). */
const LISTENING = /^Debugger listening on (ws:\/\/\S+)$/;
const WAITING = 'Waiting for the debugger to disconnect...';
const INSPECTOR_LINES = [
  /^Debugger listening on ws:\/\//,
  /^For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector$/,
  /^Debugger attached\.$/,
  /^Debugger ending on ws:\/\//,
];
const INSPECTOR_PREFIXES = ['Debugger ', 'For help, see: ', 'Waiting for the debugger'];

/** `node …` (any path whose name is node) or a script file run with this Node; anything else is refused. */
export function nodeCommand(command: string[]): { exe: string; args: string[] } {
  if (command.length === 0) throw new InputError('record: give the program to run after --, e.g. heapdiff record -o DIR -- node app.js');
  const [first, ...rest] = command;
  if (/^node(js)?(\.exe)?$/i.test(basename(first)) || resolve(first) === process.execPath) return { exe: first, args: rest };
  if (/\.(c|m)?js$/i.test(first)) return { exe: process.execPath, args: command };
  throw new InputError(`record: runs Node programs; give "-- node ${command.join(' ')}" or a .js file (got ${JSON.stringify(first)})`);
}

/** `after load` → `after-load`: file-name-safe, short. */
export function safeLabel(label: string): string {
  const s = String(label)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 40);
  return s || 'mark';
}

function prepareDir(dir: string, force: boolean): boolean {
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new InputError(`cannot create ${dir}: ${(e as Error).message}`);
    }
    return true;
  }
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new InputError(`${dir}: not a directory heapdiff can use (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ours = entries.filter((f) => f === INDEX_NAME || SNAPSHOT_RE.test(f));
  if (entries.length > 0 && !force) {
    throw new InputError(
      `${dir}: not empty${ours.length > 0 ? ' (an earlier recording)' : ''}; give a new directory, or --force to replace the recording in it`,
    );
  }
  if (force) for (const f of ours) rmSync(join(dir, f), { force: true });
  return false;
}

export async function record(options: RecordOptions): Promise<RecordResult> {
  const dir = resolve(options.dir);
  const log = options.log ?? (() => {});
  const { exe, args } = nodeCommand(options.command);
  if (options.max !== undefined && (!Number.isInteger(options.max) || options.max < 2))
    throw new InputError(`--max: expected a whole number >= 2 (got ${options.max})`);
  const createdDir = prepareDir(dir, options.force ?? false);

  const index: RecordIndex = {
    version: 1,
    command: options.command,
    pid: null,
    started: new Date().toISOString(),
    ended: null,
    exit: null,
    snapshots: [],
    dropped: [],
    failed: [],
  };
  const indexPath = join(dir, INDEX_NAME);
  const writeIndex = () => {
    const tmp = `${indexPath}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(index, null, 2)}\n`);
    renameSync(tmp, indexPath);
  };

  // ---- the marks server -------------------------------------------------------------------
  const token = randomBytes(16).toString('hex');
  const server: Server = createServer();
  const sockets = new Set<Socket>();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => res());
  });
  const markPort = (server.address() as { port: number }).port;

  // ---- the program ------------------------------------------------------------------------
  const nodeArgs = ['--inspect=127.0.0.1:0'];
  if (options.onSignal) nodeArgs.push(`--import=${new URL(`file://${PRELOAD}`).href}`);
  const env: NodeJS.ProcessEnv = { ...process.env, HEAPDIFF_RECORD: `127.0.0.1:${markPort}/${token}` };
  if (options.onSignal) env.HEAPDIFF_RECORD_SIGNAL = options.onSignal;
  else delete env.HEAPDIFF_RECORD_SIGNAL;
  const t0 = Date.now();
  const child: ChildProcess = spawn(exe, [...nodeArgs, ...args], { stdio: ['inherit', 'inherit', 'pipe'], env, detached: true });
  const spawned = new Promise<void>((res, rej) => {
    child.once('spawn', () => res());
    child.once('error', (e) => rej(new InputError(`cannot run ${exe}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : e.message}`)));
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  try {
    await spawned;
  } catch (e) {
    server.close();
    if (createdDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  index.pid = child.pid ?? null;

  let client = null as CdpClient | null;
  let connectError = null as Error | null;
  let resolveConnected!: () => void;
  const connected = new Promise<void>((res) => (resolveConnected = res));
  let programDone = false; // the program reached its end (waiting for us) or exited
  let finalRequested = false; // the exit or interrupt snapshot is queued
  let fatal = null as Error | null;
  let interrupted = false;
  let seq = 0;

  // Snapshots run one at a time, in the order they were asked for.
  let queue: Promise<unknown> = Promise.resolve();
  let pendingCount = 0;
  let currentAbort: (() => void) | null = null;
  const enqueue = (reason: SnapshotReason, label: string): Promise<IndexEntry | null> => {
    pendingCount++;
    const time = new Date();
    const job = queue.then(async () => {
      try {
        return await snapshotNow(reason, label, time);
      } finally {
        pendingCount--;
      }
    });
    queue = job.catch(() => {});
    return job;
  };

  const snapshotNow = async (reason: SnapshotReason, label: string, time: Date): Promise<IndexEntry | null> => {
    await connected;
    if (fatal || !client || client.isClosed) return null;
    const n = ++seq;
    const file = `${String(n).padStart(2, '0')}-${safeLabel(label)}.heapsnapshot.gz`;
    let r: SnapResult;
    try {
      const c = client;
      currentAbort = () => void c.close();
      r = await takeSnapshot(c, join(dir, file), { gc: options.gc });
    } catch (e) {
      seq--;
      const msg = (e as Error).message;
      index.failed.push({ label, reason, error: msg });
      if (/^cannot (write|compress)/.test(msg)) {
        fatal = e as Error;
        stopProgram('SIGTERM');
      } else {
        log(`heapdiff record: snapshot ${file} not taken: ${msg}`);
      }
      writeIndexSafe();
      return null;
    } finally {
      currentAbort = null;
    }
    const entry: IndexEntry = {
      seq: n,
      label,
      reason,
      file,
      time: time.toISOString(),
      elapsed_ms: time.getTime() - t0,
      bytes: r.bytes,
      file_bytes: r.fileBytes,
      seconds: Number(r.seconds.toFixed(3)),
    };
    index.snapshots.push(entry);
    // --max: keep the first and the latest; drop the oldest of the ones in between.
    if (options.max !== undefined && index.snapshots.length > options.max) {
      const [gone] = index.snapshots.splice(1, 1);
      rmSync(join(dir, gone.file), { force: true });
      index.dropped.push(gone);
    }
    writeIndexSafe();
    log(
      `heapdiff record: ${file} (${reason}, ${(r.bytes / 1e6).toFixed(1)} MB snapshot, ${(r.fileBytes / 1e6).toFixed(1)} MB written, ${r.seconds.toFixed(1)} s)`,
    );
    return entry;
  };

  const writeIndexSafe = () => {
    try {
      writeIndex();
    } catch (e) {
      if (!fatal) {
        fatal = new InputError(
          `cannot write ${indexPath}: ${(e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'no space left on device' : (e as Error).message}`,
        );
        stopProgram('SIGTERM');
      }
    }
  };

  let killTimer: NodeJS.Timeout | null = null;
  const stopProgram = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(child.pid, signal);
    } catch {
      // already gone
    }
    if (!killTimer) {
      killTimer = setTimeout(() => {
        try {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 10_000);
      killTimer.unref();
    }
  };

  // ---- the child's stderr: find the port and the exit, pass everything else on ----------------
  const out = options.stderr ?? process.stderr;
  let pendingText = '';
  let sawListening = false;
  const onLine = (line: string) => {
    const m = LISTENING.exec(line);
    if (m && !sawListening) {
      sawListening = true;
      CdpClient.connect(m[1], 'the program')
        .then((c) => {
          client = c;
          c.onClose(() => undefined);
          resolveConnected();
        })
        .catch((e) => {
          connectError = e as Error;
          resolveConnected();
          // Usually the program died at once; if it lives on, nothing can be recorded: stop it.
          setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null && !fatal) {
              fatal = connectError;
              stopProgram('SIGTERM');
            }
          }, 1000).unref();
        });
      return true;
    }
    if (line === WAITING) {
      programDone = true;
      const final = finalRequested ? queue : enqueue('exit', 'exit');
      finalRequested = true;
      void final.finally(() => {
        void client?.close();
      });
      return true;
    }
    return INSPECTOR_LINES.some((re) => re.test(line));
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    pendingText += text;
    let nl: number;
    while ((nl = pendingText.indexOf('\n')) >= 0) {
      const line = pendingText.slice(0, nl + 1);
      pendingText = pendingText.slice(nl + 1);
      if (!onLine(line.replace(/\r?\n$/, ''))) out.write(line);
    }
    // A partial line that cannot become one of Node's inspector lines is passed on at once (prompts, progress bars).
    if (pendingText.length > 0 && !INSPECTOR_PREFIXES.some((p) => p.startsWith(pendingText) || pendingText.startsWith(p))) {
      out.write(pendingText);
      pendingText = '';
    }
  });
  child.stderr!.on('end', () => {
    if (pendingText.length > 0 && !onLine(pendingText)) out.write(pendingText);
    pendingText = '';
  });

  // ---- marks ------------------------------------------------------------------------------
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buf = '';
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (d: string) => {
      buf += d;
      if (buf.length > 64 * 1024) return void socket.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const reply = (o: object) => socket.end(`${JSON.stringify(o)}\n`);
      let req: { token?: string; pid?: number; label?: string; signal?: boolean };
      try {
        req = JSON.parse(buf.slice(0, nl));
      } catch {
        return void socket.destroy();
      }
      if (req.token !== token) return void socket.destroy();
      if (req.pid !== child.pid) return void reply({ ok: false, error: 'not the recorded process' });
      const reason: SnapshotReason = req.signal ? 'signal' : 'mark';
      enqueue(reason, String(req.label ?? reason)).then(
        (e) => reply(e ? { ok: true, file: join(dir, e.file) } : { ok: false, error: 'no snapshot taken' }),
        (e) => reply({ ok: false, error: (e as Error).message }),
      );
    });
  });

  // ---- timers and signals -------------------------------------------------------------------
  const startupTimer = setTimeout(() => {
    if (seq === 0 && pendingCount === 0 && !programDone) void enqueue('start', 'start');
  }, options.startupMs ?? 1000);
  const everyTimer =
    options.everyMs !== undefined
      ? setInterval(() => {
          if (pendingCount === 0 && !programDone) void enqueue('interval', 'interval');
        }, options.everyMs)
      : null;
  const onUserSignal = () => {
    if (!programDone) void enqueue('signal', 'signal');
  };
  if (options.onSignal) process.on(options.onSignal, onUserSignal);
  const onInterrupt = (sig: NodeJS.Signals) => {
    if (!interrupted) {
      interrupted = true;
      if (finalRequested || child.exitCode !== null || child.signalCode !== null) {
        stopProgram(sig);
        return;
      }
      log(`heapdiff record: ${sig}: taking the final snapshot, then stopping the program (${sig} again to abort)`);
      programDone = true;
      finalRequested = true;
      void enqueue('interrupt', 'interrupt').finally(async () => {
        await client?.close();
        stopProgram(sig);
      });
      return;
    }
    // Second time: give up on the snapshot in progress and the program.
    currentAbort?.();
    removeTemps();
    stopProgram('SIGKILL');
    fatal = fatal ?? new InputError('record: interrupted');
  };
  const interruptSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of interruptSignals) process.on(s, onInterrupt);

  // ---- wait for the end ---------------------------------------------------------------------
  const exit = await exited;
  programDone = true;
  clearTimeout(startupTimer);
  if (everyTimer) clearInterval(everyTimer);
  if (!sawListening) resolveConnected();
  await queue;
  await client?.close();
  if (killTimer) clearTimeout(killTimer);
  if (options.onSignal) process.removeListener(options.onSignal, onUserSignal);
  for (const s of interruptSignals) process.removeListener(s, onInterrupt);
  for (const s of sockets) s.destroy();
  server.close();

  index.exit = exit;
  index.ended = new Date().toISOString();
  const status = exit.signal ? `signal ${exit.signal}` : `status ${exit.code}`;
  if (fatal) {
    if (index.snapshots.length > 0) writeIndexSafe();
    else cleanupEmpty(dir, createdDir);
    throw fatal;
  }
  if (index.snapshots.length === 0) {
    cleanupEmpty(dir, createdDir);
    const why = !sawListening ? ' (its inspector never started: is it a Node program?)' : '';
    throw new InputError(`record: the program exited (${status}) before its first snapshot${why}`);
  }
  writeIndexSafe();
  log(`heapdiff record: the program exited (${status}); ${index.snapshots.length} snapshot${index.snapshots.length === 1 ? '' : 's'} in ${dir}`);
  return { dir, indexPath, index, files: index.snapshots.map((e) => join(dir, e.file)), interrupted };
}

function cleanupEmpty(dir: string, createdDir: boolean): void {
  rmSync(join(dir, INDEX_NAME), { force: true });
  if (createdDir) {
    try {
      if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    } catch {
      // leave it
    }
  }
}
