// The parser's string table (src/parse/string-table.ts): strings kept as joined chunks must read back
// exactly as pushed, across chunk boundaries by count (4,096 strings) and by size (4 M characters),
// with empty strings, non-ASCII text and lone surrogates, and answer like an array past the end.

import assert from 'node:assert/strict';
import test from 'node:test';
import { StringTable, StringTableBuilder } from '../src/parse/string-table.js';

test('every string reads back as pushed, across chunk boundaries, and past the end like an array', () => {
  const strings: string[] = ['<dummy>', '', 'é', '日本語', '😀', 'lone \ud800', '\udc00x'];
  for (let i = 0; i < 10_000; i++) strings.push(i % 3 === 0 ? '' : `s${i}${i % 11 === 0 ? 'ü' : ''}`);
  strings.push('x'.repeat(3_000_000), 'y'.repeat(2_000_000), 'tail'); // a chunk closed by size, then a string alone
  const t = StringTable.from(strings);
  assert.equal(t.length, strings.length);
  assert.deepEqual(t.toArray(), strings);
  for (const i of [0, 1, 2, 5, 6, 4095, 4096, 4097, 8191, 8192, strings.length - 3, strings.length - 2, strings.length - 1]) {
    const s = strings[i];
    assert.equal(t.get(i), s, `get(${i})`);
    assert.equal(t.lengthOf(i), s.length, `lengthOf(${i})`);
    assert.ok(t.equals(i, s), `equals(${i})`);
    assert.ok(!t.equals(i, `${s}!`), `not equals(${i})`);
    assert.equal(t.chunkText(i).slice(t.offsetOf(i), t.endOf(i)), s, `span of ${i}`);
  }
  // a prefix of the next string is not a match (equal text, different length)
  assert.ok(!t.equals(2, ''));
  for (const i of [-1, strings.length, 1.5, Number.NaN]) {
    assert.equal(t.get(i), undefined);
    assert.equal(t.lengthOf(i), 0);
    assert.equal(t.equals(i, ''), false);
  }
  let seen = 0;
  t.forEachChunk((text, first, count) => {
    assert.equal(first, seen);
    assert.ok(count >= 1);
    assert.equal(text, strings.slice(first, first + count).join(''));
    seen += count;
  });
  assert.equal(seen, strings.length);
});

test("strings pushed as ASCII bytes (the parser's escape-free strings) and as strings, mixed, read back in order", () => {
  const strings: string[] = [];
  for (let i = 0; i < 9000; i++) strings.push(i % 5 === 0 ? `é${i}` : i % 7 === 0 ? '' : `k${i}`);
  strings.push('z'.repeat(5_000_000), 'after');
  const b = new StringTableBuilder();
  for (const s of strings) {
    if (/^[\x00-\x7f]*$/.test(s)) {
      const bytes = Buffer.from(`"${s}"`, 'latin1');
      b.pushAscii(bytes, 1, bytes.length - 1);
    } else b.push(s);
  }
  assert.equal(b.length, strings.length);
  const t = b.finish();
  assert.deepEqual(t.toArray(), strings);
  assert.ok(t.equals(9001, 'after'));
});

test('an empty table', () => {
  const t = StringTable.from([]);
  assert.equal(t.length, 0);
  assert.equal(t.get(0), undefined);
  assert.deepEqual(t.toArray(), []);
});
