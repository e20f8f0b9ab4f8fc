// Reads whole integer columns of a rowid table by walking its b-tree pages in the database file, the
// read-side twin of sqlite-pages.ts. Why: the analyses that need a column for every node (`suspects`,
// `diff`, `leaks`) spent ~75 ns a value going through SQL and JSON (3.8 s for the columns `suspects`
// reads on 8.4 M nodes); decoding the records straight from the pages costs a fraction of that.
//
// It reads any valid table b-tree (https://www.sqlite.org/fileformat2.html): interior and leaf pages in
// key order, any page size, reserved bytes. It gives up, returning null, on anything it does not handle:
// a payload that spills to overflow pages, a text or blob value in a wanted column, a rowid outside
// 0 … rowCount − 1, a page that is not a table page, a loop, or a write-ahead log beside the file (whose
// pages would be newer than the file's). The caller then reads through SQL.

import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';

const LEAF_TABLE = 0x0d;
/** Body bytes of the serial types 0 … 11 (integers, floats, the constants 0 and 1; 10 and 11 are reserved). */
const INT_BYTES = Uint8Array.from([0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0]);
const INTERIOR_TABLE = 0x05;

/**
 * Columns `columns` (0-based positions in the table's declared column list; a rowid alias reads as
 * its NULL) of the table whose b-tree starts at `rootPage`, as Float64Arrays indexed by rowid.
 */
export function readTableColumns(path: string, rootPage: number, columns: readonly number[], rowCount: number): Float64Array[] | null {
  if (existsSync(`${path}-wal`)) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return walk(fd, rootPage, columns, rowCount);
  } catch (e) {
    // A page this reader cannot decode (a record running past its page…): the file is malformed. Its
    // page checksums passed (open.ts), so it was written that way; SQLite would not read it either.
    throw new InputError(`${path}: malformed database (${(e as Error).message}); re-ingest the snapshot`);
  } finally {
    closeSync(fd);
  }
}

function walk(fd: number, rootPage: number, columns: readonly number[], rowCount: number): Float64Array[] | null {
  const head = Buffer.alloc(100);
  if (readSync(fd, head, 0, 100, 0) !== 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
  const rawSize = head.readUInt16BE(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  const usable = pageSize - head[20];
  const maxLocal = usable - 35; // a table leaf's payload spills to overflow pages past this
  const out = columns.map(() => new Float64Array(rowCount));
  const seen = new Uint8Array(rowCount);
  const wanted = new Int32Array(Math.max(0, ...columns) + 1).fill(-1);
  columns.forEach((c, i) => (wanted[c] = i));
  const lastWanted = wanted.length - 1;
  const page = Buffer.alloc(pageSize);
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  // The header's page count when SQLite keeps it valid: the page-checksum trailer (page-checksums.ts)
  // follows the last page and holds no pages.
  const headerPages = head.readUInt32BE(24) === head.readUInt32BE(92) ? head.readUInt32BE(28) : 0;
  const maxPages = headerPages > 0 ? Math.min(headerPages, Math.floor(fstatSync(fd).size / pageSize)) : Math.floor(fstatSync(fd).size / pageSize);
  const stack: number[] = [rootPage];
  let visited = 0;
  let rows = 0;
  while (stack.length > 0) {
    const pgno = stack.pop()!;
    if (++visited > maxPages || pgno < 1 || pgno > maxPages) return null; // a loop or a bad pointer
    if (readSync(fd, page, 0, pageSize, (pgno - 1) * pageSize) !== pageSize) return null;
    const h = pgno === 1 ? 100 : 0;
    const flag = page[h];
    const cells = page.readUInt16BE(h + 3);
    if (flag === INTERIOR_TABLE) {
      // children right to left onto the stack, so the leftmost (smallest keys) is read first
      stack.push(page.readUInt32BE(h + 8));
      for (let i = cells - 1; i >= 0; i--) stack.push(page.readUInt32BE(page.readUInt16BE(h + 12 + 2 * i)));
      if (stack.length > rowCount + 64) return null; // not a tree
      continue;
    }
    if (flag !== LEAF_TABLE) return null;
    for (let i = 0; i < cells; i++) {
      let p = (page[h + 8 + 2 * i] << 8) | page[h + 9 + 2 * i];
      // payload size and rowid: varints
      let size = 0;
      for (let b = 0; ; b++) {
        const x = page[p++];
        size = size * 128 + (x & 0x7f);
        if (x < 0x80) break;
        if (b === 8) return null;
      }
      if (size > maxLocal) return null;
      let rowid = 0;
      for (let b = 0; ; b++) {
        const x = page[p++];
        rowid = rowid * 128 + (x & 0x7f);
        if (x < 0x80) break;
        if (b === 7) return null; // 9-byte varints (negative or huge rowids) are not node ordinals
      }
      if (rowid >= rowCount || seen[rowid]) return null;
      seen[rowid] = 1;
      rows++;
      // record: header size, serial types, then the bodies
      const start = p;
      let headerSize = page[p++];
      if (headerSize >= 0x80) {
        headerSize = ((headerSize & 0x7f) << 7) | page[p++];
        if (page[p - 1] >= 0x80) return null;
      }
      const headerEnd = start + headerSize;
      let body = headerEnd;
      for (let c = 0; p < headerEnd && c <= lastWanted; c++) {
        const t = page[p++];
        const w = wanted[c];
        if (w < 0) {
          // not wanted: only its length
          if (t < 12) body += INT_BYTES[t];
          else if (t >= 0x80)
            return null; // a text or blob longer than 57 bytes: not an integer column
          else body += (t - (t % 2 === 0 ? 12 : 13)) / 2;
          continue;
        }
        let v: number;
        switch (t) {
          case 0:
          case 8:
            v = 0;
            break;
          case 1:
            v = (page[body] << 24) >> 24;
            break;
          case 2:
            v = ((page[body] << 24) >> 16) | page[body + 1];
            break;
          case 3:
            v = ((page[body] << 24) >> 8) | (page[body + 1] << 8) | page[body + 2];
            break;
          case 4:
            v = (page[body] << 24) | (page[body + 1] << 16) | (page[body + 2] << 8) | page[body + 3];
            break;
          case 5:
            v =
              (((page[body] << 24) >> 16) | page[body + 1]) * 0x100000000 +
              ((page[body + 2] << 24) >>> 0) +
              ((page[body + 3] << 16) | (page[body + 4] << 8) | page[body + 5]);
            break;
          case 6:
            v = Number(view.getBigInt64(body));
            break;
          case 7:
            v = view.getFloat64(body);
            break;
          case 9:
            v = 1;
            break;
          default:
            return null; // text or blob in a wanted column
        }
        out[w][rowid] = v;
        body += INT_BYTES[t];
      }
    }
  }
  return rows === rowCount ? out : null;
}
