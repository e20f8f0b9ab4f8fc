// Makes a big heap snapshot from a real one by tiling: K copies of everything but the synthetic root,
// each with fresh node ids and its own node indices, all hanging off the one root (the root gets every
// copy's root edges). Strings are shared (one `strings` section). Streaming and nearly memoryless
// (a few MB whatever the size), ~100–200 MB/s of output: the way to get 2.6–4 GB snapshots on a machine
// where V8 itself would need ~6× the file size in RAM to write them (bench/make-big-snapshot.mjs).
//
//   node dist/bench/tile-snapshot.js --from SRC --out DST (--copies K | --size MB) [--chunk NODES] [--force]
//
// Every copy is the source heap's exact structure (node and edge types, names, sizes, edge order,
// `locations`), so the result is a real V8 heap's shape at K times the size: DevTools and heapdiff
// analyse it as K independent heaps under one root (every per-class count and size is K times the
// source's, plus the root). The copies' nodes are interleaved in runs of --chunk source nodes (default
// 4,096, about a V8 heap page: see tileSnapshot). Node ids are unique and keep their parity (IdShifter);
// copy 0 keeps the source's ids, so ids noted for the source (its .meta.json `sampleIds`) name the same
// objects in the tiled file. Element/hidden root edges get their index shifted by c·E0 (E0 =
// the source root's edge count) so the root's element indices stay distinct.
//
// Writes DST.tmp and renames it when complete; DST.meta.json records counts, copies, source, timing.

import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const READ_BYTES = 4 << 20;
const WRITE_BYTES = 8 << 20;

interface Header {
  meta: { node_fields: string[]; edge_fields: string[]; edge_types: unknown[]; location_fields?: string[] };
  node_count: number;
  edge_count: number;
  [k: string]: unknown;
}

export interface TileResult {
  out: string;
  bytes: number;
  copies: number;
  nodeCount: number;
  edgeCount: number;
  seconds: number;
}

/** Buffered output of decimal integers and ASCII text to a file descriptor. */
class Out {
  private readonly buf = Buffer.allocUnsafe(WRITE_BYTES + 64);
  private pos = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  int(v: number): void {
    if (this.pos > WRITE_BYTES) this.flush();
    const b = this.buf;
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return;
    }
    let n = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
    let p = this.pos + n;
    this.pos = p;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      b[--p] = 48 + (v - q * 10);
      v = q;
    }
    b[--p] = 48 + v;
  }
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }
  text(s: string): void {
    if (this.pos + s.length > WRITE_BYTES) this.flush();
    if (s.length > WRITE_BYTES) {
      this.raw(Buffer.from(s, 'latin1'));
      return;
    }
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }
  raw(chunk: Uint8Array): void {
    this.flush();
    writeSync(this.fd, chunk);
    this.bytes += chunk.length;
  }
  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.bytes += this.pos;
    this.pos = 0;
  }
}

/** The source file, read in big sequential chunks. */
class Source {
  readonly fd: number;
  readonly size: number;
  private readonly buf = Buffer.allocUnsafe(READ_BYTES);
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = statSync(path).size;
  }
  close(): void {
    closeSync(this.fd);
  }
  /** Calls `visit(buf, n)` with consecutive chunks of [from, to). */
  each(from: number, to: number, visit: (buf: Buffer, n: number) => void): void {
    for (let at = from; at < to; ) {
      const n = readSync(this.fd, this.buf, 0, Math.min(READ_BYTES, to - at), at);
      if (n <= 0) throw new Error(`${this.path}: short read at ${at}`);
      visit(this.buf, n);
      at += n;
    }
  }
  /** Offset of the first occurrence of `needle` at or after `from`, or -1. */
  find(from: number, needle: string): number {
    const pat = Buffer.from(needle, 'latin1');
    const overlap = pat.length - 1;
    for (let at = from; at < this.size; ) {
      const n = readSync(this.fd, this.buf, 0, Math.min(READ_BYTES, this.size - at), at);
      if (n <= 0) return -1;
      const i = this.buf.subarray(0, n).indexOf(pat);
      if (i >= 0) return at + i;
      if (at + n >= this.size) return -1;
      at += n - overlap;
    }
    return -1;
  }
  text(from: number, length: number): string {
    const b = Buffer.alloc(Math.min(length, this.size - from));
    readSync(this.fd, b, 0, b.length, from);
    return b.toString('latin1');
  }
}

/**
 * New node ids for copy c. V8's heap objects have odd ids counted up in steps of 2: copy c adds c ×
 * an even step above every odd source id (parity kept, no overlap). Even ids are V8's embedder
 * (native) objects, hashes spread over the whole 32-bit range: copy c XORs them with an even mask of
 * its own (parity kept: never equal to an odd id), and every even id produced is checked unique.
 */
class IdShifter {
  private maxOdd = 0;
  private oddStep = 0;
  /** Even id → the copy that produced it. */
  private readonly evens = new Map<number, number>();
  constructor(private readonly copies: number) {}
  map(v: number, c: number): number {
    if (v % 2 === 1) {
      if (c === 0) {
        if (v > this.maxOdd) this.maxOdd = v;
        return v;
      }
      return v + c * this.oddStep;
    }
    const w = c === 0 ? v : (v ^ (Math.imul(c, 0x9e3779b1) & 0xfffffffe)) >>> 0;
    const owner = this.evens.get(w);
    if (owner !== undefined && owner !== c) throw new Error(`copies ${owner} and ${c} both get the node id ${w} (a rare XOR collision)`);
    this.evens.set(w, c);
    return w;
  }
  /** After copy 0: the odd step. */
  sourceSeen(): void {
    this.oddStep = this.maxOdd + 1;
    if ((this.copies - 1) * this.oddStep + this.maxOdd > 0xffffffff) throw new Error(`${this.copies} copies: node ids would pass 2^32`);
  }
}

/** The unsigned integers of [from, to) one by one (digits separated by anything else: commas, newlines). */
class IntReader {
  private readonly buf = Buffer.allocUnsafe(READ_BYTES);
  private n = 0;
  private i = 0;
  private at: number;
  constructor(
    private readonly src: Source,
    from: number,
    private readonly to: number,
  ) {
    this.at = from;
  }
  /** The next integer, or -1 after the last. */
  next(): number {
    let cur = 0;
    let inNum = false;
    for (;;) {
      if (this.i === this.n) {
        if (this.at >= this.to) return inNum ? cur : -1;
        this.n = readSync(this.src.fd, this.buf, 0, Math.min(READ_BYTES, this.to - this.at), this.at);
        if (this.n <= 0) throw new Error(`${this.src.path}: short read at ${this.at}`);
        this.at += this.n;
        this.i = 0;
      }
      const c = this.buf[this.i++];
      if (c >= 48 && c <= 57) {
        cur = cur * 10 + (c - 48);
        inNum = true;
      } else if (inNum) return cur;
    }
  }
  /** The next `count` integers into `into` (grown as needed, returned). */
  take(into: Uint32Array, count: number): Uint32Array {
    if (into.length < count) into = new Uint32Array(Math.max(count, into.length * 2));
    for (let j = 0; j < count; j++) {
      const v = this.next();
      if (v < 0) throw new Error(`${this.src.path}: an integer array ends early`);
      into[j] = v;
    }
    return into;
  }
}

/** [start, end) of the inside of the integer array that follows `key` (`"key":[` … `]`). */
function arrayRange(src: Source, from: number, key: string): { start: number; end: number } | null {
  const at = src.find(from, `"${key}":[`);
  if (at < 0) return null;
  const start = at + key.length + 4;
  const end = src.find(start, ']');
  if (end < 0) throw new Error(`${src.path}: "${key}" is not closed`);
  return { start, end };
}

/** Source nodes per run in the default layout: about one V8 heap page of objects. */
export const DEFAULT_CHUNK = 4096;

/**
 * Tiles `from` `copies` times into `out`. Node order: the source's non-root nodes are cut into runs of
 * `chunk` consecutive nodes, and run j of every copy follows run j of the copy before:
 * [run 0 of copy 0, run 0 of copy 1, …, run 1 of copy 0, …]. So the neighbourhoods of the source stay
 * together (V8 writes a heap page's objects next to each other: runs of ~4,096 nodes), while a
 * structure that spans the source heap (a big Map's backing store, the global object) spans the whole
 * tiled heap, as in one real heap K times the size. `chunk` 1 interleaves single nodes (every
 * neighbourhood dilated K times: harsher on the CPU cache than a real heap); `chunk` ≥ N puts each
 * copy in one block (K separate small heaps: kinder to the cache than a real heap).
 */
export function tileSnapshot(from: string, out: string, copies: number, chunk = DEFAULT_CHUNK): TileResult {
  const t0 = performance.now();
  if (!Number.isInteger(copies) || copies < 1) throw new Error('copies must be a positive integer');
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error('chunk must be a positive integer');
  const src = new Source(from);
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const head = src.text(0, 1 << 20);
    const nodesKey = head.indexOf('"nodes":[');
    if (nodesKey < 0) throw new Error(`${from}: no "nodes" in the first MB`);
    const header = (JSON.parse(`${head.slice(0, head.lastIndexOf(',', nodesKey))}}`) as { snapshot: Header }).snapshot;
    const F = header.meta.node_fields.length;
    const E = header.meta.edge_fields.length;
    const N = header.node_count;
    const M = header.edge_count;
    const K = copies;
    const B = Math.min(chunk, Math.max(1, N - 1));
    const idOff = header.meta.node_fields.indexOf('id');
    const ecOff = header.meta.node_fields.indexOf('edge_count');
    const etOff = header.meta.edge_fields.indexOf('type');
    const enOff = header.meta.edge_fields.indexOf('name_or_index');
    const toOff = header.meta.edge_fields.indexOf('to_node');
    const edgeTypes = header.meta.edge_types[0] as string[];
    const elementType = edgeTypes.indexOf('element');
    const hiddenType = edgeTypes.indexOf('hidden');
    const lf = header.meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
    const LF = lf.length;
    const objOff = lf.indexOf('object_index');
    if (idOff < 0 || ecOff < 0 || etOff < 0 || enOff < 0 || toOff < 0 || objOff < 0) throw new Error(`${from}: unexpected meta fields`);
    if ((1 + K * (N - 1)) * F > 0xffffffff) throw new Error(`${K} copies: node indices would pass 2^32`);

    const nodes = arrayRange(src, nodesKey, 'nodes')!;
    const edges = arrayRange(src, nodes.end, 'edges');
    if (edges === null) throw new Error(`${from}: no "edges" after "nodes"`);
    const locations = arrayRange(src, edges.end, 'locations');
    /** Copy c's node index for the source's node index t (the root stays the root). */
    const place = (t: number, c: number): number => {
      if (t === 0) return 0;
      const i = t / F - 1;
      const run = Math.floor(i / B);
      const size = Math.min(B, N - 1 - run * B);
      return (1 + run * K * B + c * size + (i - run * B)) * F;
    };

    // A first pass over the nodes: the root's edge count, the largest odd id, the count.
    const ids = new IdShifter(K);
    let rootEdges = -1;
    {
      const r = new IntReader(src, nodes.start, nodes.end);
      let i = 0;
      for (let v = r.next(); v >= 0; v = r.next(), i++) {
        const field = i % F;
        if (i === ecOff) rootEdges = v;
        if (field === idOff && i >= F) ids.map(v, 0);
      }
      if (i !== N * F) throw new Error(`${from}: "nodes" holds ${i} values, the header says ${N * F}`);
      ids.sourceSeen();
    }

    const o = new Out(fd);
    let first = true;
    /** One record of `values[at..at+count)` after V8's "\n," between records. */
    const record = (values: ArrayLike<number>, at: number, count: number): void => {
      if (!first) {
        o.byte(0x0a);
        o.byte(0x2c);
      }
      first = false;
      for (let f = 0; f < count; f++) {
        if (f > 0) o.byte(0x2c);
        o.int(values[at + f]);
      }
    };
    o.text(`{"snapshot":${JSON.stringify({ ...header, node_count: 1 + K * (N - 1), edge_count: K * M })},\n"nodes":[`);

    // Nodes: the root once (its edge count × K), then run by run, copy by copy, with new ids.
    let run: Uint32Array = new Uint32Array(B * F);
    {
      const r = new IntReader(src, nodes.start, nodes.end);
      run = r.take(run, F);
      run[ecOff] *= K;
      record(run, 0, F);
      for (let k = 1; k < N; k += B) {
        const n = Math.min(B, N - k) * F;
        run = r.take(run, n);
        for (let c = 0; c < K; c++) {
          for (let j = 0; j < n; j += F) {
            const id = run[j + idOff];
            run[j + idOff] = ids.map(id, c);
            record(run, j, F);
            run[j + idOff] = id;
          }
        }
      }
    }
    o.text(`],\n"edges":[`);
    first = true;

    // Edges: the root's, once per copy (element/hidden indices shifted by c × its edge count), then
    // run by run, copy by copy, with their targets placed into the copy.
    let group: Uint32Array = new Uint32Array(1024);
    const emitEdges = (values: Uint32Array, count: number, c: number, root: boolean): void => {
      for (let j = 0; j < count; j += E) {
        const to = values[j + toOff];
        const name = values[j + enOff];
        values[j + toOff] = place(to, c);
        if (root && (values[j + etOff] === elementType || values[j + etOff] === hiddenType)) values[j + enOff] = name + c * rootEdges;
        record(values, j, E);
        values[j + toOff] = to;
        values[j + enOff] = name;
      }
    };
    {
      const r = new IntReader(src, edges.start, edges.end);
      const root = r.take(new Uint32Array(rootEdges * E), rootEdges * E);
      for (let c = 0; c < K; c++) emitEdges(root, rootEdges * E, c, true);
      // the edge counts, from the nodes, in step with the edges
      const counts = new IntReader(src, nodes.start, nodes.end);
      let rec: Uint32Array = counts.take(new Uint32Array(F), F);
      for (let k = 1; k < N; k += B) {
        let n = 0;
        for (let j = k; j < Math.min(N, k + B); j++) {
          rec = counts.take(rec, F);
          n += rec[ecOff] * E;
        }
        group = r.take(group, n);
        for (let c = 0; c < K; c++) emitEdges(group, n, c, false);
      }
      if (r.next() >= 0) throw new Error(`${from}: "edges" holds more than the nodes' edge counts`);
    }
    o.flush();

    // The rest verbatim, with `locations` tiled (object_index is a node index): each record K times.
    src.each(edges.end, locations ? locations.start : src.size, (buf, n) => o.raw(buf.subarray(0, n)));
    if (locations) {
      first = true;
      const r = new IntReader(src, locations.start, locations.end);
      const rec = new Uint32Array(LF);
      for (let v = r.next(); v >= 0; v = r.next()) {
        rec[0] = v;
        for (let f = 1; f < LF; f++) {
          rec[f] = r.next();
          if (rec[f] === 0xffffffff) throw new Error(`${from}: "locations" is not a multiple of ${LF} values`);
        }
        const t = rec[objOff];
        for (let c = 0; c < K; c++) {
          rec[objOff] = place(t, c);
          record(rec, 0, LF);
        }
        rec[objOff] = t;
      }
      o.flush();
      src.each(locations.end, src.size, (buf, n) => o.raw(buf.subarray(0, n)));
    }
    o.flush();
    closeSync(fd);
    renameSync(tmp, out);
    return { out, bytes: o.bytes, copies: K, nodeCount: 1 + K * (N - 1), edgeCount: K * M, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    src.close();
  }
}

/** Copies that bring a tiled `from` closest to `mb` × 10^6 bytes (each copy adds about the nodes + edges + locations bytes). */
export function copiesForSize(from: string, mb: number): number {
  const src = new Source(from);
  try {
    const head = src.text(0, 1 << 20);
    const nodes = arrayRange(src, head.indexOf('"nodes":['), 'nodes')!;
    const edges = arrayRange(src, nodes.end, 'edges')!;
    const locations = arrayRange(src, edges.end, 'locations');
    const perCopy = nodes.end - nodes.start + (edges.end - edges.start) + (locations ? locations.end - locations.start : 0);
    const fixed = src.size - perCopy;
    return Math.max(1, Math.round((mb * 1e6 - fixed) / (perCopy * 1.05))); // shifted ids and node indices have more digits
  } finally {
    src.close();
  }
}

function main(argv: string[]): void {
  let from = '';
  let out = '';
  let copies = 0;
  let size = 0;
  let force = false;
  let chunk = DEFAULT_CHUNK;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--from') from = resolve(argv[++i]!);
    else if (a === '--out') out = resolve(argv[++i]!);
    else if (a === '--copies') copies = Number(argv[++i]);
    else if (a === '--size') size = Number(argv[++i]);
    else if (a === '--force') force = true;
    else if (a === '--chunk') chunk = Number(argv[++i]);
    else throw new Error(`unknown argument ${a} (usage: --from SRC --out DST (--copies K | --size MB) [--chunk NODES] [--force])`);
  }
  if (!from || !out || (!copies && !size)) throw new Error('usage: --from SRC --out DST (--copies K | --size MB) [--chunk NODES] [--force]');
  if (!force && existsSync(out) && existsSync(`${out}.meta.json`)) {
    console.log(`  ${out}: exists (reused; --force to regenerate)`);
    return;
  }
  if (!copies) copies = copiesForSize(from, size);
  console.log(`tiling ${from} × ${copies} → ${out}`);
  const r = tileSnapshot(from, out, copies, chunk);
  const srcMeta = existsSync(`${from}.meta.json`) ? (JSON.parse(readFileSync(`${from}.meta.json`, 'utf8')) as Record<string, unknown>) : {};
  const producerMaxRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
  writeFileSync(
    `${out}.meta.json`,
    `${JSON.stringify(
      {
        file: out,
        kind: 'tiled',
        chunk,
        source: from,
        copies: r.copies,
        bytes: r.bytes,
        nodeCount: r.nodeCount,
        edgeCount: r.edgeCount,
        sampleIds: srcMeta.sampleIds ?? {},
        writeSeconds: r.seconds,
        producerMaxRssMB,
        node: process.version,
        createdAt: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `  ${out}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.nodeCount.toLocaleString('en')} nodes, ${r.edgeCount.toLocaleString('en')} edges` +
      ` in ${r.seconds.toFixed(1)} s (${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s), peak RSS ${producerMaxRssMB.toFixed(0)} MB`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`tile-snapshot: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}
