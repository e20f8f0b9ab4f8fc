// "Why is it alive": retainer paths of one object (`@ID`) or of a class's biggest-retained instances,
// merged by pattern (MAT's "merge shortest paths to GC roots"). Paths follow DevTools' rule (paths.ts).
//
// One object: path 1 is DevTools' shortest path; with `paths > 1`, the next paths start at the
// object's next listed retainers (DevTools' Retainers order, reachable ones only), each continued by
// its own shortest path — the alternatives one would open by hand in the Retainers pane.
//
// A class: its `instances` biggest-retained instances (self size > 0; all of them when fewer), one
// shortest path each, grouped by pattern. A group's `retained` sums the retained sizes of its
// instances that no other sampled instance of the class dominates (DevTools' class retained rule), so
// nested instances (a linked list) are not counted twice.

import { InputError } from '../errors.js';
import { dbOf, type StoreLike } from '../store/queries/common.js';
import {
  classesNamed,
  classInstances,
  dominatorOf,
  listedRetainers,
  nodeByOrdinal,
  ordinalById,
  similarClassNames,
  type NodeRow,
} from '../store/queries/nodes.js';
import { classKinds } from '../store/classifiers.js';
import { summaryClasses } from '../store/queries/partition.js';
import { mergePathsByPattern, PathFinder, pathLine, sortRetainers, type NodeSummary, type PathHop } from './paths.js';
import { namedPathText, type NamedPath } from './program-names.js';
import { namerOf } from './suspects-tree.js';

export interface RetainersOptions {
  /** Paths (object) or patterns (class) returned; default 1 for an object, 5 for a class. */
  paths?: number;
  /** Maximum hops per path (default 1000). */
  maxDepth?: number;
  /** Class: how many of the biggest-retained instances to follow (default 1000). */
  instances?: number;
}

export interface RetainerPathResult {
  /** Objects sharing this path (pattern). */
  count: number;
  /** Bytes they retain (see the file comment). */
  retained: number;
  /** `Window.store → Store.items → Array[2041] → TodoItem @48211`, or the pattern for a class. */
  line: string;
  /** Normalised pattern (indexes as `[]`). */
  pattern: string;
  /** True when max-depth cut the path before a root. */
  truncated: boolean;
  /** Hops from the root side to the object (a class: the group's biggest example). */
  hops: PathHop[];
  /** The path in the program's words, from its last variable (see program-names.ts). */
  named: NamedPath;
  /** True when `named` is another real path than the shortest, chosen because it starts at a variable. */
  via_variable: boolean;
}

export type ObjectSummary = NodeSummary;

export interface RetainersResult {
  target: 'object' | 'class';
  /** What the user asked for (`@123` or a class name). */
  query: string;
  /** The object (object target). */
  object: ObjectSummary | null;
  /** The classes matched (class target): same-named classes with different keys are all followed. */
  classes: { class_key: string; class_name: string; count: number; retained_size: number }[];
  /** Instances of the classes (Summary count) and how many were followed. */
  instances: number;
  /** Class: bytes all instances retain (DevTools' class retained size). */
  retained: number;
  sampled: number;
  /** Distinct patterns found (before cutting to `paths`). */
  patterns: number;
  paths: RetainerPathResult[];
}

/** `@123` or `123` → an id; anything else is a class name. */
export function parseTarget(text: string): { id: number } | { className: string } {
  const m = /^@?(\d+)$/.exec(text.trim());
  if (m) return { id: Number(m[1]) };
  if (text.trim() === '') throw new InputError('give an object id (@123) or a class name');
  return { className: text };
}

function summary(n: NodeRow, name: string): ObjectSummary {
  return {
    ordinal: n.ordinal,
    id: n.id,
    type: n.type,
    class_name: n.class_name,
    name,
    self_size: n.self_size,
    retained_size: n.retained_size,
    distance: n.distance,
  };
}

/** Resolves `@ID` to an ordinal or throws an InputError. */
export function resolveObject(store: StoreLike, id: number): number {
  const ordinal = ordinalById(dbOf(store), id);
  if (ordinal === undefined) throw new InputError(`no object with id @${id} in this snapshot`);
  return ordinal;
}

export function retainers(store: StoreLike, target: string, options: RetainersOptions = {}): RetainersResult {
  const t = parseTarget(target);
  return 'id' in t ? objectRetainers(store, resolveObject(store, t.id), target, options) : classRetainers(store, t.className, options);
}

export function objectRetainers(store: StoreLike, ordinal: number, query: string, options: RetainersOptions = {}): RetainersResult {
  const db = dbOf(store);
  const finder = new PathFinder(db);
  const n = nodeByOrdinal(db, ordinal)!;
  const wanted = Math.max(1, options.paths ?? 1);
  const first = finder.path(ordinal, { maxDepth: options.maxDepth });
  const object = summary(n, first.hops.length > 0 ? first.hops[first.hops.length - 1].name : n.name);
  const results: RetainerPathResult[] = [];
  const namer = namerOf(db);
  const add = (hops: PathHop[], truncated: boolean) => {
    let named = namer.namePath(hops);
    let viaVariable = false;
    if (results.length === 0 && named.variable === null) {
      const alternative = namer.variablePath(ordinal);
      if (alternative) [named, viaVariable] = [namer.namePath(alternative), true];
    }
    results.push({
      count: 1,
      retained: n.retained_size,
      line: pathLine(hops),
      pattern: pathLine(hops, true),
      truncated,
      hops,
      named,
      via_variable: viaVariable,
    });
  };
  add(first.hops, first.truncated);
  if (wanted > 1) {
    const firstEdge = first.hops.length >= 2 ? first.hops[first.hops.length - 1].edge_ordinal : null;
    const others = sortRetainers(
      db,
      listedRetainers(db, ordinal).filter((r) => r.from_distance >= 0),
      wanted + 1,
    ).filter((r) => r.edge_ordinal !== firstEdge);
    for (const r of others) {
      if (results.length >= wanted) break;
      const up = finder.path(r.from_node, { maxDepth: options.maxDepth ? options.maxDepth - 1 : undefined });
      const last = first.hops[first.hops.length - 1];
      add([...up.hops, { ...last, edge_type: r.type, edge_name: r.name, edge_ordinal: r.edge_ordinal }], up.truncated);
    }
  }
  return { target: 'object', query, object, classes: [], instances: 1, retained: n.retained_size, sampled: 1, patterns: results.length, paths: results };
}

export function classRetainers(store: StoreLike, className: string, options: RetainersOptions = {}): RetainersResult {
  const db = dbOf(store);
  let classes = classesNamed(db, className);
  if (classes.length === 0) {
    // The kind `partition` prints for same-named classes, e.g. `Point (app.js:12:3)`.
    const summary = summaryClasses(db);
    const kinds = classKinds(db, summary);
    classes = summary.filter((c) => kinds.get(c.class_id) === className);
  }
  if (classes.length === 0) {
    const similar = similarClassNames(db, className);
    throw new InputError(
      `no class named ${JSON.stringify(className)} in this snapshot${similar.length > 0 ? ` (did you mean ${similar.map((s) => JSON.stringify(s)).join(', ')}?)` : ''}`,
    );
  }
  const limit = Math.max(1, options.instances ?? 1000);
  const instances: { ordinal: number; retained: number; classId: number }[] = [];
  for (const c of classes) {
    for (const k of classInstances(db, c.class_id, limit)) instances.push({ ordinal: k, retained: nodeByOrdinal(db, k)!.retained_size, classId: c.class_id });
  }
  instances.sort((a, b) => b.retained - a.retained);
  const sampled = instances.slice(0, limit);

  // Weights: an instance dominated by another sampled instance of the same class adds nothing.
  const sampledClass = new Map(sampled.map((s) => [s.ordinal, s.classId]));
  const weights = sampled.map((s) => {
    let d = dominatorOf(db, s.ordinal);
    for (let guard = 0; d !== 0 && guard < 100000; guard++) {
      if (sampledClass.get(d) === s.classId) return 0;
      const next = dominatorOf(db, d);
      if (next === d) break;
      d = next;
    }
    return s.retained;
  });

  const finder = new PathFinder(db);
  const paths = sampled.map((s) => finder.path(s.ordinal, { maxDepth: options.maxDepth }));
  const groups = mergePathsByPattern(
    paths.map((p) => p.hops),
    weights,
  );
  const truncatedByPattern = new Map<string, boolean>();
  paths.forEach((p) => {
    const key = pathLine(p.hops, true);
    truncatedByPattern.set(key, (truncatedByPattern.get(key) ?? false) || p.truncated);
  });
  // Patterns that read the same in the program's words merge (a chain's length, the engine's hops above a variable).
  const namer = namerOf(db);
  const named = new Map<string, { count: number; retained: number; pattern: string; hops: PathHop[]; best: number; named: NamedPath; viaVariable: boolean }>();
  for (const g of groups) {
    let np = namer.namePath(g.hops, true);
    let viaVariable = false;
    if (np.variable === null && g.hops.length > 0) {
      const alternative = namer.variablePath(g.hops[g.hops.length - 1].ordinal);
      if (alternative) [np, viaVariable] = [namer.namePath(alternative, true), true];
    }
    const key = `${np.root}\0${namedPathText(np, true)}`;
    const m = named.get(key);
    const weight = g.hops.length > 0 ? g.hops[g.hops.length - 1].retained_size : 0;
    if (!m) named.set(key, { count: g.count, retained: g.retained, pattern: g.pattern, hops: g.hops, best: weight, named: np, viaVariable });
    else {
      m.count += g.count;
      m.retained += g.retained;
      if (weight > m.best) Object.assign(m, { pattern: g.pattern, hops: g.hops, best: weight, named: np, viaVariable });
    }
  }
  const mergedGroups = [...named.values()].sort((a, b) => b.retained - a.retained || b.count - a.count);
  const wanted = Math.max(1, options.paths ?? 5);
  return {
    target: 'class',
    query: className,
    object: null,
    classes: classes.map((c) => ({ class_key: c.class_key, class_name: c.class_name, count: c.count, retained_size: c.retained_size })),
    instances: classes.reduce((a, c) => a + c.count, 0),
    retained: classes.reduce((a, c) => a + c.retained_size, 0),
    sampled: sampled.length,
    patterns: mergedGroups.length,
    paths: mergedGroups.slice(0, wanted).map((g) => ({
      count: g.count,
      retained: g.retained,
      line: g.pattern,
      pattern: g.pattern,
      truncated: truncatedByPattern.get(g.pattern) ?? false,
      hops: g.hops,
      named: g.named,
      via_variable: g.viaVariable,
    })),
  };
}
