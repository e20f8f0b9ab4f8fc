// heapy's partition of the heap (docs/format.md#heapy-table): the Summary set of DevTools — objects whose
// self size is > 0 after the shallow-size transfer — split into kinds by a classifier, with count,
// size and retained bytes per kind. Without `where`/`idRange` the rows come from tables written at
// ingest (`classes` for `class`, `summary_partition` for the others); with them, from a scan.
//
// Retained bytes of a kind follow DevTools' class rule (docs/format.md#summary): the sum of the retained sizes of its
// members that no other member of the same kind dominates. For `class` these equal DevTools' Summary.
//
// Order: size descending, ties by kind text (heapy); `sort: 'count' | 'retained'` sorts by that column
// first (descending), then size, then kind. Cumulative is the running size in the shown order.

import { InputError } from '../errors.js';
import { groupRetainedAmong } from '../graph/group-retained.js';
import { dbOf, metaNumber, type StoreLike } from '../store/queries/common.js';
import { classKinds, CLASSIFIER_DEFINITIONS, CLASSIFIERS, isClassifier, kindsAt, type Classifier } from '../store/classifiers.js';
import {
  dominatorLookup,
  hasSummaries,
  requireAllocationTraces,
  scanMembers,
  summaryClasses,
  summaryPartitionRows,
  type GroupRow,
} from '../store/queries/partition.js';
import { validateWhere, type IdRange } from '../store/queries/where.js';

export { CLASSIFIERS, isClassifier, type Classifier } from '../store/classifiers.js';

export type PartitionSort = 'size' | 'count' | 'retained';

export interface PartitionOptions {
  by?: Classifier;
  /** SQL expression over the `nodes` view narrowing the set. */
  where?: string;
  /** Objects with min < id <= max. */
  idRange?: IdRange;
  sort?: PartitionSort;
}

export interface PartitionRow {
  index: number;
  kind: string;
  /** Raw classifier value as text (class key, type code, size, distance, script id, trace function index); null for catch-all kinds. */
  key: string | null;
  count: number;
  size: number;
  cumulative: number;
  retained: number;
  /** Percentages of the set's count / size (doubles; render with heapy's %.0f). */
  count_percent: number;
  size_percent: number;
  cumulative_percent: number;
}

export interface PartitionResult {
  by: Classifier;
  sort: PartitionSort;
  /** Objects in the set and their total self size. */
  objects: number;
  size: number;
  /** Whether a where / id range narrowed the set. */
  narrowed: boolean;
  where: string | null;
  id_range: IdRange | null;
  /** DevTools' total heap size (title size) of the snapshot, for reference. */
  heap_total_size: number;
  /** Every row in order (paging is the renderer's business). */
  rows: PartitionRow[];
}

/** Column title of each classifier's kind column (heapy's titles where heapy has the classifier). */
export const KIND_TITLES = Object.fromEntries(CLASSIFIERS.map((c) => [c, CLASSIFIER_DEFINITIONS[c].title])) as Record<Classifier, string>;

export function partition(store: StoreLike, options: PartitionOptions = {}): PartitionResult {
  const db = dbOf(store);
  const by = options.by ?? 'class';
  if (!isClassifier(by)) throw new InputError(`--by: unknown classifier ${JSON.stringify(by)} (one of ${CLASSIFIERS.join(', ')})`);
  const sort = options.sort ?? 'size';
  if (by === 'alloc') requireAllocationTraces(db);
  const narrowed = options.where !== undefined || options.idRange !== undefined;
  const where = options.where !== undefined ? validateWhere(db, options.where) : undefined;

  let groups: GroupRow[];
  if (!narrowed && by === 'class') {
    const classes = summaryClasses(db);
    const kinds = classKinds(db, classes);
    groups = classes.map((c) => ({ kind: kinds.get(c.class_id)!, key: c.class_key, count: c.count, size: c.self_size, retained: c.retained_size }));
  } else if (!narrowed && hasSummaries(db, by)) {
    groups = summaryPartitionRows(db, by as Exclude<Classifier, 'class'>);
  } else {
    groups = scanGroups(store, by, where, options.idRange);
  }
  return finish(groups, {
    by,
    sort,
    narrowed,
    where: options.where ?? null,
    id_range: options.idRange ?? null,
    heap_total_size: metaNumber(db, 'total_size', 0),
  });
}

/** Groups the scanned members in memory; retained via the dominator chains of the members. */
function scanGroups(store: StoreLike, by: Classifier, where: string | undefined, idRange: IdRange | undefined): GroupRow[] {
  const db = dbOf(store);
  const members = scanMembers(db, by, where, idRange);
  const def = CLASSIFIER_DEFINITIONS[by];
  const ordinals = members.map((m) => m.ordinal);
  const found = kindsAt(db, by, ordinals, def.shape === 'value' && def.column !== null ? members.map((m) => m.value) : undefined);
  const groups: GroupRow[] = found.kinds.map((kind, g) => ({ kind, key: found.keys[g], count: 0, size: 0, retained: 0 }));
  members.forEach((m, i) => {
    const g = groups[found.group[i]];
    g.count++;
    g.size += m.size;
  });
  // Retained: DevTools' group rule over the members' dominator chains (read on demand, memoised).
  const dominator = dominatorLookup(db, new Map(members.map((m) => [m.ordinal, m.dominator])));
  const retained = groupRetainedAmong(
    ordinals,
    found.group,
    groups.length,
    members.map((m) => m.retained),
    dominator,
  ).retained;
  groups.forEach((g, i) => (g.retained = retained[i]));
  return groups;
}

function finish(groups: GroupRow[], head: Omit<PartitionResult, 'objects' | 'size' | 'rows'>): PartitionResult {
  const cmpKind = (a: GroupRow, b: GroupRow) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  const sorted = [...groups].sort((a, b) => {
    if (head.sort === 'count') return b.count - a.count || b.size - a.size || cmpKind(a, b);
    if (head.sort === 'retained') return b.retained - a.retained || b.size - a.size || cmpKind(a, b);
    return b.size - a.size || cmpKind(a, b);
  });
  let objects = 0;
  let size = 0;
  for (const g of sorted) {
    objects += g.count;
    size += g.size;
  }
  let cumulative = 0;
  const rows = sorted.map((g, index) => {
    cumulative += g.size;
    return {
      index,
      kind: g.kind,
      key: g.key,
      count: g.count,
      size: g.size,
      cumulative,
      retained: g.retained,
      count_percent: objects === 0 ? 0 : (100 * g.count) / objects,
      size_percent: size === 0 ? 0 : (100 * g.size) / size,
      cumulative_percent: size === 0 ? 0 : (100 * cumulative) / size,
    };
  });
  return { ...head, objects, size, rows };
}
