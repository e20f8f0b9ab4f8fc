// Writes SQLite b-trees as raw pages, without SQLite. Why: the big tables hold tens of millions of
// rows (a 700 MB snapshot has 8.4 M nodes and 28.5 M edges, each stored twice for the two directions),
// and binding them through better-sqlite3 costs ~0.3 µs a row even with 100-row statements, over 20 s
// of CPU. Encoding the same records in JS straight into 16 KiB pages costs a few tens of nanoseconds.
// The result is an ordinary SQLite file (https://www.sqlite.org/fileformat2.html): SQLite then opens
// it and adds the small tables, and `PRAGMA integrity_check` accepts it (test/sqlite-pages.test.ts).
//
// Only what heapdiff needs: integer columns (and NULL), rowids and index keys appended in ascending
// order, records of integers that never overflow a page, plus one kind of record that may overflow
// (`appendPayload`: the strings table's text), page size 16384, UTF-8, no reserved bytes, no freelist. Trees are built bottom-up: leaves are written as they fill, the
// interior levels when the tree is finished, so memory stays at one page per tree plus one separator
// per leaf.
//
// Trees are written into a *page run*: consecutive pages from `base` on, appended as they fill.

import { writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { openPageFile, reopenBuffered } from './direct-io.js';
import { grownUint32 } from '../util/typed-arrays.js';

export const PAGE_SIZE = 16384;

const LEAF_TABLE = 0x0d;
const INTERIOR_TABLE = 0x05;
const LEAF_INDEX = 0x0a;
const INTERIOR_INDEX = 0x02;
/** Pages staged in memory between two writes. */
const STAGE_PAGES = 256;
/**
 * Direct writes are timed while the first PROBE_WRITES stages go out; if their median is slower than
 * SLOW_DIRECT_MS_PER_MB, the rest of the file goes through the page cache. A direct write is one
 * request at a time: on a disk with 2 GB/s at that depth a 4 MB stage takes ~2 ms (0.5 ms per MB, less
 * than the CPU a buffered write costs, see direct-io.ts), but on a virtual disk measured at 16–49 ms
 * per stage (4–12 ms per MB) the page writer spent 6.4–16.4 s waiting for a 700 MB snapshot's 1.29 GB
 * store. Buffered, the kernel flushes many requests at once, and the final fsync took 2.1–2.4 s there
 * (+1.5–2 s of system CPU): 700 MB ingests 20.1–22.7 s against 18.8–32.6 s direct (4 runs each).
 */
const PROBE_WRITES = 8;
const SLOW_DIRECT_MS_PER_MB = 3;

/**
 * The page that holds byte 2^30 of the file: SQLite uses that byte range for file locks and never puts
 * a b-tree page there (integrity_check reports it if one does), so page runs skip it.
 */
export const LOCK_BYTE_PAGE = Math.floor(0x40000000 / PAGE_SIZE) + 1;

/** Appends pages to a file. Page numbers are SQLite's (1-based) as the pages will be in the database. */
export class PageRun {
  private readonly stage: Uint8Array;
  private staged = 0;
  private written = 0;
  /** crc32 of every page written so far, in page order (page-checksums.ts appends them to the file). */
  private crc = new Uint32Array(1024);
  /** The file is written with O_DIRECT (direct-io.ts); `path` reopens it buffered if a direct write is refused. */
  private direct = false;
  private path = '';
  /** ms per MB of the first direct writes (see PROBE_WRITES), and the median above which the rest is buffered. */
  private readonly directTimes: number[] = [];
  private slowDirectMsPerMB = SLOW_DIRECT_MS_PER_MB;
  constructor(
    private fd: number,
    /** Database page number of this run's first page (it goes at byte (base − 1) × PAGE_SIZE). */
    readonly base: number,
    stage?: Uint8Array,
  ) {
    this.stage = stage ?? new Uint8Array(STAGE_PAGES * PAGE_SIZE);
  }

  /** A run into a new file at `path` (created or truncated), written with O_DIRECT where the file system allows. */
  static create(path: string, base: number, slowDirectMsPerMB = SLOW_DIRECT_MS_PER_MB): PageRun {
    const f = openPageFile(path, STAGE_PAGES * PAGE_SIZE, (base - 1) * PAGE_SIZE);
    const run = new PageRun(f.fd, base, f.stage);
    run.direct = f.direct;
    run.path = path;
    run.slowDirectMsPerMB = slowDirectMsPerMB;
    return run;
  }

  /** The pages still go out with O_DIRECT (not refused, not found slow). */
  get writesDirect(): boolean {
    return this.direct;
  }

  /** Flushes the staged pages and returns the file descriptor (the caller closes it). */
  finish(): number {
    this.flush();
    return this.fd;
  }

  /** The page number the page appended after page `p` gets (the lock-byte page is skipped). */
  static pageAfter(p: number): number {
    return p + 1 === LOCK_BYTE_PAGE ? p + 2 : p + 1;
  }

  /** The page number the next appended page gets. */
  get nextPage(): number {
    return this.base + this.written + this.staged;
  }
  get pageCount(): number {
    return this.written + this.staged;
  }

  /** A zeroed buffer for the next page; call `commit()` once it is filled. */
  page(): Uint8Array {
    if (this.nextPage === LOCK_BYTE_PAGE) {
      this.slot();
      this.staged++; // left zero and unused
    }
    return this.slot();
  }
  private slot(): Uint8Array {
    if (this.staged === STAGE_PAGES) this.flush();
    const p = this.stage.subarray(this.staged * PAGE_SIZE, (this.staged + 1) * PAGE_SIZE);
    p.fill(0);
    return p;
  }
  /** Appends the page returned by the last `page()`; returns its page number. */
  commit(): number {
    return this.base + this.written + this.staged++;
  }

  /** The checksums of this run's pages (base, base + 1, …), once flushed. */
  get pageCrcs(): Uint32Array {
    return this.crc.subarray(0, this.written);
  }

  flush(): void {
    // Checksum the pages while they are in this buffer: no read-back of the file later.
    if (this.written + this.staged > this.crc.length) this.crc = grownUint32(this.crc, this.written + this.staged);
    for (let i = 0; i < this.staged; i++) this.crc[this.written + i] = crc32(this.stage.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
    let off = 0;
    const len = this.staged * PAGE_SIZE;
    const timed = this.direct && this.directTimes.length < PROBE_WRITES && len > 0;
    const start = timed ? performance.now() : 0;
    while (off < len) {
      try {
        off += writeSync(this.fd, this.stage, off, len - off, (this.base - 1 + this.written) * PAGE_SIZE + off);
      } catch (e) {
        // a direct write refused (e.g. after a short write left an unaligned rest): the rest goes buffered
        if (!this.direct || (e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
        this.fd = reopenBuffered(this.path, this.fd);
        this.direct = false;
      }
    }
    if (timed && this.direct) {
      this.directTimes.push((performance.now() - start) / (len / 1e6));
      if (this.directTimes.length === PROBE_WRITES) {
        const sorted = [...this.directTimes].sort((a, b) => a - b);
        if (sorted[PROBE_WRITES >> 1] > this.slowDirectMsPerMB) {
          this.fd = reopenBuffered(this.path, this.fd);
          this.direct = false;
        }
      }
    }
    this.written += this.staged;
    this.staged = 0;
  }
}

// ---- record encoding -------------------------------------------------------------------------

/** SQLite serial type of an integer column value (schema format 4: 0 and 1 take no body bytes). */
function serialType(v: number): number {
  if (v === 0) return 8;
  if (v === 1) return 9;
  if (v >= -128 && v <= 127) return 1;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -8388608 && v <= 8388607) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  if (v >= -140737488355328 && v <= 140737488355327) return 5;
  return 6;
}
const BODY_BYTES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];

function varintLength(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  return 8; // < 2^56 covers every safe integer
}

function putVarint(p: Uint8Array, at: number, v: number): number {
  if (v < 0x80) {
    p[at] = v;
    return at + 1;
  }
  if (v < 0x4000) {
    p[at] = 0x80 | (v >>> 7);
    p[at + 1] = v & 0x7f;
    return at + 2;
  }
  if (v < 0x200000) {
    p[at] = 0x80 | (v >>> 14);
    p[at + 1] = 0x80 | ((v >>> 7) & 0x7f);
    p[at + 2] = v & 0x7f;
    return at + 3;
  }
  const n = varintLength(v);
  let x = v;
  p[at + n - 1] = x % 128;
  for (let i = n - 2; i >= 0; i--) {
    x = Math.floor(x / 128);
    p[at + i] = 0x80 | (x % 128);
  }
  return at + n;
}

/** Big-endian two's complement in `bytes` bytes. */
function putInt(p: Uint8Array, at: number, v: number, bytes: number): void {
  if (bytes <= 4) {
    let x = v | 0;
    for (let i = bytes - 1; i >= 0; i--) {
      p[at + i] = x & 0xff;
      x >>= 8;
    }
    return;
  }
  const hi = Math.floor(v / 0x100000000); // signed high part
  const lo = v - hi * 0x100000000; // 0 ≤ lo < 2^32
  p[at + bytes - 1] = lo & 0xff;
  p[at + bytes - 2] = (lo >>> 8) & 0xff;
  p[at + bytes - 3] = (lo >>> 16) & 0xff;
  p[at + bytes - 4] = (lo >>> 24) & 0xff;
  let h = hi;
  for (let i = bytes - 5; i >= 0; i--) {
    p[at + i] = h & 0xff;
    h >>= 8;
  }
}

/**
 * One record of integer columns; a NaN value is stored as NULL (e.g. a table's INTEGER PRIMARY KEY
 * column, whose value is the rowid). Reused for every row: set `values`, then `encode()`. At most 14 columns, so that a record is always under 128 bytes: its header and its
 * size then take one byte each, and a record is written in one pass.
 */
export class RecordEncoder {
  readonly values: Float64Array;
  /** Upper bound of a record's size. */
  readonly maxSize: number;
  constructor(readonly columnCount: number) {
    this.values = new Float64Array(columnCount);
    this.maxSize = 1 + columnCount + 8 * columnCount;
    if (this.maxSize >= 128) throw new Error('RecordEncoder: too many columns for one-byte record sizes');
  }
  /** Writes the record at `at`; returns the end offset (the size is end − at). */
  encode(p: Uint8Array, at: number): number {
    const { values, columnCount } = this;
    p[at] = columnCount + 1; // header size
    let h = at + 1;
    let b = at + columnCount + 1;
    for (let c = 0; c < columnCount; c++) {
      const v = values[c];
      const u = v | 0;
      if (u === v && u >= 0) {
        // the common case first, an integer in [0, 2^31): unsigned comparisons only (−15 % per node row)
        if (u <= 1) p[h++] = 8 + u;
        else if (u < 0x80) {
          p[h++] = 1;
          p[b++] = u;
        } else if (u < 0x8000) {
          p[h++] = 2;
          p[b] = u >>> 8;
          p[b + 1] = u & 0xff;
          b += 2;
        } else if (u < 0x800000) {
          p[h++] = 3;
          p[b] = u >>> 16;
          p[b + 1] = (u >>> 8) & 0xff;
          p[b + 2] = u & 0xff;
          b += 3;
        } else {
          p[h++] = 4;
          p[b] = u >>> 24;
          p[b + 1] = (u >>> 16) & 0xff;
          p[b + 2] = (u >>> 8) & 0xff;
          p[b + 3] = u & 0xff;
          b += 4;
        }
      } else if (Number.isNaN(v))
        p[h++] = 0; // NaN: NULL
      else if (v === 0) p[h++] = 8;
      else if (v === 1) p[h++] = 9;
      else if (v === (v | 0)) {
        if (v >= -128 && v <= 127) {
          p[h++] = 1;
          p[b++] = v & 0xff;
        } else if (v >= -32768 && v <= 32767) {
          p[h++] = 2;
          p[b] = (v >> 8) & 0xff;
          p[b + 1] = v & 0xff;
          b += 2;
        } else if (v >= -8388608 && v <= 8388607) {
          p[h++] = 3;
          p[b] = (v >> 16) & 0xff;
          p[b + 1] = (v >> 8) & 0xff;
          p[b + 2] = v & 0xff;
          b += 3;
        } else {
          p[h++] = 4;
          p[b] = (v >>> 24) & 0xff;
          p[b + 1] = (v >> 16) & 0xff;
          p[b + 2] = (v >> 8) & 0xff;
          p[b + 3] = v & 0xff;
          b += 4;
        }
      } else {
        const t = serialType(v);
        p[h++] = t;
        putInt(p, b, v, BODY_BYTES[t]);
        b += BODY_BYTES[t];
      }
    }
    return b;
  }
}

// ---- page assembly -----------------------------------------------------------------------------

/**
 * A b-tree page being filled. Cells are appended in key order to a scratch area; `writeTo` moves them
 * to the end of the page (the cell content area) and writes the header and cell pointers.
 */
class PageBuilder {
  readonly cells = new Uint8Array(PAGE_SIZE);
  private readonly starts = new Uint16Array(PAGE_SIZE / 2);
  count = 0;
  used = 0;
  constructor(private readonly headerSize: number) {}
  reset(): void {
    this.count = 0;
    this.used = 0;
  }
  get free(): number {
    return PAGE_SIZE - this.headerSize - this.used - 2 * this.count;
  }
  /** Records a cell written at `cells[used..end)`. */
  endCell(end: number): void {
    this.starts[this.count++] = this.used;
    this.used = end;
  }
  writeTo(page: Uint8Array, flag: number, rightChild = 0): void {
    const base = PAGE_SIZE - this.used;
    page.set(this.cells.subarray(0, this.used), base);
    const h = this.headerSize;
    for (let i = 0; i < this.count; i++) {
      const at = base + this.starts[i];
      page[h + 2 * i] = at >>> 8;
      page[h + 2 * i + 1] = at & 0xff;
    }
    page[0] = flag;
    page[3] = this.count >>> 8;
    page[4] = this.count & 0xff;
    page[5] = (base >>> 8) & 0xff; // 65536 would be written as 0; pages are 16384
    page[6] = base & 0xff;
    if (flag === INTERIOR_TABLE || flag === INTERIOR_INDEX) writeU32(page, 8, rightChild);
  }
}

function writeU32(p: Uint8Array, at: number, v: number): void {
  p[at] = v >>> 24;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
}

/** Growable list of numbers (page numbers, keys). */
class NumberList {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Splits `n` children into interior pages: greedily as many cells as fit, but never leaving a page
 * with a single child (an interior page needs at least one cell). `cellSize(i)` is the size of the
 * cell that points at child i (the last child of a page is its right pointer and takes no cell).
 * Returns the index of each page's first child.
 */
function splitChildren(n: number, cellSize: (i: number) => number, headerSize: number): number[] {
  const starts: number[] = [];
  let i = 0;
  while (i < n) {
    starts.push(i);
    let used = headerSize;
    let j = i;
    // children i..j: cells for i..j-1, child j is the right pointer
    while (j + 1 < n && used + cellSize(j) + 2 <= PAGE_SIZE) {
      used += cellSize(j) + 2;
      j++;
    }
    i = j + 1;
    // a single child left over would make a page without cells: this page hands one over
    if (i === n - 1) i--;
  }
  return starts;
}

// ---- table b-trees (rowid tables) ------------------------------------------------------------

/** Builds a rowid table's b-tree from rows appended in ascending rowid order. */
export class TableTreeWriter {
  private readonly leaf = new PageBuilder(8);
  private readonly pages = new NumberList();
  private readonly maxKeys = new NumberList();
  private lastRowid = -1;
  /** Largest possible leaf cell: size byte, rowid varint, record. */
  private readonly maxCell: number;
  constructor(
    private readonly run: PageRun,
    readonly record: RecordEncoder,
  ) {
    this.maxCell = 1 + 9 + record.maxSize;
  }

  /** Appends a row whose columns are in `record.values`. */
  append(rowid: number): void {
    const leaf = this.leaf;
    if (leaf.free < this.maxCell + 2) this.closeLeaf();
    const c = leaf.cells;
    const at = putVarint(c, leaf.used + 1, rowid);
    const end = this.record.encode(c, at);
    c[leaf.used] = end - at;
    leaf.endCell(end);
    this.lastRowid = rowid;
  }

  /**
   * `append` for a row of two integer columns in [0, 2^31), without the generic encoder's per-column
   * checks (the edge table: 28.5 M rows for a 700 MB snapshot, ~40 % less time than `append`).
   */
  appendUint2(rowid: number, a: number, b: number): void {
    if (!(a <= 0x7fffffff && b <= 0x7fffffff && rowid <= 0xffffffff && this.record.columnCount === 2)) {
      // a value this path does not encode (a huge element index in a label): the generic encoder
      const v = this.record.values;
      v[0] = a;
      v[1] = b;
      this.append(rowid);
      return;
    }
    const leaf = this.leaf;
    if (leaf.free < UINT2_CELL + 2) this.closeLeaf();
    const p = leaf.cells;
    const start = leaf.used;
    let at = rowid < 0x200000 ? putVarint(p, start + 1, rowid) : putVarint4(p, start + 1, rowid);
    const recordStart = at;
    p[at] = 3; // header size: itself and two serial types
    at += 3;
    at = putUint(p, recordStart + 1, a, at);
    at = putUint(p, recordStart + 2, b, at);
    p[start] = at - recordStart;
    leaf.endCell(at);
    this.lastRowid = rowid;
  }

  /**
   * Appends a row whose record is given as bytes: `head[0, headLength)` followed by `body[start, end)`
   * (e.g. a record header and the UTF-8 of one TEXT column). A record too big for the page spills into
   * overflow pages, split as SQLite splits it (fileformat2 §1.6: the local part is the size SQLite
   * computes from the payload size), so SQLite reads it back the same.
   */
  appendPayload(rowid: number, head: Uint8Array, headLength: number, body: Uint8Array, start: number, end: number): void {
    const size = headLength + (end - start);
    const local = localPayload(size);
    const cell = varintLength(size) + varintLength(rowid) + local + (local < size ? 4 : 0);
    if (this.leaf.free < cell + 2) this.closeLeaf();
    // Overflow pages first: the cell ends with the first one's number.
    const firstOverflow = local < size ? this.writeOverflow(head, headLength, body, start, end, local) : 0;
    const leaf = this.leaf;
    const c = leaf.cells;
    let at = putVarint(c, leaf.used, size);
    at = putVarint(c, at, rowid);
    if (local === size && end - start <= 64) {
      // the common case, a short string: byte loops instead of two subarrays per row
      for (let i = 0; i < headLength; i++) c[at++] = head[i];
      for (let i = start; i < end; i++) c[at++] = body[i];
    } else at = copyPayload(c, at, head, headLength, body, start, 0, local);
    if (local < size) {
      writeU32(c, at, firstOverflow);
      at += 4;
    }
    leaf.endCell(at);
    this.lastRowid = rowid;
  }

  /** Writes payload bytes [local, size) as a chain of overflow pages; returns the first page's number. */
  private writeOverflow(head: Uint8Array, headLength: number, body: Uint8Array, start: number, end: number, local: number): number {
    const size = headLength + (end - start);
    const run = this.run;
    let first = 0;
    for (let from = local; from < size; from += OVERFLOW_CONTENT) {
      const p = run.page();
      const to = Math.min(size, from + OVERFLOW_CONTENT);
      copyPayload(p, 4, head, headLength, body, start, from, to);
      const number = run.commit();
      if (first === 0) first = number;
      writeU32(p, 0, to < size ? PageRun.pageAfter(number) : 0); // the next page of the chain, 0 = last
    }
    return first;
  }

  private closeLeaf(): void {
    this.leaf.writeTo(this.run.page(), LEAF_TABLE);
    this.pages.push(this.run.commit());
    this.maxKeys.push(this.lastRowid);
    this.leaf.reset();
  }

  /** Writes the interior levels; returns the root page number. */
  finish(): number {
    // the last leaf (or, for an empty table, the one empty leaf)
    if (this.leaf.count > 0 || this.pages.length === 0) this.closeLeaf();
    let pages = this.pages.data.subarray(0, this.pages.length);
    let keys = this.maxKeys.data.subarray(0, this.maxKeys.length);
    const b = new PageBuilder(12);
    while (pages.length > 1) {
      const starts = splitChildren(pages.length, (i) => 4 + varintLength(keys[i]), 12);
      const up = new Float64Array(starts.length);
      const upKeys = new Float64Array(starts.length);
      for (let s = 0; s < starts.length; s++) {
        const first = starts[s];
        const last = (s + 1 < starts.length ? starts[s + 1] : pages.length) - 1;
        b.reset();
        for (let i = first; i < last; i++) {
          writeU32(b.cells, b.used, pages[i]);
          b.endCell(putVarint(b.cells, b.used + 4, keys[i]));
        }
        b.writeTo(this.run.page(), INTERIOR_TABLE, pages[last]);
        up[s] = this.run.commit();
        upKeys[s] = keys[last];
      }
      pages = up;
      keys = upKeys;
    }
    return pages[0];
  }
}

/**
 * Writes the record header of a row (INTEGER PRIMARY KEY, TEXT): the key column is NULL (SQLite reads the
 * rowid), the text has `byteLength` bytes of UTF-8. Returns the header's length (`head` needs 11 bytes).
 */
export function textRowHeader(head: Uint8Array, byteLength: number): number {
  const type = 13 + 2 * byteLength;
  const length = 2 + varintLength(type); // at most 11: its own size fits in one byte
  head[0] = length;
  head[1] = 0;
  putVarint(head, 2, type);
  return length;
}

/** Largest cell of `appendUint2`: size byte, rowid varint (rowids stay below 2^32: 5 bytes), 3-byte header, 2 × 4 bytes. */
const UINT2_CELL = 1 + 5 + 3 + 8;

/** A varint of 4 or 5 bytes (rowids in [2^21, 2^35)). */
function putVarint4(p: Uint8Array, at: number, v: number): number {
  if (v < 0x10000000) {
    p[at] = 0x80 | (v >>> 21);
    p[at + 1] = 0x80 | ((v >>> 14) & 0x7f);
    p[at + 2] = 0x80 | ((v >>> 7) & 0x7f);
    p[at + 3] = v & 0x7f;
    return at + 4;
  }
  return putVarint(p, at, v);
}

/**
 * Writes integer `v` in [0, 2^31) as a record column: its serial type at `typeAt`, its bytes at `at`
 * (big-endian, the fewest SQLite allows); returns the end of the bytes.
 */
function putUint(p: Uint8Array, typeAt: number, v: number, at: number): number {
  if (v <= 1) {
    p[typeAt] = 8 + v; // the constants 0 and 1 take no bytes
    return at;
  }
  if (v < 0x80) {
    p[typeAt] = 1;
    p[at] = v;
    return at + 1;
  }
  if (v < 0x8000) {
    p[typeAt] = 2;
    p[at] = v >>> 8;
    p[at + 1] = v & 0xff;
    return at + 2;
  }
  if (v < 0x800000) {
    p[typeAt] = 3;
    p[at] = v >>> 16;
    p[at + 1] = (v >>> 8) & 0xff;
    p[at + 2] = v & 0xff;
    return at + 3;
  }
  p[typeAt] = 4;
  p[at] = v >>> 24;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
  return at + 4;
}

/** Content bytes of an overflow page (after its 4-byte next-page number). */
const OVERFLOW_CONTENT = PAGE_SIZE - 4;

/** How much of a table-leaf payload of `size` bytes stays on the leaf page (SQLite's rule, U = page size). */
export function localPayload(size: number): number {
  const maxLocal = PAGE_SIZE - 35;
  if (size <= maxLocal) return size;
  const minLocal = Math.floor(((PAGE_SIZE - 12) * 32) / 255) - 23;
  const k = minLocal + ((size - minLocal) % OVERFLOW_CONTENT);
  return k <= maxLocal ? k : minLocal;
}

/** Copies payload bytes [from, to) of the payload `head[0, headLength) ++ body[start, end)` to `p[at…]`. */
function copyPayload(p: Uint8Array, at: number, head: Uint8Array, headLength: number, body: Uint8Array, start: number, from: number, to: number): number {
  if (from < headLength) {
    const n = Math.min(to, headLength) - from;
    p.set(head.subarray(from, from + n), at);
    at += n;
    from += n;
  }
  if (from < to) {
    p.set(body.subarray(start + from - headLength, start + to - headLength), at);
    at += to - from;
  }
  return at;
}

// ---- index b-trees (indexes and WITHOUT ROWID tables) -----------------------------------------

/**
 * Builds an index b-tree from records appended in ascending key order. Unlike a table b-tree, every
 * entry appears once: the entry between two leaves moves up into the parent as the separator. So
 * when a leaf is full the next entry is withheld; if another follows, the withheld one becomes the
 * separator, and if none does it goes into the last leaf (room for one more cell is always kept).
 */
export class IndexTreeWriter {
  private readonly leaf = new PageBuilder(8);
  private readonly pages = new NumberList();
  /** Separator cells (size byte + record), one after each leaf but the last. */
  private readonly separators: Uint8Array[] = [];
  private withheld: Uint8Array | null = null;
  private readonly maxCell: number;
  constructor(
    private readonly run: PageRun,
    readonly record: RecordEncoder,
  ) {
    this.maxCell = 1 + record.maxSize;
  }

  append(): void {
    const leaf = this.leaf;
    if (this.withheld !== null || leaf.free < 2 * (this.maxCell + 2)) {
      if (this.withheld === null) {
        // full: hold this entry back; it is the separator if another entry follows
        const w = new Uint8Array(this.maxCell);
        const end = this.record.encode(w, 1);
        w[0] = end - 1;
        this.withheld = w.subarray(0, end);
        return;
      }
      leaf.writeTo(this.run.page(), LEAF_INDEX);
      this.pages.push(this.run.commit());
      this.separators.push(this.withheld);
      this.withheld = null;
      leaf.reset();
    }
    const c = leaf.cells;
    const end = this.record.encode(c, leaf.used + 1);
    c[leaf.used] = end - leaf.used - 1;
    leaf.endCell(end);
  }

  finish(): number {
    const leaf = this.leaf;
    if (this.withheld !== null) {
      leaf.cells.set(this.withheld, leaf.used);
      leaf.endCell(leaf.used + this.withheld.length);
      this.withheld = null;
    }
    leaf.writeTo(this.run.page(), LEAF_INDEX);
    this.pages.push(this.run.commit());

    let pages = Array.from(this.pages.data.subarray(0, this.pages.length));
    let seps = this.separators;
    const b = new PageBuilder(12);
    while (pages.length > 1) {
      // child i's cell holds separator i (the entry between child i and child i+1)
      const starts = splitChildren(pages.length, (i) => 4 + seps[i].length, 12);
      const up: number[] = [];
      const upSeps: Uint8Array[] = [];
      for (let s = 0; s < starts.length; s++) {
        const first = starts[s];
        const last = (s + 1 < starts.length ? starts[s + 1] : pages.length) - 1;
        b.reset();
        for (let i = first; i < last; i++) {
          writeU32(b.cells, b.used, pages[i]);
          b.cells.set(seps[i], b.used + 4);
          b.endCell(b.used + 4 + seps[i].length);
        }
        b.writeTo(this.run.page(), INTERIOR_INDEX, pages[last]);
        up.push(this.run.commit());
        // the separator after this page's last child moves up to the next level
        if (s + 1 < starts.length) upSeps.push(seps[last]);
      }
      pages = up;
      seps = upSeps;
    }
    return pages[0];
  }
}

// ---- the database file -----------------------------------------------------------------------

export interface SchemaEntry {
  type: 'table' | 'index';
  name: string;
  tableName: string;
  rootPage: number;
  sql: string;
}

const encoder = new TextEncoder();

/**
 * Writes page 1: the 100-byte database header and the sqlite_schema table (one leaf) listing
 * `entries`. `pageCount` is the database size in pages.
 */
export function writeHeaderPage(fd: number, pageCount: number, entries: SchemaEntry[]): void {
  const p = new Uint8Array(PAGE_SIZE);
  p.set(encoder.encode('SQLite format 3\0'), 0);
  p[16] = PAGE_SIZE >>> 8;
  p[17] = PAGE_SIZE & 0xff;
  p[18] = 1; // legacy (rollback journal) write and read versions
  p[19] = 1;
  p[20] = 0; // reserved bytes per page
  p[21] = 64; // payload fractions, fixed by the format
  p[22] = 32;
  p[23] = 32;
  writeU32(p, 24, 1); // file change counter…
  writeU32(p, 28, pageCount); // …equal to version-valid-for (92), so this size is trusted
  writeU32(p, 40, 1); // schema cookie
  writeU32(p, 44, 4); // schema format 4: 0 and 1 stored without body bytes
  writeU32(p, 56, 1); // UTF-8
  writeU32(p, 92, 1);
  writeU32(p, 96, 3053000);

  // page 1's b-tree header starts after the database header, so its cells are laid out by hand
  let content = PAGE_SIZE;
  const header = 100;
  entries.forEach((e, k) => {
    const texts = [e.type, e.name, e.tableName].map((t) => encoder.encode(t));
    const sql = encoder.encode(e.sql);
    const types = [...texts.map((t) => 13 + 2 * t.length), serialType(e.rootPage), 13 + 2 * sql.length];
    let headerSize = types.reduce((n, t) => n + varintLength(t), 0);
    headerSize += varintLength(headerSize + 1) === 1 ? 1 : 2;
    const size = headerSize + texts.reduce((n, t) => n + t.length, 0) + BODY_BYTES[serialType(e.rootPage)] + sql.length;
    const rowid = k + 1;
    const cell = varintLength(size) + varintLength(rowid) + size;
    content -= cell;
    if (content < header + 8 + 2 * entries.length || size > PAGE_SIZE - 35) throw new Error('writeHeaderPage: schema does not fit page 1');
    const ptr = header + 8 + 2 * k;
    p[ptr] = content >>> 8;
    p[ptr + 1] = content & 0xff;
    let at = putVarint(p, content, size);
    at = putVarint(p, at, rowid);
    at = putVarint(p, at, headerSize);
    for (const t of types) at = putVarint(p, at, t);
    for (const t of texts) {
      p.set(t, at);
      at += t.length;
    }
    const rt = serialType(e.rootPage);
    putInt(p, at, e.rootPage, BODY_BYTES[rt]);
    at += BODY_BYTES[rt];
    p.set(sql, at);
  });
  p[header] = LEAF_TABLE;
  p[header + 3] = entries.length >>> 8;
  p[header + 4] = entries.length & 0xff;
  p[header + 5] = content >>> 8;
  p[header + 6] = content & 0xff;
  let off = 0;
  while (off < PAGE_SIZE) off += writeSync(fd, p, off, PAGE_SIZE - off, off);
}
