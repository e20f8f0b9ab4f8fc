#!/usr/bin/env node
// Generates a big, leaky Node.js heap snapshot for the benchmarks (plain JS, no build step).
//
//   node bench/make-big-snapshot.mjs [--size 150|700|<MB>] [--out PATH] [--pair] [--force]
//   node bench/make-big-snapshot.mjs --strings [--out PATH] [--force]
//
//   --size MB   target file size in MB (10^6 bytes); 150 (default) ≈ 2.0 M nodes / 6.8 M edges,
//               700 ≈ 8.5 M nodes / 28 M edges (the shapes of the performance targets). Any value ≥ 10 works.
//   --out PATH  output file (default bench/out/leaky-<size>.heapsnapshot, or bench/out/strings-600k.heapsnapshot)
//   --pair      also write <out minus .heapsnapshot>-base.heapsnapshot from the SAME process, taken when 80 % of
//               the users existed (V8 ids comparable: a baseline for `diff base big`)
//   --strings   instead: a heap holding 600,000 unique flat 1,000-char strings (~658 MB file) whose `strings`
//               section passes V8's 512 M-character string limit (DevTools' loader fails on it)
//   --force     regenerate even if the output (and its .meta.json) already exist
//
// The heap is built in a child process (`node --max-old-space-size=8000 --expose-gc`). Next to each snapshot a
// sidecar <file>.meta.json records bytes, node/edge counts (from the snapshot header), the heap object ids of a
// few known objects (for `heapdiff inspect @id`), generation time and the producer's peak RSS.
// Snapshots are written to <file>.tmp and renamed when complete, so an interrupted run is never reused.

import { fork } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const HERE = dirname(SELF);

// Calibrated on Node 20.20 (see bench/README.md): one "unit" = 1 User + 3 Sessions with their maps, closures,
// typed arrays and strings ≈ 68–69 nodes, ~235 edges, 5,350–5,700 bytes of snapshot (ids and strings grow a
// little with the count); a bare process adds ~5.5 MB.
export const BYTES_PER_UNIT = 5_500;
export const BASE_BYTES = 5_500_000;
// The two named sizes are pinned to approach the files the performance targets were set on
// (161 MB / 2.04 M nodes / 6.78 M edges and 684 MB / 8.51 M nodes / 28.1 M edges).
export const NAMED_UNITS = { 150: 29_038, 700: 120_500 };

if (process.argv[2] === '--child') {
  await child(JSON.parse(process.argv[3]));
} else if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  await main(); // not when imported (bench/capture.ts builds the same world in its target process)
}

// ─────────────────────────────────────────────── parent ───────────────────────────────────────────────

function parseArgs(argv) {
  const o = { size: 150, out: null, pair: false, strings: false, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') o.size = Number(argv[++i]);
    else if (a === '--out') o.out = resolve(argv[++i]);
    else if (a === '--pair') o.pair = true;
    else if (a === '--strings') o.strings = true;
    else if (a === '--force') o.force = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/make-big-snapshot.mjs [--size 150|700|MB] [--out PATH] [--pair] [--force] | --strings');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isFinite(o.size) || o.size < 10 || o.size > 4000) throw new Error('--size must be a number of MB in 10..4000');
  return o;
}

export function defaultOut(opts) {
  return join(HERE, 'out', opts.strings ? 'strings-600k.heapsnapshot' : `leaky-${opts.size}.heapsnapshot`);
}

export function basePathFor(out) {
  return `${out.replace(/\.heapsnapshot$/, '')}-base.heapsnapshot`;
}

/** Reads node_count/edge_count/… from the first bytes of a snapshot file (the header is tiny). */
export function readHeader(file) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('latin1', 0, n);
    const at = text.indexOf('"nodes"');
    if (at < 0) throw new Error(`${file}: no "nodes" key in the first ${n} bytes`);
    const head = `${text.slice(0, text.lastIndexOf(',', at))}}`;
    return JSON.parse(head).snapshot;
  } finally {
    closeSync(fd);
  }
}

/** Runs `script --child OPTS` (a generator's own child half) and resolves with the message it sent. */
export function runChild(opts, script = SELF) {
  return new Promise((resolvePromise, reject) => {
    const c = fork(script, ['--child', JSON.stringify(opts)], {
      execArgv: ['--max-old-space-size=8000', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result = null;
    c.on('message', (m) => {
      result = m;
    });
    c.on('error', reject);
    c.on('exit', (code, sig) => {
      if (code === 0 && result) resolvePromise(result);
      else reject(new Error(`generator child exited with ${code ?? sig}`));
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = opts.out ?? defaultOut(opts);
  const base = opts.pair && !opts.strings ? basePathFor(out) : null;
  const wanted = [out, ...(base ? [base] : [])];
  if (!opts.force && wanted.every((f) => existsSync(f) && existsSync(`${f}.meta.json`))) {
    for (const f of wanted) console.log(`reusing ${f} (${(statSync(f).size / 1e6).toFixed(1)} MB; --force to regenerate)`);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  const units = NAMED_UNITS[opts.size] ?? Math.max(1000, Math.round((opts.size * 1e6 - BASE_BYTES) / BYTES_PER_UNIT));
  const t0 = Date.now();
  const what = opts.strings ? '600,000 × 1,000-char flat strings' : `~${opts.size} MB (${units.toLocaleString('en')} users)`;
  console.log(`generating ${what} → ${out}${base ? ` (+ ${base})` : ''}`);
  const res = await runChild({ kind: opts.strings ? 'strings' : 'leaky', units, out, base });
  for (const snap of res.snapshots) {
    const header = readHeader(snap.file);
    const meta = {
      file: snap.file,
      kind: opts.strings ? 'strings' : 'leaky',
      role: snap.role,
      targetMB: opts.strings ? null : opts.size,
      units: snap.units,
      bytes: statSync(snap.file).size,
      nodeCount: header.node_count,
      edgeCount: header.edge_count,
      traceFunctionCount: header.trace_function_count ?? 0,
      sampleIds: snap.sampleIds,
      writeSeconds: snap.writeSeconds,
      producerMaxRssMB: res.maxRssMB,
      node: process.version,
      createdAt: new Date().toISOString(),
    };
    writeFileSync(`${snap.file}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
    console.log(
      `  ${snap.file}: ${(meta.bytes / 1e6).toFixed(1)} MB, ${meta.nodeCount.toLocaleString('en')} nodes, ` +
        `${meta.edgeCount.toLocaleString('en')} edges (written in ${snap.writeSeconds.toFixed(1)} s)`,
    );
  }
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; producer peak RSS ${res.maxRssMB.toFixed(0)} MB`);
}

// ─────────────────────────────────────────────── child ───────────────────────────────────────────────

async function child(opts) {
  const v8 = await import('node:v8');
  const inspector = await import('node:inspector');
  const snapshots = [];

  /**
   * Heap snapshot object ids of some live objects (same HeapObjectsMap as writeHeapSnapshot uses). One session
   * for the whole run, never `HeapProfiler.enable`d and never disconnected: HeapProfiler.disable (also run when an
   * enabled session goes away) calls ClearObjectIds(), which would renumber every object in the next snapshot.
   */
  const session = new inspector.Session();
  session.connect();
  const post = (m, p) => new Promise((res, rej) => session.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
  async function heapIds(objects) {
    const ids = {};
    try {
      for (const [key, obj] of Object.entries(objects)) {
        globalThis.__benchProbe = obj;
        const { result } = await post('Runtime.evaluate', { expression: 'globalThis.__benchProbe' });
        const { heapSnapshotObjectId } = await post('HeapProfiler.getHeapObjectId', { objectId: result.objectId });
        ids[key] = Number(heapSnapshotObjectId);
        await post('Runtime.releaseObject', { objectId: result.objectId });
      }
    } finally {
      delete globalThis.__benchProbe;
    }
    return ids;
  }

  async function snapshot(file, role, units, probes) {
    global.gc();
    global.gc();
    const t0 = process.hrtime.bigint();
    rmSync(`${file}.tmp`, { force: true });
    v8.writeHeapSnapshot(`${file}.tmp`);
    const writeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // Ids are assigned while a snapshot is taken (getHeapObjectId only *finds* them), and V8 keeps tracking
    // object moves afterwards, so ask right after writing: these are the ids in the file.
    const sampleIds = await heapIds(probes);
    renameSync(`${file}.tmp`, file);
    snapshots.push({ file, role, units, sampleIds, writeSeconds });
  }

  if (opts.kind === 'strings') {
    // 600,000 unique flat one-byte strings of exactly 1,000 chars (≈ 600 M chars in the strings section).
    const N = 600_000;
    const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30);
    const strings = new Array(N);
    for (let i = 0; i < N; i++) {
      const s = `str-${i.toString(36).padStart(8, '0')}-${filler}`.slice(0, 1000);
      strings[i] = Buffer.from(s, 'latin1').toString('latin1'); // flat SeqOneByteString, not a slice or rope
    }
    globalThis.bigStrings = strings;
    await snapshot(opts.out, 'strings', N, { strings });
  } else {
    const world = buildWorld();
    const baseAt = Math.floor(opts.units * 0.8);
    if (opts.base) {
      world.grow(baseAt);
      await snapshot(opts.base, 'base', baseAt, world.probes());
    }
    world.grow(opts.units);
    await snapshot(opts.out, 'main', opts.units, world.probes());
  }
  process.send({ snapshots, maxRssMB: process.resourceUsage().maxRSS / 1024 });
  process.disconnect();
}

/** The leaky application heap: users with sessions, maps, closures, typed arrays and unique strings. */
export function buildWorld() {
  const TAGS = ['admin', 'beta', 'eu', 'us', 'apac', 'trial', 'pro', 'free', 'staff', 'bot'];
  const THEMES = ['dark', 'light', 'solarized', 'contrast'];
  const PATHS = ['/', '/home', '/cart', '/checkout', '/search', '/profile', '/settings', '/help'];

  class EventBus {
    constructor() {
      this.listeners = new Map();
    }
    on(topic, fn) {
      let list = this.listeners.get(topic);
      if (!list) this.listeners.set(topic, (list = []));
      list.push(fn);
    }
  }

  class Address {
    constructor(i) {
      this.street = `${(i % 9000) + 1} Main Street, apt ${i}`; // unique string
      this.city = TAGS[i % TAGS.length];
      this.zip = 10000 + (i % 89999);
    }
  }

  class User {
    constructor(i, bus) {
      this.id = i;
      this.name = `user_${i}_${((i * 2654435761) >>> 0).toString(36)}`; // unique string
      this.email = `${this.name}@example.com`; // unique (cons string flattened by the snapshot)
      this.tags = [TAGS[i % 10], TAGS[(i >> 3) % 10]];
      this.address = new Address(i);
      this.prefs = new Map([
        ['theme', THEMES[i % 4]],
        ['lang', i % 2 ? 'en' : 'de'],
        ['tz', i % 24],
      ]);
      this.scores = new Float64Array(4);
      this.sessions = [];
      const self = this;
      this.onUpdate = function onUserUpdate(field) {
        return self.id + field.length;
      };
      bus.on('user:update', this.onUpdate);
    }
  }

  class Session {
    constructor(user, j, bus) {
      this.user = user;
      this.token = `tok_${user.id}_${j}_${(((user.id * 31 + j) * 2246822519) >>> 0).toString(16)}`; // unique
      this.startedAt = 1_700_000_000_000 + user.id * 1000 + j;
      this.buffer = new Uint8Array(32);
      this.history = [
        { path: PATHS[(user.id + j) % 8], at: this.startedAt },
        { path: PATHS[(user.id + j + 3) % 8], at: this.startedAt + 1 },
      ];
      this.onTick = (now) => now - this.startedAt; // closure over the session
      bus.on('tick', this.onTick);
    }
  }

  const bus = new EventBus();
  const users = [];
  const sessionsByToken = new Map(); // the leak: never evicted
  const usersByEmail = new Map();
  let n = 0;
  globalThis.benchWorld = { bus, users, sessionsByToken, usersByEmail };
  return {
    grow(target) {
      for (; n < target; n++) {
        const u = new User(n, bus);
        users.push(u);
        usersByEmail.set(u.email, u);
        for (let j = 0; j < 3; j++) {
          const s = new Session(u, j, bus);
          u.sessions.push(s);
          sessionsByToken.set(s.token, s);
        }
      }
    },
    probes() {
      return { user: users[0], session: users[0].sessions[0], sessionsByToken, lastUser: users[users.length - 1] };
    },
  };
}
