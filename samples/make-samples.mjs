#!/usr/bin/env node
// Generates small, real Node.js heap snapshots with a planted leak, gzip-compressed, into samples/.
//
//   node samples/make-samples.mjs [--requests 300] [--alloc-requests 100] [--out-dir samples] [--no-verify]
//                                 [--alloc-same-thread]
//
// The parent process starts the leaky HTTP server samples/leaky-server.mjs in a child process (127.0.0.1,
// port 0, run with --expose-gc), drives it over loopback HTTP and tells it over IPC when to write a snapshot:
//
//   child A  (one process, so V8 object ids are comparable between the three files)
//     warm-up  : 20 × GET /health (no session) + 5 × GET /login (5 sessions)
//     snapshot : node-leak-before.heapsnapshot.gz
//     load     : N × GET /login?user=… (N = --requests, default 300) → N more Session objects
//     snapshot : node-leak-after.heapsnapshot.gz
//     action   : "logout-all" — drops the per-request scratch array (RequestScratch objects are freed)
//                and marks every session closed, but forgets sessionCache and the 'tick' listeners
//     snapshot : node-leak-final.heapsnapshot.gz
//   child B  (separate process, allocation tracking on from the start, via node:inspector)
//     HeapProfiler.startTrackingHeapObjects({trackAllocations:true}), 100 × GET /login,
//     HeapProfiler.takeHeapSnapshot → node-alloc.heapsnapshot.gz (trace_function_infos, trace_tree,
//     samples and per-node trace_node_id are filled in)
//
// global.gc() runs before every snapshot. Raw snapshots go to a temporary directory and are
// compressed with zlib level 9; only the .gz files are written into the output directory.
// See samples/README.md for what the leak looks like in the files.

import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zc } from 'node:zlib';
import http from 'node:http';

const SELF = fileURLToPath(import.meta.url);
const HERE = dirname(SELF);

const SERVER = join(HERE, 'leaky-server.mjs');

await runParent();

// ───────────────────────────────────────────── parent: the driver ─────────────────────────────────────────────

function parseArgs(argv) {
  const opts = { requests: 300, allocRequests: 100, outDir: HERE, verify: true, sameThread: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--requests') opts.requests = Number(argv[++i]);
    else if (a === '--alloc-requests') opts.allocRequests = Number(argv[++i]);
    else if (a === '--out-dir') opts.outDir = resolve(argv[++i]);
    else if (a === '--no-verify') opts.verify = false;
    else if (a === '--alloc-same-thread') opts.sameThread = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node samples/make-samples.mjs [--requests N] [--alloc-requests N] [--out-dir DIR] [--no-verify] [--alloc-same-thread]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const k of ['requests', 'allocRequests']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1 || opts[k] > 5000) throw new Error(`--${k} must be 1..5000`);
  }
  return opts;
}

/** A forked child plus a "wait for the next message of type T" helper. */
function startChild(mode, extraArgs = []) {
  const child = fork(SERVER, [mode, ...extraArgs], {
    execArgv: ['--expose-gc', '--max-old-space-size=512'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue = [];
  const waiters = [];
  child.on('message', (m) => {
    if (m.type === 'error') {
      console.error(`child error: ${m.message}`);
    }
    const w = waiters.findIndex((x) => x.type === m.type || m.type === 'error');
    if (w >= 0) waiters.splice(w, 1)[0].resolve(m);
    else queue.push(m);
  });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  function next(type, timeoutMs = 60_000) {
    const q = queue.findIndex((x) => x.type === type || x.type === 'error');
    if (q >= 0) return Promise.resolve(queue.splice(q, 1)[0]).then(check);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timeout waiting for '${type}' from child`)), timeoutMs);
      waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      });
      exited.then(({ code, sig }) => reject(new Error(`child exited (${code ?? sig}) while waiting for '${type}'`)));
    }).then(check);
  }
  function check(m) {
    if (m.type === 'error') throw new Error(`child failed: ${m.message}`);
    return m;
  }
  return { child, next, exited };
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error(`request ${path} timed out`)));
    req.on('error', reject);
  });
}

/** Sends `count` requests, at most 4 in flight, and gives up after `budgetMs`. */
async function load(port, count, pathFor, budgetMs = 60_000) {
  const deadline = Date.now() + budgetMs;
  let issued = 0;
  async function worker() {
    while (issued < count) {
      if (Date.now() > deadline) throw new Error(`load did not finish in ${budgetMs} ms`);
      const i = issued++;
      const status = await get(port, pathFor(i));
      if (status !== 200) throw new Error(`GET ${pathFor(i)} → ${status}`);
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function gzipTo(src, dest) {
  await pipeline(createReadStream(src), createGzip({ level: zc.Z_BEST_COMPRESSION }), createWriteStream(dest));
  return { raw: statSync(src).size, gz: statSync(dest).size };
}

async function snapshot(ctl, tmp, outDir, name) {
  const raw = join(tmp, `${name}.heapsnapshot`);
  ctl.child.send({ cmd: 'snapshot', file: raw });
  const done = await ctl.next('snapshot-done');
  const dest = join(outDir, `${name}.heapsnapshot.gz`);
  const { raw: rawSize, gz } = await gzipTo(raw, dest);
  rmSync(raw);
  console.log(
    `  ${name}: ${(rawSize / 1e6).toFixed(2)} MB raw → ${(gz / 1e6).toFixed(2)} MB gz` +
      ` (written in ${done.ms} ms; sessions=${done.sessions}, tick listeners=${done.listeners}, scratch=${done.pending})`,
  );
  return dest;
}

async function allocSample(opts, tmp, name, extraArgs) {
  console.log(`allocation-tracking sample ${name} (${opts.allocRequests} requests while tracking):`);
  const b = startChild('alloc', extraArgs);
  const { port } = await b.next('ready');
  await load(port, 10, () => '/health');
  await load(port, opts.allocRequests, (i) => `/login?user=traced-${i % 11}`);
  await new Promise((r) => setTimeout(r, 200)); // let the heap-stats timer record a few samples
  await snapshot(b, tmp, opts.outDir, name);
  b.child.send({ cmd: 'exit' });
  await b.exited;
}

async function runParent() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.outDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'heapdiff-samples-'));
  const t0 = Date.now();
  try {
    // ── child A: before / after / final from ONE process ──
    console.log(`leak sequence (1 process, ${opts.requests} requests between before and after):`);
    const a = startChild('leak');
    const { port } = await a.next('ready');
    await load(port, 20, () => '/health');
    await load(port, 5, (i) => `/login?user=warmup-${i}`);
    await snapshot(a, tmp, opts.outDir, 'node-leak-before');
    await load(port, opts.requests, (i) => `/login?user=user-${i % 37}`);
    await snapshot(a, tmp, opts.outDir, 'node-leak-after');
    a.child.send({ cmd: 'logout-all' });
    await a.next('logout-done');
    await snapshot(a, tmp, opts.outDir, 'node-leak-final');
    a.child.send({ cmd: 'exit' });
    await a.exited;

    // ── child B: allocation tracking (inspector session in a worker thread of the child) ──
    await allocSample(opts, tmp, 'node-alloc', []);
    // Optional: the same with a same-thread inspector.Session — a file whose header trace_function_count is
    // smaller than its trace_function_infos (DevTools' loader crashes on it). Not written by default.
    if (opts.sameThread) await allocSample(opts, tmp, 'node-alloc-samethread', ['--alloc-same-thread']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  if (opts.verify) {
    const { verify } = await import('./verify-samples.mjs');
    const ok = await verify({ dir: opts.outDir, requests: opts.requests });
    if (!ok) process.exitCode = 1;
  }
}
