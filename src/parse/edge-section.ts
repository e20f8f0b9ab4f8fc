// The `edges` array (~60 % of a snapshot's bytes). Two jobs live here:
// - EdgeSplitter: the file's interleaved records (type, name_or_index, to_node) are scanned into a small
//   chunk and split into one array per field, checking each edge's type and target on the way;
// - scanEdgeRange: the scan of the array's bytes on their own, which read-snapshot.ts runs in a worker
//   thread while the main thread scans the rest of the file.

import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { newIntScanState, scanIntegers, ScanStatus, type IntScanState } from './scanner-core.js';

/** Edges scanned per chunk before they are split into the per-field arrays. */
const EDGE_CHUNK = 65536;

export interface EdgeArrays {
  edgeTypes: Uint8Array;
  edgeNames: Uint32Array;
  edgeTo: Uint32Array;
}

/** What splitting needs to know of the header (plain numbers: it crosses to a worker thread). */
export interface EdgeShape {
  edgeFieldCount: number;
  edgeTypeOffset: number;
  edgeNameOffset: number;
  edgeToNodeOffset: number;
  edgeTypeCount: number;
  nodeFieldCount: number;
  nodeCount: number;
  edgeCount: number;
  /** Edge type codes whose name_or_index is an index, not a string (-1 when absent). */
  edgeTypeElement: number;
  edgeTypeHidden: number;
}

export class EdgeSplitter {
  private readonly chunk: Uint32Array;
  /** The part of the chunk the next values go into. */
  private dest: Uint32Array;
  /** Values already split out of the chunk. */
  valuesDone = 0;
  /**
   * The largest name string index of an edge named by a string (-1: none yet). Names can only be
   * checked against the string count once the strings (after the edges) are read: this maximum makes
   * that check one comparison instead of a second pass over every edge.
   */
  maxStringName = -1;
  constructor(
    readonly shape: EdgeShape,
    readonly arrays: EdgeArrays,
    private readonly source: string,
  ) {
    this.chunk = new Uint32Array(EDGE_CHUNK * shape.edgeFieldCount);
    this.dest = this.next();
  }

  /**
   * Scans integers into the chunk, splitting each full chunk out while more edges are announced. On
   * return `st.status` is NeedMore, Closed (']': the values in the chunk are not split yet), BadByte, or
   * TooMany (more values than the header announced).
   */
  scan(buf: Uint8Array, p: number, end: number, st: IntScanState): number {
    let q = scanIntegers(buf, p, end, this.dest, st);
    while (st.status === ScanStatus.TooMany && this.valuesDone + st.pos < this.valuesTotal) {
      this.split(st.pos);
      this.dest = this.next();
      st.pos = 0;
      q = scanIntegers(buf, q, end, this.dest, st);
    }
    return q;
  }

  get valuesTotal(): number {
    return this.shape.edgeCount * this.shape.edgeFieldCount;
  }

  /** The chunk for the next values, never longer than what the header announced. */
  private next(): Uint32Array {
    return this.chunk.subarray(0, Math.min(this.chunk.length, this.valuesTotal - this.valuesDone));
  }

  /**
   * Splits the first `n` values of the chunk into the per-field arrays, checking each edge's type and
   * target (its name is checked once the strings are known, in buildGraph).
   */
  split(n: number): void {
    const {
      edgeFieldCount: E,
      nodeFieldCount: F,
      edgeTypeCount,
      edgeTypeOffset,
      edgeNameOffset,
      edgeToNodeOffset,
      edgeTypeElement,
      edgeTypeHidden,
    } = this.shape;
    const nodeValues = this.shape.nodeCount * F;
    const { edgeTypes, edgeNames, edgeTo } = this.arrays;
    const chunk = this.chunk;
    let j = this.valuesDone / E;
    let maxName = this.maxStringName;
    for (let i = 0; i + E <= n; i += E, j++) {
      const t = chunk[i + edgeTypeOffset];
      const to = chunk[i + edgeToNodeOffset];
      if (t >= edgeTypeCount) throw new InputError(`${this.source}: edge #${j} has type ${t}, but meta lists ${edgeTypeCount} edge types`);
      if (to % F !== 0 || to >= nodeValues) {
        throw new InputError(
          `${this.source}: edge #${j} has to_node ${to}, which is ${to % F !== 0 ? `not a multiple of the ${F} node fields` : `past the last node (${nodeValues - F})`}`,
        );
      }
      const name = chunk[i + edgeNameOffset];
      if (name > maxName && t !== edgeTypeElement && t !== edgeTypeHidden) maxName = name;
      edgeTypes[j] = t;
      edgeNames[j] = name;
      edgeTo[j] = to / F;
    }
    this.maxStringName = maxName;
    this.valuesDone += n;
  }
}

const READ_BYTES = 1 << 20;

/**
 * Scans `path` from `start`, the first byte inside the `edges` array, up to its closing ']', into the
 * splitter, with the very grammar and limits of the one-thread scan (scanIntegers). Returns the number of
 * values and the offset of the ']', or null when what follows is not a clean JSON list of at most the
 * announced number of unsigned 32-bit integers closed by ']': the caller then parses the whole file
 * again in one thread, which reports the problem with its byte offset.
 */
export function scanEdgeRange(path: string, start: number, splitter: EdgeSplitter): { values: number; end: number; maxStringName: number } | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    const st = newIntScanState();
    for (let at = start; ; ) {
      const n = readSync(fd, buf, 0, READ_BYTES, at);
      if (n === 0) return null; // no ']'
      const p = splitter.scan(buf, 0, n, st);
      if (st.status === ScanStatus.NeedMore) {
        at += n;
        continue;
      }
      if (st.status !== ScanStatus.Closed) return null;
      splitter.split(st.pos);
      return { values: splitter.valuesDone, end: at + p, maxStringName: splitter.maxStringName };
    }
  } finally {
    closeSync(fd);
  }
}
