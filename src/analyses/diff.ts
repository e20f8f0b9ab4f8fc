// `heapdiff A B`: Chrome DevTools' Comparison view (docs/format.md#comparison)
// plus leak suspects among the objects allocated between the two snapshots.
//
// Comparison (DevTools `calculateSnapshotDiff` / `calculateDiffForClass`), exactly:
//   - the set is each snapshot's Summary set: nodes with self size > 0 after the size transfer;
//   - objects are grouped by class key, with the NEWER snapshot's plain-object interface definitions
//     applied to both (diff-interfaces.ts re-derives A's plain objects);
//   - per class key, ids are merge-walked: an id only in A is deleted (freed size += A's self size), an
//     id only in B is new (alloc size += B's self size), an id in both is ignored even if it was
//     resized. With repeated (class key, id) pairs, the first occurrences (ordinal order) pair up,
//     as DevTools' stable sort by id makes them. Classes with nothing new or deleted are dropped.
// Here the walk is a join on (class key, id) through a table indexed by id (matchObjects), over
// columns read in bulk (B's on a second thread): the same pairs, O(n).
//
// `by` other than `class` keeps that per-object verdict (so totals never depend on the grouping) and
// groups the new and deleted objects by another of partition's classifiers, each object classified in
// its own snapshot's store (a new object in B's, a deleted one in A's) and spelled as `partition --by`
// spells it. type, size, distance and detachedness are node columns, read in bulk with the others;
// rcs, via, script and alloc are looked up for the new and deleted objects only (indexed, batched:
// kindsAt in store/classifiers.ts), and a kind's objects in A and B are the rows of `partition A/B --by` (precomputed).
//
// Leak suspects: the new objects are B's objects (Summary set) with an odd id above A's largest odd id
// (V8 assigns ids in increasing order and never reuses them; odd = V8 heap object, docs/format.md#object-ids). A class's
// bytes are the retained sizes of its top-most new instances — those no other new object dominates —
// so nothing is counted twice, neither within a class (DevTools' class rule) nor across classes (a new
// Session's new Float64Array belongs to the Session). V8's own metadata (JIT code, maps, `hidden`
// system objects: VM_INTERNAL_CLASSES) is no suspect. Classes are ranked by those bytes; each gets the
// shortest retainer paths (DevTools' rule) of its biggest top-most instances, merged by pattern.
//
// Different processes: ids mean nothing across processes, yet two processes started the same way hand
// out the same ids to their startup objects. A sample of A's odd ids is looked up in B: in one process
// a shared id is the same object (same type and name) practically always; across processes about one
// in ten differs. Then only the class-level difference is reported (objects per class key in A and B,
// B's interface definitions on both).

import { InputError } from '../errors.js';
import { TextInterner } from '../util/interner.js';
import type { OpenedStore } from '../store/open.js';
import {
  CLASSIFIER_DEFINITIONS,
  CLASSIFIERS,
  classKinds,
  isClassifier,
  kindsAt,
  storeLabeler,
  type Classifier,
  type ValueClassifier,
} from '../store/classifiers.js';
import { requireAllocationTraces } from '../store/queries/partition.js';
import {
  classTable,
  interfaceNames,
  plainObjectProperties,
  readNodeColumns,
  readNodeColumnsInWorker,
  typeAndNameAt,
  typeAndNameByIds,
  type ClassRow,
  type ClassTableRow,
} from '../store/queries/node-columns.js';
import { definitionsFromNames, InterfaceMatcher, sameDefinitions } from './diff-interfaces.js';
import { partition } from './partition.js';
import { PathFinder } from './paths.js';
import { IgnoreRules, isEngineBookkeeping } from './noise.js';
import {
  byRetainedThenId,
  childrenLists,
  classNamer,
  keptByClass,
  nameSuspect,
  topMostAmong,
  topMostInTree,
  tracePathGroups,
  VM_INTERNAL_CLASSES,
  type Kept,
  type PathGroupResult,
} from './suspects-tree.js';

/** The classifiers looked up per new/deleted object (sets, and values that are not a node column) rather than read as node columns. */
const isObjectClassifier = (by: Classifier): boolean => {
  const def = CLASSIFIER_DEFINITIONS[by];
  return def.shape === 'set' || def.column === null;
};

export interface DiffOptions {
  by?: Classifier;
  /** Suspect classes reported at most (default 5; 0 = none). */
  suspects?: number;
  /** Path patterns per suspect (default 3). */
  paths?: number;
  /** Instances per suspect whose paths are traced, biggest first (default 1000). */
  pathSample?: number;
  /** Hops per path at most (default 100). */
  maxDepth?: number;
  /** A class is a suspect only when its new objects retain at least this many bytes (default: 1 % of B's total). */
  minRetained?: number;
  /** Skip the different-process check (trust the ids). */
  assumeSameProcess?: boolean;
  /** Leave out suspects whose class, name or path matches one of these (`*` wildcards; see noise.ts). */
  ignore?: readonly string[];
  /** Classes listed in each suspect's `keeps` (default 5). */
  keeps?: number;
}

export interface DiffSide {
  /** What the user passed. */
  source: string;
  nodes: number;
  /** Summary set: objects with self size > 0, and their bytes. */
  objects: number;
  size: number;
  /** DevTools' total size (title size). */
  total_size: number;
  max_js_object_id: number;
}

export interface DiffRow {
  /** Display text of the group (class name; disambiguated by location when two class keys share it). */
  kind: string;
  /** DevTools class key (`by: class`); null for other groupings. */
  class_key: string | null;
  /** The classifier's raw value for other groupings (type code, size, script id, …; B's when the kind has new objects); null for rcs / via and catch-all kinds. */
  key: string | null;
  /** DevTools' # New, # Deleted, # Delta, Alloc. Size, Freed Size, Size Delta; null when class-level only. */
  new: number | null;
  deleted: number | null;
  delta: number;
  alloc_size: number | null;
  freed_size: number | null;
  size_delta: number;
  /** Objects and bytes of the group in A and in B (Summary set). */
  count_a: number;
  count_b: number;
  size_a: number;
  size_b: number;
}

export interface DiffTotals {
  new: number | null;
  deleted: number | null;
  delta: number;
  alloc_size: number | null;
  freed_size: number | null;
  size_delta: number;
  /** DevTools' total sizes and their difference (what `--fail-on-growth` tests). */
  total_a: number;
  total_b: number;
  total_delta: number;
}

export interface DiffSuspect {
  /** DevTools' class name. */
  kind: string;
  class_key: string;
  /** The suspect in the program's words: `onRefresh (index.html:6:70)`, `Session (server.js:5:1)`, `Detached <li>`. */
  label: string;
  /** Closures: which functions, how many of each (of `functions_of` looked at). */
  functions: { label: string; count: number }[];
  functions_of: number;
  /** What the top-most new instances keep alive (dominate), by class; exact over all of them. */
  keeps: Kept | null;
  /** V8's own bookkeeping, shown only because nothing else grew enough. */
  engine: boolean;
  /** New objects of the class (odd id above A's largest, self size > 0). */
  count: number;
  /** Their self sizes. */
  size: number;
  /** Bytes retained in B by the class's top-most new instances (those no other new object dominates). */
  retained: number;
  /** Share of B's total size, percent. */
  retained_percent: number;
  /** Top-most instances whose paths were traced (biggest first), out of `counted`. */
  traced: number;
  /** Top-most new instances of the class. */
  counted: number;
  /** Path patterns, biggest retained first (at most `paths`). */
  paths: PathGroupResult[];
  /** Patterns found before cutting to `paths`. */
  patterns: number;
}

export interface IdCheck {
  /** A's odd ids looked up in B. */
  sampled: number;
  /** Found in B. */
  shared: number;
  /** Found in B as a different object (other type or name). */
  mismatched: number;
}

export interface DiffResult {
  version: 1;
  a: DiffSide;
  b: DiffSide;
  by: Classifier;
  /** False when the snapshots come from different processes: rows are then class-level only. */
  same_process: boolean;
  id_check: IdCheck | null;
  /** Why the diff is class-level only, or a warning about the order of the snapshots (null otherwise). */
  note: string | null;
  rows: DiffRow[];
  totals: DiffTotals;
  /** Bytes a suspect must retain. */
  suspect_threshold: number;
  /** Suspects asked for at most (0: not computed). */
  suspect_limit: number;
  suspects: DiffSuspect[];
  /** Suspects left out: engine bookkeeping, and classes or paths matching `ignore`. */
  ignored: { engine: number; user: number };
}

const SAMPLE = 600;
/** Same process: below this share of shared ids that name another object. */
const MAX_MISMATCH = 0.01;
/** Different processes: fewer than this share of A's sampled ids exist in B. */
const MIN_SHARED = 0.01;

function side(store: OpenedStore, classes: readonly ClassTableRow[]): DiffSide {
  let objects = 0;
  let size = 0;
  for (const c of classes) {
    objects += c.count;
    size += c.self_size;
  }
  return {
    source: store.source,
    nodes: Number(store.meta.node_count ?? 0),
    objects,
    size,
    total_size: Number(store.meta.total_size ?? 0),
    max_js_object_id: Number(store.meta.max_js_object_id ?? 0),
  };
}

/** Class name of a class key (`,Foo` → `Foo`, `7,10,4,Point` → `Point`). */
export function classNameOfKey(key: string): string {
  const m = /^(?:\d+,\d+,\d+,|,)/.exec(key);
  return m ? key.slice(m[0].length) : key;
}

/** An odd id (a V8 heap object); the bit test where it is exact, the slower float remainder above 2^31. */
export function isOddId(id: number): boolean {
  return id >= 0 && id <= 0x7fffffff ? (id & 1) === 1 : id % 2 === 1;
}

/** Samples A's odd ids and looks them up in B (see the file comment). */
export function checkIds(a: OpenedStore, b: OpenedStore, idA: Float64Array): IdCheck {
  // Every step-th of the odd ids (by rank among them), without listing them all.
  let oddCount = 0;
  for (let k = 0; k < idA.length; k++) if (isOddId(idA[k])) oddCount++;
  const step = Math.max(1, oddCount / SAMPLE);
  const picked: number[] = [];
  for (let k = 0, rank = 0, want = 0; k < idA.length && picked.length < SAMPLE; k++) {
    if (!isOddId(idA[k])) continue;
    if (rank === want) {
      picked.push(k);
      want = Math.floor(picked.length * step);
    }
    rank++;
  }
  let shared = 0;
  let mismatched = 0;
  const inA = typeAndNameAt(a.db, picked);
  const inB = typeAndNameByIds(
    b.db,
    inA.map((x) => x.id),
  );
  for (let i = 0; i < inA.length; i++) {
    const x = inA[i];
    const y = inB[i];
    if (!y) continue;
    shared++;
    if (y.type !== x.type || y.name !== x.name) mismatched++;
  }
  return { sampled: picked.length, shared, mismatched };
}

/** The id check's verdict (shared by `diff` and `leaks`). */
export function sameProcess(c: IdCheck): { same: boolean; note: string | null } {
  if (c.sampled === 0) return { same: true, note: null };
  if (c.shared < Math.max(1, MIN_SHARED * c.sampled)) {
    return {
      same: false,
      note: `the snapshots share no object ids (${c.shared} of ${c.sampled} sampled ids of A exist in B): they come from different processes`,
    };
  }
  if (c.mismatched > MAX_MISMATCH * c.shared) {
    return {
      same: false,
      note: `${c.mismatched} of ${c.shared} object ids the snapshots share name different objects: they come from different processes, whose ids are unrelated`,
    };
  }
  return { same: true, note: null };
}

/**
 * Per-object verdicts of DevTools' merge walk: `deleted[k]` for A's ordinal k, `added[k]` for B's.
 * keyA/keyB are -1 for nodes outside the Summary set. The i-th B node with a given (class key, id)
 * pairs with the i-th A node with that pair, in ordinal order — what the walk over id-sorted (stable)
 * lists does. A's nodes are found by id through a table indexed by the id itself (V8 ids of heap
 * objects are below about twice the number of objects a process ever showed a snapshot, and grow with
 * the ordinal, so lookups stream through memory); the few larger ids (embedder nodes whose ids derive
 * from addresses) go through a Map.
 */
export function matchObjects(keyA: Int32Array, idA: Float64Array, keyB: Int32Array, idB: Float64Array): { deleted: Uint8Array; added: Uint8Array } {
  const nA = keyA.length;
  const limit = 4 * (nA + keyB.length) + 1024;
  let maxId = 0;
  for (let k = 0; k < nA; k++) if (keyA[k] >= 0 && idA[k] > maxId && idA[k] <= limit) maxId = idA[k];
  const head = new Int32Array(maxId + 1).fill(-1);
  const far = new Map<number, number>();
  const next = new Int32Array(nA).fill(-1);
  for (let k = nA - 1; k >= 0; k--) {
    if (keyA[k] < 0) continue;
    const id = idA[k];
    if (id <= maxId) {
      next[k] = head[id];
      head[id] = k;
    } else {
      next[k] = far.get(id) ?? -1;
      far.set(id, k);
    }
  }
  const paired = new Uint8Array(nA);
  const added = new Uint8Array(keyB.length);
  for (let j = 0; j < keyB.length; j++) {
    const key = keyB[j];
    if (key < 0) continue;
    const id = idB[j];
    let k = id <= maxId ? head[id] : (far.get(id) ?? -1);
    while (k >= 0 && (keyA[k] !== key || paired[k] === 1)) k = next[k];
    if (k >= 0) paired[k] = 1;
    else added[j] = 1;
  }
  const deleted = new Uint8Array(nA);
  for (let k = 0; k < nA; k++) if (keyA[k] >= 0 && paired[k] === 0) deleted[k] = 1;
  return { deleted, added };
}

interface Acc {
  kind: string;
  class_key: string | null;
  key: string | null;
  added: number;
  deleted: number;
  addedSize: number;
  deletedSize: number;
  countA: number;
  countB: number;
  sizeA: number;
  sizeB: number;
}

function emptyAcc(kind: string, class_key: string | null, key: string | null): Acc {
  return { kind, class_key, key, added: 0, deleted: 0, addedSize: 0, deletedSize: 0, countA: 0, countB: 0, sizeA: 0, sizeB: 0 };
}

function sortRows(rows: DiffRow[]): DiffRow[] {
  return rows.sort(
    (x, y) =>
      Math.abs(y.size_delta) - Math.abs(x.size_delta) ||
      y.size_delta - x.size_delta ||
      Math.abs(y.delta) - Math.abs(x.delta) ||
      (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) ||
      ((x.class_key ?? '') < (y.class_key ?? '') ? -1 : (x.class_key ?? '') > (y.class_key ?? '') ? 1 : 0),
  );
}

/** Display kinds for class keys: the name, with the location when several keys share a name. */
function kindsOfKeys(b: OpenedStore, keys: readonly string[]): string[] {
  const rows: ClassRow[] = keys.map((k, i) => ({
    class_id: i,
    class_key: k,
    class_name: classNameOfKey(k),
    count: 1,
    self_size: 0,
    retained_size: 0,
    distance: 0,
  }));
  const kinds = classKinds(b.db, rows);
  return keys.map((_, i) => kinds.get(i) ?? rows[i].class_name);
}

export async function diffStores(a: OpenedStore, b: OpenedStore, options: DiffOptions = {}): Promise<DiffResult> {
  const by = options.by ?? 'class';
  if (!isClassifier(by)) throw new InputError(`--by: expected one of ${CLASSIFIERS.join(', ')} (got ${JSON.stringify(by)})`);
  if (by === 'alloc') {
    requireAllocationTraces(a.db, `A (${a.source})`);
    requireAllocationTraces(b.db, `B (${b.source})`);
  }
  const classesA = classTable(a.db);
  const classesB = classTable(b.db);
  const sideA = side(a, classesA);
  const sideB = side(b, classesB);
  const extra =
    by === 'type' ? (['type'] as const) : by === 'distance' ? (['distance'] as const) : by === 'detachedness' ? (['detachedness'] as const) : ([] as const);
  // A's columns are read on a second thread while this one reads B's, the bigger job (more columns, and
  // usually more nodes): the thread's start-up is then spent while this thread still reads.
  const wantSuspects = (options.suspects ?? 5) > 0;
  const pendingA = readNodeColumnsInWorker(a.dbPath, ['id', 'class_id', 'self_size', ...extra]);
  type ColsA = Awaited<typeof pendingA>;
  let colsB: ColsA & { dominator?: Float64Array; retained_size?: Float64Array };
  try {
    colsB = readNodeColumns(
      b.db,
      wantSuspects ? ['id', 'class_id', 'self_size', 'dominator', 'retained_size', ...extra] : ['id', 'class_id', 'self_size', ...extra],
    ) as typeof colsB;
  } finally {
    await pendingA.catch(() => undefined);
  }
  const colsA: ColsA = await pendingA;

  const idCheck = options.assumeSameProcess ? null : checkIds(a, b, colsA.id);
  const verdict = idCheck ? sameProcess(idCheck) : { same: true, note: null };
  const totalsBase = { total_a: sideA.total_size, total_b: sideB.total_size, total_delta: sideB.total_size - sideA.total_size };
  const minRetained = options.minRetained ?? 0.01 * sideB.total_size;

  // Class keys in one space; A's plain objects re-derived with B's interface definitions.
  const space = new TextInterner(); // class keys of both snapshots in one index space
  const keyOfClassA = classesA.map((c) => space.id(c.class_key));
  const keyOfClassB = classesB.map((c) => space.id(c.class_key));
  const keyA = new Int32Array(colsA.count);
  const keyB = new Int32Array(colsB.count);
  for (let k = 0; k < colsA.count; k++) keyA[k] = colsA.self_size[k] > 0 ? keyOfClassA[colsA.class_id[k]] : -1;
  for (let k = 0; k < colsB.count; k++) keyB[k] = colsB.self_size[k] > 0 ? keyOfClassB[colsB.class_id[k]] : -1;
  const defsA = interfaceNames(a.db);
  const defsB = interfaceNames(b.db);
  if (!sameDefinitions(defsA, defsB)) {
    const matcher = new InterfaceMatcher(definitionsFromNames(defsB));
    const { ordinals, names } = plainObjectProperties(a.db);
    const prefixOfClass = classesA.map((c) => c.class_key.slice(0, c.class_key.length - c.class_name.length));
    const reclassify = (k: number, props: string[]) => {
      const name = matcher.match(props);
      keyA[k] = space.id(prefixOfClass[colsA.class_id[k]] + name);
    };
    // Objects without property edges stay `Object` under any definitions (none is empty), as in A.
    for (let i = 0; i < ordinals.length; ) {
      const k = ordinals[i];
      const props: string[] = [];
      while (i < ordinals.length && ordinals[i] === k) props.push(names[i++]);
      reclassify(k, props);
    }
  }

  if (!verdict.same) {
    // Class level only: objects per class key in each snapshot (B's interface definitions on both).
    const countA = new Float64Array(space.texts.length);
    const countB = new Float64Array(space.texts.length);
    const sizeA = new Float64Array(space.texts.length);
    const sizeB = new Float64Array(space.texts.length);
    for (let k = 0; k < colsA.count; k++) {
      if (keyA[k] < 0) continue;
      countA[keyA[k]]++;
      sizeA[keyA[k]] += colsA.self_size[k];
    }
    for (let k = 0; k < colsB.count; k++) {
      if (keyB[k] < 0) continue;
      countB[keyB[k]]++;
      sizeB[keyB[k]] += colsB.self_size[k];
    }
    const kinds = kindsOfKeys(b, space.texts);
    const rows: DiffRow[] = [];
    space.texts.forEach((key, i) => {
      if (countA[i] === countB[i] && sizeA[i] === sizeB[i]) return;
      rows.push({
        kind: kinds[i],
        class_key: key,
        key: null,
        new: null,
        deleted: null,
        delta: countB[i] - countA[i],
        alloc_size: null,
        freed_size: null,
        size_delta: sizeB[i] - sizeA[i],
        count_a: countA[i],
        count_b: countB[i],
        size_a: sizeA[i],
        size_b: sizeB[i],
      });
    });
    return {
      version: 1,
      a: sideA,
      b: sideB,
      by: 'class',
      same_process: false,
      id_check: idCheck,
      note: verdict.note,
      rows: sortRows(rows),
      totals: {
        new: null,
        deleted: null,
        delta: sideB.objects - sideA.objects,
        alloc_size: null,
        freed_size: null,
        size_delta: sideB.size - sideA.size,
        ...totalsBase,
      },
      suspect_threshold: minRetained,
      suspect_limit: 0,
      suspects: [],
      ignored: { engine: 0, user: 0 },
    };
  }

  const { deleted, added } = matchObjects(keyA, colsA.id, keyB, colsB.id);

  // Group verdicts into rows.
  const accs = new Map<string, Acc>();
  const keyKinds = by === 'class' ? kindsOfKeys(b, space.texts) : [];
  if (isObjectClassifier(by)) objectAccs(a, b, by, colsA.self_size, colsB.self_size, deleted, added, accs);
  else {
    const kinderA = by === 'class' ? null : storeLabeler(a.db, by as ValueClassifier);
    const kinderB = by === 'class' ? null : storeLabeler(b.db, by as ValueClassifier);
    const column = (CLASSIFIER_DEFINITIONS[by] as { column: string }).column;
    const valueCol = (cols: typeof colsA, k: number): number => (cols as unknown as Record<string, Float64Array>)[column][k];
    const byKey: (Acc | undefined)[] = []; // by class: the accumulators by class key id, without a Map lookup per node
    const accOf = (isA: boolean, k: number): Acc => {
      if (by === 'class') {
        const u = isA ? keyA[k] : keyB[k];
        let acc = byKey[u];
        if (!acc) accs.set(space.texts[u], (acc = byKey[u] = emptyAcc(keyKinds[u], space.texts[u], null)));
        return acc;
      }
      const { kind, key } = (isA ? kinderA! : kinderB!)(valueCol(isA ? colsA : colsB, k));
      const id = `\u0000${kind}`;
      let acc = accs.get(id);
      if (!acc) accs.set(id, (acc = emptyAcc(kind, null, key)));
      return acc;
    };
    // Per-class counts come cheaply from the keys; per-kind counts of other groupings need every node.
    for (let k = 0; k < colsA.count; k++) {
      if (keyA[k] < 0) continue;
      const acc = accOf(true, k);
      acc.countA++;
      acc.sizeA += colsA.self_size[k];
      if (deleted[k]) {
        acc.deleted++;
        acc.deletedSize += colsA.self_size[k];
      }
    }
    for (let k = 0; k < colsB.count; k++) {
      if (keyB[k] < 0) continue;
      const acc = accOf(false, k);
      acc.countB++;
      acc.sizeB += colsB.self_size[k];
      if (added[k]) {
        acc.added++;
        acc.addedSize += colsB.self_size[k];
      }
    }
  }
  const rows: DiffRow[] = [];
  const totals: DiffTotals = { new: 0, deleted: 0, delta: 0, alloc_size: 0, freed_size: 0, size_delta: 0, ...totalsBase };
  for (const acc of accs.values()) {
    if (acc.added === 0 && acc.deleted === 0) continue;
    rows.push({
      kind: acc.kind,
      class_key: acc.class_key,
      key: acc.key,
      new: acc.added,
      deleted: acc.deleted,
      delta: acc.added - acc.deleted,
      alloc_size: acc.addedSize,
      freed_size: acc.deletedSize,
      size_delta: acc.addedSize - acc.deletedSize,
      count_a: acc.countA,
      count_b: acc.countB,
      size_a: acc.sizeA,
      size_b: acc.sizeB,
    });
    totals.new! += acc.added;
    totals.deleted! += acc.deleted;
    totals.alloc_size! += acc.addedSize;
    totals.freed_size! += acc.deletedSize;
  }
  totals.delta = totals.new! - totals.deleted!;
  totals.size_delta = totals.alloc_size! - totals.freed_size!;

  const ignored = { engine: 0, user: 0 };
  const suspects = wantSuspects
    ? newObjectSuspects(
        b,
        sideA.max_js_object_id,
        keyB,
        colsB,
        space.texts,
        by === 'class' ? keyKinds : kindsOfKeys(b, space.texts),
        sideB.total_size,
        minRetained,
        options,
        ignored,
      )
    : [];

  return {
    version: 1,
    a: sideA,
    b: sideB,
    by,
    same_process: true,
    id_check: idCheck,
    note:
      sideB.max_js_object_id < sideA.max_js_object_id
        ? `B's largest object id (${sideB.max_js_object_id}) is below A's (${sideA.max_js_object_id}): B was taken before A — are the arguments swapped?`
        : null,
    rows: sortRows(rows),
    totals,
    suspect_threshold: minRetained,
    suspect_limit: options.suspects ?? 5,
    suspects,
    ignored,
  };
}

/**
 * Rows of an object classifier (rcs, via, script, alloc): the new objects classified in B's store and the
 * deleted ones in A's, by lookups for those objects only; a kind's objects and bytes in A and B (`count_a`…)
 * are its rows of `partition A --by` and `partition B --by`, which the kinds are spelled the same as.
 */
function objectAccs(
  a: OpenedStore,
  b: OpenedStore,
  by: Classifier,
  selfA: Float64Array,
  selfB: Float64Array,
  deleted: Uint8Array,
  added: Uint8Array,
  accs: Map<string, Acc>,
): void {
  const members = (flags: Uint8Array): Uint32Array => {
    let n = 0;
    for (let k = 0; k < flags.length; k++) n += flags[k];
    const out = new Uint32Array(n);
    for (let k = 0, i = 0; k < flags.length; k++) if (flags[k]) out[i++] = k;
    return out;
  };
  const accOf = (kind: string, key: string | null): Acc => {
    const id = `\u0000${kind}`;
    let acc = accs.get(id);
    if (!acc) accs.set(id, (acc = emptyAcc(kind, null, key)));
    return acc;
  };
  // B first, so a row's key is B's value when the kind has new objects.
  const newOnes = members(added);
  const inB = kindsAt(b.db, by, newOnes);
  newOnes.forEach((k, i) => {
    const acc = accOf(inB.kinds[inB.group[i]], inB.keys[inB.group[i]]);
    acc.added++;
    acc.addedSize += selfB[k];
  });
  const gone = members(deleted);
  const inA = kindsAt(a.db, by, gone);
  gone.forEach((k, i) => {
    const acc = accOf(inA.kinds[inA.group[i]], inA.keys[inA.group[i]]);
    acc.deleted++;
    acc.deletedSize += selfA[k];
  });
  for (const [store, isA] of [
    [a, true],
    [b, false],
  ] as const) {
    for (const row of partition(store, { by }).rows) {
      const acc = accs.get(`\u0000${row.kind}`);
      if (!acc) continue;
      if (isA) {
        acc.countA = row.count;
        acc.sizeA = row.size;
      } else {
        acc.countB = row.count;
        acc.sizeB = row.size;
      }
    }
  }
}

/** Classes whose objects allocated after A (odd id > A's max) retain most in B (see the file comment). */
function newObjectSuspects(
  b: OpenedStore,
  maxIdA: number,
  keyB: Int32Array,
  colsB: { id: Float64Array; self_size: Float64Array; class_id?: Float64Array; dominator?: Float64Array; retained_size?: Float64Array },
  keys: readonly string[],
  kinds: readonly string[],
  totalB: number,
  minRetained: number,
  options: DiffOptions,
  ignored: { engine: number; user: number },
): DiffSuspect[] {
  const n = keyB.length;
  const idB = colsB.id;
  const selfB = colsB.self_size;
  const members: number[] = [];
  const count = new Float64Array(keys.length);
  const size = new Float64Array(keys.length);
  const internal = keys.map((key) => VM_INTERNAL_CLASSES.has(classNameOfKey(key)));
  for (let k = 0; k < n; k++) {
    const id = idB[k];
    if (keyB[k] < 0 || id <= maxIdA || id % 2 !== 1 || internal[keyB[k]]) continue;
    members.push(k);
    count[keyB[k]]++;
    size[keyB[k]] += selfB[k];
  }
  if (members.length === 0) return [];
  // Top-most new objects: those no other new object dominates. A class's bytes are what its top-most
  // new instances retain, so a Session's Float64Array is the Session's, not a suspect of its own.
  let top: number[];
  let retainedOf: Float64Array; // read at members only
  if (colsB.dominator && colsB.retained_size) {
    const member = new Uint8Array(n);
    for (const k of members) member[k] = 1;
    top = topMostInTree(colsB.dominator, members, member);
    retainedOf = colsB.retained_size;
  } else {
    const found = topMostAmong(b.db, n, members, ['retained_size']);
    top = found.top;
    retainedOf = new Float64Array(n);
    for (const k of members) retainedOf[k] = found.values.retained_size[found.index.get(k)!];
  }
  const nodes = { retained: retainedOf, id: idB };
  const counted = new Uint8Array(n);
  for (const k of top) counted[k] = 1;
  const retained = new Float64Array(keys.length);
  for (const k of top) retained[keyB[k]] += retainedOf[k];
  const ranked: number[] = [];
  for (let g = 0; g < keys.length; g++) if (count[g] > 0 && retained[g] >= minRetained && retained[g] > 0) ranked.push(g);
  ranked.sort((x, y) => retained[y] - retained[x] || (kinds[x] < kinds[y] ? -1 : kinds[x] > kinds[y] ? 1 : 0));
  const limit = options.suspects ?? 5;
  if (ranked.length === 0 || limit === 0) return [];
  const wanted = new Map(ranked.map((g) => [g, [] as number[]]));
  for (let k = 0; k < n; k++) if (counted[k]) wanted.get(keyB[k])?.push(k);
  const finder = new PathFinder(b.db);
  const rules = new IgnoreRules(options.ignore ?? []);
  const lists = colsB.dominator ? childrenLists(colsB.dominator) : null;
  const nameOfClass = classNamer(b.db);
  const build = (g: number, engine: boolean): DiffSuspect => {
    const instances = byRetainedThenId(nodes, wanted.get(g)!);
    const traced = tracePathGroups(finder, instances, (k) => nodes.retained[k], options.pathSample ?? 1000, options.maxDepth ?? 100, options.paths ?? 3);
    const className = classNameOfKey(keys[g]);
    const name = nameSuspect(b.db, className, instances);
    return {
      kind: kinds[g],
      class_key: keys[g],
      label: name.label,
      functions: name.functions,
      functions_of: name.functions_of,
      keeps: lists && colsB.class_id ? keptByClass(lists, colsB.class_id, selfB, instances, nameOfClass, options.keeps ?? 5) : null,
      engine,
      count: count[g],
      size: size[g],
      retained: retained[g],
      retained_percent: totalB > 0 ? (100 * retained[g]) / totalB : 0,
      traced: traced.traced,
      counted: traced.total,
      // Paths through V8's own tables (a few objects also held by a builtin's cache) are no answer.
      paths: traced.groups.filter((p, i) => i === 0 || !isEngineBookkeeping('', '', p.text)),
      patterns: traced.patterns - traced.groups.filter((p, i) => i > 0 && isEngineBookkeeping('', '', p.text)).length,
    };
  };
  // Engine bookkeeping and the user's ignores are judged by class first (cheap), then by path; a few
  // more candidates than asked for are traced so that filtered ones leave no gap.
  const out: DiffSuspect[] = [];
  const engineCandidates: number[] = [];
  let examined = 0;
  for (const g of ranked) {
    if (out.length >= limit || examined >= 3 * limit + 5) break;
    const className = classNameOfKey(keys[g]);
    if (isEngineBookkeeping(className, kinds[g])) {
      engineCandidates.push(g);
      ignored.engine++;
      continue;
    }
    if (rules.matches(className, kinds[g])) {
      ignored.user++;
      continue;
    }
    examined++;
    const s = build(g, false);
    if (
      !rules.empty &&
      rules.matches(
        className,
        s.label,
        s.paths.map((p) => p.text),
      )
    ) {
      ignored.user++;
      continue;
    }
    if (s.paths.length > 0 && s.paths.every((p) => isEngineBookkeeping('', '', p.text))) {
      ignored.engine++;
      continue;
    }
    out.push(s);
  }
  // Nothing but the engine's own bookkeeping grew: then it is the answer.
  if (out.length === 0) for (const g of engineCandidates.slice(0, limit)) out.push(build(g, true));
  return out;
}
