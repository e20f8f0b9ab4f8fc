// The leaky HTTP server behind samples/make-samples.mjs. Not meant to be run by hand: make-samples.mjs forks it
// (`fork('leaky-server.mjs', ['leak' | 'alloc'], { execArgv: ['--expose-gc'] })`) and drives it over IPC:
//
//   child → parent  {type:'ready', port}                    listening on 127.0.0.1:<port>
//   parent → child  {cmd:'snapshot', file}                   gc, write a snapshot to `file`
//   child → parent  {type:'snapshot-done', file, ms, sessions, listeners, pending}
//   parent → child  {cmd:'logout-all'}                       the "fix" that does not fix the leak
//   child → parent  {type:'logout-done', sessions}
//   parent → child  {cmd:'exit'}
//
// Mode 'alloc' turns on allocation tracking (node:inspector HeapProfiler, session in a worker thread connected to
// the main thread) before anything else and writes its snapshot with HeapProfiler.takeHeapSnapshot, so the file
// carries trace_function_infos / trace_tree / samples / trace_node_id. Add --alloc-same-thread to use a
// same-thread inspector.Session instead (reproduces an inconsistent file; see README).
//
// THE PLANTED LEAK (module-level state, so the retainers are named context variables of this module):
//   GET /login  → new Session            → sessionCache.set(id, session)      (Map, never evicted)
//                                        → bus.on('tick', session.onTick)     (closure over the Session, never removed)
//                                        → pendingWork.push(new RequestScratch(...))   (cleared by logout-all)
//   logout-all  → session.close() only stamps closedAt; pendingWork = [] frees the RequestScratch objects.

import { EventEmitter } from 'node:events';
import http from 'node:http';
import fs from 'node:fs';
import v8 from 'node:v8';
import inspector from 'node:inspector';
import { Worker } from 'node:worker_threads';

const mode = process.argv[2] ?? 'leak';
if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
if (typeof process.send !== 'function') throw new Error('run me through samples/make-samples.mjs (needs an IPC channel)');

// Allocation tracking must start before the allocations we want to see traced. The inspector session lives in a
// worker thread (Session.connectToMainThread), like a real DevTools front end: a same-thread session would run
// its JS chunk listener *while* V8 serialises the snapshot, with tracking on, and V8 would register new traced
// functions between writing the header's trace_function_count and writing trace_function_infos. The file is
// then inconsistent (count < infos/6) and DevTools' loader crashes on it (see README, --alloc-same-thread).
const sameThread = process.argv.includes('--alloc-same-thread');
let profiler = null;
if (mode === 'alloc') {
  profiler = sameThread ? sameThreadProfiler() : workerProfiler();
  await profiler.call({ cmd: 'start' });
}

function profilerScript() {
  // Runs either in the worker (sending through parentPort) or inline; `session` is a connected inspector.Session.
  return function makeHandler(session, fs) {
    const post = (method, params) => new Promise((res, rej) => session.post(method, params ?? {}, (err, r) => (err ? rej(err) : res(r))));
    return async function handleCmd(msg) {
      if (msg.cmd === 'start') {
        await post('HeapProfiler.enable');
        await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
      } else if (msg.cmd === 'snapshot') {
        const fd = fs.openSync(msg.file, 'w');
        const onChunk = (m) => fs.writeSync(fd, m.params.chunk);
        session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
        try {
          await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        } finally {
          session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
          fs.closeSync(fd);
        }
        await post('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
      }
    };
  };
}

function workerProfiler() {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const inspector = require('node:inspector');
    const fs = require('node:fs');
    const session = new inspector.Session();
    session.connectToMainThread();
    const handleCmd = (${profilerScript.toString()})()(session, fs);
    parentPort.on('message', (msg) => handleCmd(msg).then(
      () => parentPort.postMessage({ ok: true }),
      (err) => parentPort.postMessage({ ok: false, error: String(err && err.stack || err) })));
  `;
  const worker = new Worker(code, { eval: true });
  worker.unref();
  return {
    call: (msg) =>
      new Promise((res, rej) => {
        worker.once('message', (r) => (r.ok ? res() : rej(new Error(r.error))));
        worker.postMessage(msg);
      }),
    close: () => worker.terminate(),
  };
}

function sameThreadProfiler() {
  const session = new inspector.Session();
  session.connect();
  const handleCmd = profilerScript()(session, fs);
  return { call: handleCmd, close: () => session.disconnect() };
}

// ── the leak ──
/** Long-lived event bus: every Session subscribes to 'tick' and never unsubscribes. */
const bus = new EventEmitter();
bus.setMaxListeners(0);
/** Never-evicted cache: session id → Session. The planted leak. */
const sessionCache = new Map();
/** Per-request temporary work items; replaced by an empty array on "logout-all" (this part is not a leak). */
let pendingWork = [];
let nextId = 1;

class Session {
  constructor(id, user, path) {
    this.id = `sess-${String(id).padStart(6, '0')}`;
    this.user = user;
    this.path = path;
    this.createdAt = Date.now();
    this.closedAt = 0;
    this.hits = 0;
    this.metrics = new Float64Array(64); // 512-byte backing store per session
    this.metrics[0] = id;
    // A named closure over `this`: the bus retains the Session through this function's context.
    const onTick = (now) => {
      this.hits++;
      this.metrics[1] = now;
    };
    this.onTick = onTick;
    bus.on('tick', onTick);
  }

  close() {
    this.closedAt = Date.now(); // bug: neither bus.off('tick', this.onTick) nor sessionCache.delete(this.id)
  }
}

class RequestScratch {
  constructor(session, req) {
    this.sessionId = session.id;
    this.method = req.method;
    this.headers = { ...req.headers };
    this.note = `scratch for ${session.id} at ${req.url} `.repeat(4);
  }
}

function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/login') {
    const user = url.searchParams.get('user') ?? 'anonymous';
    const session = new Session(nextId++, user, url.pathname);
    sessionCache.set(session.id, session);
    pendingWork.push(new RequestScratch(session, req));
    bus.emit('tick', Date.now());
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ session: session.id }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end('ok');
}

const server = http.createServer(handle);

function countConnections() {
  return new Promise((res) => server.getConnections((err, n) => res(err ? -1 : n)));
}

/** Wait until no socket is open (so the snapshot has no half-closed connections), then collect garbage. */
async function settle() {
  for (let i = 0; i < 100 && (await countConnections()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setImmediate(r));
  global.gc();
  global.gc();
}

async function writeSnapshot(file) {
  if (profiler) await profiler.call({ cmd: 'snapshot', file });
  else v8.writeHeapSnapshot(file);
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'snapshot') {
      await settle();
      const t0 = Date.now();
      await writeSnapshot(msg.file);
      process.send({
        type: 'snapshot-done',
        file: msg.file,
        ms: Date.now() - t0,
        sessions: sessionCache.size,
        listeners: bus.listenerCount('tick'),
        pending: pendingWork.length,
      });
    } else if (msg.cmd === 'logout-all') {
      for (const s of sessionCache.values()) s.close();
      pendingWork = []; // the per-request scratch objects become garbage; the sessions do not
      process.send({ type: 'logout-done', sessions: sessionCache.size });
    } else if (msg.cmd === 'exit') {
      server.close();
      profiler?.close();
      process.disconnect();
    }
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});

// Never outlive the driver: exit when the IPC channel goes away (parent crashed or finished) or after 5 minutes.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(3), 5 * 60_000).unref();

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
