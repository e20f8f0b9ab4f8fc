// A push-mode byte scanner for the V8 heap snapshot JSON.
//
// Why hand-written: stream-json tops out near 50 MB/s on these files and JSON.parse needs the whole text
// as one string (impossible past V8's ~536 M-character limit). This scanner runs at ~300+ MB/s with
// memory bounded by the typed arrays it fills: `feed()` takes chunks of any size (even 1 byte), numbers
// that straddle chunks are carried as numeric state, strings as bytes.
//
// The whole input is held to the JSON grammar (RFC 8259) — the integer and string arrays by the loops
// here and in scanner-core.ts, everything else by json-check.ts — and every integer must fit the typed
// array it goes into exactly: a file JSON.parse would refuse is refused, with the byte offset of the
// first offending byte, never read as something else. A UTF-8 byte-order mark at the start is skipped.
//
// Layout handled: one top-level object whose `snapshot` header comes first (V8 always writes it first);
// `nodes`/`edges` are unsigned-integer arrays sized by the header's counts; `locations`,
// `trace_function_infos`, `samples` are integer arrays of unknown length; `trace_tree` is the nested
// allocation tree (flattened here with a parent column); `strings` is streamed one string at a time.
// Unknown keys are skipped whole, so new V8 sections do not break ingest.

import { isAscii, isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';
import { EdgeSplitter, type EdgeArrays, type EdgeShape } from './edge-section.js';
import { CheckStatus, JsonValueCheck } from './json-check.js';
import { describeJson, graphLayoutOf, layoutFromMeta, type SnapshotHeader, type SnapshotLayout } from './layout.js';
import {
  ArrayState,
  describeByte,
  explainBadByte,
  newIntScanState,
  scanIntegerList,
  scanIntegers,
  ScanStatus,
  U32_MAX,
  type IntScanState,
} from './scanner-core.js';
import { bigUint32, grownUint32, sharedUint32, sharedUint8 } from '../util/typed-arrays.js';
import { type StringTable, StringTableBuilder } from './string-table.js';
import type { NodesPart } from './heap-graph.js';
import { compactNodes, type CompactNodes } from './compact-nodes.js';

const enum Mode {
  TopStart, // expecting '{'
  TopKeyOrEnd, // expecting '"' (key) or '}' ; after '{' or ','
  TopKey, // inside a key string
  TopColon, // expecting ':'
  ValueStart, // expecting the value of the current key
  TopCommaOrEnd, // expecting ',' or '}'
  Done, // after the closing '}': only whitespace
  CaptureValue, // collecting the raw bytes of a JSON value (the header)
  SkipValue, // skipping an unknown value
  Uint32Array, // scanning a preallocated integer array
  NumberList, // scanning an integer array of unknown length
  TraceTree, // scanning the nested trace tree
  Strings, // scanning the strings array
}

const WS = new Uint8Array(256);
WS[0x20] = 1;
WS[0x0a] = 1;
WS[0x0d] = 1;
WS[0x09] = 1;

export interface ScanResult {
  header: SnapshotHeader;
  layout: SnapshotLayout;
  /** The nodes as HeapGraph keeps them; null when `nodes` did not hold node_count records. */
  nodes: CompactNodes | null;
  /** Values `nodes` held. */
  nodesFilled: number;
  /** The edges, one array per field (see heap-graph.ts); `to_node` already turned into an ordinal. */
  edgeTypes: Uint8Array;
  edgeNames: Uint32Array;
  edgeTo: Uint32Array;
  /** Edge values seen (edge_count × edge fields when complete). */
  edgesFilled: number;
  /** The largest name string index of a string-named edge, -1 when none (EdgeSplitter.maxStringName). */
  edgeMaxStringName: number;
  strings: StringTable;
  locations: Uint32Array;
  traceFunctionInfos: Uint32Array;
  samples: number[];
  /** Flattened trace tree: 5 numbers per trace node (id, function_info_index, count, size, parent id). */
  traceTree: number[];
  sections: string[];
  /** Raw JSON text of sections heapdiff does not interpret; null when too large to keep. */
  extraSections: Record<string, string | null>;
}

const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;
/** The header is walked recursively later (JSON.stringify); V8's is 4 levels deep. */
const MAX_HEADER_DEPTH = 64;
/** Sections kept verbatim: deep enough for any real data, bounded for whoever reads them back. */
const MAX_SECTION_DEPTH = 1000;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Strings longer than this (bytes) are checked by native code rather than the byte loop. */
const LONG_STRING = 64;
const CONTROL_CHARACTER = /[\x00-\x1f]/;

export class SnapshotScanner {
  private mode: Mode = Mode.TopStart;
  /** Bytes of the input before the start of the buffer currently being scanned. */
  private base = 0;
  private carry: Buffer | null = null;

  private key = '';
  private keyBytes: number[] = [];
  private keyEscaped = false;
  private keyStart = 0;
  /** Bytes of a UTF-8 byte-order mark matched at the start of the input. */
  private bomMatched = 0;
  private sections: string[] = [];

  // Generic value capture / skip state.
  private check: JsonValueCheck = new JsonValueCheck(MAX_SECTION_DEPTH);
  private captured: Buffer[] = [];
  private capturedBytes = 0;

  // Integer (and string) array state.
  private cur = 0;
  private arrayState: ArrayState = ArrayState.First;
  /** Absolute offset where the number being scanned began (for errors about it). */
  private numberStart = 0;
  private started = false; // '[' seen for the current array value
  private dest: Uint32Array = new Uint32Array(0);
  private destPos = 0;
  /** `edges` is scanned into its chunk, then split into one array per field. */
  private splitter: EdgeSplitter | null = null;
  private list: number[] = [];
  /** `locations` and `trace_function_infos` (u32, millions of values on big heaps): a typed array, doubled when full. */
  private u32List: Uint32Array = new Uint32Array(0);

  // Trace tree state.
  private treeStack: number[] = []; // per open array: parent trace-node id
  private treeField = 0;
  private treeRecord: number[] = [0, 0, 0, 0];
  private treeFieldStack: number[] = [];

  private result: Partial<Omit<ScanResult, 'strings' | 'nodes'>> & {
    /** The file's node records, until compacted (then freed). */
    fileNodes?: Uint32Array;
    strings: StringTableBuilder;
    sections: string[];
    extraSections: Record<string, string | null>;
  } = {
    strings: new StringTableBuilder(),
    sections: [],
    extraSections: {},
  };
  private header: SnapshotHeader | null = null;
  private layout: SnapshotLayout | null = null;

  /** The string table, once built (partBesideEdges or finish). */
  private strings: StringTable | null = null;
  /** The nodes as kept in memory, once compacted (partBesideEdges or finish). */
  private nodes: CompactNodes | null = null;

  constructor(private readonly source: string) {}

  /** Bytes consumed so far (for progress and error offsets). */
  get offset(): number {
    return this.base;
  }

  // ---- hooks for the parallel reader (read-snapshot.ts), which scans the edges array in a worker ----

  /** True inside the `nodes` array (the header is known, the edge arrays are allocated). */
  get inNodesArray(): boolean {
    return this.mode === Mode.Uint32Array && this.key === 'nodes' && this.carry === null;
  }
  /** True right after the '[' of the `edges` array, nothing of it scanned yet. */
  get atEdgesArrayStart(): boolean {
    return (
      this.mode === Mode.Uint32Array &&
      this.key === 'edges' &&
      this.started &&
      this.destPos === 0 &&
      this.arrayState === ArrayState.First &&
      this.carry === null &&
      this.splitter?.valuesDone === 0
    );
  }
  /** What the edge worker needs: the header facts and the shared arrays to fill. */
  edgeTarget(): { shape: EdgeShape; arrays: EdgeArrays } {
    return { shape: this.splitter!.shape, arrays: this.splitter!.arrays };
  }
  /**
   * Once everything but the edges has been scanned (the end of the file reached, the edges still in the
   * worker): the nodes, strings and locations, so that work on them can start before the edges are done.
   * Null when the file is not complete without its edges (then only finish() reports what is wrong).
   * The nodes are compacted here, in the time this thread would otherwise wait for the edge worker.
   */
  partBesideEdges(): NodesPart | null {
    if (this.mode !== Mode.Done || this.carry !== null || this.header === null || !this.layout) return null;
    const nodes = this.compactedNodes();
    if (nodes === null) return null;
    this.strings ??= this.result.strings.finish();
    return {
      layout: graphLayoutOf(this.layout),
      fileLayout: this.layout,
      nodeCount: this.header.node_count,
      nodes: nodes.nodes,
      strings: this.strings,
      rawLocations: this.result.locations ?? new Uint32Array(0),
    };
  }
  /** The nodes as HeapGraph keeps them, once `nodes` holds all its records (null before); the file's records are then freed. */
  private compactedNodes(): CompactNodes | null {
    const file = this.result.fileNodes;
    if (this.nodes === null && file !== undefined && this.result.nodesFilled === file.length) {
      this.nodes = compactNodes(file, this.layout!, this.header!.node_count);
      this.result.fileNodes = undefined;
    }
    return this.nodes;
  }
  /** The caller skips `bytes` bytes of input (the inside of the edges array, scanned elsewhere). */
  skip(bytes: number): void {
    this.base += bytes;
  }
  /** The edges array was scanned elsewhere into the shared arrays: `values` numbers. */
  edgesScannedElsewhere(values: number, maxStringName: number): void {
    this.splitter!.valuesDone = values;
    this.splitter!.maxStringName = maxStringName;
    this.result.edgesFilled = values;
  }

  private fail(what: string, at: number): never {
    throw new InputError(`${this.source}: ${what} at byte ${at}`);
  }

  feed(chunk: Uint8Array): void {
    let buf: Buffer;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, chunk]);
      this.base -= this.carry.length;
      this.carry = null;
    } else {
      buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    const end = buf.length;
    let p = 0;
    while (p < end) {
      switch (this.mode) {
        case Mode.Uint32Array:
          p = this.scanUint32(buf, p, end);
          break;
        case Mode.Strings:
          p = this.scanStrings(buf, p, end);
          break;
        case Mode.NumberList:
          p = this.scanNumberList(buf, p, end);
          break;
        case Mode.TraceTree:
          p = this.scanTraceTree(buf, p, end);
          break;
        case Mode.CaptureValue:
        case Mode.SkipValue:
          p = this.scanValue(buf, p, end);
          break;
        default:
          p = this.scanStructure(buf, p, end);
      }
    }
    this.base += end;
  }

  /** The top-level object's punctuation and keys: a few bytes per section, so byte-at-a-time is fine. */
  private scanStructure(buf: Buffer, p: number, _end: number): number {
    const c = buf[p];
    if (this.mode === Mode.TopKey) {
      if (this.keyEscaped) this.keyEscaped = false;
      else if (c === 0x22) {
        this.key = this.decodeKey();
        this.mode = Mode.TopColon;
        return p + 1;
      } else if (c === 0x5c) this.keyEscaped = true;
      if (this.keyBytes.length > 256) this.fail('top-level key too long', this.base + p);
      this.keyBytes.push(c);
      return p + 1;
    }
    const at = this.base + p;
    if (this.mode === Mode.TopStart && at === this.bomMatched && at < 3 && c === UTF8_BOM[at]) {
      this.bomMatched++;
      return p + 1;
    }
    if (this.mode === Mode.TopStart && this.bomMatched > 0 && this.bomMatched < 3) this.fail('not a heap snapshot: an incomplete UTF-8 byte-order mark', at);
    if (WS[c] === 1) return p + 1;
    switch (this.mode) {
      case Mode.TopStart:
        if (c !== 0x7b) this.fail(`not a heap snapshot: expected '{' but found ${describeByte(c)}`, at);
        this.mode = Mode.TopKeyOrEnd;
        return p + 1;
      case Mode.TopKeyOrEnd:
        if (c === 0x22) {
          this.mode = Mode.TopKey;
          this.keyStart = at;
          this.keyBytes = [];
          this.keyEscaped = false;
          return p + 1;
        }
        if (c === 0x7d && this.sections.length === 0) {
          this.mode = Mode.Done;
          return p + 1;
        }
        this.fail(c === 0x7d ? "a trailing ',' before '}'" : `expected a key but found ${describeByte(c)}`, at);
      // falls through (unreachable: fail throws)
      case Mode.TopColon:
        if (c !== 0x3a) this.fail(`expected ':' after ${describeJson(this.key)} but found ${describeByte(c)}`, at);
        this.mode = Mode.ValueStart;
        return p + 1;
      case Mode.ValueStart:
        this.startValue(at);
        return p; // the value scanner consumes the first byte itself
      case Mode.TopCommaOrEnd:
        if (c === 0x2c) {
          this.mode = Mode.TopKeyOrEnd;
          return p + 1;
        }
        if (c === 0x7d) {
          this.mode = Mode.Done;
          return p + 1;
        }
        this.fail(`expected ',' or '}' after ${describeJson(this.key)} but found ${describeByte(c)}`, at);
      // falls through (unreachable)
      case Mode.Done:
        this.fail(`unexpected ${describeByte(c)} after the end of the snapshot`, at);
    }
    return p + 1;
  }

  /** A top-level key's bytes, held to the grammar of JSON strings. */
  private decodeKey(): string {
    const bytes = Buffer.from(this.keyBytes);
    this.keyBytes = [];
    const at = this.keyStart;
    const bad = bytes.findIndex((b) => b < 0x20);
    if (bad >= 0) this.fail('a raw control character inside a top-level key (must be escaped)', at + 1 + bad);
    if (!isUtf8(bytes)) this.fail('invalid UTF-8 inside a top-level key', at);
    try {
      return JSON.parse(`"${bytes.toString('utf8')}"`) as string;
    } catch {
      this.fail('an invalid escape inside a top-level key', at);
    }
  }

  private startValue(at: number): void {
    const key = this.key;
    if (this.sections.includes(key)) this.fail(`duplicate section ${describeJson(key)}`, at);
    this.sections.push(key);
    this.started = false;
    this.cur = 0;
    this.arrayState = ArrayState.First;
    if (key === 'snapshot') {
      this.beginGenericValue(Mode.CaptureValue, MAX_HEADER_DEPTH);
      return;
    }
    const known =
      key === 'nodes' ||
      key === 'edges' ||
      key === 'strings' ||
      key === 'locations' ||
      key === 'trace_function_infos' ||
      key === 'samples' ||
      key === 'trace_tree';
    if (known && this.header === null) this.fail(`section "${key}" comes before the "snapshot" header`, at);
    switch (key) {
      case 'nodes':
        this.dest = this.result.fileNodes!;
        this.destPos = 0;
        this.mode = Mode.Uint32Array;
        return;
      case 'edges':
        this.destPos = 0;
        this.mode = Mode.Uint32Array;
        return;
      case 'locations':
      case 'trace_function_infos':
      case 'samples':
        this.list = [];
        this.u32List = new Uint32Array(1024);
        this.destPos = 0;
        this.mode = Mode.NumberList;
        return;
      case 'trace_tree':
        this.list = [];
        this.treeStack = [];
        this.treeFieldStack = [];
        this.treeField = 0;
        this.mode = Mode.TraceTree;
        return;
      case 'strings':
        this.mode = Mode.Strings;
        return;
      default:
        // Unknown sections (e.g. Chromium's `scopes`) are kept verbatim for the store.
        this.beginGenericValue(Mode.CaptureValue, MAX_SECTION_DEPTH);
    }
  }

  private beginGenericValue(mode: Mode, maxDepth: number): void {
    this.mode = mode;
    this.check = new JsonValueCheck(maxDepth);
    this.captured = [];
    this.capturedBytes = 0;
    this.started = false;
  }

  /** Captures (header, unknown section) or skips (an unknown section too big to keep) one JSON value, checking its grammar. */
  private scanValue(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (this.key === 'snapshot' && buf[p] !== 0x7b) this.fail(`"snapshot" is not an object`, this.base + p);
      this.started = true;
    }
    const start = p;
    const r = this.check.feed(buf, p, end);
    if (r.status === CheckStatus.Bad) {
      const depth = this.check.depth;
      this.fail(
        `invalid JSON in ${this.key === 'snapshot' ? 'the "snapshot" header' : `section ${describeJson(this.key)}`}: ${this.check.problem}${depth > 100 ? ` (at nesting depth ${depth})` : ''}`,
        this.base + r.at,
      );
    }
    p = r.at;
    if (this.mode === Mode.CaptureValue) {
      this.capturedBytes += p - start;
      if (this.capturedBytes > MAX_CAPTURE_BYTES) {
        if (this.key === 'snapshot') this.fail('the "snapshot" header is larger than 256 MB', this.base + p);
        this.mode = Mode.SkipValue; // too big to keep: skip the rest, record that it was dropped
        this.captured = [];
        this.result.extraSections![this.key] = null;
      } else {
        this.captured.push(Buffer.from(buf.subarray(start, p)));
      }
    }
    if (r.status === CheckStatus.Done) {
      if (this.mode === Mode.CaptureValue) {
        const text = Buffer.concat(this.captured).toString('utf8');
        if (this.key === 'snapshot') this.acceptHeader(text, this.base + p);
        else this.result.extraSections![this.key] = text;
      }
      this.captured = [];
      this.mode = Mode.TopCommaOrEnd;
    }
    return p;
  }

  private acceptHeader(text: string, at: number): void {
    let header: SnapshotHeader;
    try {
      header = JSON.parse(text) as SnapshotHeader;
    } catch (e) {
      this.fail(`the "snapshot" header is not valid JSON (${(e as Error).message})`, at);
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) this.fail('the "snapshot" header is not an object', at);
    if (header.meta === undefined) this.fail('the "snapshot" header has no "meta"', at);
    let layout: SnapshotLayout;
    try {
      layout = layoutFromMeta(header.meta);
    } catch (e) {
      this.fail((e as Error).message, at);
    }
    const nodeCount = header.node_count;
    const edgeCount = header.edge_count;
    if (!Number.isSafeInteger(nodeCount) || nodeCount < 1) this.fail(`invalid node_count ${describeJson(nodeCount)} (a positive integer is required)`, at);
    if (!Number.isSafeInteger(edgeCount) || edgeCount < 0) this.fail(`invalid edge_count ${describeJson(edgeCount)} (a non-negative integer is required)`, at);
    for (const k of ['trace_function_count', 'extra_native_bytes'] as const) {
      const v = header[k];
      if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0))
        this.fail(`invalid ${k} ${describeJson(v)} (a non-negative integer below 2^53 is required)`, at);
    }
    if (header.root_index !== undefined && header.root_index !== 0) {
      this.fail(`unsupported root_index ${describeJson(header.root_index)} (only 0 is supported)`, at);
    }
    if (nodeCount * layout.nodeFieldCount > 0xffffffff) this.fail(`node_count ${nodeCount} is too large for 32-bit node indices`, at);
    if (edgeCount > 0xffffffff) this.fail(`edge_count ${edgeCount} is too large for 32-bit edge indices`, at);
    this.header = header;
    this.layout = layout;
    // Not shared: only this thread reads the file's records (into the compact ones, which are shared).
    this.result.fileNodes = allocate(() => bigUint32(nodeCount * layout.nodeFieldCount), nodeCount * layout.nodeFieldCount, 'nodes', this.source);
    const arrays: EdgeArrays = {
      edgeTypes: allocate(() => sharedUint8(edgeCount), edgeCount, 'edges', this.source),
      edgeNames: allocate(() => sharedUint32(edgeCount), edgeCount, 'edges', this.source),
      edgeTo: allocate(() => sharedUint32(edgeCount), edgeCount, 'edges', this.source),
    };
    Object.assign(this.result, arrays);
    this.splitter = new EdgeSplitter(edgeShape(header, layout), arrays, this.source);
  }

  /** The hot loop: unsigned integers into a preallocated Uint32Array. Keep it monomorphic and small. */
  private scanUint32(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (buf[p] !== 0x5b) this.fail(`"${this.key}" is not an array`, this.base + p);
      this.started = true;
      p++;
    }
    const st = this.intState;
    st.pos = this.destPos;
    st.cur = this.cur;
    st.state = this.arrayState;
    const edges = this.key === 'edges';
    const splitter = this.splitter!;
    const q = edges ? splitter.scan(buf, p, end, st) : scanIntegers(buf, p, end, this.dest, st);
    this.destPos = st.pos;
    this.cur = st.cur;
    this.arrayState = st.state;
    if (st.numStart >= 0) this.numberStart = this.base + st.numStart;
    if (st.status === ScanStatus.NeedMore) return q;
    if (st.status === ScanStatus.TooMany) this.tooMany(edges ? splitter.valuesDone + st.pos : st.pos, q);
    if (st.status === ScanStatus.BadByte) this.fail(`${explainBadByte(buf[q], st.state)} in "${this.key}"`, this.base + q);
    if (st.status === ScanStatus.TooBig) {
      // Which field: the value's index in the array modulo the record size.
      const index = edges ? splitter.valuesDone + st.pos : st.pos;
      const fields = edges ? this.header!.meta.edge_fields : this.header!.meta.node_fields;
      this.tooBig(`"${this.key}" field ${describeJson(fields[index % fields.length])} of record #${Math.floor(index / fields.length)}`, U32_MAX);
    }
    this.mode = Mode.TopCommaOrEnd;
    this.setFilled(st.pos);
    this.cur = 0;
    this.arrayState = ArrayState.First;
    return q + 1;
  }

  private readonly intState: IntScanState = newIntScanState();

  /** A number past what its typed array holds exactly: bad input, never a silently wrapped value. */
  private tooBig(what: string, max: number): never {
    const kind = max === U32_MAX ? 'a 32-bit unsigned integer' : 'an integer below 2^53';
    this.fail(`a number larger than ${max} in ${what} (it must fit ${kind})`, this.numberStart);
  }

  private tooMany(pos: number, p: number): never {
    const h = this.header!;
    const l = this.layout!;
    if (this.key === 'nodes') this.fail(`"nodes" holds more than node_count ${h.node_count} × ${l.nodeFieldCount} fields = ${pos} values`, this.base + p);
    this.fail(`"edges" holds more than edge_count ${h.edge_count} × ${l.edgeFieldCount} fields = ${pos} values`, this.base + p);
  }

  private setFilled(pos: number): void {
    if (this.key === 'nodes') {
      this.result.nodesFilled = pos;
      this.dest = new Uint32Array(0); // the file's records are compacted and freed once the file is read
    } else {
      this.splitter!.split(pos);
      this.result.edgesFilled = this.splitter!.valuesDone;
    }
  }

  /** Integers of a section of unknown length (locations, samples, trace function infos). */
  private scanNumberList(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (buf[p] !== 0x5b) this.fail(`"${this.key}" is not an array`, this.base + p);
      this.started = true;
      p++;
    }
    const st = this.intState;
    st.cur = this.cur;
    st.state = this.arrayState;
    // `samples` holds timestamps in microseconds (Float64Array); the others are stored as Uint32Array.
    const samples = this.key === 'samples';
    const max = samples ? Number.MAX_SAFE_INTEGER : U32_MAX;
    let q: number;
    if (samples) q = scanIntegerList(buf, p, end, this.list, max, st);
    else {
      st.pos = this.destPos;
      q = scanIntegers(buf, p, end, this.u32List, st);
      while (st.status === ScanStatus.TooMany) {
        this.u32List = grownUint32(this.u32List);
        q = scanIntegers(buf, q, end, this.u32List, st);
      }
      this.destPos = st.pos;
    }
    this.cur = st.cur;
    this.arrayState = st.state;
    if (st.numStart >= 0) this.numberStart = this.base + st.numStart;
    if (st.status === ScanStatus.NeedMore) return q;
    if (st.status === ScanStatus.BadByte) this.fail(`${explainBadByte(buf[q], st.state)} in "${this.key}"`, this.base + q);
    if (st.status === ScanStatus.TooBig) this.tooBig(`"${this.key}" value #${samples ? this.list.length : this.destPos}`, max);
    this.mode = Mode.TopCommaOrEnd;
    this.cur = 0;
    this.arrayState = ArrayState.First;
    if (samples) this.result.samples = this.list;
    else {
      // Shared memory: the page writer reads the file's locations without a copy.
      const values = sharedUint32(this.destPos);
      values.set(this.u32List.subarray(0, this.destPos));
      this.u32List = new Uint32Array(0);
      if (this.key === 'locations') this.result.locations = values;
      else this.result.traceFunctionInfos = values;
    }
    return q + 1;
  }

  /**
   * `trace_tree` is `[id, function_info_index, count, size, [children…], id, …]`, nested. Flattened into
   * records of (id, function_info_index, count, size, parent id) in pre-order. Same grammar as the
   * integer arrays, plus nested arrays; `size` may exceed 32 bits (it is stored as Float64Array).
   */
  private scanTraceTree(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (buf[p] !== 0x5b) this.fail('"trace_tree" is not an array', this.base + p);
      this.started = true;
      this.treeStack.push(0);
      this.treeField = 0;
      this.arrayState = ArrayState.First;
      p++;
    }
    const out = this.list;
    const rec = this.treeRecord;
    let cur = this.cur;
    let s = this.arrayState;
    for (; p < end; p++) {
      const c = buf[p];
      if (c >= 48 && c <= 57) {
        if (s === ArrayState.Number) {
          cur = cur * 10 + (c - 48);
          continue;
        }
        if (s > ArrayState.Expect) this.fail(`${explainBadByte(c, s)} in "trace_tree"`, this.base + p);
        cur = c - 48;
        s = cur === 0 ? ArrayState.Zero : ArrayState.Number;
        this.numberStart = this.base + p;
        continue;
      }
      if (s === ArrayState.Number || s === ArrayState.Zero) {
        if (this.treeField > 3) this.fail('malformed "trace_tree": a number where a children array belongs', this.numberStart);
        const max = this.treeField === 3 ? Number.MAX_SAFE_INTEGER : U32_MAX;
        if (cur > max) this.tooBig(`"trace_tree" (${['id', 'function_info_index', 'count', 'size'][this.treeField]} of trace node #${out.length / 5})`, max);
        rec[this.treeField++] = cur;
        cur = 0;
        s = ArrayState.After;
        if (this.treeField === 4) {
          out.push(rec[0], rec[1], rec[2], rec[3], this.treeStack[this.treeStack.length - 1]);
        }
      }
      if (WS[c] === 1) continue;
      if (c === 0x2c) {
        if (s !== ArrayState.After) this.fail(`${explainBadByte(c, s)} in "trace_tree"`, this.base + p);
        s = ArrayState.Expect;
        continue;
      }
      if (c === 0x5b) {
        if (s > ArrayState.Expect) this.fail(`unexpected '[' in "trace_tree" (expected ',' or ']')`, this.base + p);
        if (this.treeField !== 4) this.fail('malformed "trace_tree": children before a complete record', this.base + p);
        this.treeStack.push(rec[0]);
        this.treeFieldStack.push(0);
        this.treeField = 0;
        s = ArrayState.First;
        continue;
      }
      if (c === 0x5d) {
        if (s === ArrayState.Expect) this.fail(`${explainBadByte(c, s)} in "trace_tree"`, this.base + p);
        if (this.treeField !== 0) this.fail('malformed "trace_tree": incomplete record', this.base + p);
        this.treeStack.pop();
        s = ArrayState.After;
        if (this.treeStack.length === 0) {
          this.mode = Mode.TopCommaOrEnd;
          this.cur = 0;
          this.arrayState = ArrayState.First;
          this.result.traceTree = out;
          return p + 1;
        }
        this.treeField = this.treeFieldStack.pop()!;
        continue;
      }
      this.fail(`unexpected ${describeByte(c)} in "trace_tree"`, this.base + p);
    }
    this.cur = cur;
    this.arrayState = s;
    return p;
  }

  /**
   * One string at a time. Its first bytes go through a byte loop that finds the closing quote and notes
   * escapes, non-ASCII bytes and raw control characters (refused); past LONG_STRING bytes, native code
   * takes over (indexOf for the quote, isAscii, a regular expression for control characters): several
   * times faster on long strings. Escape-free ASCII decodes directly, the rest after a UTF-8 check.
   */
  private scanStrings(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (buf[p] !== 0x5b) this.fail('"strings" is not an array', this.base + p);
      this.started = true;
      this.arrayState = ArrayState.First;
      p++;
    }
    const strings = this.result.strings;
    let s = this.arrayState;
    while (p < end) {
      const c = buf[p];
      if (c === 0x22) {
        if (s === ArrayState.After) this.fail(`a missing ',' between two strings in "strings" (after string #${strings.length - 1})`, this.base + p);
        let q = p + 1;
        let escapes = false;
        let nonAscii = false;
        const shortEnd = Math.min(end, p + 1 + LONG_STRING);
        for (; q < shortEnd; q++) {
          const b = buf[q];
          if (b === 0x22) break;
          if (b === 0x5c) {
            escapes = true;
            q++;
          } else if (b < 0x20) this.fail(`a raw control character in "strings" (string #${strings.length}; it must be escaped)`, this.base + q);
          else if (b >= 0x80) nonAscii = true;
        }
        let latin: string | null = null;
        if (q >= shortEnd && q < end) {
          // A long string: q is past a complete escape, so backslash runs from q on tell escaped quotes.
          let r = q;
          for (;;) {
            r = buf.indexOf(0x22, r);
            if (r < 0) break;
            let b = r - 1;
            while (b >= q && buf[b] === 0x5c) b--;
            if ((r - 1 - b) % 2 === 0) break;
            r++;
          }
          if (r >= 0) {
            const rest = buf.subarray(q, r);
            if (rest.indexOf(0x5c) >= 0) escapes = true;
            if (!nonAscii && !isAscii(rest)) nonAscii = true;
            latin = buf.toString('latin1', p + 1, r);
            const m = CONTROL_CHARACTER.exec(latin);
            if (m !== null) this.fail(`a raw control character in "strings" (string #${strings.length}; it must be escaped)`, this.base + p + 1 + m.index);
          }
          q = r < 0 ? end : r;
        }
        if (q >= end) {
          // The string continues in the next chunk: carry its bytes.
          this.arrayState = s;
          this.carry = Buffer.from(buf.subarray(p, end));
          return end;
        }
        if (nonAscii && !isUtf8(buf.subarray(p + 1, q))) this.fail(`invalid UTF-8 in "strings" (string #${strings.length})`, this.base + p);
        if (escapes) {
          try {
            strings.push(JSON.parse(buf.toString('utf8', p, q + 1)) as string);
          } catch {
            this.fail(`invalid string escape in "strings" (string #${strings.length})`, this.base + p);
          }
        } else {
          if (nonAscii) strings.push(buf.toString('utf8', p + 1, q));
          else if (latin !== null) strings.push(latin);
          else strings.pushAscii(buf, p + 1, q);
        }
        s = ArrayState.After;
        p = q + 1;
        continue;
      }
      if (WS[c] === 1) {
        p++;
        continue;
      }
      if (c === 0x2c && s === ArrayState.After) {
        s = ArrayState.Expect;
        p++;
        continue;
      }
      if (c === 0x5d && s !== ArrayState.Expect) {
        this.mode = Mode.TopCommaOrEnd;
        this.arrayState = ArrayState.First;
        return p + 1;
      }
      if (c === 0x2c || c === 0x5d) this.fail(`${explainBadByte(c, s)} in "strings"`, this.base + p);
      this.fail(`unexpected ${describeByte(c)} in "strings" (expected a string)`, this.base + p);
    }
    this.arrayState = s;
    return p;
  }

  /** Called after the last chunk: the whole snapshot must have been seen. */
  finish(): ScanResult {
    const at = this.base;
    if (this.carry !== null) this.fail('unexpected end of file inside "strings"', at);
    if (this.mode !== Mode.Done) {
      if (this.mode === Mode.TopStart) this.fail('empty file (no JSON)', at);
      const where = this.sections.length > 0 ? ` inside or after "${this.sections[this.sections.length - 1]}"` : '';
      this.fail(`unexpected end of file${where} (truncated snapshot?)`, at);
    }
    if (this.header === null) this.fail('no "snapshot" header: not a V8 heap snapshot', at);
    for (const s of ['nodes', 'edges', 'strings']) {
      if (!this.sections.includes(s)) this.fail(`missing section "${s}"`, at);
    }
    const r = this.result;
    return {
      header: this.header!,
      layout: this.layout!,
      nodes: this.compactedNodes(),
      nodesFilled: r.nodesFilled ?? 0,
      edgeTypes: r.edgeTypes!,
      edgeNames: r.edgeNames!,
      edgeTo: r.edgeTo!,
      edgesFilled: r.edgesFilled ?? 0,
      edgeMaxStringName: this.splitter?.maxStringName ?? -1,
      strings: (this.strings ??= r.strings.finish()),
      locations: r.locations ?? new Uint32Array(0),
      traceFunctionInfos: r.traceFunctionInfos ?? new Uint32Array(0),
      samples: r.samples ?? [],
      traceTree: r.traceTree ?? [],
      sections: this.sections,
      extraSections: r.extraSections,
    };
  }
}

/** The header facts the edge splitter needs. */
function edgeShape(header: SnapshotHeader, layout: SnapshotLayout): EdgeShape {
  return {
    edgeFieldCount: layout.edgeFieldCount,
    edgeTypeOffset: layout.edgeTypeOffset,
    edgeNameOffset: layout.edgeNameOffset,
    edgeToNodeOffset: layout.edgeToNodeOffset,
    edgeTypeCount: layout.edgeTypes.length,
    nodeFieldCount: layout.nodeFieldCount,
    nodeCount: header.node_count,
    edgeCount: header.edge_count,
    edgeTypeElement: layout.edgeTypeElement,
    edgeTypeHidden: layout.edgeTypeHidden,
  };
}

/** Big arrays (the edges' in shared memory: the edge-scan and table-writer threads fill and read them without a copy); counts too big for memory are an input error. */
function allocate<T>(make: () => T, length: number, what: string, source: string): T {
  try {
    return make();
  } catch {
    throw new InputError(`${source}: cannot allocate ${length} values for "${what}" (counts in the header too large?)`);
  }
}
