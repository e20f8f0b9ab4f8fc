// The one table model every command renders (partition tables, diff tables, string groups, …) and its
// format-neutral renderers: CSV, Markdown and a generic JSON form. The heapy-style text renderer is in
// heapy.ts. Analyses build a `Table` from their data; only renderers turn cells into text, and they are
// the only place that escapes heap strings (see escape.ts).
//
// Column types say what a number means, so every renderer formats it the same way:
//   index    row number (heapy's Index)                 `12`
//   count    object count                               `305`
//   bytes    byte size                                  `28311052`
//   percent  a percentage as a double (0–100)           `%.0f` = round-half-even on the binary value (heapy)
//   delta    signed count difference                    `+12`, `-3`, `0`
//   bytes-delta  signed byte difference                 `+4096`, `-40`, `0`
//   number   any other integer (distance, id, depth)    `7`
//   text     a short heap string (escaped, shortened unless `wide`)
//   kind     like text; heapy's last "Kind" column (never padded, may be long)

import { csvField, mdCell, safeText } from './escape.js';
import type { Manners } from './terminal.js';

export type ColumnType = 'index' | 'count' | 'bytes' | 'percent' | 'delta' | 'bytes-delta' | 'number' | 'text' | 'kind';

export type Cell = number | string | null;

export interface Column {
  /** Key of the cell in each row (also the CSV/JSON field name). */
  key: string;
  /** Header title in text and Markdown output. */
  title: string;
  type: ColumnType;
  /** Minimum width in text output (heapy's `%6d`); numbers that do not fit widen the column. */
  width?: number;
  /** `percent` only: digits after the decimal point (heapy: 0; heapy's diff "% of B": 1). */
  decimals?: number;
  /** Text columns: maximum characters before shortening with an ellipsis (default 60; `wide` disables). */
  maxWidth?: number;
  /** Where a shortened `kind` cell loses characters: `middle` (default; keeps a location's line:col) or `end`. */
  ellipsis?: 'middle' | 'end';
}

export type Row = Record<string, Cell>;

export interface Table {
  /** Label lines printed above the header in text output (already plain text, e.g. heapy's "Partition of a set of …"). */
  title?: string[];
  columns: Column[];
  rows: Row[];
  /** Rows left out by paging; text output prints `<N more rows. Use --all to see them.>`. */
  moreRows?: number;
  /** The paging hint's tail (default `Use --all to see them.`). */
  moreHint?: string;
  /** Lines printed after the table in text output (notes, totals). */
  footer?: string[];
  /**
   * Text output only: counts with thousands separators and bytes as human sizes (`10.2 MB`, or exact
   * with `--bytes`), deltas likewise signed. heapy-format tables (partition, diff) leave it unset and
   * print raw integers as heapy does; CSV, JSON and Markdown always carry the raw numbers.
   */
  human?: boolean;
}

export interface RenderOptions {
  /** Keep long names whole (text output). */
  wide?: boolean;
  /** Text output: the line width the last column fits, and how `human` tables print sizes (src/render/terminal.ts). */
  manners?: Manners;
}

export const DEFAULT_TEXT_MAX = 60;

/**
 * C's `printf('%.Nf')`: rounds the exact binary value half to even (so 2.5 → "2", 0.125 → "0.12",
 * and 14.95, which is 14.9499… in binary, → "14.9"); negative values that round to zero keep their
 * sign ("-0"), as printf does.
 */
export function formatFixed(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  // toFixed rounds the exact binary value correctly except on exact ties, which it rounds up. The
  // exact decimal expansion (toFixed with many digits; a double in the percentage range has at most
  // ~52 fractional decimal digits) shows a tie as "5" followed by zeros only.
  let out = a.toFixed(decimals);
  const exact = a.toFixed(Math.min(100, decimals + 70));
  const frac = exact.split('.')[1] ?? '';
  const rest = frac.slice(decimals);
  if (rest[0] === '5' && /^0*$/.test(rest.slice(1))) {
    const truncated = decimals > 0 ? `${exact.split('.')[0]}.${frac.slice(0, decimals)}` : exact.split('.')[0];
    if (Number(truncated[truncated.length - 1]) % 2 === 0) out = truncated;
  }
  const negative = x < 0 || Object.is(x, -0);
  return negative && x !== 0 ? `-${out}` : out;
}

/** A signed integer with an explicit `+` for positive values (diff tables). */
export function formatSigned(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Percentage of `part` in `whole` as a double (0 when whole is 0). */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : (100 * part) / whole;
}

const NUMERIC: ReadonlySet<ColumnType> = new Set(['index', 'count', 'bytes', 'percent', 'delta', 'bytes-delta', 'number']);

export function isNumericColumn(c: Column): boolean {
  return NUMERIC.has(c.type);
}

/** A cell as display text (numbers formatted by column type; strings escaped and shortened). */
export function formatCell(c: Column, v: Cell, options: RenderOptions = {}): string {
  if (v === null || v === undefined) return c.type === 'text' || c.type === 'kind' ? '' : '-';
  if (typeof v === 'number') {
    switch (c.type) {
      case 'percent':
        return formatFixed(v, c.decimals ?? 0);
      case 'delta':
      case 'bytes-delta':
        return formatSigned(v);
      default:
        return String(v);
    }
  }
  if (isNumericColumn(c)) return safeText(v, DEFAULT_TEXT_MAX);
  return safeText(v, options.wide ? 0 : (c.maxWidth ?? DEFAULT_TEXT_MAX));
}

/** RFC 4180 CSV: a header line of column keys, then one line per row; numbers unformatted, signs kept. */
export function renderCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvField(c.key)).join(',')];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((c) => {
          const v = row[c.key];
          if (typeof v === 'number' && c.type === 'percent') return formatFixed(v, Math.max(2, c.decimals ?? 0));
          return csvField(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Longest text cell in Markdown without `--wide`: longer than text output's (Markdown is read in a
 * browser, where long names wrap), short enough that a 1 MB heap string does not become the report.
 */
export const MARKDOWN_TEXT_MAX = 200;

/** A GitHub-flavoured Markdown table; numbers right-aligned, text escaped, names over MARKDOWN_TEXT_MAX shortened unless `wide`. */
export function renderMarkdown(table: Table, options: RenderOptions = {}): string {
  const out: string[] = [];
  for (const t of table.title ?? []) out.push(`${mdCell(t)}\n`);
  if (out.length > 0) out.push('');
  out.push(`| ${table.columns.map((c) => mdCell(c.title)).join(' | ')} |`);
  out.push(`|${table.columns.map((c) => (isNumericColumn(c) ? '---:' : ':---')).join('|')}|`);
  for (const row of table.rows) {
    out.push(
      `| ${table.columns
        .map((c) => {
          const v = row[c.key];
          if (typeof v === 'number' || v === null || v === undefined) return formatCell(c, v, options);
          return mdCell(options.wide ? v : safeText(v, c.maxWidth === 0 ? 0 : Math.max(c.maxWidth ?? 0, MARKDOWN_TEXT_MAX)));
        })
        .join(' | ')} |`,
    );
  }
  if (table.moreRows && table.moreRows > 0) out.push('', `_${table.moreRows} more rows (use --all)._`);
  for (const f of table.footer ?? []) out.push('', mdCell(f));
  return `${out.join('\n')}\n`;
}

/** Generic JSON form of a table: `{version: 1, columns: [{key, title, type}], rows: [...], more_rows}`. */
export function tableToJson(table: Table): object {
  return {
    version: 1,
    columns: table.columns.map((c) => ({ key: c.key, title: c.title, type: c.type })),
    rows: table.rows,
    more_rows: table.moreRows ?? 0,
  };
}

// JSON.stringify escapes C0 controls but leaves C1 controls (U+0080–U+009F), the line/paragraph
// separators and the bidirectional overrides (U+202A–U+202E, U+2066–U+2069) raw: valid JSON, but a
// terminal or viewer showing it can be driven or have its text reordered by a heap string. They can
// only occur inside string literals, so escaping them in the output text is exact.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text for any result object: valid JSON for every heap string, with no raw control or bidi character. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
