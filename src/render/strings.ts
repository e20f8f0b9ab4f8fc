// Renders duplicated strings: count, bytes, bytes wasted, then the (escaped, shortened) value.

import type { StringsResult } from '../analyses/strings.js';
import type { Row, Table } from './table.js';

export function stringsTable(r: StringsResult, forText = true): Table {
  return {
    title: forText ? [`Duplicated strings: ${r.groups} groups, ${r.count} copies, ${r.size} bytes, ${r.wasted} bytes wasted (beyond one copy each).`] : [],
    columns: [
      { key: 'count', title: 'Count', type: 'count', width: 6 },
      { key: 'size', title: 'Bytes', type: 'bytes', width: 8 },
      { key: 'wasted', title: 'Wasted', type: 'bytes', width: 8 },
      { key: 'example_id', title: 'Example', type: 'text' },
      { key: 'value', title: 'Value', type: 'kind', ellipsis: 'end' },
    ],
    rows: r.rows.map((g) => ({ ...g, example_id: forText ? `@${g.example_id}` : g.example_id, value: forText ? `"${g.value}"` : g.value }) as unknown as Row),
    moreRows: r.groups - r.rows.length,
  };
}

/** `{version, groups, count, nodes, size, wasted, min_count, rows: [{rank, value, count, nodes, size, max_size, wasted, example_id}]}` */
export function stringsJson(r: StringsResult): object {
  return { version: 1, ...r, more_rows: r.groups - r.rows.length };
}
