// Writes SQLite b-trees as raw pages, without SQLite. Why: the big tables hold tens of millions of
// rows (a 700 MB snapshot has 8.4 M nodes and 28.5 M edges, each stored twice for the two directions),
// and binding them through better-sqlite3 costs ~0.3 µs a row even with 100-row statements, over 20 s
// of CPU. Encoding the same records in JS straight into 16 KiB pages costs a few tens of nanoseconds.
// The result is an ordinary SQLite file (https://www.sqlite.org/fileformat2.html): SQLite then opens
// it and adds the small tables, and `PRAGMA integrity_check` accepts it (test/sqlite-pages.test.ts).
//
// Only what heapdiff needs: integer columns (plus NULL for a rowid alias), rowids and index keys
// appended in ascending order, records that never overflow a page, page size 16384, UTF-8, no
// reserved bytes, no freelist. Trees are built bottom-up: leaves are written as they fill, the
// interior levels when the tree is finished, so memory stays at one page per tree plus one separator
// per leaf.
//
// Trees are written into a *page run*: a file of pages numbered from `base` (the page number the run's
// first page will have in the database). A run can be written in its own thread and file and appended
// to the database later (`appendPageRun` moves its child pointers by the difference).

import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export const PAGE_SIZE = 16384;

const LEAF_TABLE = 0x0d;
const INTERIOR_TABLE = 0x05;
const LEAF_INDEX = 0x0a;
const INTERIOR_INDEX = 0x02;
/** Free space kept in an index leaf so that a withheld separator always fits at the end (see IndexTreeWriter). */
const INDEX_RESERVE = 128;
/** Pages staged in memory between two writes. */
const STAGE_PAGES = 256;

/** Appends pages to a file. Page numbers are SQLite's (1-based) as the pages will be in the database. */
export class PageRun {
  private readonly stage = new Uint8Array(STAGE_PAGES * PAGE_SIZE);
  private staged = 0;
  private written = 0;
  constructor(
    private readonly fd: number,
    /** Database page number of this run's first page. */
    readonly base: number,
    /** Where the run's first page goes in the file: 0 for a file of its own, (base - 1) × PAGE_SIZE when writing into the database itself. */
    private readonly fileOffset = 0,
  ) {}

  /** The page number the next appended page gets. */
  get nextPage(): number {
    return this.base + this.written + this.staged;
  }
  get pageCount(): number {
    return this.written + this.staged;
  }

  /** A zeroed buffer for the next page; call `commit()` once it is filled. */
  page(): Uint8Array {
    if (this.staged === STAGE_PAGES) this.flush();
    const p = this.stage.subarray(this.staged * PAGE_SIZE, (this.staged + 1) * PAGE_SIZE);
    p.fill(0);
    return p;
  }
  /** Appends the page returned by the last `page()`; returns its page number. */
  commit(): number {
    return this.base + this.written + this.staged++;
  }

  flush(): void {
    let off = 0;
    const len = this.staged * PAGE_SIZE;
    while (off < len) off += writeSync(this.fd, this.stage, off, len - off, this.fileOffset + this.written * PAGE_SIZE + off);
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
  const n = varintLength(v);
  let x = v;
  p[at + n - 1] = x % 128;
  for (let i = n - 2; i >= 0; i--) {
    x = Math.floor(x / 128);
    p[at + i] = 0x80 | x % 128;
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
 * One record of integer columns; `values[nullColumn]` is ignored and stored as NULL (a table's
 * INTEGER PRIMARY KEY column, whose value is the rowid). Reused for every row: set `values`, then
 * `measure()`, then `write()`.
 */
export class RecordEncoder {
  readonly values: Float64Array;
  private readonly types: Uint8Array;
  private headerSize = 0;
  /** Payload bytes of the last measured record. */
  size = 0;
  constructor(
    readonly columnCount: number,
    private readonly nullColumn = -1,
  ) {
    if (columnCount >= 127) throw new Error('RecordEncoder: too many columns');
    this.values = new Float64Array(columnCount);
    this.types = new Uint8Array(columnCount);
  }
  measure(): number {
    const { values, types, columnCount } = this;
    let body = 0;
    for (let c = 0; c < columnCount; c++) {
      const t = c === this.nullColumn ? 0 : serialType(values[c]);
      types[c] = t;
      body += BODY_BYTES[t];
    }
    this.headerSize = columnCount + 1;
    return (this.size = this.headerSize + body);
  }
  /** Writes the measured record at `at`; returns the end offset. */
  write(p: Uint8Array, at: number): number {
    const { values, types, columnCount } = this;
    p[at] = this.headerSize;
    let h = at + 1;
    let b = at + this.headerSize;
    for (let c = 0; c < columnCount; c++) {
      const t = types[c];
      p[h++] = t;
      const n = BODY_BYTES[t];
      if (n > 0) {
        putInt(p, b, values[c], n);
        b += n;
      }
    }
    return b;
  }
}

// ---- page assembly -----------------------------------------------------------------------------

/** A b-tree page being filled: cell pointers grow up from the header, cell contents down from the end. */
class PageBuilder {
  page!: Uint8Array;
  cells = 0;
  contentStart = PAGE_SIZE;
  constructor(private readonly headerSize: number) {}
  reset(page: Uint8Array): void {
    this.page = page;
    this.cells = 0;
    this.contentStart = PAGE_SIZE;
  }
  get free(): number {
    return this.contentStart - (this.headerSize + 2 * this.cells);
  }
  /** Reserves `size` bytes for a new cell and returns its offset. */
  addCell(size: number): number {
    const at = (this.contentStart -= size);
    const ptr = this.headerSize + 2 * this.cells++;
    this.page[ptr] = at >>> 8;
    this.page[ptr + 1] = at & 0xff;
    return at;
  }
  finishHeader(flag: number, rightChild = 0): void {
    const p = this.page;
    p[0] = flag;
    p[3] = this.cells >>> 8;
    p[4] = this.cells & 0xff;
    p[5] = (this.contentStart >>> 8) & 0xff; // 65536 would be written as 0; pages are 16384
    p[6] = this.contentStart & 0xff;
    if (flag === INTERIOR_TABLE || flag === INTERIOR_INDEX) writeU32(p, 8, rightChild);
  }
}

function writeU32(p: Uint8Array, at: number, v: number): void {
  p[at] = v >>> 24;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
}
function readU32(p: Uint8Array, at: number): number {
  return ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
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
  private lastRowid = -Infinity;
  private open = false;
  constructor(
    private readonly run: PageRun,
    readonly record: RecordEncoder,
  ) {}

  /** Appends a row whose columns are in `record.values`. */
  append(rowid: number): void {
    const size = this.record.measure();
    const cell = varintLength(size) + varintLength(rowid) + size;
    if (!this.open) this.startLeaf();
    else if (this.leaf.free < cell + 2) {
      this.closeLeaf();
      this.startLeaf();
    }
    const p = this.leaf.page;
    let at = this.leaf.addCell(cell);
    at = putVarint(p, at, size);
    at = putVarint(p, at, rowid);
    this.record.write(p, at);
    this.lastRowid = rowid;
  }

  private startLeaf(): void {
    this.leaf.reset(this.run.page());
    this.open = true;
  }
  private closeLeaf(): void {
    this.leaf.finishHeader(LEAF_TABLE);
    this.pages.push(this.run.commit());
    this.maxKeys.push(this.lastRowid);
    this.open = false;
  }

  /** Writes the interior levels; returns the root page number. */
  finish(): number {
    if (this.open) this.closeLeaf();
    if (this.pages.length === 0) {
      // an empty table is one empty leaf
      this.leaf.reset(this.run.page());
      this.leaf.finishHeader(LEAF_TABLE);
      return this.run.commit();
    }
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
        b.reset(this.run.page());
        for (let i = first; i < last; i++) {
          const at = b.addCell(4 + varintLength(keys[i]));
          writeU32(b.page, at, pages[i]);
          putVarint(b.page, at + 4, keys[i]);
        }
        b.finishHeader(INTERIOR_TABLE, pages[last]);
        up[s] = this.run.commit();
        upKeys[s] = keys[last];
      }
      pages = up;
      keys = upKeys;
    }
    return pages[0];
  }
}

// ---- index b-trees (indexes and WITHOUT ROWID tables) -----------------------------------------

/**
 * Builds an index b-tree from records appended in ascending key order. Unlike a table b-tree, every
 * entry appears once: the entry between two leaves moves up into the parent as the separator. So
 * when a leaf is full the next entry is withheld; if another follows, the withheld one becomes the
 * separator, and if none does it goes into the last leaf (INDEX_RESERVE keeps room for it).
 */
export class IndexTreeWriter {
  private readonly leaf = new PageBuilder(8);
  private readonly pages = new NumberList();
  /** Separator records, one after each leaf but the last. */
  private readonly separators: Uint8Array[] = [];
  private withheld: Uint8Array | null = null;
  private open = false;
  constructor(
    private readonly run: PageRun,
    readonly record: RecordEncoder,
  ) {}

  append(): void {
    const size = this.record.measure();
    const cell = varintLength(size) + size;
    if (!this.open) this.startLeaf();
    else if (this.leaf.free < cell + 2 + INDEX_RESERVE) {
      if (this.withheld === null) {
        const w = new Uint8Array(cell);
        this.record.write(w, putVarint(w, 0, size));
        this.withheld = w;
        return;
      }
      this.leaf.finishHeader(LEAF_INDEX);
      this.pages.push(this.run.commit());
      this.separators.push(this.withheld);
      this.withheld = null;
      this.startLeaf();
    }
    const at = this.leaf.addCell(cell);
    this.record.write(this.leaf.page, putVarint(this.leaf.page, at, size));
  }

  private startLeaf(): void {
    this.leaf.reset(this.run.page());
    this.open = true;
  }

  finish(): number {
    if (!this.open) this.startLeaf();
    if (this.withheld !== null) {
      this.leaf.page.set(this.withheld, this.leaf.addCell(this.withheld.length));
      this.withheld = null;
    }
    this.leaf.finishHeader(LEAF_INDEX);
    this.pages.push(this.run.commit());
    this.open = false;

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
        b.reset(this.run.page());
        for (let i = first; i < last; i++) {
          const at = b.addCell(4 + seps[i].length);
          writeU32(b.page, at, pages[i]);
          b.page.set(seps[i], at + 4);
        }
        b.finishHeader(INTERIOR_INDEX, pages[last]);
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

/**
 * Copies a page run written with base `runBase` into `fd` at page `base`, moving the child pointers of
 * its interior pages by the difference (leaf pages hold no page numbers: records never overflow).
 */
export function appendPageRun(fd: number, runPath: string, runBase: number, base: number): number {
  const delta = base - runBase;
  const src = openSync(runPath, 'r');
  const buf = new Uint8Array(STAGE_PAGES * PAGE_SIZE);
  let pages = 0;
  try {
    for (;;) {
      let n = 0;
      while (n < buf.length) {
        const r = readSync(src, buf, n, buf.length - n, pages * PAGE_SIZE + n);
        if (r === 0) break;
        n += r;
      }
      if (n % PAGE_SIZE !== 0) throw new Error(`appendPageRun: ${runPath} is not a whole number of pages`);
      if (n === 0) break;
      if (delta !== 0) {
        for (let off = 0; off < n; off += PAGE_SIZE) {
          const flag = buf[off];
          if (flag !== INTERIOR_TABLE && flag !== INTERIOR_INDEX) continue;
          writeU32(buf, off + 8, readU32(buf, off + 8) + delta);
          const cells = (buf[off + 3] << 8) | buf[off + 4];
          for (let c = 0; c < cells; c++) {
            const cell = off + ((buf[off + 12 + 2 * c] << 8) | buf[off + 13 + 2 * c]);
            writeU32(buf, cell, readU32(buf, cell) + delta);
          }
        }
      }
      let w = 0;
      while (w < n) w += writeSync(fd, buf, w, n - w, (base - 1 + pages) * PAGE_SIZE + w);
      pages += n / PAGE_SIZE;
      if (n < buf.length) break;
    }
  } finally {
    closeSync(src);
  }
  return pages;
}
