// Renders duplicated strings: count, bytes, bytes wasted, then the (escaped, shortened) value.

import type { StringsResult } from '../analyses/strings.js';
import type { Row, Table } from './table.js';
import { count, countOf, PLAIN, size, type Manners } from './terminal.js';

/** The groups as a table; text (`forText`) adds a summary line with human sizes (`m`), `@` ids and quotes. */
export function stringsTable(r: StringsResult, forText = true, m: Pick<Manners, 'rawBytes'> = PLAIN): Table {
  return {
    title: forText
      ? [`Duplicated strings: ${countOf(r.groups, 'group')}, ${count(r.count)} copies, ${size(r.size, m)}, ${size(r.wasted, m)} wasted (beyond one copy each).`]
      : [],
    human: true,
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
