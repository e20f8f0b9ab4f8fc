#!/usr/bin/env node
// Generates Node.js heap snapshots of shapes other than the leaky application heap of make-big-snapshot.mjs,
// for `npm run bench -- --shape NAME` (plain JS, no build step).
//
//   node bench/make-shape-snapshot.mjs --shape strings-closures|linked-list [--size MB] [--units N] [--out PATH] [--force]
//
//   strings-closures  many small things: per unit eight short unique strings (flat, under 13 chars) and one closure,
//                     alternately a named function over a fresh context object and an arrow over one of the
//                     strings, held in arrays of 8,000 strings and 1,000 closures (≈ 10.7 nodes, ~38.5 edges,
//                     ~1,015 bytes of snapshot per unit: ~1.1 M strings and 140 k closures at 150 MB)
//   linked-list       one deep chain: a singly linked list of `ListNode {next, value}` (half the units) whose last
//                     node leads into a doubly linked list of `DListNode {prev, next, key}` (a short unique key
//                     string on every 4th), reachable only through its head, so distances and the dominator tree
//                     are `units` deep (≈ 1.1 nodes, ~4 edges, ~108 bytes of snapshot per unit: 1.3 M deep at 150 MB)
//
//   --size MB   target file size (10^6 bytes, ±5 %; default 150); --units N overrides the calibration
//   --out PATH  default bench/out/<shape>-<size>.heapsnapshot
//   --force     regenerate even if the output and its .meta.json exist
//
// Like make-big-snapshot.mjs: the heap is built in a child process (`--max-old-space-size=8000 --expose-gc`),
// written to <file>.tmp with v8.writeHeapSnapshot and renamed when complete; <file>.meta.json records bytes,
// node/edge counts, generation time and the producer's peak RSS.

import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const HERE = dirname(SELF);

/**
 * Snapshot bytes per unit and for a bare process, measured on Node 20.20 (see bench/README.md); the unit
 * counts below follow from them. Off by a few % as ids and strings get longer with the count.
 */
export const SHAPES = {
  'strings-closures': { bytesPerUnit: 1_015, baseBytes: 5_500_000 },
  'linked-list': { bytesPerUnit: 108, baseBytes: 5_500_000 },
};

function parseArgs(argv) {
  const o = { shape: null, size: 150, units: null, out: null, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--shape') o.shape = argv[++i];
    else if (a === '--size') o.size = Number(argv[++i]);
    else if (a === '--units') o.units = Number(argv[++i]);
    else if (a === '--out') o.out = resolve(argv[++i]);
    else if (a === '--force') o.force = true;
    else if (a === '-h' || a === '--help') {
      console.log(`usage: node bench/make-shape-snapshot.mjs --shape ${Object.keys(SHAPES).join('|')} [--size MB] [--units N] [--out PATH] [--force]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.shape in SHAPES)) throw new Error(`--shape must be one of ${Object.keys(SHAPES).join(', ')}`);
  if (!Number.isFinite(o.size) || o.size < 10 || o.size > 4000) throw new Error('--size must be a number of MB in 10..4000');
  return o;
}

export function shapeOut(shape, size) {
  return join(HERE, 'out', `${shape}-${size}.heapsnapshot`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = opts.out ?? shapeOut(opts.shape, opts.size);
  if (!opts.force && existsSync(out) && existsSync(`${out}.meta.json`)) {
    console.log(`reusing ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB; --force to regenerate)`);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  const cal = SHAPES[opts.shape];
  const units = opts.units ?? Math.max(1000, Math.round((opts.size * 1e6 - cal.baseBytes) / cal.bytesPerUnit));
  const t0 = Date.now();
  console.log(`generating ${opts.shape} ~${opts.size} MB (${units.toLocaleString('en')} units) → ${out}`);
  // Imported here, not at the top: make-big-snapshot.mjs runs its own child code when loaded with `--child`.
  const { readHeader, runChild } = await import('./make-big-snapshot.mjs');
  const res = await runChild({ shape: opts.shape, units, out }, SELF);
  const header = readHeader(out);
  const meta = {
    file: out,
    kind: opts.shape,
    targetMB: opts.size,
    units,
    bytes: statSync(out).size,
    nodeCount: header.node_count,
    edgeCount: header.edge_count,
    sampleIds: {},
    writeSeconds: res.writeSeconds,
    buildSeconds: res.buildSeconds,
    producerMaxRssMB: res.maxRssMB,
    node: process.version,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(`${out}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  console.log(
    `  ${out}: ${(meta.bytes / 1e6).toFixed(1)} MB, ${meta.nodeCount.toLocaleString('en')} nodes, ` +
      `${meta.edgeCount.toLocaleString('en')} edges, ${(meta.bytes / units).toFixed(0)} bytes/unit (written in ${res.writeSeconds.toFixed(1)} s)`,
  );
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; producer peak RSS ${res.maxRssMB.toFixed(0)} MB`);
}

async function child(opts) {
  const v8 = await import('node:v8');
  const t0 = process.hrtime.bigint();
  if (opts.shape === 'strings-closures') buildStringsClosures(opts.units);
  else buildLinkedLists(opts.units);
  const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  global.gc();
  global.gc();
  const t1 = process.hrtime.bigint();
  rmSync(`${opts.out}.tmp`, { force: true });
  v8.writeHeapSnapshot(`${opts.out}.tmp`);
  const writeSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  renameSync(`${opts.out}.tmp`, opts.out);
  process.send({ buildSeconds, writeSeconds, maxRssMB: process.resourceUsage().maxRSS / 1024 });
  process.disconnect();
}

/** Many small strings and closures, in arrays of 1,000 units: `globalThis.benchShapes`. */
export function buildStringsClosures(units) {
  // A fresh context per call: `ctx` and `n` live in it; the closure keeps it alive.
  function makeHandler(label, n) {
    const ctx = { label, n };
    return function onEvent(x) {
      return ctx.label.length + n + x;
    };
  }
  // An arrow over a single string (its own context with one slot).
  function makeGetter(value) {
    return () => value;
  }
  const chunks = [];
  let strs;
  let fns;
  for (let i = 0; i < units; i++) {
    if (i % 1000 === 0) {
      strs = [];
      fns = [];
      chunks.push({ strs, fns });
    }
    const h = ((i * 2654435761) >>> 0).toString(36);
    const k = i.toString(36);
    // Eight unique short strings (under 13 chars: flat sequential strings, never cons strings).
    for (let j = 0; j < 8; j++) strs.push(`${j}${k}_${h}`.slice(0, 12));
    fns.push(i % 2 ? makeHandler(strs[strs.length - 1], i) : makeGetter(strs[strs.length - 2]));
  }
  globalThis.benchShapes = { chunks };
}

class ListNode {
  constructor(next, value) {
    this.next = next;
    this.value = value;
  }
}

class DListNode {
  constructor(key) {
    this.prev = null;
    this.next = null;
    this.key = key;
  }
}

/** Two chains of units/2 each, built iteratively (no recursion anywhere): `globalThis.benchLists`. */
export function buildLinkedLists(units) {
  const half = Math.floor(units / 2);
  // Singly linked, built tail first so the head is the only way in: depth = half.
  let head = null;
  for (let i = half - 1; i >= 0; i--) head = new ListNode(head, i);
  // Doubly linked, head to tail.
  const dhead = new DListNode('d0');
  let tail = dhead;
  for (let i = 1; i < units - half; i++) {
    const n = new DListNode(i % 4 === 0 ? `d${i.toString(36)}` : null);
    n.prev = tail;
    tail.next = n;
    tail = n;
  }
  // One chain: the singly linked list's last node leads into the doubly linked one, whose head is held by
  // nothing else, so the whole heap of list nodes is one path `units` deep from the root.
  let last = head;
  while (last?.next) last = last.next;
  if (last) last.next = dhead;
  globalThis.benchLists = { head: head ?? dhead, length: units };
}

// Last, so the classes above are initialised before a child uses them.
if (process.argv[2] === '--child') {
  await child(JSON.parse(process.argv[3]));
} else if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  await main();
}
