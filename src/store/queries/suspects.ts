// Reads the suspects summary written at ingest (summaries.ts, `suspectsSummary`): the top-level
// objects, what they keep by class, and the biggest-child chains with their children. With it
// `heapdiff suspects` reads a few thousand rows instead of every node of the store.

import { SUSPECT_CHAIN_CHILDREN } from '../summaries.js';
import { hasTable, metaNumber, stmt, type Db } from './common.js';

/** Per-class sums of dominated nodes (by class id). */
export interface KeptSums {
  count: Map<number, number>;
  size: Map<number, number>;
  sized: Map<number, number>;
}

/** One node of a chain: the walk from a top-level object to its biggest child, step after step. */
export interface ChainStep {
  ordinal: number;
  retained: number;
  childCount: number;
}

/** A class of a chain node's children: `rank` orders the classes by their biggest child (DevTools' order). */
export interface ChainChildClass {
  classId: number;
  count: number;
  retained: number;
  rank: number;
}

export interface SuspectsSummary {
  /** Top-level objects retaining at least this many bytes have kept sums and a chain. */
  minRetained: number;
  /** Children stored per chain node at most. */
  chainChildLimit: number;
  /** All top-level objects in DevTools' instance order, with class and retained size. */
  top: { ordinal: number; classId: number; retained: number }[];
  keptByObject(ordinal: number): KeptSums;
  /** Sums over every top-level object of the class; empty when the class cannot form a group. */
  keptByClass(classId: number): KeptSums;
  chain(start: number): ChainStep[];
  /** A chain node's biggest children in DevTools' instance order, at most `limit` (≤ chainChildLimit). */
  childrenOf(parent: number, limit: number): number[];
  chainClasses(parent: number): ChainChildClass[];
}

const SUSPECTS_SUMMARY_VERSION = 3;

/** The store's suspects summary, or null (a store ingested before it existed). */
export function suspectsSummary(db: Db): SuspectsSummary | null {
  if (metaNumber(db, 'summaries_version', 0) < SUSPECTS_SUMMARY_VERSION || !hasTable(db, 'summary_top_level')) return null;
  const minRetained = metaNumber(db, 'summary_suspects_min_retained', Number.NaN);
  if (!Number.isFinite(minRetained)) return null;
  const rows = stmt(db, 'SELECT ordinal, class_id, retained_size FROM summary_top_level ORDER BY rank').raw().all() as [number, number, number][];
  const sums = (sql: string, key: number): KeptSums => {
    const out: KeptSums = { count: new Map(), size: new Map(), sized: new Map() };
    for (const [c, count, size, sized] of stmt(db, sql).raw().all(key) as [number, number, number, number][]) {
      out.count.set(c, count);
      out.size.set(c, size);
      out.sized.set(c, sized);
    }
    return out;
  };
  return {
    minRetained,
    chainChildLimit: SUSPECT_CHAIN_CHILDREN,
    top: rows.map(([ordinal, classId, retained]) => ({ ordinal, classId, retained })),
    keptByObject: (k) => sums('SELECT class_id, count, size, sized FROM summary_top_kept_objects WHERE ordinal = ?', k),
    keptByClass: (c) => sums('SELECT class_id, count, size, sized FROM summary_top_kept_classes WHERE top_class_id = ?', c),
    chain: (start) =>
      (
        stmt(db, 'SELECT ordinal, retained_size, child_count FROM summary_top_chain WHERE start = ? ORDER BY step').raw().all(start) as [
          number,
          number,
          number,
        ][]
      ).map(([ordinal, retained, childCount]) => ({ ordinal, retained, childCount })),
    childrenOf: (parent, limit) =>
      stmt(db, 'SELECT child FROM summary_top_chain_children WHERE parent = ? ORDER BY rank LIMIT ?').pluck().all(parent, limit) as number[],
    chainClasses: (parent) =>
      (
        stmt(db, 'SELECT class_id, count, retained, rank FROM summary_top_chain_classes WHERE parent = ? ORDER BY rank').raw().all(parent) as [
          number,
          number,
          number,
          number,
        ][]
      ).map(([classId, count, retained, rank]) => ({ classId, count, retained, rank })),
  };
}
