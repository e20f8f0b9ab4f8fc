// Text tables in heapy's style (guppy3 `Part.py`, docs/format.md#heapy-table):
//
//   Partition of a set of 550325 objects. Total size = 28311052 bytes.
//    Index  Count   %     Size   % Cumulative  % Kind (class / type)
//        0    300  32    36000  45     36000  45 list
//   <29 more rows. Use --all to see them.>
//
// Every column but the last is right-aligned (text columns: left-aligned) in a field of its `width` (heapy's `%6d`, `%3d`, …)
// followed by one space, so a partition row is exactly `'%6d %6d %3d %8d %3d %9d %3d '` + kind. A title
// longer than its field (heapy's "Cumulative" over a 9-wide column) pushes the next titles right the way
// heapy's literal header does, so header and rows end at the same column. A number that does not fit
// widens its column for every row (heapy would break the alignment). The last column is left-aligned
// and unpadded; heap strings in it are escaped and shortened in the middle (`head…tail`, so a location's
// line:col survives) to fit the line width (the terminal's, `COLUMNS`, or 100 off a terminal; see
// terminal.ts) unless `wide`. A `human` table (not heapy's own) prints counts with separators and
// bytes as sizes.

import { safeText } from './escape.js';
import { formatCell, isNumericColumn, type Cell, type Column, type RenderOptions, type Table } from './table.js';
import { count, fitEnd, fitLine, paint, PLAIN, signedCount, signedSize, size, wrapText, type Manners } from './terminal.js';

/** heapy wraps the kind text at this line length; heapdiff shortens instead (to the terminal's width when known). */
export const LINE_LENGTH = 100;
/** The kind column never gets fewer characters than this, however wide the numbers are. */
const MIN_KIND_WIDTH = 12;

export const DEFAULT_MORE_HINT = 'Use --all to see them.';

export function renderHeapyTable(table: Table, options: RenderOptions = {}): string {
  const cols = table.columns;
  const lastIsText = cols.length > 0 && !isNumericColumn(cols[cols.length - 1]);
  const fixed = lastIsText ? cols.slice(0, -1) : cols;
  const last = lastIsText ? cols[cols.length - 1] : null;

  // Cells of the fixed columns, then widths (minimum width, title length for non-heapy tables, content).
  const human = table.human ? (options.manners ?? PLAIN) : null;
  const cellText = (c: Column, v: Cell) => (human ? humanCell(c, v, human) : null) ?? formatCell(c, v, options);
  const cells = table.rows.map((row) => fixed.map((c) => cellText(c, row[c.key])));
  const widths = fixed.map((c, i) => {
    let w = c.width ?? c.title.length;
    for (const r of cells) w = Math.max(w, r[i].length);
    return w;
  });

  const lines: string[] = [];
  // Titles and footers are prose: wrapped at the terminal's width when the caller gave one.
  const prose = (t: string) => (options.manners ? wrapText(safeText(t), options.wide ? Infinity : options.manners.width, '  ') : [safeText(t)]);
  for (const t of table.title ?? []) lines.push(...prose(t));

  const prefixWidth = widths.reduce((a, w) => a + w + 1, 0);
  const lineWidth = options.manners?.width ?? LINE_LENGTH;
  // Header: each title right-aligned to its column's end, pushed right past the previous title.
  let header = '';
  let end = 0;
  fixed.forEach((c, i) => {
    const colStart = end + (i > 0 ? 1 : 0);
    end = colStart + widths[i];
    // Numbers: title right-aligned to the column's end; text: left-aligned at its start.
    const want = isNumericColumn(c) ? end - c.title.length : colStart;
    const start = Math.max(want, header.length + (i > 0 ? 1 : 0));
    header += ' '.repeat(start - header.length) + c.title;
  });
  if (fixed.length > 0) header += ' '.repeat(Math.max(1, end + 1 - header.length));
  if (last) header += last.title;
  // The last title (heapy's "Kind (class / type)") is cut like the kinds below it.
  lines.push(paint(fitEnd(header.trimEnd(), options.wide ? Infinity : Math.max(lineWidth, prefixWidth + MIN_KIND_WIDTH)), 'bold', options.manners ?? PLAIN));

  const fit = Math.max(MIN_KIND_WIDTH, lineWidth - prefixWidth);
  const kindMax = options.wide || lineWidth === Infinity ? Infinity : Math.min(last?.maxWidth ?? fit, fit);
  table.rows.forEach((row, r) => {
    let line = '';
    fixed.forEach((c, i) => {
      const s = cells[r][i];
      line += `${isNumericColumn(c) ? s.padStart(widths[i]) : s.padEnd(widths[i])} `;
    });
    if (last) {
      const v = row[last.key];
      line += typeof v === 'string' ? (last.ellipsis === 'end' ? fitEnd(safeText(v), kindMax) : fitLine(safeText(v), kindMax)) : cellText(last, v);
    }
    lines.push(last ? line : line.trimEnd());
  });

  if (table.moreRows && table.moreRows > 0)
    lines.push(`<${human ? count(table.moreRows) : table.moreRows} more row${table.moreRows === 1 ? '' : 's'}. ${table.moreHint ?? DEFAULT_MORE_HINT}>`);
  for (const f of table.footer ?? []) lines.push(...prose(f));
  return `${lines.join('\n')}\n`;
}

/** A number cell of a `human` table: counts with separators, bytes as sizes; null: format as usual. */
function humanCell(c: Column, v: Cell, m: Manners): string | null {
  if (typeof v !== 'number') return null;
  switch (c.type) {
    case 'count':
      return count(v);
    case 'bytes':
      return size(v, m);
    case 'delta':
      return signedCount(v);
    case 'bytes-delta':
      return signedSize(v, m);
    default:
      return null;
  }
}

/** heapy's partition label: `Partition of a set of %d object%s. Total size = %d bytes.` */
export function partitionLabel(objects: number, bytes: number): string {
  return `Partition of a set of ${objects} object${objects === 1 ? '' : 's'}. Total size = ${bytes} bytes.`;
}
