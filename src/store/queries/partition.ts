// SQL behind `heapdiff partition`: the precomputed rows (`classes`, `summary_partition`), and the scan
// used when a `--where` / `--id-range` narrows the set (the only partition path that reads every node
// row; allowed to take seconds on huge stores). The classifiers themselves (values, labels) are
// ../classifiers.ts, shared by both paths.

import { InputError } from '../../errors.js';
import { CLASSIFIER_DEFINITIONS, type Classifier } from '../classifiers.js';
import type { ClassRow } from './node-columns.js';
import { hasTable, metaNumber, stmt, type Db } from './common.js';
import { idRangeSql, type IdRange } from './where.js';

export { CLASSIFIERS, type Classifier } from '../classifiers.js';

/** One partition row before sorting: what a group holds. */
export interface GroupRow {
  kind: string;
  /** The classifier's raw value as text: class key, type code, size, distance, script id, function info index. */
  key: string | null;
  count: number;
  size: number;
  retained: number;
}

/** All Summary rows of the `classes` table (count > 0). */
export function summaryClasses(db: Db): ClassRow[] {
  return stmt(db, 'SELECT class_id, class_key, class_name, count, self_size, retained_size, distance FROM classes WHERE count > 0').all() as ClassRow[];
}

/**
 * Whether the store has precomputed partition rows for `classifier`. Stores written before summaries
 * version 2 spelled every distance as a row of its own (now: ranges past 63, labels.ts), so their
 * `distance` rows are not used: the scan gives today's rows.
 */
export function hasSummaries(db: Db, classifier?: Classifier): boolean {
  const version = metaNumber(db, 'summaries_version', 0);
  return version >= (classifier === 'distance' ? 2 : 1) && hasTable(db, 'summary_partition');
}

export function hasAllocationTraces(db: Db): boolean {
  return metaNumber(db, 'has_allocation_traces', 0) === 1 || (stmt(db, 'SELECT count(*) AS n FROM trace_tree').get() as { n: number }).n > 0;
}

/** Throws the one-line `--by alloc` error when the store has no allocation traces; `subject` names the snapshot in it. */
export function requireAllocationTraces(db: Db, subject = 'this snapshot'): void {
  if (!hasAllocationTraces(db)) {
    throw new InputError(
      `--by alloc: ${subject} has no allocation traces (take it with allocation tracking on: DevTools "Allocation instrumentation on timeline", the inspector's HeapProfiler.startTrackingHeapObjects, or node --track-heap-objects)`,
    );
  }
}

/** Precomputed rows of one classifier (not `class`). */
export function summaryPartitionRows(db: Db, classifier: Exclude<Classifier, 'class'>): GroupRow[] {
  return stmt(db, 'SELECT kind, key, count, size, retained FROM summary_partition WHERE classifier = ?').all(classifier) as GroupRow[];
}

/** A member of a narrowed set, with its classifier value when that is a node column (see `scanMembers`). */
export interface Member {
  ordinal: number;
  size: number;
  retained: number;
  /** Immediate dominator (ordinal). */
  dominator: number;
  value: number;
}

/**
 * The Summary-set members (self size > 0) passing `where` (already validated, see where.ts) and the id
 * range, with the classifier's column (0 for classifiers whose value is not a column: ../classifiers.ts
 * `kindsAt` looks those up). Scans.
 */
export function scanMembers(db: Db, classifier: Classifier, where: string | undefined, range: IdRange | undefined): Member[] {
  const ids = idRangeSql(range);
  const def = CLASSIFIER_DEFINITIONS[classifier];
  const column = def.shape === 'value' ? def.column : null;
  // `nodes.type` is the type's name; the classifier's value is its code (node_rows.type).
  const value = column === null ? '0' : column === 'type' ? '(SELECT r.type FROM node_rows r WHERE r.ordinal = n.ordinal)' : `n.${column}`;
  const sql = `SELECT n.ordinal, n.self_size AS size, n.retained_size AS retained, n.dominator, coalesce(${value}, -1) AS value
    FROM nodes n WHERE n.self_size > 0 AND ${where ?? '1'} AND ${ids.sql}`;
  try {
    return db.prepare(sql).all(...ids.params) as Member[];
  } catch (e) {
    throw new InputError(`--where: ${(e as Error).message}`);
  }
}

/**
 * Dominator of each node: from `known` (the scanned members carry theirs), else one indexed read per
 * node, memoised. A set's dominator chains share their upper parts, so few reads are needed.
 */
export function dominatorLookup(db: Db, known: ReadonlyMap<number, number>): (ordinal: number) => number {
  const memo = new Map<number, number>();
  const q = stmt(db, 'SELECT dominator FROM node_rows WHERE ordinal = ?').pluck();
  return (o) => {
    let d = known.get(o) ?? memo.get(o);
    if (d === undefined) {
      d = (q.get(o) as number | undefined) ?? 0;
      memo.set(o, d);
    }
    return d;
  };
}
