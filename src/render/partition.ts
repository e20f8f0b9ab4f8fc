// Renders a partition (analyses/partition.ts) as heapy's table, or as the documented JSON shape.

import type { PartitionResult, PartitionRow } from '../analyses/partition.js';
import { KIND_TITLES } from '../analyses/partition.js';
import { partitionLabel } from './heapy.js';
import type { Column, Row, Table } from './table.js';

export interface PartitionView {
  /** Rows shown (heapy: 10); ignored with `all`. */
  top?: number;
  all?: boolean;
  /** Add a Retained column before the kind. */
  retained?: boolean;
}

export const DEFAULT_TOP = 10;

export function shownRows(result: PartitionResult, view: PartitionView): PartitionRow[] {
  return view.all ? result.rows : result.rows.slice(0, Math.max(0, view.top ?? DEFAULT_TOP));
}

/** heapy's columns: `'%6d %6d %3d %8d %3d %9d %3d '` then the kind (plus `%9d` Retained with --retained). */
export function partitionTable(result: PartitionResult, view: PartitionView = {}): Table {
  const columns: Column[] = [
    { key: 'index', title: 'Index', type: 'index', width: 6 },
    { key: 'count', title: 'Count', type: 'count', width: 6 },
    { key: 'count_percent', title: '%', type: 'percent', width: 3 },
    { key: 'size', title: 'Size', type: 'bytes', width: 8 },
    { key: 'size_percent', title: '%', type: 'percent', width: 3 },
    { key: 'cumulative', title: 'Cumulative', type: 'bytes', width: 9 },
    { key: 'cumulative_percent', title: '%', type: 'percent', width: 3 },
  ];
  if (view.retained) columns.push({ key: 'retained', title: 'Retained', type: 'bytes', width: 9 });
  columns.push({ key: 'kind', title: KIND_TITLES[result.by], type: 'kind' });
  const rows = shownRows(result, view);
  return {
    title: [partitionLabel(result.objects, result.size)],
    columns,
    rows: rows as unknown as Row[],
    moreRows: result.rows.length - rows.length,
  };
}

/** The JSON shape (docs/commands.md): `{version, objects, size, by, sort, …, rows: [{index, kind, count, size, cumulative, retained, …}]}`. */
export function partitionJson(result: PartitionResult, view: PartitionView = {}): object {
  const rows = shownRows(result, view);
  return {
    version: 1,
    objects: result.objects,
    size: result.size,
    by: result.by,
    sort: result.sort,
    where: result.where,
    id_range: result.id_range,
    heap_total_size: result.heap_total_size,
    total_rows: result.rows.length,
    more_rows: result.rows.length - rows.length,
    rows: rows.map((r) => ({
      index: r.index,
      kind: r.kind,
      count: r.count,
      size: r.size,
      cumulative: r.cumulative,
      retained: r.retained,
      ...(result.by === 'class' ? { class_key: r.key } : { key: r.key }),
      count_percent: r.count_percent,
      size_percent: r.size_percent,
      cumulative_percent: r.cumulative_percent,
    })),
  };
}
