// The snapshot's string table, kept as a few thousand long JavaScript strings (chunks of consecutive
// strings joined) and typed arrays of where each string lies, instead of one JavaScript string per entry.
//
// Why: V8's garbage collector visits every live object of a heap on each full collection, and the
// ingest triggers a full collection every few tens of megabytes of typed arrays it allocates. With a
// real heap's 0.5–2 M strings as separate objects each collection took 15–60 ms, ~20 times per ingest:
// up to 0.9 s of a 700 MB ingest and a quarter of a 150 MB one rich in strings. A few thousand chunks
// cost the collector next to nothing, and 8 bytes per string instead of ~24 of object header and slot.
//
// A string is built (`get`) only where its text is needed; `equals`, `lengthOf` and `charCodeAt` answer
// without building it, so loops over every node or edge can test names against constants for free.

import { grownUint32 } from '../util/typed-arrays.js';

/** Strings per chunk at most; a chunk also ends before it passes CHUNK_CHARS characters. */
const CHUNK_STRINGS = 4096;
const CHUNK_CHARS = 1 << 22;

export class StringTable {
  /** Number of strings. */
  readonly length: number;
  private readonly chunks: readonly string[];
  /** Chunk of each string. */
  private readonly chunkOf: Uint32Array;
  /** Offset of each string in its chunk; the string ends where the next one in the chunk starts, or at the chunk's end. */
  private readonly begin: Uint32Array;

  private constructor(chunks: string[], chunkOf: Uint32Array, begin: Uint32Array) {
    this.chunks = chunks;
    this.chunkOf = chunkOf;
    this.begin = begin;
    this.length = begin.length;
  }

  static from(strings: readonly string[]): StringTable {
    const b = new StringTableBuilder();
    for (const s of strings) b.push(s);
    return b.finish();
  }

  /** The string at `i`; undefined past the end, as an array would answer. */
  get(i: number): string | undefined {
    if (!this.has(i)) return undefined;
    const chunk = this.chunks[this.chunkOf[i]];
    return chunk.substring(this.begin[i], this.end(i, chunk));
  }

  /** The string's length in UTF-16 units, without building it (0 past the end). */
  lengthOf(i: number): number {
    if (!this.has(i)) return 0;
    return this.end(i, this.chunks[this.chunkOf[i]]) - this.begin[i];
  }

  /** Whether string `i` is `text`, without building it (false past the end). */
  equals(i: number, text: string): boolean {
    if (!this.has(i)) return false;
    const chunk = this.chunks[this.chunkOf[i]];
    const b = this.begin[i];
    return this.end(i, chunk) - b === text.length && chunk.startsWith(text, b);
  }

  /** The chunk holding string `i` (see offsetOf, endOf): read its characters without building it. */
  chunkText(i: number): string {
    return this.chunks[this.chunkOf[i]];
  }

  /** Offset of string `i` in its chunk. */
  offsetOf(i: number): number {
    return this.begin[i];
  }

  /** Offset just past string `i` in its chunk. */
  endOf(i: number): number {
    return this.end(i, this.chunks[this.chunkOf[i]]);
  }

  /** Calls `visit` with each chunk and its strings' range [first, first + count): for work on many strings at once. */
  forEachChunk(visit: (text: string, first: number, count: number) => void): void {
    let first = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      let count = 0;
      while (first + count < this.length && this.chunkOf[first + count] === c) count++;
      visit(this.chunks[c], first, count);
      first += count;
    }
  }

  /** Every string, built (tests and small tables). */
  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i) as string;
    return out;
  }

  /** Whether `i` is an index of the table (an integer in range, as an array index would be). */
  private has(i: number): boolean {
    return (i | 0) === i && i >= 0 && i < this.length;
  }

  private end(i: number, chunk: string): number {
    const next = i + 1;
    return next < this.length && this.chunkOf[next] === this.chunkOf[i] ? this.begin[next] : chunk.length;
  }
}

/** Collects strings one by one (the parser's order) into a StringTable. */
export class StringTableBuilder {
  private readonly chunks: string[] = [];
  /** The open chunk's text so far, in parts (joined when it closes); runs of ASCII strings wait as bytes. */
  private parts: string[] = [];
  private bytes = new Uint8Array(1 << 16);
  private byteCount = 0;
  /** Strings and characters in the open chunk. */
  private chunkStrings = 0;
  private chunkChars = 0;
  private chunkOf = new Uint32Array(1024);
  private begin = new Uint32Array(1024);
  private n = 0;

  /** Strings pushed so far. */
  get length(): number {
    return this.n;
  }

  push(s: string): void {
    this.open(s.length);
    this.flushBytes();
    this.parts.push(s);
  }

  /**
   * Pushes the string whose text is the ASCII bytes [start, end) of `buf` (the parser's escape-free
   * strings, most of a heap's): copied as bytes and decoded with their neighbours in one call, so no
   * string is made per entry.
   */
  pushAscii(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.open(n);
    if (this.byteCount + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.byteCount + n));
      grown.set(this.bytes.subarray(0, this.byteCount));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    let at = this.byteCount;
    for (let i = start; i < end; i++) bytes[at++] = buf[i];
    this.byteCount = at;
  }

  finish(): StringTable {
    if (this.chunkStrings > 0) this.close();
    // The constructor is private to keep the arrays' invariants in this file.
    const make = StringTable as unknown as new (c: string[], o: Uint32Array, b: Uint32Array) => StringTable;
    return new make(this.chunks, this.chunkOf.slice(0, this.n), this.begin.slice(0, this.n));
  }

  /** Starts string n, of `length` characters, in the open chunk (closing it first when full). */
  private open(length: number): void {
    if (this.chunkStrings === CHUNK_STRINGS || (this.chunkStrings > 0 && this.chunkChars + length > CHUNK_CHARS)) this.close();
    if (this.n === this.begin.length) {
      this.chunkOf = grownUint32(this.chunkOf);
      this.begin = grownUint32(this.begin);
    }
    this.chunkOf[this.n] = this.chunks.length;
    this.begin[this.n] = this.chunkChars;
    this.n++;
    this.chunkStrings++;
    this.chunkChars += length;
  }

  private flushBytes(): void {
    if (this.byteCount === 0) return;
    this.parts.push(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.byteCount).toString('latin1'));
    this.byteCount = 0;
  }

  private close(): void {
    this.flushBytes();
    // join() makes one flat string; the parts become garbage while they are still young (cheap to collect).
    this.chunks.push(this.parts.length === 1 ? this.parts[0] : this.parts.join(''));
    this.parts = [];
    this.chunkStrings = 0;
    this.chunkChars = 0;
  }
}
