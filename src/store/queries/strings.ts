// SQL behind `heapdiff strings --duplicates`: DevTools' duplicated-strings groups, precomputed at ingest
// (summary_duplicate_strings, see ../summaries.ts for the rule), most bytes wasted first.

import { hasTable, stmt, type Db } from './common.js';

export interface DuplicateGroup {
  rank: number;
  value: string;
  /** String nodes with this content (DevTools' filter marks them all), self size 0 included. */
  nodes: number;
  /** Of those, the ones with self size > 0 (what the Summary counts). */
  count: number;
  /** Their total self size. */
  size: number;
  /** The biggest copy's self size. */
  max_size: number;
  /** size − max_size: the bytes that one shared copy would save. */
  wasted: number;
  /** Ordinal of the biggest copy. */
  example: number;
}

export function hasDuplicateSummary(db: Db): boolean {
  return hasTable(db, 'summary_duplicate_strings');
}

export function duplicateGroups(db: Db, limit: number, minCount = 2): DuplicateGroup[] {
  return stmt(
    db,
    'SELECT rank, value, nodes, count, size, max_size, wasted, example FROM summary_duplicate_strings WHERE count >= ? ORDER BY rank LIMIT ?',
  ).all(minCount, limit) as DuplicateGroup[];
}

export function duplicateTotals(db: Db, minCount = 2): { groups: number; nodes: number; count: number; size: number; wasted: number } {
  return stmt(
    db,
    'SELECT count(*) AS groups, coalesce(sum(nodes), 0) AS nodes, coalesce(sum(count), 0) AS count, coalesce(sum(size), 0) AS size, coalesce(sum(wasted), 0) AS wasted FROM summary_duplicate_strings WHERE count >= ?',
  ).get(minCount) as { groups: number; nodes: number; count: number; size: number; wasted: number };
}

/** Id of a node (for the example copy). */
export function idOf(db: Db, ordinal: number): number {
  return (stmt(db, 'SELECT id FROM node_rows WHERE ordinal = ?').get(ordinal) as { id: number } | undefined)?.id ?? 0;
}
