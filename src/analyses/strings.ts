// Duplicated strings (`heapdiff strings --duplicates`), by DevTools' rule (docs/format.md#duplicated-strings, DevTools
// `createNamedFilter('duplicatedStrings')`): string and concatenated-string nodes, flattened cons strings
// skipped, grouped by content (a cons string's joined text, cut at 1024+ characters as DevTools cuts
// it). A group of two or more nodes is duplicated; its Summary instances are those with self size > 0.
// Bytes wasted = the group's total self size minus its biggest copy: what sharing one copy would save.

import { InputError } from '../errors.js';
import { dbOf, type StoreLike } from '../store/queries/common.js';
import { duplicateGroups, duplicateTotals, hasDuplicateSummary, idOf } from '../store/queries/strings.js';

export interface StringsOptions {
  /** Groups returned (default 20); Infinity for all. */
  top?: number;
  /** Only groups with at least this many copies of self size > 0 (default 2; 1 keeps DevTools' full set). */
  minCount?: number;
}

export interface StringGroup {
  rank: number;
  value: string;
  count: number;
  nodes: number;
  size: number;
  max_size: number;
  wasted: number;
  example_id: number;
}

export interface StringsResult {
  groups: number;
  count: number;
  nodes: number;
  size: number;
  wasted: number;
  min_count: number;
  rows: StringGroup[];
}

export function duplicateStrings(store: StoreLike, options: StringsOptions = {}): StringsResult {
  const db = dbOf(store);
  if (!hasDuplicateSummary(db))
    throw new InputError('this database has no duplicate-string summary (ingested by an older heapdiff); re-ingest it with `heapdiff ingest --force`');
  const minCount = Math.max(1, options.minCount ?? 2);
  const top = options.top ?? 20;
  const totals = duplicateTotals(db, minCount);
  const rows = duplicateGroups(db, Number.isFinite(top) ? top : -1, minCount).map((g) => ({
    rank: g.rank,
    value: g.value,
    count: g.count,
    nodes: g.nodes,
    size: g.size,
    max_size: g.max_size,
    wasted: g.wasted,
    example_id: idOf(db, g.example),
  }));
  return { ...totals, min_count: minCount, rows };
}
