// SQL behind `heapdiff partition`: the precomputed rows (`classes`, `summary_partition`), and the scan
// used when a `--where` / `--id-range` narrows the set (the only partition path that reads every node
// row; allowed to take seconds on huge stores). Kind texts are spelled by ./labels.ts in both paths.

import { InputError } from '../../errors.js';
import { hasTable, metaNumber, stmt, storeCodes, type Db } from './common.js';
import { allocKind, detachednessKind, distanceKind, NO_ALLOC_TRACE, NO_LOCATION, scriptKind, setKind, viaLabel } from './labels.js';
import { idRangeSql, type IdRange } from './where.js';

export const CLASSIFIERS = ['class', 'type', 'rcs', 'via', 'size', 'alloc', 'script', 'detachedness', 'distance'] as const;
export type Classifier = (typeof CLASSIFIERS)[number];

/** One partition row before sorting: what a group holds. */
export interface GroupRow {
  kind: string;
  /** The classifier's raw value as text: class key, type code, size, distance, script id, function info index. */
  key: string | null;
  count: number;
  size: number;
  retained: number;
}

export interface ClassRow {
  class_id: number;
  class_key: string;
  class_name: string;
  count: number;
  self_size: number;
  retained_size: number;
  distance: number;
}

/** All Summary rows of the `classes` table (count > 0). */
export function summaryClasses(db: Db): ClassRow[] {
  return stmt(db, 'SELECT class_id, class_key, class_name, count, self_size, retained_size, distance FROM classes WHERE count > 0').all() as ClassRow[];
}

export function allClasses(db: Db): ClassRow[] {
  return stmt(db, 'SELECT class_id, class_key, class_name, count, self_size, retained_size, distance FROM classes').all() as ClassRow[];
}

export function scriptNames(db: Db): Map<number, string> {
  const m = new Map<number, string>();
  if (!hasTable(db, 'scripts')) return m;
  for (const r of stmt(db, 'SELECT script_id, name FROM scripts').all() as { script_id: number; name: string }[]) m.set(r.script_id, r.name);
  return m;
}

/**
 * Display kinds of classes: the class name, plus `(script:line:col)` (1-based, script's last path
 * segment) when several class keys share the name (DevTools splits same-named constructors by location).
 */
export function classKinds(db: Db, classes: readonly ClassRow[]): Map<number, string> {
  const byName = new Map<string, number>();
  // Ambiguity among Summary rows only (classes with count 0 are never shown).
  for (const c of classes) if (c.count > 0) byName.set(c.class_name, (byName.get(c.class_name) ?? 0) + 1);
  const scripts = scriptNames(db);
  const out = new Map<number, string>();
  for (const c of classes) {
    let kind = c.class_name;
    if ((byName.get(c.class_name) ?? 0) > 1) {
      const m = /^(\d+),(\d+),(\d+),/.exec(c.class_key);
      if (m) {
        const name = scripts.get(Number(m[1]));
        const short = name ? (name.split(/[/\\]/).pop() || name) : `script #${m[1]}`;
        kind = `${c.class_name} (${short}:${Number(m[2]) + 1}:${Number(m[3]) + 1})`;
      }
    }
    out.set(c.class_id, kind);
  }
  return out;
}

export function hasSummaries(db: Db): boolean {
  return metaNumber(db, 'summaries_version', 0) >= 1 && hasTable(db, 'summary_partition');
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

/** A member of a narrowed set, with its classifier value (see `memberKinds`). */
export interface Member {
  ordinal: number;
  size: number;
  retained: number;
  /** Immediate dominator (ordinal). */
  dominator: number;
  value: number;
}

const VALUE_SQL: Record<Exclude<Classifier, 'rcs' | 'via'>, string> = {
  class: 'n.class_id',
  type: 'n.type',
  size: 'n.self_size',
  distance: 'n.distance',
  detachedness: 'n.detachedness',
  script: '(SELECT l.script_id FROM locations l WHERE l.node_ordinal = n.ordinal ORDER BY l.rowid DESC LIMIT 1)',
  alloc: 'n.trace_node_id',
};

/**
 * The Summary-set members (self size > 0) passing `where` (already validated, see where.ts) and the id
 * range, with the raw classifier value (rcs/via: 0, computed per member by `retainerKind`). Scans.
 */
export function scanMembers(db: Db, classifier: Classifier, where: string | undefined, range: IdRange | undefined): Member[] {
  const ids = idRangeSql(range);
  const value = classifier === 'rcs' || classifier === 'via' ? '0' : VALUE_SQL[classifier];
  const sql = `SELECT n.ordinal, n.self_size AS size, n.retained_size AS retained, n.dominator, coalesce(${value}, -1) AS value
    FROM nodes n WHERE n.self_size > 0 AND ${where ?? '1'} AND ${ids.sql}`;
  try {
    return db.prepare(sql).all(...ids.params) as Member[];
  } catch (e) {
    throw new InputError(`--where: ${(e as Error).message}`);
  }
}

/** Kind text of a scanned member's raw value, for the classifiers computed in SQL. */
export function valueKinder(db: Db, classifier: Exclude<Classifier, 'rcs' | 'via'>): (value: number) => { kind: string; key: string | null } {
  const c = storeCodes(db);
  switch (classifier) {
    case 'class': {
      const classes = allClasses(db);
      const kinds = classKinds(db, classes);
      const keys = new Map(classes.map((r) => [r.class_id, r.class_key]));
      return (v) => ({ kind: kinds.get(v) ?? String(v), key: keys.get(v) ?? null });
    }
    case 'type':
      return (v) => ({ kind: c.nodeTypes[v] ?? String(v), key: String(v) });
    case 'size':
      return (v) => ({ kind: String(v), key: String(v) });
    case 'distance':
      return (v) => ({ kind: distanceKind(v), key: String(v) });
    case 'detachedness':
      return (v) => ({ kind: detachednessKind(v), key: String(v) });
    case 'script': {
      const scripts = scriptNames(db);
      return (v) => (v < 0 ? { kind: NO_LOCATION, key: null } : { kind: scriptKind(scripts.get(v), v), key: String(v) });
    }
    case 'alloc': {
      const infoOf = new Map<number, number>();
      for (const r of stmt(db, 'SELECT id, function_info_index FROM trace_tree').all() as { id: number; function_info_index: number }[]) infoOf.set(r.id, r.function_info_index);
      const kinds = new Map<number, string>();
      const info = db.prepare(
        `SELECT coalesce(sn.value, '') AS fn, coalesce(ss.value, '') AS script, f.line, f."column" AS col FROM trace_function_infos f
         LEFT JOIN strings sn ON sn.id = f.name LEFT JOIN strings ss ON ss.id = f.script_name WHERE f.function_info_index = ?`,
      );
      return (v) => {
        const fi = v === 0 ? undefined : infoOf.get(v);
        if (fi === undefined) return { kind: NO_ALLOC_TRACE, key: null };
        let k = kinds.get(fi);
        if (k === undefined) {
          const r = info.get(fi) as { fn: string; script: string; line: number; col: number } | undefined;
          k = r ? allocKind(r.fn, r.script, r.line, r.col) : NO_ALLOC_TRACE;
          kinds.set(fi, k);
        }
        return { kind: k, key: String(fi) };
      };
    }
  }
}

/**
 * heapy's `rcs` (sorted set of the class names of the retainers) or `via` (sorted set of the labels of
 * the incoming edges) of one node, over its non-weak incoming edges; `<Nothing>` when none.
 */
export function retainerKind(db: Db, classifier: 'rcs' | 'via', ordinal: number): string {
  const c = storeCodes(db);
  const set = new Set<string>();
  if (classifier === 'rcs') {
    const rows = stmt(
      db,
      `SELECT c.class_name FROM retainer_index r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
       JOIN node_rows n ON n.ordinal = e.from_node JOIN classes c ON c.class_id = n.class_id
       WHERE r.to_node = ? AND e.type != ?`,
    )
      .raw()
      .all(ordinal, c.edgeWeak) as [string][];
    for (const [name] of rows) set.add(name);
  } else {
    const rows = stmt(
      db,
      `SELECT e.type, s.value FROM retainer_index r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
       LEFT JOIN strings s ON s.id = e.name_or_index WHERE r.to_node = ? AND e.type != ?`,
    )
      .raw()
      .all(ordinal, c.edgeWeak) as [number, string | null][];
    for (const [type, name] of rows) set.add(viaLabel(type === c.edgeElement || type === c.edgeHidden, name ?? ''));
  }
  return setKind(set);
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

