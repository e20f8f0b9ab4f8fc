// SQL behind `heapdiff stats`: the `statistics` table (DevTools' Statistics pie, written at ingest)
// and the store's counts from `meta` and `classes`.

import { hasTable, metaNumber, stmt, type Db } from './common.js';

export function statisticsRows(db: Db): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of stmt(db, 'SELECT category, bytes FROM statistics').all() as { category: string; bytes: number }[]) m.set(r.category, r.bytes);
  return m;
}

export interface StoreCounts {
  node_count: number;
  edge_count: number;
  string_count: number;
  class_count: number;
  summary_objects: number;
  summary_size: number;
  max_js_object_id: number;
  extra_native_bytes: number;
  total_size: number;
  has_user_roots: boolean;
  has_allocation_traces: boolean;
  location_count: number;
}

export function storeCounts(db: Db): StoreCounts {
  const cls = stmt(
    db,
    'SELECT count(*) AS classes, coalesce(sum(count), 0) AS objects, coalesce(sum(self_size), 0) AS size FROM classes WHERE count > 0',
  ).get() as {
    classes: number;
    objects: number;
    size: number;
  };
  const locations = hasTable(db, 'locations') ? (stmt(db, 'SELECT count(*) AS n FROM locations').get() as { n: number }).n : 0;
  return {
    node_count: metaNumber(db, 'node_count'),
    edge_count: metaNumber(db, 'edge_count'),
    string_count: metaNumber(db, 'string_count'),
    class_count: cls.classes,
    summary_objects: cls.objects,
    summary_size: cls.size,
    max_js_object_id: metaNumber(db, 'max_js_object_id'),
    extra_native_bytes: metaNumber(db, 'extra_native_bytes'),
    total_size: metaNumber(db, 'total_size'),
    has_user_roots: metaNumber(db, 'has_user_roots') === 1,
    has_allocation_traces: metaNumber(db, 'has_allocation_traces') === 1,
    location_count: locations,
  };
}
