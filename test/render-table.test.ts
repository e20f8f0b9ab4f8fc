// The table model and its renderers: heapy's exact text format, printf rounding, signed deltas, CSV,
// Markdown and escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHeapyTable, partitionLabel } from '../src/render/heapy.js';
import { formatFixed, formatSigned, renderCsv, renderMarkdown, tableToJson, type Table } from '../src/render/table.js';
import { safeText, safeTextMiddle } from '../src/render/escape.js';

test("formatFixed rounds like C's printf('%.0f'): half to even on the binary value", () => {
  const cases: [number, number, string][] = [
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [99.5, 0, '100'],
    [2.4999999, 0, '2'],
    [2.5000001, 0, '3'],
    [100, 0, '100'],
    [0, 0, '0'],
    [(100 * 1) / 8, 0, '12'], // 12.5
    [(100 * 3) / 8, 0, '38'], // 37.5
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [14.95, 1, '14.9'], // 14.95 is 14.949999… in binary
    [37.7, 1, '37.7'],
    [-2.5, 0, '-2'],
    [-0.3, 0, '-0'],
  ];
  for (const [x, d, want] of cases) assert.equal(formatFixed(x, d), want, `${x} with ${d} decimals`);
});

test('formatSigned prints + for positive deltas', () => {
  assert.equal(formatSigned(12), '+12');
  assert.equal(formatSigned(-3), '-3');
  assert.equal(formatSigned(0), '0');
});

const heapyColumns: Table['columns'] = [
  { key: 'index', title: 'Index', type: 'index', width: 6 },
  { key: 'count', title: 'Count', type: 'count', width: 6 },
  { key: 'cp', title: '%', type: 'percent', width: 3 },
  { key: 'size', title: 'Size', type: 'bytes', width: 8 },
  { key: 'sp', title: '%', type: 'percent', width: 3 },
  { key: 'cum', title: 'Cumulative', type: 'bytes', width: 9 },
  { key: 'cup', title: '%', type: 'percent', width: 3 },
  { key: 'kind', title: 'Kind (class / dict of class)', type: 'kind' },
];

test("heapy: heapy's own example table reproduced byte for byte", () => {
  const data: [number, number, string][] = [
    [300, 36000, 'list'],
    [300, 26400, 'dict of __main__.Session'],
    [300, 16800, '__main__.Session'],
    [43, 1204, 'int'],
    [1, 168, 'types.FrameType'],
    [1, 152, 'function'],
  ];
  const count = 945;
  const total = 80724;
  let cum = 0;
  const rows = data.map(([c, s, kind], index) => {
    cum += s;
    return { index, count: c, cp: (100 * c) / count, size: s, sp: (100 * s) / total, cum, cup: (100 * cum) / total, kind };
  });
  const text = renderHeapyTable({ title: [partitionLabel(count, total)], columns: heapyColumns, rows });
  assert.equal(
    text,
    [
      'Partition of a set of 945 objects. Total size = 80724 bytes.',
      ' Index  Count   %     Size   % Cumulative  % Kind (class / dict of class)',
      '     0    300  32    36000  45     36000  45 list',
      '     1    300  32    26400  33     62400  77 dict of __main__.Session',
      '     2    300  32    16800  21     79200  98 __main__.Session',
      '     3     43   5     1204   1     80404 100 int',
      '     4      1   0      168   0     80572 100 types.FrameType',
      '     5      1   0      152   0     80724 100 function',
      '',
    ].join('\n'),
  );
  assert.equal(partitionLabel(1, 8), 'Partition of a set of 1 object. Total size = 8 bytes.');
});

test('heapy: paging line, widened columns, escaped and shortened kinds', () => {
  const rows = [{ index: 0, count: 1, cp: 100, size: 1234567890, sp: 100, cum: 1234567890, cup: 100, kind: `\u001b[31mred\nline ${'x'.repeat(300)}` }];
  const text = renderHeapyTable({ columns: heapyColumns, rows, moreRows: 29 });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[0], ' Index  Count   %       Size   % Cumulative   % Kind (class / dict of class)');
  assert.ok(lines[1].startsWith('     0      1 100 1234567890 100 1234567890 100 \\e[31mred\\nline xxx'), lines[1]);
  assert.ok(lines[1].length <= 100 && lines[1].includes('…') && lines[1].endsWith('xxx'));
  assert.equal(lines[2], '<29 more rows. Use --all to see them.>');
  const wide = renderHeapyTable({ columns: heapyColumns, rows }, { wide: true });
  assert.ok(wide.includes('x'.repeat(300)));
});

test('diff-style tables: signed deltas, one-decimal percentages, text columns', () => {
  const table: Table = {
    columns: [
      { key: 'index', title: 'Index', type: 'index', width: 6 },
      { key: 'new', title: '# New', type: 'count', width: 6 },
      { key: 'deleted', title: '# Deleted', type: 'count', width: 9 },
      { key: 'delta', title: '# Delta', type: 'delta', width: 7 },
      { key: 'alloc', title: 'Alloc. Size', type: 'bytes', width: 11 },
      { key: 'freed', title: 'Freed Size', type: 'bytes', width: 10 },
      { key: 'sizeDelta', title: 'Size Delta', type: 'bytes-delta', width: 10 },
      { key: 'pct', title: '% of B', type: 'percent', width: 6, decimals: 1 },
      { key: 'kind', title: 'Kind', type: 'kind' },
    ],
    rows: [
      { index: 0, new: 300, deleted: 0, delta: 300, alloc: 36000, freed: 0, sizeDelta: 36000, pct: 44.6, kind: 'Session' },
      { index: 1, new: 0, deleted: 5, delta: -5, alloc: 0, freed: 400, sizeDelta: -400, pct: -0.5, kind: 'RequestScratch' },
    ],
  };
  assert.equal(
    renderHeapyTable(table),
    [
      ' Index  # New # Deleted # Delta Alloc. Size Freed Size Size Delta % of B Kind',
      '     0    300         0    +300       36000          0     +36000   44.6 Session',
      '     1      0         5      -5           0        400       -400   -0.5 RequestScratch',
      '',
    ].join('\n'),
  );
  assert.equal(renderCsv(table).split('\n')[1], '0,300,0,300,36000,0,36000,44.60,Session');
  const md = renderMarkdown(table);
  assert.match(md, /^\| Index \| # New \|/);
  assert.match(md, /\| \+300 \|/);
  assert.deepEqual((tableToJson(table) as { rows: unknown[] }).rows, table.rows);
});

test('CSV quoting and Markdown escaping of hostile cells', () => {
  const table: Table = {
    columns: [
      { key: 'n', title: 'N', type: 'count' },
      { key: 's', title: 'Text | pipe', type: 'text' },
    ],
    rows: [{ n: 1, s: 'a,"b"\nc|d `e` <f> \u001b[0m' }],
  };
  assert.equal(renderCsv(table), 'n,s\n1,"a,""b""\\nc|d `e` <f> \\e[0m"\n');
  const md = renderMarkdown(table);
  assert.equal(md.split('\n')[2], '| 1 | a,"b"\\\\nc\\|d \\`e\\` \\<f\\> \\\\e\\[0m |');
});

test('safeText / safeTextMiddle escape controls and bidi overrides and shorten', () => {
  assert.equal(safeText('a\u001bb\u202ec\u2028d\x7f'), 'a\\eb\\u202ec\\u2028d\\x7f');
  assert.equal(safeText('abcdef', 4), 'abc…');
  const m = safeTextMiddle(`${'a'.repeat(50)}END`, 20);
  assert.equal(m.length, 20);
  assert.ok(m.endsWith('END') && m.includes('…'));
});
