// Reads a .heapsnapshot / .heaptimeline file (plain or gzip, detected by magic bytes) into a HeapGraph,
// streaming in 1 MiB chunks, then validates everything later stages rely on.

import { closeSync, createReadStream, openSync, readSync, statSync, type Stats } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { sharedUint32 } from '../util/typed-arrays.js';
import type { CompactNodes } from './compact-nodes.js';
import { graphLayoutOf } from './layout.js';
import type { HeapGraph, NodesPart, TraceData } from './heap-graph.js';
import { SnapshotScanner, type ScanResult } from './scanner.js';

export const CHUNK_BYTES = 1 << 20;

export interface ReadProgress {
  /** Bytes of the file read so far (compressed bytes for gzip input). */
  bytesRead: number;
  totalBytes: number;
}

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
  chunkBytes?: number;
  /** Filled in by readSnapshot: bytes of snapshot text scanned (after gunzip); whether a worker scanned the edges. */
  stats?: { textBytes: number; edgesInParallel?: boolean };
  /**
   * Called by a parallel parse when everything but the edges is scanned and this thread would otherwise
   * wait for the edge worker: the ingest starts its page writer on the nodes and strings there. The part
   * is the returned graph's own arrays, unless the parallel parse falls back to one thread: then that parse
   * either reports the file's problem or (after a worker failure) reads the same contents again.
   */
  onBeforeEdges?: (part: NodesPart) => void;
}

/** Stats the path and turns the usual mistakes into one-line input errors. */
export function statSnapshotFile(path: string): Stats {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file`);
    if (code === 'EACCES') throw new InputError(`${path}: permission denied`);
    throw new InputError(`${path}: cannot read (${code ?? (e as Error).message})`);
  }
  if (st.isDirectory()) throw new InputError(`${path}: is a directory, not a snapshot file`);
  if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
  return st;
}

/** True when the file starts with the gzip magic bytes 1f 8b. */
export function isGzipFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot open (${code === 'EACCES' ? 'permission denied' : (code ?? (e as Error).message)})`);
  }
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Feeds the file's (decompressed) bytes to `sink` chunk by chunk. `sink` must not keep the chunk. */
export async function streamFileBytes(path: string, sink: (chunk: Buffer) => void, options: ReadOptions = {}): Promise<void> {
  const st = statSnapshotFile(path);
  const total = st.size;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const report = throttledProgress(options.onProgress, total);
  if (!isGzipFile(path)) {
    // Plain files: synchronous reads into one reused buffer (several GB/s; a stream costs ~30 % of parse time).
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new InputError(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      plainFileFeeder(path, fd, chunkBytes, sink, report)(0, total);
    } finally {
      closeSync(fd);
    }
    options.onProgress?.({ bytesRead: total, totalBytes: total });
    return;
  }
  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  const gunzip = createGunzip({ chunkSize: chunkBytes });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      sink(chunk as Buffer);
      report(raw.bytesRead);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code?.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(err.message)) {
      throw new InputError(`${path}: corrupt or truncated gzip data (${err.message})`);
    }
    throw new InputError(`${path}: read error (${err.code ?? err.message})`);
  } finally {
    raw.destroy();
  }
  options.onProgress?.({ bytesRead: total, totalBytes: total });
}

/** Plain files at least this big scan their `edges` array in a second thread. */
export const PARALLEL_MIN_BYTES = 16 << 20;

/** Progress reports of bytes read, at most every 100 ms. */
function throttledProgress(onProgress: ReadOptions['onProgress'], totalBytes: number): (bytesRead: number) => void {
  let last = 0;
  return (bytesRead) => {
    if (!onProgress || Date.now() - last < 100) return;
    last = Date.now();
    onProgress({ bytesRead, totalBytes });
  };
}

/**
 * Reads bytes [from, to) of an open plain file into `sink`, `chunkBytes` at a time through one reused
 * buffer (`sink` must not keep it), reporting each chunk to `report`.
 */
function plainFileFeeder(
  path: string,
  fd: number,
  chunkBytes: number,
  sink: (chunk: Buffer) => void,
  report: (bytesRead: number) => void,
): (from: number, to: number) => void {
  const buf = Buffer.allocUnsafe(chunkBytes);
  return (from, to) => {
    for (let at = from; at < to; ) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(chunkBytes, to - at), at);
      } catch (e) {
        throw new InputError(`${path}: read error (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (n === 0) throw new InputError(`${path}: the file shrank while being read`);
      sink(n === chunkBytes ? buf : buf.subarray(0, n));
      at += n;
      report(at);
    }
  };
}

/** Parses a snapshot file into a validated HeapGraph. */
export async function readSnapshot(path: string, options: ReadOptions & { parallelMinBytes?: number } = {}): Promise<HeapGraph> {
  const st = statSnapshotFile(path);
  const parallel = st.size >= (options.parallelMinBytes ?? PARALLEL_MIN_BYTES) && !isGzipFile(path);
  let scanner = parallel ? await scanInParallel(path, st.size, options) : null;
  if (scanner === null) {
    const one = new SnapshotScanner(path);
    await streamFileBytes(path, (chunk) => one.feed(chunk), options);
    scanner = one;
  }
  const graph = buildGraph(scanner.finish(), path);
  if (options.stats) options.stats.textBytes = scanner.offset;
  return graph;
}

/**
 * The `edges` array is ~60 % of a snapshot's bytes and the second core idles while one thread parses:
 * so a worker thread scans the array's bytes into the shared edge arrays while this thread scans the
 * header, nodes, strings and the rest, skipping over it. Returns null when the file is not laid out as
 * expected or the edges are not clean: the caller then parses it again in one thread, which reports any
 * problem exactly as it always does (with byte offsets, in file order).
 */
async function scanInParallel(path: string, size: number, options: ReadOptions): Promise<SnapshotScanner | null> {
  const scanner = new SnapshotScanner(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null; // the sequential path reports it
  }
  const feed = plainFileFeeder(path, fd, CHUNK_BYTES, (chunk) => scanner.feed(chunk), throttledProgress(options.onProgress, size));
  let worker: Worker | null = null;
  try {
    // 1. the header, up to the inside of `nodes`
    let fed = 0;
    while (fed < size && !scanner.inNodesArray) {
      const to = Math.min(size, fed + CHUNK_BYTES);
      feed(fed, to);
      fed = to;
    }
    const start = scanner.inNodesArray ? locateEdgesArray(fd, fed, size) : -1;
    if (start < 0) {
      feed(fed, size);
    } else {
      // 2. edges in the worker, the rest here
      const { shape, arrays } = scanner.edgeTarget();
      const w = new Worker(new URL('./edge-scan-worker.js', import.meta.url), { workerData: { path, start, shape, arrays } });
      worker = w;
      const scanned = new Promise<{ values: number; end: number; maxStringName: number } | null>((resolve) => {
        w.once('message', (r: { values: number; end: number; maxStringName: number } | null) => resolve(r));
        w.once('error', () => resolve(null));
        w.once('exit', () => resolve(null));
      });
      feed(fed, start);
      const end = scanner.atEdgesArrayStart ? findByte(fd, start, size, 0x5d) : -1;
      if (end < 0) {
        await w.terminate();
        worker = null;
        feed(start, size); // not where it was expected: scan the edges here after all
      } else {
        scanner.skip(end - start);
        let rest: unknown = null;
        try {
          feed(end, size);
        } catch (e) {
          rest = e;
        }
        const part = rest === null ? scanner.partBesideEdges() : null;
        if (part !== null) options.onBeforeEdges?.(part);
        const r = await scanned;
        worker = null;
        // an earlier problem, in the edges: the one-thread parse reports it
        if (r === null || r.end !== end || r.values !== shape.edgeCount * shape.edgeFieldCount) return null;
        if (rest !== null) throw rest;
        scanner.edgesScannedElsewhere(r.values, r.maxStringName);
        if (options.stats) options.stats.edgesInParallel = true;
      }
    }
    options.onProgress?.({ bytesRead: size, totalBytes: size });
    return scanner;
  } finally {
    if (worker !== null) await (worker as Worker).terminate();
    closeSync(fd);
  }
}

/**
 * From a position inside the `nodes` array (digits, commas and whitespace only, up to its ']'), finds
 * the first byte inside the `edges` array that follows, or -1 when what follows `nodes` is not
 * `, "edges": [`.
 */
function locateEdgesArray(fd: number, from: number, size: number): number {
  const nodesEnd = findByte(fd, from, size, 0x5d);
  if (nodesEnd < 0) return -1;
  const head = Buffer.alloc(Math.min(256, size - nodesEnd));
  readSync(fd, head, 0, head.length, nodesEnd);
  const m = /^\][ \t\r\n]*,[ \t\r\n]*"edges"[ \t\r\n]*:[ \t\r\n]*\[/.exec(head.toString('latin1'));
  return m === null ? -1 : nodesEnd + m[0].length;
}

/** Offset of the first `byte` at or after `from`, or -1. */
function findByte(fd: number, from: number, size: number, byte: number): number {
  const buf = Buffer.allocUnsafe(4 << 20);
  for (let at = from; at < size; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
    if (n === 0) return -1;
    const i = buf.subarray(0, n).indexOf(byte);
    if (i >= 0) return at + i;
    at += n;
  }
  return -1;
}

/** Parses a snapshot held in memory (tests, small inputs). */
export function parseSnapshotBytes(bytes: Uint8Array, source = '<memory>', chunkBytes = CHUNK_BYTES): HeapGraph {
  const scanner = new SnapshotScanner(source);
  for (let p = 0; p < bytes.length; p += chunkBytes) scanner.feed(bytes.subarray(p, Math.min(bytes.length, p + chunkBytes)));
  return buildGraph(scanner.finish(), source);
}

/** Checks counts and references (firstEdge and the compact nodes come from the scan, compact-nodes.ts). */
export function buildGraph(r: ScanResult, source: string): HeapGraph {
  const fail = (what: string): never => {
    throw new InputError(`${source}: ${what}`);
  };
  const { header, layout: fileLayout, edgeTypes, edgeNames, edgeTo, strings } = r;
  const F = fileLayout.nodeFieldCount;
  const E = fileLayout.edgeFieldCount;
  const nodeCount = header.node_count;
  const edgeCount = header.edge_count;
  if (r.nodes === null) fail(`"nodes" holds ${r.nodesFilled} values but node_count ${nodeCount} × ${F} fields = ${nodeCount * F}`);
  const { nodes, firstEdge, detachedness, traceNodeIds, maxType, maxName, edgeTotal } = r.nodes as CompactNodes;
  const layout = graphLayoutOf(fileLayout);
  if (r.edgesFilled !== edgeCount * E) fail(`"edges" holds ${r.edgesFilled} values but edge_count ${edgeCount} × ${E} fields = ${edgeCount * E}`);
  if (strings.length === 0) fail('"strings" is empty');
  const stringCount = strings.length;
  const nodeTypeCount = layout.nodeTypes.length;

  // The scan noted the largest type and name; only when one is out of range are the nodes walked, for the first bad one.
  if (maxType >= nodeTypeCount || maxName >= stringCount) {
    const typeOff = layout.nodeTypeOffset;
    const nameOff = layout.nodeNameOffset;
    const W = layout.nodeFieldCount;
    for (let k = 0, i = 0; k < nodeCount; k++, i += W) {
      if (nodes[i + typeOff] >= nodeTypeCount) fail(`node #${k} has type ${nodes[i + typeOff]}, but meta lists ${nodeTypeCount} node types`);
      if (nodes[i + nameOff] >= stringCount) fail(`node #${k} has name string index ${nodes[i + nameOff]}, but there are ${stringCount} strings`);
    }
  }
  if (edgeTotal !== edgeCount) fail(`the nodes' edge_count fields add up to ${edgeTotal} but the header says edge_count ${edgeCount}`);

  // Types and targets were checked as the edges were scanned, and the largest string name noted;
  // only when it is out of range are the edges walked, for the first bad one.
  const elem = layout.edgeTypeElement;
  const hidden = layout.edgeTypeHidden;
  if (r.edgeMaxStringName >= stringCount) {
    for (let j = 0; j < edgeCount; j++) {
      const t = edgeTypes[j];
      if (t !== elem && t !== hidden && edgeNames[j] >= stringCount) {
        fail(`edge #${j} has name string index ${edgeNames[j]}, but there are ${stringCount} strings`);
      }
    }
  }

  // The file's node indexes become ordinals here: nothing after the parser needs the file's F for them.
  const rawLocations = r.locations;
  const lf = layout.locationFields.length > 0 ? layout.locationFields : ['object_index', 'script_id', 'line', 'column'];
  const LF = lf.length;
  if (rawLocations.length % LF !== 0) fail(`"locations" holds ${rawLocations.length} values, not a multiple of its ${LF} fields`);
  const lo = ['object_index', 'script_id', 'line', 'column'].map((name) => lf.indexOf(name));
  if (lo.some((o) => o < 0)) fail(`unsupported location_fields ${JSON.stringify(lf)}`);
  const locationCount = rawLocations.length / LF;
  // Shared memory: the summary thread reads it without a copy.
  const locations = sharedUint32(locationCount * 4);
  for (let i = 0; i < locationCount; i++) {
    const objectIndex = rawLocations[i * LF + lo[0]];
    if (objectIndex % F !== 0 || objectIndex >= nodeCount * F) fail(`location #${i} points at node index ${objectIndex}, which is not a node`);
    locations[i * 4] = objectIndex / F;
    locations[i * 4 + 1] = rawLocations[i * LF + lo[1]];
    locations[i * 4 + 2] = rawLocations[i * LF + lo[2]];
    locations[i * 4 + 3] = rawLocations[i * LF + lo[3]];
  }

  return {
    header,
    layout,
    fileLayout,
    nodeCount,
    edgeCount,
    nodes,
    detachedness,
    traceNodeIds,
    edgeTypes,
    edgeNames,
    firstEdge,
    edgeTo,
    strings,
    locations,
    rawLocations,
    extraSections: r.extraSections,
    trace: buildTrace(r, fail),
    extraNativeBytes: typeof header.extra_native_bytes === 'number' ? header.extra_native_bytes : 0,
    sections: r.sections,
  };
}

function buildTrace(r: ScanResult, fail: (w: string) => never): TraceData | null {
  if (r.traceTree.length === 0 && r.traceFunctionInfos.length === 0 && r.samples.length === 0) return null;
  const fiFields = r.layout.traceFunctionInfoFields.length || 6;
  if (r.traceFunctionInfos.length % fiFields !== 0) fail(`"trace_function_infos" holds ${r.traceFunctionInfos.length} values, not a multiple of ${fiFields}`);
  const sampleFields = r.layout.sampleFields.length || 2; // the store's default columns when meta lists none
  if (r.samples.length % sampleFields !== 0) fail(`"samples" holds ${r.samples.length} values, not a multiple of its ${sampleFields} fields`);
  const nodeFields = r.layout.traceNodeFields;
  if (nodeFields.length > 0 && nodeFields.join(',') !== 'id,function_info_index,count,size,children') {
    fail(`unsupported trace_node_fields ${JSON.stringify(nodeFields)}`);
  }
  const t = r.traceTree;
  const n = t.length / 5;
  const treeIds = new Uint32Array(n);
  const treeFunctionInfoIndex = new Uint32Array(n);
  const treeCount = new Uint32Array(n);
  const treeSize = new Float64Array(n);
  const treeParentId = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    treeIds[i] = t[i * 5];
    treeFunctionInfoIndex[i] = t[i * 5 + 1];
    treeCount[i] = t[i * 5 + 2];
    treeSize[i] = t[i * 5 + 3];
    treeParentId[i] = t[i * 5 + 4];
  }
  return {
    functionInfos: r.traceFunctionInfos,
    treeIds,
    treeFunctionInfoIndex,
    treeCount,
    treeSize,
    treeParentId,
    samples: Float64Array.from(r.samples),
  };
}
