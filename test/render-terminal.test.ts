// A terminal's manners (src/render/terminal.ts) as tables: widths from COLUMNS and the terminal, colour
// from NO_COLOR / FORCE_COLOR / --color, human sizes, separators, plurals, fitting and wrapping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  count,
  countOf,
  displayWidth,
  fitEnd,
  fitLine,
  mannersFor,
  paint,
  plural,
  signedCount,
  signedSize,
  size,
  stripAnsi,
  wrapHops,
  wrapText,
  type Manners,
} from '../src/render/terminal.js';

const tty = { isTTY: true, columns: 132 };
const pipe = { isTTY: false };

test('mannersFor: width from --wide, COLUMNS, the terminal, else 100', () => {
  const cases: [string, { wide?: boolean }, object, Record<string, string>, number][] = [
    ['pipe', {}, pipe, {}, 100],
    ['terminal', {}, tty, {}, 132],
    ['COLUMNS beats the terminal', {}, tty, { COLUMNS: '80' }, 80],
    ['COLUMNS on a pipe', {}, pipe, { COLUMNS: '120' }, 120],
    ['COLUMNS=0 is ignored', {}, pipe, { COLUMNS: '0' }, 100],
    ['COLUMNS not a number', {}, tty, { COLUMNS: 'wide' }, 132],
    ['COLUMNS negative', {}, pipe, { COLUMNS: '-5' }, 100],
    ['--wide', { wide: true }, tty, { COLUMNS: '80' }, Infinity],
    ['terminal without columns', {}, { isTTY: true }, {}, 100],
  ];
  for (const [what, opts, stream, env, want] of cases) assert.equal(mannersFor(opts, stream, env).width, want, what);
});

test('mannersFor: colour on a terminal only, NO_COLOR, FORCE_COLOR, TERM=dumb and --color', () => {
  const cases: [string, string | undefined, object, Record<string, string>, boolean][] = [
    ['terminal', undefined, tty, {}, true],
    ['pipe', undefined, pipe, {}, false],
    ['NO_COLOR on a terminal', 'auto', tty, { NO_COLOR: '1' }, false],
    ['empty NO_COLOR is unset', 'auto', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR on a pipe', 'auto', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR empty enables', 'auto', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a terminal', 'auto', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false', 'auto', tty, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR beats NO_COLOR', 'auto', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ['TERM=dumb', 'auto', tty, { TERM: 'dumb' }, false],
    ['--color always on a pipe', 'always', pipe, { NO_COLOR: '1' }, true],
    ['--color never on a terminal', 'never', tty, { FORCE_COLOR: '1' }, false],
  ];
  for (const [what, color, stream, env, want] of cases) assert.equal(mannersFor({ color }, stream, env).color, want, what);
  assert.equal(mannersFor({ bytes: true }, pipe, {}).rawBytes, true);
  assert.equal(mannersFor({}, pipe, {}).rawBytes, false);
});

test('size: decimal units, three significant digits; --bytes exact with separators', () => {
  const human = { rawBytes: false };
  const raw = { rawBytes: true };
  const cases: [number, string, string][] = [
    [0, '0 B', '0 B'],
    [812, '812 B', '812 B'],
    [999, '999 B', '999 B'],
    [1000, '1.00 kB', '1,000 B'],
    [1500, '1.50 kB', '1,500 B'],
    [12_345, '12.3 kB', '12,345 B'],
    [532_000, '532 kB', '532,000 B'],
    [999_499, '999 kB', '999,499 B'],
    [999_999, '1.00 MB', '999,999 B'], // rounds up into the next unit
    [10_230_184, '10.2 MB', '10,230,184 B'],
    [62_700_000, '62.7 MB', '62,700,000 B'],
    [1_234_567_890, '1.23 GB', '1,234,567,890 B'],
    [-532_000, '-532 kB', '-532,000 B'],
  ];
  for (const [n, h, r] of cases) {
    assert.equal(size(n, human), h, `${n}`);
    assert.equal(size(n, raw), r, `${n} raw`);
  }
  assert.equal(signedSize(1_230_000, human), '+1.23 MB');
  assert.equal(signedSize(-40, human), '-40 B');
  assert.equal(signedSize(0, human), '0 B');
  assert.equal(signedSize(4096, raw), '+4,096 B');
});

test('count, signedCount, plural, countOf', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [3000, '3,000'],
    [156_799, '156,799'],
    [1_234_567, '1,234,567'],
    [-1_234_567, '-1,234,567'],
    [1234.5, '1,234.5'],
  ];
  for (const [n, want] of cases) assert.equal(count(n), want);
  assert.equal(signedCount(3000), '+3,000');
  assert.equal(signedCount(-12), '-12');
  assert.equal(signedCount(0), '0');
  assert.equal(plural(1, 'child', 'children'), 'child');
  assert.equal(plural(2, 'child', 'children'), 'children');
  assert.equal(plural(0, 'object'), 'objects');
  assert.equal(`1 more ${plural(1, 'child', 'children')}`, '1 more child');
  assert.equal(countOf(1, 'more child', 'more children'), '1 more child');
  assert.equal(countOf(2, 'more child', 'more children'), '2 more children');
  assert.equal(countOf(3000, 'object'), '3,000 objects');
});

test('displayWidth: wide East-Asian characters 2, combining marks 0, colour 0', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['abc', 3],
    ['日本語', 6],
    ['ｱ', 1], // half-width katakana
    ['Ａ', 2], // full-width A
    ['e\u0301', 1], // e + combining acute
    ['한국', 4],
    ['🎉', 2],
    ['a\u200bb', 2],
    ['\u001b[1mbold\u001b[22m', 4],
  ];
  for (const [s, want] of cases) assert.equal(displayWidth(s), want, JSON.stringify(s));
});

test('fitLine: middle ellipsis within the width, by display width', () => {
  const cases: [string, number, string][] = [
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['abcdefghijklmnopqrstuvwxyz', 10, 'abcd…vwxyz'],
    ['abcdefghijklmnopqrstuvwxyz', 1, '…'],
    ['abcdefghijklmnopqrstuvwxyz', 0, ''],
    ['anything at all', Infinity, 'anything at all'],
  ];
  for (const [s, w, want] of cases) assert.equal(fitLine(s, w), want, `${s} @${w}`);
  // The tail keeps a location's line:col.
  const loc = fitLine('onRefresh (https://example.com/a/very/long/path/to/index.html:6:70)', 30);
  assert.equal(loc, 'onRefresh (h…/index.html:6:70)');
  // Wide characters: never more columns than asked, whatever the split.
  for (let w = 2; w <= 12; w++) {
    const out = fitLine('日本語のテキストです', w);
    assert.ok(displayWidth(out) <= w, `${out} @${w}`);
    assert.ok(out.includes('…'));
  }
  // A combining mark stays with its base character.
  const accented = 'e\u0301'.repeat(20);
  for (let w = 3; w < 20; w++) {
    const out = fitLine(accented, w);
    assert.ok(displayWidth(out) <= w);
    assert.doesNotMatch(out, /…\u0301/, `orphan mark @${w}`);
  }
  assert.equal(fitEnd('abcdefghij', 5), 'abcd…');
  assert.equal(fitEnd('abc', 5), 'abc');
});

test('wrapHops: breaks only between hops, never past the width; a long hop is shortened', () => {
  const hops = ['window', 'script scope of index.html', 'bus', '.handlers', 'Array[]', 'onRefresh (index.html:6:70)'];
  // Wide enough: one line.
  assert.deepEqual(wrapHops('1. ', hops, 200, 4), ['1. window → script scope of index.html → bus → .handlers → Array[] → onRefresh (index.html:6:70)']);
  assert.deepEqual(wrapHops('1. ', hops, Infinity, 4), ['1. window → script scope of index.html → bus → .handlers → Array[] → onRefresh (index.html:6:70)']);
  // 40 columns: every line fits, ends with the arrow when continued, starts with the indent after.
  const lines = wrapHops('1. ', hops, 40, 4);
  assert.deepEqual(lines, ['1. window → script scope of index.html →', '    bus → .handlers → Array[] →', '    onRefresh (index.html:6:70)']);
  // Every hop survives whole when it fits a line, at every width.
  for (let w = 32; w <= 120; w++) {
    const ls = wrapHops('path: ', hops, w, '  ');
    for (const l of ls) assert.ok(displayWidth(l) <= w, `${JSON.stringify(l)} @${w}`);
    const joined = ls
      .map((l, i) => (i === 0 ? l.slice('path: '.length) : l.slice(2)))
      .join(' ')
      .replace(/→ /g, '→ ')
      .replace(/ +/g, ' ');
    assert.equal(joined, hops.join(' → '), `@${w}`);
  }
  // A hop wider than the line is shortened, never overflowing.
  const long = ['root', 'x'.repeat(200), 'leaf'];
  for (const w of [20, 50, 80]) {
    const ls = wrapHops('> ', long, w, 2);
    for (const l of ls) assert.ok(displayWidth(l) <= w, `${l} @${w}`);
    assert.ok(ls.some((l) => l.includes('…')));
    assert.match(ls[ls.length - 1], /leaf$/);
  }
  // A custom separator, and no hops.
  assert.deepEqual(wrapHops('', ['a', 'b', 'c'], 6, 0, ' / '), ['a /', 'b / c']);
  assert.deepEqual(wrapHops('p', [], 10, 2), ['p']);
  // A prefix that leaves no room stands on its own line.
  const ls = wrapHops('x'.repeat(30), ['hop'], 32, 4);
  assert.deepEqual(ls, ['x'.repeat(30), '    hop']);
});

test('wrapText: prose broken at spaces within the width', () => {
  const text = 'Total size 5.30 MB (DevTools title size, incl. 12.3 kB extra native). Max JS object id 123456.';
  assert.deepEqual(wrapText(text, 200), [text]);
  assert.deepEqual(wrapText(text, Infinity), [text]);
  assert.deepEqual(wrapText(text, 40, '  '), ['Total size 5.30 MB (DevTools title size,', '  incl. 12.3 kB extra native). Max JS', '  object id 123456.']);
  for (let w = 10; w < 100; w++) for (const l of wrapText(text, w, '  ')) assert.ok(displayWidth(l) <= w, `${l} @${w}`);
  assert.deepEqual(wrapText('  indented words here', 12), ['  indented', 'words here']);
  assert.deepEqual(wrapText('x'.repeat(30), 10), ['xxxx…xxxxx']);
  assert.deepEqual(wrapText('of the heap (4,470,487 B).', 22), ['of the heap', '(4,470,487 B).']);
  assert.deepEqual(wrapText('grew by 10.2 MB in all', 13), ['grew by', '10.2 MB in', 'all']);
});

test('paint: ANSI only with colour; stripAnsi undoes it', () => {
  const on: Manners = { width: 80, color: true, rawBytes: false };
  const off: Manners = { ...on, color: false };
  assert.equal(paint('x', 'bold', off), 'x');
  assert.equal(paint('x', 'bold', on), '\u001b[1mx\u001b[22m');
  assert.equal(paint('x', 'red', on), '\u001b[31mx\u001b[39m');
  assert.equal(paint('', 'red', on), '');
  for (const s of ['bold', 'dim', 'red', 'green', 'yellow', 'cyan'] as const) assert.equal(stripAnsi(paint('text', s, on)), 'text');
});
