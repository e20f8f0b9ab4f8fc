// The snapshot's string table as UTF-8 in shared memory, for the page writer thread (table-writers.ts),
// which writes the `strings` table as raw pages like the big tables. Why: inserting a million strings
// through SQLite, then copying them from the side file into the store, took 0.4–0.6 s of the ingest
// thread on a string-heavy 150 MB heap; encoding them here takes a few tens of milliseconds, and the
// writer thread turns them into pages beside the analysis.

import type { StringTable } from '../parse/string-table.js';
import { type PageRun, RecordEncoder, TableTreeWriter, textRowHeader } from './sqlite-pages.js';

/** The strings' UTF-8, in chunks of shared memory (a string never spans two chunks). */
export interface StringBytes {
  chunks: Uint8Array[];
  /** Index of the first string of each chunk. */
  firstOfChunk: number[];
  /** End offset of string i within its chunk; it starts where the previous string of the chunk ends (or at 0). */
  ends: Uint32Array;
}

/** Strings per group: a group is written with one call when all its text is ASCII. */
const GROUP = 4096;
/** Characters per group at most (besides a single longer string), so that 3 bytes per character stay far below 4 GiB. */
const GROUP_CHARS = 1 << 20;
const MAX_CHUNK = 1 << 30;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string with a lone surrogate (JSON allows `\ud800` alone) as SQLite stores it when better-sqlite3 binds
 * it: the surrogate's own three-byte sequence (ED A0 80 for U+D800), not U+FFFD, so that these stores hold
 * the same bytes as before the strings were written as pages. Returns the end offset.
 */
function writeWtf8(buf: Uint8Array, at: number, s: string): number {
  for (let k = 0; k < s.length; k++) {
    let c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        k++;
      }
    }
    if (c < 0x80) buf[at++] = c;
    else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    } else {
      buf[at++] = 0xf0 | (c >> 18);
      buf[at++] = 0x80 | ((c >> 12) & 0x3f);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/**
 * Encodes `strings` as UTF-8 (a lone surrogate as its own three bytes, see writeWtf8). All-ASCII
 * groups of strings are written straight from the table's chunk text, in one call; a group with other
 * characters is rewritten string by string.
 */
export function encodeStrings(strings: StringTable): StringBytes {
  const n = strings.length;
  const ends = new Uint32Array(new SharedArrayBuffer(4 * Math.max(1, n))).subarray(0, n);
  let remaining = 0;
  for (let i = 0; i < n; i++) remaining += strings.lengthOf(i);
  const chunks: Uint8Array[] = [];
  const firstOfChunk: number[] = [];
  let buf: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  let at = 0;
  const open = (first: number, need: number) => {
    if (chunks.length > 0) chunks[chunks.length - 1] = new Uint8Array(buf.buffer, buf.byteOffset, at);
    const size = Math.max(need, Math.min(MAX_CHUNK, Math.ceil(remaining * 1.05) + 65536));
    buf = Buffer.from(new SharedArrayBuffer(size));
    chunks.push(buf);
    firstOfChunk.push(first);
    at = 0;
  };
  open(0, 0);
  strings.forEachChunk((text, first, count) => {
    const last = first + count;
    for (let i = first; i < last; ) {
      let g = i;
      let chars = 0;
      while (g < last && g - i < GROUP && (g === i || chars + strings.lengthOf(g) <= GROUP_CHARS)) chars += strings.lengthOf(g++);
      if (at + 3 * chars > buf.length) open(i, 3 * chars);
      const from = strings.offsetOf(i);
      const joined = from === 0 && g === last ? text : text.substring(from, strings.endOf(g - 1));
      const written = buf.write(joined, at, 'utf8');
      if (written === joined.length) {
        // UTF-8 bytes = UTF-16 units only when every character is ASCII: each string's bytes are its length
        for (let j = i; j < g; j++) ends[j] = at += strings.lengthOf(j);
      } else {
        for (let j = i; j < g; j++) {
          const one = strings.get(j) as string;
          ends[j] = at = LONE_SURROGATE.test(one) ? writeWtf8(buf, at, one) : at + buf.write(one, at, 'utf8');
        }
      }
      remaining -= chars;
      i = g;
    }
  });
  chunks[chunks.length - 1] = new Uint8Array(buf.buffer, buf.byteOffset, at);
  return { chunks, firstOfChunk, ends };
}

/** Writes the strings table, (id INTEGER PRIMARY KEY, value TEXT) with rowid = the string's index; returns its root page. */
export function writeStringTable(run: PageRun, bytes: StringBytes): number {
  const { chunks, firstOfChunk, ends } = bytes;
  const tree = new TableTreeWriter(run, new RecordEncoder(1));
  const head = new Uint8Array(16);
  let c = -1;
  let chunk: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    while (c + 1 < firstOfChunk.length && firstOfChunk[c + 1] === i) {
      chunk = chunks[++c];
      start = 0;
    }
    const end = ends[i];
    tree.appendPayload(i, head, textRowHeader(head, end - start), chunk, start, end);
    start = end;
  }
  return tree.finish();
}
