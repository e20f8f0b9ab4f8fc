// Renders `heapdiff sql` results: an aligned text table (numbers right-aligned, text escaped and
// shortened unless --wide), CSV, Markdown, or JSON `{version, columns, rows}` with rows as arrays.

import type { SqlResult } from '../analyses/sql.js';
import type { Column, Row, Table } from './table.js';

export function sqlTable(r: SqlResult): Table {
  // Keys are the column names (CSV headers), made unique for `SELECT a, a`.
  const seen = new Map<string, number>();
  const keys = r.columns.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
  const numeric = r.columns.map(
    (_, i) => r.rows.some((row) => typeof row[i] === 'number') && r.rows.every((row) => row[i] === null || typeof row[i] === 'number'),
  );
  const columns: Column[] = r.columns.map((name, i) => ({
    key: keys[i],
    title: name,
    type: numeric[i] ? 'number' : i === r.columns.length - 1 ? 'kind' : 'text',
  }));
  const rows: Row[] = r.rows.map((row) => {
    const o: Row = {};
    row.forEach((v, i) => (o[keys[i]] = v === null || v === undefined ? 'NULL' : (v as string | number)));
    return o;
  });
  return { columns, rows };
}

export function sqlJson(r: SqlResult): object {
  return { version: 1, columns: r.columns, rows: r.rows };
}
