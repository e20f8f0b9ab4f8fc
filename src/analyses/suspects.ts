// `heapdiff suspects SNAP`: Eclipse MAT's Leak Suspects report (docs/format.md#mat-suspects,
// `FindLeaksQuery`) on one snapshot, e.g. one written by `node --heapsnapshot-near-heap-limit`.
//
//   threshold = threshold% × DevTools' total size (default 10 %).
//   Top-level objects ("top dominators"): MAT takes the children of its virtual root. A V8 heap's
//     dominator tree hangs everything under synthetic roots and the realms' global objects, which hold
//     the whole program by definition, so the walk descends through them: the root, `synthetic` nodes,
//     global objects and proxies (`global`, `Window …`, `… [JSGlobalObject]`, `… [JSGlobalProxy]`) and
//     native contexts (`system / NativeContext`). Their dominator-tree children are the top-level
//     objects; those only V8 internals reach (distance >= 100000000, or unreachable) are skipped.
//   Single suspects: top-level objects retaining more than the threshold. From each, MAT walks down to
//     the accumulation point: step to the biggest dominated child while it keeps at least `bigDrop`
//     (0.7) of its parent's retained size.
//   Group suspects: the other top-level objects grouped by class; classes whose instances together
//     retain more than the threshold. V8's catch-all classes — `Function`, `Object`, `Array`,
//     `system / Context` and the `(…)` type classes (strings, arrays, code, system objects) — lump
//     unrelated objects together, so they never form a group suspect (every Node.js heap has a third
//     of its bytes in top-level functions); their big members still show as single suspects.
// Each suspect comes with DevTools' shortest retainer path from a root, the accumulation point's
// biggest children (single) or its instances' merged paths (group).
//
// What depends on the whole dominator tree (the top-level objects, what they keep by class, the chains
// to their accumulation points) comes from the suspects summary written at ingest (summary_top_*, see
// store/summaries.ts), so a report reads a few thousand rows whatever the heap's size; stores without it,
// thresholds below its 0.1 % minimum and more than 50 children per point read the whole node columns.

import type { OpenedStore } from '../store/open.js';
import { BASE_SYSTEM_DISTANCE, type Db } from '../store/queries/common.js';
import { classTable, nodeFactsOf, nodeRowCount, readNodeColumns, type NodeFacts } from '../store/queries/node-columns.js';
import { suspectsSummary, type SuspectsSummary } from '../store/queries/suspects.js';
import { isCatchAllClass, isContainer } from '../store/summaries.js';
import { displayName } from '../store/queries/nodes.js';
import type { DiffSide } from './diff.js';
import { PathFinder, pathLine, type NodeSummary, type PathHop } from './paths.js';
import { IgnoreRules } from './noise.js';
import { namedPathText, type NamedPath } from './program-names.js';
import {
  buildTree,
  byRetainedThenId,
  classNamer,
  keptByClass,
  keptFromSums,
  nameSuspect,
  namerOf,
  tracePathGroups,
  type DominatorTree,
  type Kept,
  type PathGroupResult,
} from './suspects-tree.js';

export interface SuspectsOptions {
  /** Percent of the total size a suspect must retain (default 10). */
  threshold?: number;
  /** Accumulation point: stop where the biggest child keeps less than this share of its parent (default 0.7). */
  bigDrop?: number;
  /** Biggest children / classes of children listed per accumulation point (default 5). */
  children?: number;
  /** Path patterns per group suspect (default 3). */
  paths?: number;
  /** Group suspects: instances whose paths are traced (default 1000). */
  pathSample?: number;
  maxDepth?: number;
  /** Leave out suspects whose class, name or path matches one of these (`*` wildcards; see noise.ts). */
  ignore?: readonly string[];
}

/** One object as the report shows it (no distance; its share of the heap instead). */
export interface SuspectObject extends Omit<NodeSummary, 'distance'> {
  retained_percent: number;
}

export interface ChildClass {
  class_name: string;
  count: number;
  retained: number;
  retained_percent: number;
}

export interface Accumulation {
  /** Where the retained size spreads out (MAT's accumulation point). */
  object: SuspectObject;
  /** Steps down the dominator tree from the suspect. */
  depth: number;
  /** The nearest dominator (or the point itself) that is not a V8-internal array or system object. */
  owner: SuspectObject;
  path: PathHop[];
  line: string;
  /** The path to the accumulation point in the program's words (from its last variable). */
  named: NamedPath;
  /** Its dominator-tree children: how many, the biggest ones, and grouped by class (biggest first). */
  child_count: number;
  children: SuspectObject[];
  children_by_class: ChildClass[];
}

export interface LeakSuspect {
  /** `object`: one object retains more than the threshold; `class`: a class's top-level instances together do. */
  suspect: 'object' | 'class';
  /** Class name of the object(s). */
  kind: string;
  /** The object(s) in the program's words: `onRefresh (index.html:6:70)`, `Chunk (oom.js:3:1)`, `Array`. */
  label: string;
  /** Single suspect: its path in the program's words, from the variable that holds it (null: none found). */
  named: NamedPath | null;
  /** True when `named` is another real path than the shortest, chosen because it starts at a variable. */
  via_variable: boolean;
  /** What the object(s) keep alive, by class (exact). */
  keeps: Kept | null;
  count: number;
  retained: number;
  retained_percent: number;
  /** Single suspect: the object, its path from a root and its accumulation point. */
  object: SuspectObject | null;
  path: PathHop[] | null;
  line: string | null;
  accumulation: Accumulation | null;
  /** Group suspect: biggest instances and merged paths (single: the object's one path). */
  instances: SuspectObject[];
  paths: PathGroupResult[];
  patterns: number;
}

export interface SuspectsResult {
  version: 1;
  snapshot: DiffSide;
  threshold_percent: number;
  threshold: number;
  big_drop: number;
  /** Top-level objects (see the file comment): how many, and the biggest ones. */
  top_level: number;
  top_objects: SuspectObject[];
  suspects: LeakSuspect[];
}

export { isCatchAllClass, isContainer } from '../store/summaries.js';

const INTERNAL_TYPES = new Set(['hidden', 'array', 'object shape', 'code']);

function children(tree: DominatorTree, k: number): number[] {
  return Array.from(tree.children.subarray(tree.firstChild[k], tree.firstChild[k + 1]));
}

/** Where an accumulation walk ends: the point, its depth, its children (biggest first, at most the limit asked) and their classes. */
interface Accumulated {
  point: number;
  depth: number;
  /** The nearest dominator (or the point itself) that is not a V8-internal array or system object. */
  owner: number;
  childCount: number;
  children: number[];
  /** The point's children by class name, in the order of their first child in DevTools' order (before sorting by size). */
  byClass: Map<string, { count: number; retained: number }>;
}

/**
 * What the report needs of the whole dominator tree. Two sources with equal answers: the suspects
 * summary written at ingest (a few thousand rows), or the store's whole node columns (stores ingested
 * before the summary, and thresholds below the summary's minimum).
 */
interface SuspectData {
  nodeCount: number;
  /** Top-level objects, DevTools' instance order. */
  top: number[];
  /** Retained size of a top-level object. */
  retained(k: number): number;
  /** Class of a top-level object. */
  classId(k: number): number;
  /** What a single suspect keeps. */
  keepsOfObject(k: number): Kept;
  /** What a group keeps: the class's top-level objects but `singles` (all of the class retaining more than the threshold). */
  keepsOfGroup(classId: number, members: number[], singles: number[]): Kept;
  accumulate(start: number): Accumulated;
}

export function findSuspects(store: OpenedStore, options: SuspectsOptions = {}): SuspectsResult {
  return suspectsOf(store, options, true);
}

/** `findSuspects` from the whole node columns only, never the summary: the reference the tests hold the summary to. */
export function findSuspectsFromColumns(store: OpenedStore, options: SuspectsOptions = {}): SuspectsResult {
  return suspectsOf(store, options, false);
}

function suspectsOf(store: OpenedStore, options: SuspectsOptions, useSummary: boolean): SuspectsResult {
  const db = store.db;
  const pct = options.threshold ?? 10;
  const bigDrop = options.bigDrop ?? 0.7;
  const nChildren = options.children ?? 5;
  const total = Number(store.meta.total_size ?? 0);
  const threshold = (pct / 100) * total;
  const classes = classTable(db);
  const finder = new PathFinder(db);
  const share = (x: number) => (total > 0 ? (100 * x) / total : 0);

  const factCache = new Map<number, NodeFacts>();
  const facts = (ords: readonly number[]): NodeFacts[] => {
    const missing = ords.filter((k) => !factCache.has(k));
    if (missing.length > 0) for (const [k, f] of nodeFactsOf(db, missing)) factCache.set(k, f);
    return ords.map((k) => factCache.get(k)!);
  };
  const describe = (k: number): SuspectObject => {
    const f = facts([k])[0];
    return {
      ordinal: k,
      id: f.id,
      type: f.type,
      class_name: f.class_name,
      name: displayName(db, k),
      self_size: f.self_size,
      retained_size: f.retained_size,
      retained_percent: share(f.retained_size),
    };
  };
  const names: ClassNames = { kept: classNamer(db), child: (c) => classes[c]?.class_name ?? String(c) };
  const summary = useSummary ? suspectsSummary(db) : null;
  const input =
    summary && threshold >= summary.minRetained && nChildren <= summary.chainChildLimit
      ? fromSummary(db, summary, names, nChildren, bigDrop, facts)
      : fromColumns(db, names, nChildren, bigDrop, facts);
  const top = input.top;

  const suspects: LeakSuspect[] = [];
  const namer = namerOf(db);
  const singles = top.filter((k) => input.retained(k) > threshold);
  for (const k of singles) {
    const path = finder.path(k, { maxDepth: options.maxDepth ?? 100 }).hops;
    const object = describe(k);
    let named: NamedPath | null = namer.namePath(path, false);
    let viaVariable = false;
    if (named.variable === null) {
      const alternative = namer.variablePath(k);
      if (alternative) {
        named = namer.namePath(alternative, false);
        viaVariable = true;
      }
    }
    suspects.push({
      suspect: 'object',
      kind: object.class_name,
      label: nameSuspect(db, object.class_name, [k]).label,
      named,
      via_variable: viaVariable,
      keeps: input.keepsOfObject(k),
      count: 1,
      retained: input.retained(k),
      retained_percent: share(input.retained(k)),
      object,
      path,
      line: pathLine(path),
      accumulation: accumulation(k),
      instances: [object],
      paths: [],
      patterns: 1,
    });
  }

  // Group suspects: the remaining top-level objects by class.
  const byClass = new Map<number, number[]>();
  for (const k of top) {
    if (input.retained(k) > threshold) continue;
    const c = input.classId(k);
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(k);
  }
  for (const [c, members] of byClass) {
    let sum = 0;
    for (const k of members) sum += input.retained(k);
    if (sum <= threshold || members.length < 2 || isCatchAllClass(classes[c]?.class_name ?? '(unknown)')) continue;
    const traced = tracePathGroups(finder, members, (k) => input.retained(k), options.pathSample ?? 1000, options.maxDepth ?? 100, options.paths ?? 3);
    const className = classes[c]?.class_name ?? String(c);
    suspects.push({
      suspect: 'class',
      kind: className,
      label: nameSuspect(db, className, members).label,
      named: null,
      via_variable: false,
      keeps: input.keepsOfGroup(
        c,
        members,
        singles.filter((k) => input.classId(k) === c),
      ),
      count: members.length,
      retained: sum,
      retained_percent: share(sum),
      object: null,
      path: null,
      line: null,
      accumulation: null,
      instances: members.slice(0, nChildren).map(describe),
      paths: traced.groups,
      patterns: traced.patterns,
    });
  }
  // The user's ignore rules (`--ignore`, heapdiff.config.json): by class, name or path.
  const rules = new IgnoreRules(options.ignore ?? []);
  if (!rules.empty) {
    const kept = suspects.filter(
      (s) => !rules.matches(s.kind, s.label, [...(s.named ? [namedPathText(s.named)] : []), ...s.paths.map((p) => p.text), ...(s.line ? [s.line] : [])]),
    );
    suspects.splice(0, suspects.length, ...kept);
  }
  suspects.sort((x, y) => y.retained - x.retained);

  return {
    version: 1,
    snapshot: {
      source: store.source,
      nodes: input.nodeCount,
      objects: classes.reduce((a, c) => a + c.count, 0),
      size: classes.reduce((a, c) => a + c.self_size, 0),
      total_size: total,
      max_js_object_id: Number(store.meta.max_js_object_id ?? 0),
    },
    threshold_percent: pct,
    threshold,
    big_drop: bigDrop,
    top_level: top.length,
    top_objects: top.slice(0, nChildren).map(describe),
    suspects,
  };

  function accumulation(start: number): Accumulation {
    const a = input.accumulate(start);
    const cur = a.point;
    const groups = [...a.byClass].map(([name, g]) => ({ class_name: name, count: g.count, retained: g.retained, retained_percent: share(g.retained) }));
    const path = finder.path(cur, { maxDepth: options.maxDepth ?? 100 }).hops;
    return {
      object: describe(cur),
      depth: a.depth,
      owner: describe(a.owner),
      path,
      line: pathLine(path),
      named: namerOf(db).namePath(path, false),
      child_count: a.childCount,
      children: a.children.map(describe),
      children_by_class: groups.sort((x, y) => y.retained - x.retained || y.count - x.count).slice(0, nChildren),
    };
  }
}

type FactsOf = (ords: readonly number[]) => NodeFacts[];

/** Class names for what suspects keep (classNamer) and for an accumulation point's children (the class table). */
interface ClassNames {
  kept: (classId: number) => string;
  child: (classId: number) => string;
}

/** The owner of an accumulation point: up its dominators past V8-internal arrays and system objects, not above the start. */
function ownerOf(start: number, point: number, dominatorOf: (k: number) => number, facts: FactsOf): number {
  let owner = point;
  while (owner !== start && INTERNAL_TYPES.has(facts([owner])[0].type)) owner = dominatorOf(owner);
  return owner;
}

/** The answers from the suspects summary (store/queries/suspects.ts). */
function fromSummary(db: Db, summary: SuspectsSummary, names: ClassNames, limit: number, bigDrop: number, facts: FactsOf): SuspectData {
  const retained = new Map<number, number>();
  const classOf = new Map<number, number>();
  for (const t of summary.top) {
    retained.set(t.ordinal, t.retained);
    classOf.set(t.ordinal, t.classId);
  }
  return {
    nodeCount: nodeRowCount(db),
    top: summary.top.map((t) => t.ordinal),
    retained: (k) => retained.get(k)!,
    classId: (k) => classOf.get(k)!,
    keepsOfObject: (k) => keptFromSums(summary.keptByObject(k), names.kept, limit),
    keepsOfGroup: (c, _members, singles) => {
      const sums = summary.keptByClass(c);
      for (const s of singles) {
        const own = summary.keptByObject(s);
        for (const [k, n] of own.count) {
          const left = sums.count.get(k)! - n;
          if (left === 0) {
            sums.count.delete(k);
            sums.size.delete(k);
            sums.sized.delete(k);
          } else {
            sums.count.set(k, left);
            sums.size.set(k, sums.size.get(k)! - own.size.get(k)!);
            sums.sized.set(k, sums.sized.get(k)! - own.sized.get(k)!);
          }
        }
      }
      return keptFromSums(sums, names.kept, limit);
    },
    accumulate: (start) => {
      const steps = summary.chain(start);
      let depth = 0;
      for (; depth < 1000; depth++) {
        const s = steps[depth];
        if (s.childCount === 0) break;
        if (s.retained === 0 || steps[depth + 1].retained / s.retained < bigDrop) break;
      }
      const point = steps[depth].ordinal;
      const byClass = new Map<string, { count: number; retained: number }>();
      for (const c of summary.chainClasses(point)) {
        const name = names.child(c.classId);
        const g = byClass.get(name);
        if (g) {
          g.count += c.count;
          g.retained += c.retained;
        } else byClass.set(name, { count: c.count, retained: c.retained });
      }
      return {
        point,
        depth,
        owner: ownerOf(start, point, (k) => steps[steps.findIndex((s) => s.ordinal === k) - 1].ordinal, facts),
        childCount: steps[depth].childCount,
        children: summary.childrenOf(point, limit),
        byClass,
      };
    },
  };
}

/** The answers from whole node columns and the dominator tree built from them. */
function fromColumns(db: Db, names: ClassNames, limit: number, bigDrop: number, facts: FactsOf): SuspectData {
  const cols = readNodeColumns(db, ['id', 'self_size', 'retained_size', 'dominator', 'distance', 'class_id']);
  const tree = buildTree(cols.count, cols.dominator, cols.retained_size, cols.self_size, cols.id);
  const top: number[] = [];
  let frontier = [0];
  const seen = new Set<number>([0]);
  while (frontier.length > 0) {
    const next: number[] = [];
    const kids = frontier.flatMap((x) => children(tree, x)).filter((k) => !seen.has(k));
    const fs = facts(kids);
    kids.forEach((k, i) => {
      seen.add(k);
      const d = cols.distance[k];
      if (isContainer(fs[i])) next.push(k);
      else if (d >= 0 && d < BASE_SYSTEM_DISTANCE && cols.self_size[k] + tree.retained[k] > 0) top.push(k);
    });
    frontier = next;
  }
  byRetainedThenId(tree, top);
  const keeps = (roots: number[]) => keptByClass(tree, cols.class_id, cols.self_size, roots, names.kept, limit);
  return {
    nodeCount: cols.count,
    top,
    retained: (k) => tree.retained[k],
    classId: (k) => cols.class_id[k],
    keepsOfObject: (k) => keeps([k]),
    keepsOfGroup: (_c, members) => keeps(members),
    accumulate: (start) => {
      let cur = start;
      let depth = 0;
      for (; depth < 1000; depth++) {
        const kids = children(tree, cur);
        if (kids.length === 0) break;
        let big = kids[0];
        for (const c of kids) if (tree.retained[c] > tree.retained[big] || (tree.retained[c] === tree.retained[big] && tree.id[c] < tree.id[big])) big = c;
        if (tree.retained[cur] === 0 || tree.retained[big] / tree.retained[cur] < bigDrop) break;
        cur = big;
      }
      const kids = byRetainedThenId(tree, children(tree, cur));
      const byClass = new Map<string, { count: number; retained: number }>();
      for (const k of kids) {
        const name = names.child(cols.class_id[k]);
        let g = byClass.get(name);
        if (!g) byClass.set(name, (g = { count: 0, retained: 0 }));
        g.count++;
        g.retained += tree.retained[k];
      }
      return {
        point: cur,
        depth,
        owner: ownerOf(start, cur, (k) => cols.dominator[k], facts),
        childCount: kids.length,
        children: kids.slice(0, limit),
        byClass,
      };
    },
  };
}
