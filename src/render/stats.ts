// Renders `heapdiff stats`: DevTools' Statistics categories as a small heapy-style table, then counts.

import type { StatsResult } from '../analyses/stats.js';
import { percentOf, type Row, type Table } from './table.js';
import { count, PLAIN, size, type Manners } from './terminal.js';

const LABELS: [string, string, number][] = [
  ['total', 'Total', 0],
  ['v8heap', 'V8 heap', 1],
  ['code', 'Code', 2],
  ['strings', 'Strings', 2],
  ['js_arrays', 'JS arrays', 2],
  ['system', 'System objects', 2],
  ['other_js', 'Other JS objects', 2],
  ['native', 'Native (non-JS)', 1],
  ['typed_arrays', 'Typed arrays', 2],
  ['other_native', 'Other non-JS objects', 2],
  ['extra_native', 'of which extra native bytes', 3],
];

/** The categories as a table; text (`forText`) adds indentation, human sizes (`m`) and the counts as prose. */
export function statsTable(s: StatsResult, forText = true, m: Pick<Manners, 'rawBytes'> = PLAIN): Table {
  const total = s.categories.total ?? 0;
  const rows: Row[] = LABELS.map(([key, label, depth]) => ({
    category: forText ? `${'  '.repeat(depth)}${label}` : key,
    bytes: s.categories[key] ?? 0,
    percent: percentOf(s.categories[key] ?? 0, total),
  }));
  return {
    title: ["Statistics (DevTools' Memory panel):"],
    human: true,
    columns: [
      { key: 'bytes', title: 'Size', type: 'bytes', width: 10 },
      { key: 'percent', title: '%', type: 'percent', width: 3 },
      { key: 'category', title: 'Category', type: 'kind' },
    ],
    rows,
    footer: [
      '',
      `Nodes ${count(s.node_count)}, edges ${count(s.edge_count)}, strings ${count(s.string_count)}, locations ${count(s.location_count)}.`,
      `Summary set (self size > 0): ${count(s.summary_objects)} objects in ${count(s.class_count)} classes, ${size(s.summary_size, m)}.`,
      `Total size ${size(s.total_size, m)} (DevTools' title size, incl. ${size(s.extra_native_bytes, m)} of extra native memory).`,
      `Max JS object id @${s.max_js_object_id}.`,
      `User roots: ${s.has_user_roots ? 'yes' : 'no (distances from the GC roots)'}; allocation traces: ${s.has_allocation_traces ? 'yes' : 'no'}.`,
    ],
  };
}

/** `{version, categories, devtools, node_count, edge_count, …}` */
export function statsJson(s: StatsResult): object {
  return { version: 1, ...s };
}
