// `heapdiff leaks BASELINE TARGET FINAL`: memlab's three-snapshot method
// (docs/format.md#memlab-leaks), made general.
//
// Leaked = objects allocated between BASELINE and TARGET — odd ids (V8 heap objects, docs/format.md#object-ids) present in
// TARGET and absent from BASELINE — that are still alive in FINAL, taken after the action that should
// have freed them. In FINAL they must be in the Summary set (self size > 0) and reachable from a root
// over non-weak edges (distance >= 0): what only weak edges hold is left out. No DOM-only filter, so
// Node.js heaps work; detached DOM nodes (Blink's detachedness) are marked. V8's own metadata (JIT code,
// maps, `hidden` system objects) allocated meanwhile is counted but never reported as a leak group.
//
// The leaked objects are collapsed to the top-most ones — those no other leaked object dominates — so a
// leaked tree (a detached `<div>` with its children, a Session with its buffers) counts once, with its
// root's retained size. The top-most objects are grouped by the pattern of their shortest retainer path
// (DevTools' rule; memlab's clusters, MAT's merged paths) and the groups ranked by the bytes they retain
// in FINAL.

import type { OpenedStore } from '../store/open.js';
import { classTable, readNodeColumns, readNodeColumnsInWorker } from '../store/queries/node-columns.js';
import { checkIds, sameProcess, type DiffSide, type IdCheck } from './diff.js';
import { PathFinder } from './paths.js';
import { IgnoreRules, isEngineBookkeeping } from './noise.js';
import {
  byRetainedThenId,
  childrenLists,
  classNamer,
  keptByClass,
  nameSuspect,
  topMostInTree,
  tracePathGroups,
  VM_INTERNAL_CLASSES,
  type Kept,
  type PathGroupResult,
} from './suspects-tree.js';

export interface LeaksOptions {
  /** Groups reported at most (default 10). */
  groups?: number;
  /** Top-most leaked objects whose paths are traced, biggest first (default 10000). */
  pathSample?: number;
  /** Hops per path at most (default 100). */
  maxDepth?: number;
  /** Skip the same-process check. */
  assumeSameProcess?: boolean;
  /** Leave out groups whose class, name or path matches one of these (`*` wildcards; see noise.ts). */
  ignore?: readonly string[];
  /** Classes listed in each group's `keeps` (default 5). */
  keeps?: number;
  /** Groups retaining less than this share of all leaked bytes are counted, not shown (default 0.01). */
  minShare?: number;
}

export interface LeakGroup {
  /** Class name of the group's objects. */
  kind: string;
  /** The objects in the program's words: `onRefresh (index.html:6:70)`, `Session (server.js:5:1)`, `Detached <li>`. */
  label: string;
  /** Closures: which functions, how many of each. */
  functions: { label: string; count: number }[];
  /** What the group's traced objects keep alive, by class. */
  keeps: Kept | null;
  /** V8's own bookkeeping, shown only because nothing else leaked. */
  engine: boolean;
  /** Top-level leaked objects with this path pattern, and the bytes they retain in FINAL. */
  count: number;
  retained: number;
  /** The pattern, and the path of the group's biggest object as a line. */
  pattern: string;
  line: string;
  /** True when the objects are detached DOM nodes (`Detached <div>`). */
  detached: boolean;
  /** Share of FINAL's total size, percent. */
  retained_percent: number;
  /** The group's one path pattern, as `paths` (the JSON shape of `diff` suspects). */
  paths: PathGroupResult[];
}

export interface LeaksResult {
  version: 1;
  baseline: DiffSide;
  target: DiffSide;
  final: DiffSide;
  same_process: boolean;
  id_check: IdCheck | null;
  note: string | null;
  totals: {
    /** Objects allocated between BASELINE and TARGET (odd ids in TARGET only). */
    allocated: number;
    /** Of those, alive in FINAL (Summary set, strongly reachable): count and self bytes. */
    leaked: number;
    leaked_size: number;
    /** Leaked objects (V8 metadata aside) no other leaked object dominates, and the bytes they retain in FINAL. */
    top_level: number;
    retained: number;
    retained_percent: number;
    /** Leaked detached DOM nodes (all, not only top-level). */
    detached_dom: number;
    /** Leaked V8 metadata (JIT code, maps, hidden system objects): counted in `leaked`, never grouped. */
    vm_internal: number;
    vm_internal_size: number;
    /** Top-level objects whose paths were traced, and the patterns found. */
    traced: number;
    patterns: number;
  };
  /** Groups by path pattern, most retained first (named `suspects` as in `diff`'s JSON). */
  suspects: LeakGroup[];
  /** Groups left out: engine bookkeeping, those matching `ignore`, small ones (under `minShare` of the leaked bytes), and those past `groups`. */
  ignored: { engine: number; user: number; small: number; more: number };
}

/** A set of V8 ids: a bitmap for the dense low range, a Set for the rest. */
export class IdSet {
  private readonly bits: Uint8Array;
  private readonly far = new Set<number>();
  constructor(private readonly limit: number) {
    this.bits = new Uint8Array(limit + 1);
  }
  add(id: number): void {
    if (id <= this.limit) this.bits[id] = 1;
    else this.far.add(id);
  }
  has(id: number): boolean {
    return id <= this.limit ? this.bits[id] === 1 : this.far.has(id);
  }
}

function side(store: OpenedStore): DiffSide {
  const r = store.db.prepare('SELECT coalesce(sum(count), 0) AS objects, coalesce(sum(self_size), 0) AS size FROM classes').get() as {
    objects: number;
    size: number;
  };
  return {
    source: store.source,
    nodes: Number(store.meta.node_count ?? 0),
    objects: r.objects,
    size: r.size,
    total_size: Number(store.meta.total_size ?? 0),
    max_js_object_id: Number(store.meta.max_js_object_id ?? 0),
  };
}

/**
 * A warning when the snapshots' largest object ids are not increasing: V8 hands out ids in allocation
 * order, so a later snapshot of one process never has a smaller largest id (as `diff` warns for A B).
 */
export function orderNote(s: { baseline: DiffSide; target: DiffSide; final: DiffSide }): string | null {
  const [b, t, f] = [s.baseline.max_js_object_id, s.target.max_js_object_id, s.final.max_js_object_id];
  if (b <= t && t <= f) return null;
  const which = t < b ? 'TARGET was taken before BASELINE' : 'FINAL was taken before TARGET';
  return `the snapshots' largest object ids (BASELINE ${b}, TARGET ${t}, FINAL ${f}) are out of order: ${which}; are the arguments in the order BASELINE TARGET FINAL?`;
}

export async function findLeaks(baseline: OpenedStore, target: OpenedStore, final: OpenedStore, options: LeaksOptions = {}): Promise<LeaksResult> {
  const sides = { baseline: side(baseline), target: side(target), final: side(final) };
  const pendingBaseline = readNodeColumnsInWorker(baseline.dbPath, ['id']);
  const pendingTarget = readNodeColumnsInWorker(target.dbPath, ['id']);
  let cols: ReturnType<typeof readNodeColumns<'id' | 'class_id' | 'self_size' | 'distance' | 'detachedness' | 'dominator' | 'retained_size'>>;
  try {
    cols = readNodeColumns(final.db, ['id', 'class_id', 'self_size', 'distance', 'detachedness', 'dominator', 'retained_size']);
  } finally {
    await Promise.allSettled([pendingBaseline, pendingTarget]);
  }
  const baseIds = (await pendingBaseline).id;
  const targetIds = (await pendingTarget).id;

  // Ids must mean the same objects in all three: check TARGET against BASELINE and FINAL against TARGET.
  let idCheck: IdCheck | null = null;
  let note: string | null = null;
  if (!options.assumeSameProcess) {
    for (const [x, y, xi, names] of [
      [baseline, target, baseIds, 'BASELINE and TARGET'],
      [target, final, targetIds, 'TARGET and FINAL'],
    ] as const) {
      const c = checkIds(x, y, xi);
      idCheck = idCheck ? { sampled: idCheck.sampled + c.sampled, shared: idCheck.shared + c.shared, mismatched: idCheck.mismatched + c.mismatched } : c;
      if (!sameProcess(c).same) {
        note = `${names} come from different processes (${c.shared} of ${c.sampled} sampled ids shared, ${c.mismatched} of those name different objects): object ids cannot be compared`;
        break;
      }
    }
  }
  const emptyTotals = {
    allocated: 0,
    leaked: 0,
    leaked_size: 0,
    top_level: 0,
    retained: 0,
    retained_percent: 0,
    detached_dom: 0,
    vm_internal: 0,
    vm_internal_size: 0,
    traced: 0,
    patterns: 0,
  };
  if (note)
    return {
      version: 1,
      ...sides,
      same_process: false,
      id_check: idCheck,
      note,
      totals: emptyTotals,
      suspects: [],
      ignored: { engine: 0, user: 0, small: 0, more: 0 },
    };

  const limit = 4 * (baseIds.length + targetIds.length + cols.count) + 1024;
  const inBaseline = new IdSet(limit);
  for (let k = 0; k < baseIds.length; k++) if (baseIds[k] % 2 === 1) inBaseline.add(baseIds[k]);
  const allocated = new IdSet(limit);
  let allocatedCount = 0;
  for (let k = 0; k < targetIds.length; k++) {
    const id = targetIds[k];
    if (id % 2 === 1 && !inBaseline.has(id)) {
      allocated.add(id);
      allocatedCount++;
    }
  }

  const n = cols.count;
  const internal = classTable(final.db).map((c) => VM_INTERNAL_CLASSES.has(c.class_name));
  const members: number[] = [];
  let leaked = 0;
  let leakedSize = 0;
  let detachedDom = 0;
  let vmInternal = 0;
  let vmInternalSize = 0;
  for (let k = 0; k < n; k++) {
    const id = cols.id[k];
    if (id % 2 !== 1 || cols.self_size[k] <= 0 || cols.distance[k] < 0 || !allocated.has(id)) continue;
    leaked++;
    leakedSize += cols.self_size[k];
    if (cols.detachedness[k] === 2) detachedDom++;
    if (internal[cols.class_id[k]]) {
      vmInternal++;
      vmInternalSize += cols.self_size[k];
      continue;
    }
    members.push(k);
  }
  const member = new Uint8Array(n);
  for (const k of members) member[k] = 1;
  const retainedOf = cols.retained_size; // read at members only
  const tree = { retained: retainedOf, id: cols.id };
  const top = topMostInTree(cols.dominator, members, member);
  let retained = 0;
  for (const k of top) retained += retainedOf[k];
  byRetainedThenId(tree, top);
  const finder = new PathFinder(final.db);
  // A few more groups than shown are traced, so that filtered ones leave no gap.
  const wantGroups = options.groups ?? 10;
  const traced = tracePathGroups(finder, top, (k) => tree.retained[k], options.pathSample ?? 10000, options.maxDepth ?? 100, 2 * wantGroups + 5);
  const totalFinal = sides.final.total_size;
  const rules = new IgnoreRules(options.ignore ?? []);
  const lists = childrenLists(cols.dominator);
  const nameOfClass = classNamer(final.db);
  const ignored = { engine: 0, user: 0, small: 0, more: 0 };
  const all = traced.groups.map((g, i) => {
    const name = nameSuspect(final.db, g.class_name, traced.members[i]);
    return {
      kind: g.class_name,
      label: name.label,
      functions: name.functions,
      keeps: keptByClass(lists, cols.class_id, cols.self_size, traced.members[i], nameOfClass, options.keeps ?? 5),
      engine: isEngineBookkeeping(g.class_name, name.label, g.text),
      count: g.count,
      retained: g.retained,
      pattern: g.pattern,
      line: g.line,
      detached: g.class_name.startsWith('Detached ') || (g.hops.length > 0 && g.hops[g.hops.length - 1].name.startsWith('Detached ')),
      retained_percent: totalFinal > 0 ? (100 * g.retained) / totalFinal : 0,
      paths: [g],
    };
  });
  const kept = all.filter((g) => {
    const user = rules.matches(g.kind, g.label, [g.paths[0].text, g.pattern]);
    if (user) ignored.user++;
    else if (g.engine) ignored.engine++;
    return !user && !g.engine;
  });
  // Nothing but the engine's own bookkeeping leaked: then it is the answer.
  const candidates = kept.length > 0 ? kept : all.filter((g) => g.engine && !rules.matches(g.kind, g.label, [g.paths[0].text]));
  // Crumbs (a string, a timer list) are not what a leak hunt looks for: groups under minShare of the
  // leaked bytes are counted, not shown (the biggest always is).
  const floor = (options.minShare ?? 0.01) * retained;
  const passing = candidates.filter((g, i) => i === 0 || g.retained >= floor);
  const suspects: LeakGroup[] = passing.slice(0, wantGroups);
  ignored.small = candidates.length - passing.length;
  ignored.more = passing.length - suspects.length;
  return {
    version: 1,
    ...sides,
    same_process: true,
    id_check: idCheck,
    note: orderNote(sides),
    totals: {
      allocated: allocatedCount,
      leaked,
      leaked_size: leakedSize,
      top_level: top.length,
      retained,
      retained_percent: totalFinal > 0 ? (100 * retained) / totalFinal : 0,
      detached_dom: detachedDom,
      vm_internal: vmInternal,
      vm_internal_size: vmInternalSize,
      traced: traced.traced,
      patterns: traced.patterns,
    },
    suspects,
    ignored,
  };
}
