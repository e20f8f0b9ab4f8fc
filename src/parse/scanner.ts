// A push-mode byte scanner for the V8 heap snapshot JSON.
//
// Why hand-written: stream-json tops out near 50 MB/s on these files and JSON.parse needs the whole text
// as one string (impossible past V8's ~536 M-character limit). This scanner runs at ~300+ MB/s with
// memory bounded by the typed arrays it fills: `feed()` takes chunks of any size (even 1 byte), numbers
// that straddle chunks are carried as numeric state, strings as bytes.
//
// Layout handled: one top-level object whose `snapshot` header comes first (V8 always writes it first);
// `nodes`/`edges` are unsigned-integer arrays sized by the header's counts; `locations`,
// `trace_function_infos`, `samples` are integer arrays of unknown length; `trace_tree` is the nested
// allocation tree (flattened here with a parent column); `strings` is streamed one string at a time.
// Unknown keys are skipped whole, so new V8 sections do not break ingest.

import { InputError } from '../errors.js';
import { EdgeSplitter, type EdgeArrays, type EdgeShape } from './edge-section.js';
import { layoutFromMeta, type SnapshotHeader, type SnapshotLayout } from './layout.js';
import { scanIntegers, ScanStatus, type IntScanState } from './scanner-core.js';
import { sharedUint32, sharedUint8 } from '../util/typed-arrays.js';

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
  nodes: Uint32Array;
  nodesFilled: number;
  /** The edges, one array per field (see heap-graph.ts); `to_node` already turned into an ordinal. */
  edgeTypes: Uint8Array;
  edgeNames: Uint32Array;
  edgeTo: Uint32Array;
  /** Edge values seen (edge_count × edge fields when complete). */
  edgesFilled: number;
  strings: string[];
  locations: number[];
  traceFunctionInfos: number[];
  samples: number[];
  /** Flattened trace tree: 5 numbers per trace node (id, function_info_index, count, size, parent id). */
  traceTree: number[];
  sections: string[];
  /** Raw JSON text of sections heapdiff does not interpret; null when too large to keep. */
  extraSections: Record<string, string | null>;
}

const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;

export class SnapshotScanner {
  private mode: Mode = Mode.TopStart;
  /** Bytes of the input before the start of the buffer currently being scanned. */
  private base = 0;
  private carry: Buffer | null = null;

  private key = '';
  private keyBytes: number[] = [];
  private sections: string[] = [];

  // Generic value capture / skip state.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private captured: Buffer[] = [];
  private capturedBytes = 0;

  // Integer scanning state.
  private cur = 0;
  private inNumber = false;
  private started = false; // '[' seen for the current array value
  private dest: Uint32Array = new Uint32Array(0);
  private destPos = 0;
  /** `edges` is scanned into its chunk, then split into one array per field. */
  private splitter: EdgeSplitter | null = null;
  private list: number[] = [];

  // Trace tree state.
  private treeStack: number[] = []; // per open array: parent trace-node id
  private treeField = 0;
  private treeRecord: number[] = [0, 0, 0, 0];
  private treeFieldStack: number[] = [];

  private result: Partial<ScanResult> & { strings: string[]; sections: string[]; extraSections: Record<string, string | null> } = {
    strings: [],
    sections: [],
    extraSections: {},
  };
  private header: SnapshotHeader | null = null;
  private layout: SnapshotLayout | null = null;

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
    return this.mode === Mode.Uint32Array && this.key === 'edges' && this.started && this.destPos === 0 && !this.inNumber && this.carry === null && this.splitter?.valuesDone === 0;
  }
  /** What the edge worker needs: the header facts and the shared arrays to fill. */
  edgeTarget(): { shape: EdgeShape; arrays: EdgeArrays } {
    return { shape: this.splitter!.shape, arrays: this.splitter!.arrays };
  }
  /** The caller skips `bytes` bytes of input (the inside of the edges array, scanned elsewhere). */
  skip(bytes: number): void {
    this.base += bytes;
  }
  /** The edges array was scanned elsewhere into the shared arrays: `values` numbers. */
  edgesScannedElsewhere(values: number): void {
    this.splitter!.valuesDone = values;
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
  private scanStructure(buf: Buffer, p: number, end: number): number {
    const c = buf[p];
    if (this.mode === Mode.TopKey) {
      if (c === 0x22) {
        this.key = Buffer.from(this.keyBytes).toString('utf8');
        this.keyBytes = [];
        this.mode = Mode.TopColon;
      } else {
        if (this.keyBytes.length > 256) this.fail('top-level key too long', this.base + p);
        this.keyBytes.push(c);
      }
      return p + 1;
    }
    if (WS[c] === 1) return p + 1;
    const at = this.base + p;
    switch (this.mode) {
      case Mode.TopStart:
        if (c !== 0x7b) this.fail(`not a heap snapshot: expected '{' but found ${describeByte(c)}`, at);
        this.mode = Mode.TopKeyOrEnd;
        return p + 1;
      case Mode.TopKeyOrEnd:
        if (c === 0x22) {
          this.mode = Mode.TopKey;
          return p + 1;
        }
        if (c === 0x7d && this.sections.length === 0) {
          this.mode = Mode.Done;
          return p + 1;
        }
        this.fail(`expected a key but found ${describeByte(c)}`, at);
      // falls through (unreachable: fail throws)
      case Mode.TopColon:
        if (c !== 0x3a) this.fail(`expected ':' after "${this.key}" but found ${describeByte(c)}`, at);
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
        this.fail(`expected ',' or '}' after "${this.key}" but found ${describeByte(c)}`, at);
      // falls through (unreachable)
      case Mode.Done:
        this.fail(`unexpected ${describeByte(c)} after the end of the snapshot`, at);
    }
    return p + 1;
  }

  private startValue(at: number): void {
    const key = this.key;
    if (this.sections.includes(key)) this.fail(`duplicate section "${key}"`, at);
    this.sections.push(key);
    this.started = false;
    this.cur = 0;
    this.inNumber = false;
    if (key === 'snapshot') {
      this.beginGenericValue(Mode.CaptureValue);
      return;
    }
    const known = key === 'nodes' || key === 'edges' || key === 'strings' || key === 'locations' || key === 'trace_function_infos' || key === 'samples' || key === 'trace_tree';
    if (known && this.header === null) this.fail(`section "${key}" comes before the "snapshot" header`, at);
    switch (key) {
      case 'nodes':
        this.dest = this.result.nodes!;
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
        this.beginGenericValue(Mode.CaptureValue);
    }
  }

  private beginGenericValue(mode: Mode): void {
    this.mode = mode;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.captured = [];
    this.capturedBytes = 0;
    this.started = false;
  }

  /** Captures (header) or skips (unknown section) one JSON value, tracking strings and nesting. */
  private scanValue(buf: Buffer, p: number, end: number): number {
    const start = p;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let done = false;
    for (; p < end; p++) {
      const c = buf[p];
      if (!this.started) {
        if (WS[c] === 1) continue;
        this.started = true;
        if (c !== 0x7b && c !== 0x5b && c !== 0x22) {
          // A scalar value: only allowed for unknown keys; read up to the next ',' or '}'.
          if (this.mode === Mode.CaptureValue) this.fail(`"snapshot" is not an object`, this.base + p);
          depth = -1;
          continue;
        }
      }
      if (depth === -1) {
        if (c === 0x2c || c === 0x7d) {
          done = true;
          break;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 0) {
            p++;
            done = true;
            break;
          }
        }
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          p++;
          done = true;
          break;
        }
      }
    }
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
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    if (done) {
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
    if (header === null || typeof header !== 'object' || typeof header.meta !== 'object') {
      this.fail('the "snapshot" header has no "meta"', at);
    }
    let layout: SnapshotLayout;
    try {
      layout = layoutFromMeta(header.meta);
    } catch (e) {
      this.fail((e as Error).message, at);
    }
    const nodeCount = header.node_count;
    const edgeCount = header.edge_count;
    if (!Number.isSafeInteger(nodeCount) || nodeCount < 1) this.fail(`invalid node_count ${JSON.stringify(nodeCount)}`, at);
    if (!Number.isSafeInteger(edgeCount) || edgeCount < 0) this.fail(`invalid edge_count ${JSON.stringify(edgeCount)}`, at);
    if (header.root_index !== undefined && header.root_index !== 0) {
      this.fail(`unsupported root_index ${header.root_index} (only 0 is supported)`, at);
    }
    if (nodeCount * layout.nodeFieldCount > 0xffffffff) this.fail(`node_count ${nodeCount} is too large for 32-bit node indices`, at);
    this.header = header;
    this.layout = layout;
    this.result.nodes = allocate(() => sharedUint32(nodeCount * layout.nodeFieldCount), nodeCount * layout.nodeFieldCount, 'nodes', this.source);
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
    st.inNumber = this.inNumber;
    const edges = this.key === 'edges';
    const splitter = this.splitter!;
    const q = edges ? splitter.scan(buf, p, end, st) : scanIntegers(buf, p, end, this.dest, st);
    this.destPos = st.pos;
    this.cur = st.cur;
    this.inNumber = st.inNumber;
    if (st.status === ScanStatus.TooMany) this.tooMany(edges ? splitter.valuesDone + st.pos : st.pos, q);
    if (st.status === ScanStatus.BadByte) this.fail(`unexpected ${describeByte(buf[q])} in "${this.key}" (only unsigned integers are allowed)`, this.base + q);
    if (st.status === ScanStatus.Closed) {
      this.mode = Mode.TopCommaOrEnd;
      this.setFilled(st.pos);
      this.cur = 0;
      this.inNumber = false;
      return q + 1;
    }
    return q;
  }

  private readonly intState: IntScanState = { pos: 0, cur: 0, inNumber: false, status: ScanStatus.NeedMore };

  private tooMany(pos: number, p: number): never {
    const h = this.header!;
    const l = this.layout!;
    if (this.key === 'nodes') this.fail(`"nodes" holds more than node_count ${h.node_count} × ${l.nodeFieldCount} fields = ${pos} values`, this.base + p);
    this.fail(`"edges" holds more than edge_count ${h.edge_count} × ${l.edgeFieldCount} fields = ${pos} values`, this.base + p);
  }

  private setFilled(pos: number): void {
    if (this.key === 'nodes') this.result.nodesFilled = pos;
    else {
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
    const list = this.list;
    let cur = this.cur;
    let inNumber = this.inNumber;
    for (; p < end; p++) {
      const c = buf[p];
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        cur = cur * 10 + d;
        inNumber = true;
        continue;
      }
      if (inNumber) {
        list.push(cur);
        cur = 0;
        inNumber = false;
      }
      if (c === 0x2c || WS[c] === 1) continue;
      if (c === 0x5d) {
        this.mode = Mode.TopCommaOrEnd;
        this.cur = 0;
        this.inNumber = false;
        if (this.key === 'locations') this.result.locations = list;
        else if (this.key === 'samples') this.result.samples = list;
        else this.result.traceFunctionInfos = list;
        return p + 1;
      }
      this.fail(`unexpected ${describeByte(c)} in "${this.key}"`, this.base + p);
    }
    this.cur = cur;
    this.inNumber = inNumber;
    return p;
  }

  /**
   * `trace_tree` is `[id, function_info_index, count, size, [children…], id, …]`, nested. Flattened into
   * records of (id, function_info_index, count, size, parent id) in pre-order.
   */
  private scanTraceTree(buf: Buffer, p: number, end: number): number {
    const out = this.list;
    const rec = this.treeRecord;
    let cur = this.cur;
    let inNumber = this.inNumber;
    for (; p < end; p++) {
      const c = buf[p];
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        cur = cur * 10 + d;
        inNumber = true;
        continue;
      }
      if (inNumber) {
        if (this.treeStack.length === 0 || this.treeField > 3) this.fail('malformed "trace_tree"', this.base + p);
        rec[this.treeField++] = cur;
        cur = 0;
        inNumber = false;
        if (this.treeField === 4) {
          out.push(rec[0], rec[1], rec[2], rec[3], this.treeStack[this.treeStack.length - 1]);
        }
      }
      if (c === 0x2c || WS[c] === 1) continue;
      if (c === 0x5b) {
        if (this.treeStack.length === 0) {
          this.treeStack.push(0);
        } else {
          if (this.treeField !== 4) this.fail('malformed "trace_tree": children before a complete record', this.base + p);
          this.treeStack.push(rec[0]);
          this.treeFieldStack.push(0);
        }
        this.treeField = 0;
        continue;
      }
      if (c === 0x5d) {
        if (this.treeField !== 0) this.fail('malformed "trace_tree": incomplete record', this.base + p);
        this.treeStack.pop();
        if (this.treeStack.length === 0) {
          this.mode = Mode.TopCommaOrEnd;
          this.cur = 0;
          this.inNumber = false;
          this.result.traceTree = out;
          return p + 1;
        }
        this.treeField = this.treeFieldStack.pop()!;
        continue;
      }
      this.fail(`unexpected ${describeByte(c)} in "trace_tree"`, this.base + p);
    }
    this.cur = cur;
    this.inNumber = inNumber;
    return p;
  }

  /** One string at a time: find the closing quote with indexOf, decode escape-free strings directly. */
  private scanStrings(buf: Buffer, p: number, end: number): number {
    if (!this.started) {
      while (p < end && WS[buf[p]] === 1) p++;
      if (p === end) return p;
      if (buf[p] !== 0x5b) this.fail('"strings" is not an array', this.base + p);
      this.started = true;
      p++;
    }
    const strings = this.result.strings;
    while (p < end) {
      const c = buf[p];
      if (c === 0x2c || WS[c] === 1) {
        p++;
        continue;
      }
      if (c === 0x5d) {
        this.mode = Mode.TopCommaOrEnd;
        return p + 1;
      }
      if (c !== 0x22) this.fail(`unexpected ${describeByte(c)} in "strings" (expected a string)`, this.base + p);
      // Find the closing quote: one not preceded by an odd number of backslashes.
      let q = p + 1;
      let hasEscape = false;
      for (;;) {
        q = buf.indexOf(0x22, q);
        if (q < 0) break;
        let b = q - 1;
        while (b > p && buf[b] === 0x5c) b--;
        if ((q - 1 - b) % 2 === 0) break;
        hasEscape = true;
        q++;
      }
      if (q < 0) {
        // The string continues in the next chunk: carry its bytes.
        this.carry = Buffer.from(buf.subarray(p, end));
        return end;
      }
      // V8 writes non-ASCII as \uXXXX, so most strings have no escapes and decode directly.
      const raw = buf.toString('utf8', p + 1, q);
      if (hasEscape || raw.indexOf('\\') !== -1) {
        try {
          strings.push(JSON.parse(buf.toString('utf8', p, q + 1)) as string);
        } catch {
          this.fail(`invalid string escape in "strings" (string #${strings.length})`, this.base + p);
        }
      } else {
        strings.push(raw);
      }
      p = q + 1;
    }
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
      nodes: r.nodes!,
      nodesFilled: r.nodesFilled ?? 0,
      edgeTypes: r.edgeTypes!,
      edgeNames: r.edgeNames!,
      edgeTo: r.edgeTo!,
      edgesFilled: r.edgesFilled ?? 0,
      strings: r.strings,
      locations: r.locations ?? [],
      traceFunctionInfos: r.traceFunctionInfos ?? [],
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
  };
}

/** Shared memory (the edge-scan and table-writer threads fill and read these arrays without a copy); counts too big for memory are an input error. */
function allocate<T>(make: () => T, length: number, what: string, source: string): T {
  try {
    return make();
  } catch {
    throw new InputError(`${source}: cannot allocate ${length} values for "${what}" (counts in the header too large?)`);
  }
}

function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
