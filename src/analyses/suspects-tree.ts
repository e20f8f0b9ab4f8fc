// Dominator-tree work shared by `diff` (leak suspects), `leaks` and `suspects`, over columns read in
// bulk (store/queries/node-columns.ts): the tree as CSR children lists, "top-most" members (no other member
// dominates them; DevTools' class-retained rule is the per-class case), and the retainer-path groups
// every report prints.

import { groupRetainedAmong, groupRetainedSizes } from '../graph/group-retained.js';
import { stmt, type Db } from '../store/queries/common.js';
import { listedRetainersOf, nodeColumnsAt, nodeFactsOf, type NodeColumn } from '../store/queries/node-columns.js';
import { edgeLabel, nodeLabel } from '../store/queries/labels.js';
import { type PathFinder, pathLine, type PathHop } from './paths.js';
import { namedPathText, positionText, ProgramNamer, type NamedPath } from './program-names.js';

/**
 * Classes of V8's own metadata — JIT code, hidden classes (maps) and `hidden` system objects. They are
 * allocated as a side effect of running code, not by the program, so leak reports leave them out of
 * the suspects (they still count in every total and retained size).
 */
export const VM_INTERNAL_CLASSES: ReadonlySet<string> = new Set(['(compiled code)', '(object shape)', '(system)']);

export interface DominatorTree {
  count: number;
  dominator: Float64Array;
  retained: Float64Array;
  self: Float64Array;
  id: Float64Array;
  /** Children of k: children[firstChild[k] … firstChild[k + 1]), ascending ordinal. */
  firstChild: Uint32Array;
  children: Uint32Array;
}

export function buildTree(count: number, dominator: Float64Array, retained: Float64Array, self: Float64Array, id: Float64Array): DominatorTree {
  return { count, dominator, retained, self, id, ...childrenLists(dominator.subarray(0, count)) };
}

/**
 * Members are the nodes with group[k] >= 0. A member is *counted* when no dominator-tree ancestor is a
 * counted member of the same group (DevTools' `calculateClassesRetainedSize` when groups are classes;
 * with one group for all, the "top-most" members: those no other member dominates). Returns each
 * group's Σ retained size over its counted members and the counted flag per ordinal
 * (graph/group-retained.ts over the tree's children lists).
 */
export function countMembers(tree: DominatorTree, group: Int32Array, groupCount: number): { retained: Float64Array; counted: Uint8Array } {
  const counted = new Uint8Array(tree.count);
  const retained = groupRetainedSizes(group, groupCount, tree.retained, { firstDominated: tree.firstChild, dominated: tree.children }, { counted });
  return { retained, counted };
}

/**
 * The members (member[k] = 1) no other member dominates, from the dominator array alone (one group for
 * all in graph/group-retained.ts: each node on the walked chains is visited once, no children lists).
 */
export function topMostMembers(dominator: Float64Array, member: Uint8Array): Uint8Array {
  const members: number[] = [];
  for (let k = 0; k < member.length; k++) if (member[k]) members.push(k);
  const { counted } = groupRetainedAmong(members, new Int32Array(members.length), 1, new Float64Array(members.length), (k) => dominator[k]);
  const top = new Uint8Array(member.length);
  members.forEach((k, i) => (top[k] = counted[i]));
  return top;
}

/**
 * The members (ascending ordinals, member[k] = 1) no other member dominates, over a whole dominator
 * column: whether a node has a member above it is memoised per node in a byte array, so each node on
 * the members' dominator chains is visited once — typed arrays only (the sparse walk of
 * `topMostMembers` keeps Maps, ~10× slower per node).
 */
export function topMostInTree(dominator: ArrayLike<number>, members: readonly number[], member: Uint8Array): number[] {
  // above[x]: 0 not known yet, 1 a member is a proper ancestor of x, 2 none is
  const above = new Uint8Array(member.length);
  const chain: number[] = [];
  const top: number[] = [];
  for (const k of members) {
    let x = k;
    while (above[x] === 0) {
      const d = dominator[x];
      if (d === x || chain.length > member.length) {
        above[x] = 2; // the root (or a node that dominates itself): nothing above
        break;
      }
      chain.push(x);
      x = d;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const y = chain[i];
      const d = dominator[y];
      above[y] = member[d] === 1 || above[d] === 1 ? 1 : 2;
    }
    chain.length = 0;
    if (above[k] === 2) top.push(k);
  }
  return top;
}

/**
 * `topMostMembers` without reading whole columns: fetches the dominator (and `extra` columns) of the
 * members, then the dominators of their dominator chains level by level, until every chain reaches
 * the root or a node already known. For a few members in a big store this reads a fraction of the rows.
 * Returns the top-most members (ascending ordinals) and the members' extra columns by ordinal.
 */
export function topMostAmong<C extends NodeColumn>(
  db: Db,
  nodeCount: number,
  members: readonly number[],
  extra: readonly C[],
): { top: number[]; values: { readonly [K in C]: Float64Array }; index: Map<number, number> } {
  const dominator = new Float64Array(nodeCount).fill(-1);
  dominator[0] = 0;
  const cols = nodeColumnsAt(db, members, ['dominator', ...extra] as (C | 'dominator')[]);
  const member = new Uint8Array(nodeCount);
  members.forEach((k, i) => {
    member[k] = 1;
    dominator[k] = cols.dominator[i];
  });
  let pending = [...new Set(members.map((k) => dominator[k]).filter((d) => dominator[d] === -1))];
  while (pending.length > 0) {
    const got = nodeColumnsAt(db, pending, ['dominator']).dominator;
    const next = new Set<number>();
    pending.forEach((u, i) => (dominator[u] = got[i]));
    for (const u of pending) if (dominator[dominator[u]] === -1) next.add(dominator[u]);
    pending = [...next];
  }
  const counted = topMostMembers(dominator, member);
  const top: number[] = [];
  for (const k of members) if (counted[k]) top.push(k);
  top.sort((x, y) => x - y);
  const index = new Map<number, number>();
  members.forEach((k, i) => index.set(k, i));
  return { top, values: cols as unknown as { [K in C]: Float64Array }, index };
}

/** Ordinals sorted by retained size descending, then V8 id ascending (DevTools' instance order). */
export function byRetainedThenId(tree: Pick<DominatorTree, 'retained' | 'id'>, ordinals: number[]): number[] {
  return ordinals.sort((x, y) => tree.retained[y] - tree.retained[x] || tree.id[x] - tree.id[y]);
}

export interface PathGroupResult {
  /** Class name of the group's objects (the pattern's last node). */
  class_name: string;
  /** Objects whose shortest path has this pattern. */
  count: number;
  /** Σ retained size (weight) of those objects. */
  retained: number;
  /** The pattern: class names and normalised edge names (`Window.detachedCache → Array[] → Detached <div>`). */
  pattern: string;
  /** The group's biggest object's path as a line, with its id (`… → Detached <div> @12345`). */
  line: string;
  /** That path, root side first. */
  hops: PathHop[];
  /** Where the shown path starts in the program's words (`script scope of index.html`, `window`, `stack`). */
  root: string;
  /** The pattern in the program's words (`bus.handlers[] → onRefresh (index.html:6:70)`; repeats as `×N`). */
  text: string;
  /** The biggest object's path in the program's words, from its variable on (indexes kept). */
  named: NamedPath;
  /**
   * True when `named` is not the shortest path but another real strong path, chosen because it starts
   * at a program variable and the shortest one starts at a stack slot, a deoptimization literal or a handle.
   */
  via_variable: boolean;
}

export interface TracedPaths {
  /** Objects whose paths were traced (the biggest `sample` of them). */
  traced: number;
  /** Objects in all. */
  total: number;
  /** Patterns found (before cutting to `groups`). */
  patterns: number;
  /** The biggest groups, at most `groups` of them. */
  groups: PathGroupResult[];
  /** The traced objects of each shown group (ordinals, biggest first), aligned with `groups`. */
  members: number[][];
}

/**
 * Traces DevTools' shortest retainer path (paths.ts) of each of the first `sample` objects (callers
 * pass them biggest first), merges the paths by pattern (as `mergePathsByPattern`: groups by retained
 * weight, then count, then pattern) and returns the first `groups` groups, each with the full path of
 * its biggest member.
 *
 * Many objects of a suspect hang off the same retainer (a Map's table, an array), so instead of one
 * `PathFinder.path` per object this reads the listed retainers and facts of all objects in bulk, picks
 * each object's first listed retainer the way DevTools does — lowest distance, then the retainer's name,
 * then reverse slot order; when the lowest distance is shared by different retainer nodes, the names
 * decide and `PathFinder.nextRetainer` is asked — and extends the (memoised) path of that retainer by
 * one hop. The pattern equals `pathLine(finder.path(object).hops, true)`.
 */
export function tracePathGroups(
  finder: PathFinder,
  ordinals: readonly number[],
  weight: (k: number) => number,
  sample: number,
  maxDepth: number,
  groups: number,
): TracedPaths {
  const db = finder.db;
  const picked = ordinals.slice(0, Math.max(0, sample));
  const facts = nodeFactsOf(db, picked);
  const retainers = listedRetainersOf(db, picked);
  const order = new Map<number, number>();
  picked.forEach((k, i) => order.set(k, i));
  // Each object's first listed retainer (see above), then the paths of those retainers walked in bulk,
  // so the per-parent `path` calls below are memo hits.
  const bestOf = new Map<number, { from_node: number; from_distance: number; type: string; name: string } | null>();
  for (const k of picked) {
    const f = facts.get(k);
    if (!f) continue;
    const candidates = (retainers.get(k) ?? []).filter((r) => r.from_distance >= 0 && r.from_distance < f.distance);
    if (candidates.length === 0) continue;
    let min = Infinity;
    for (const r of candidates) min = Math.min(min, r.from_distance);
    const tied = candidates.filter((r) => r.from_distance === min);
    if (tied.every((r) => r.from_node === tied[0].from_node))
      bestOf.set(
        k,
        tied.reduce((x, y) => (y.edge_ordinal > x.edge_ordinal ? y : x)),
      );
    else bestOf.set(k, finder.nextRetainer(k, f.distance));
  }
  const parents = [...new Map([...bestOf.values()].filter((b) => b !== null).map((b) => [b!.from_node, b!.from_distance])).entries()];
  finder.prefetch(
    parents.map(([p]) => p),
    parents.map(([, d]) => d),
    maxDepth - 1,
  );
  const parentPattern = new Map<number, { pattern: string; ok: boolean }>();
  const patternOfParent = (p: number): { pattern: string; ok: boolean } => {
    let r = parentPattern.get(p);
    if (!r) {
      const path = finder.path(p, { maxDepth: maxDepth - 1 });
      r = { pattern: pathLine(path.hops, true), ok: path.hops.length > 0 && !path.truncated };
      parentPattern.set(p, r);
    }
    return r;
  };
  const byPattern = new Map<string, { count: number; retained: number; best: number; bestWeight: number; members: number[] }>();
  for (const k of picked) {
    const f = facts.get(k);
    let pattern: string | null = null;
    const best = bestOf.get(k);
    if (f && best) {
      const parent = patternOfParent(best.from_node);
      if (parent.ok) pattern = `${parent.pattern}${edgeLabel(best.type, best.name, true)} → ${nodeLabel(f.class_name, f.name, f.type)}`;
    }
    // Objects at a root, unreachable ones and cut paths: the finder itself.
    if (pattern === null) pattern = pathLine(finder.path(k, { maxDepth }).hops, true);
    const w = weight(k);
    const g = byPattern.get(pattern);
    if (!g) byPattern.set(pattern, { count: 1, retained: w, best: k, bestWeight: w, members: [k] });
    else {
      g.members.push(k);
      g.count++;
      g.retained += w;
      if (w > g.bestWeight) {
        g.best = k;
        g.bestWeight = w;
      }
    }
  }
  const sorted = [...byPattern.entries()].sort(([pa, a], [pb, b]) => b.retained - a.retained || b.count - a.count || (pa < pb ? -1 : pa > pb ? 1 : 0));
  // Patterns that read the same in the program's words merge (`._idlePrev ×12` and `×13`; the engine's
  // different hops above one variable). The biggest NAMED_PATTERNS are named; the rest are counted only.
  const namer = namerOf(db);
  const named = new Map<
    string,
    { pattern: string; count: number; retained: number; best: number; bestWeight: number; hops: PathHop[]; np: NamedPath; members: number[][] }
  >();
  for (const [pattern, g] of sorted.slice(0, NAMED_PATTERNS)) {
    const hops = finder.path(g.best, { maxDepth }).hops;
    const np = namer.namePath(hops, true);
    const key = `${np.root}\0${namedPathText(np, true)}`;
    const m = named.get(key);
    if (!m) named.set(key, { pattern, count: g.count, retained: g.retained, best: g.best, bestWeight: g.bestWeight, hops, np, members: [g.members] });
    else {
      m.members.push(g.members);
      m.count += g.count;
      m.retained += g.retained;
      if (g.bestWeight > m.bestWeight) Object.assign(m, { pattern, best: g.best, bestWeight: g.bestWeight, hops, np });
    }
  }
  const merged = [...named.values()].sort(
    (a, b) => b.retained - a.retained || b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0),
  );
  const shownGroups = merged.slice(0, Math.max(0, groups));
  const shown = shownGroups.map((g) => {
    const className = g.hops.length > 0 ? g.hops[g.hops.length - 1].class_name : (facts.get(g.best)?.class_name ?? '');
    let np = g.np;
    let viaVariable = false;
    if (np.variable === null) {
      const alternative = namer.variablePath(g.best);
      if (alternative) {
        np = namer.namePath(alternative, true);
        viaVariable = true;
      }
    }
    return {
      class_name: className,
      count: g.count,
      retained: g.retained,
      pattern: g.pattern,
      line: pathLine(g.hops),
      hops: g.hops,
      root: np.root,
      text: namedPathText(np, true),
      named: np,
      via_variable: viaVariable,
    };
  });
  // Members in the order they were traced (biggest first).
  const members = shownGroups.map((g) => (g.members.length === 1 ? g.members[0] : g.members.flat().sort((x, y) => order.get(x)! - order.get(y)!)));
  return { traced: picked.length, total: ordinals.length, patterns: merged.length + Math.max(0, sorted.length - NAMED_PATTERNS), groups: shown, members };
}

/** Patterns named per suspect at most (the biggest; a suspect rarely has more than a few). */
const NAMED_PATTERNS = 500;

const namers = new WeakMap<Db, ProgramNamer>();
/** One namer per store connection, so every suspect of a report shares its memo. */
export function namerOf(db: Db): ProgramNamer {
  let n = namers.get(db);
  if (!n) namers.set(db, (n = new ProgramNamer(db)));
  return n;
}

/** A class of objects a suspect keeps alive (MAT's "accumulated objects by class"). */
export interface KeptClass {
  class_name: string;
  count: number;
  /** Σ self size, bytes. */
  size: number;
}

/** What a suspect keeps: every object its instances dominate, by class (exact: all instances walked). */
export interface Kept {
  /** The biggest classes (by bytes), at most `limit`. */
  classes: KeptClass[];
  /** Objects and bytes in all, the instances themselves excluded. */
  count: number;
  size: number;
  /** Of `count`, the objects of non-zero size (the ones a "more" note counts). */
  sized: number;
}

/** Children lists of a dominator array: children of k are children[firstChild[k] … firstChild[k + 1]). */
export function childrenLists(dominator: ArrayLike<number>): { firstChild: Uint32Array; children: Uint32Array } {
  const count = dominator.length;
  const firstChild = new Uint32Array(count + 1);
  for (let k = 1; k < count; k++) firstChild[dominator[k] + 1]++;
  for (let k = 0; k < count; k++) firstChild[k + 1] += firstChild[k];
  const children = new Uint32Array(firstChild[count]);
  const fill = firstChild.slice(0, count);
  for (let k = 1; k < count; k++) children[fill[dominator[k]]++] = k;
  return { firstChild, children };
}

/**
 * Walks the dominator subtrees of `roots` (a suspect's top-most instances; no root inside another's
 * subtree) and sums the dominated objects by class id. `className(classId)` names them.
 */
export function keptByClass(
  lists: { firstChild: Uint32Array; children: Uint32Array },
  classId: ArrayLike<number>,
  self: ArrayLike<number>,
  roots: readonly number[],
  className: (classId: number) => string,
  limit = 5,
): Kept {
  const countBy = new Map<number, number>();
  const sizeBy = new Map<number, number>();
  const stack: number[] = [];
  let count = 0;
  let size = 0;
  let sized = 0;
  for (const r of roots) {
    for (let i = lists.firstChild[r]; i < lists.firstChild[r + 1]; i++) stack.push(lists.children[i]);
    while (stack.length > 0) {
      const k = stack.pop()!;
      const c = classId[k];
      countBy.set(c, (countBy.get(c) ?? 0) + 1);
      sizeBy.set(c, (sizeBy.get(c) ?? 0) + self[k]);
      count++;
      size += self[k];
      if (self[k] > 0) sized++;
      for (let i = lists.firstChild[k]; i < lists.firstChild[k + 1]; i++) stack.push(lists.children[i]);
    }
  }
  return keptFromSums({ count: countBy, size: sizeBy, sized: null }, className, limit, { count, size, sized });
}

/**
 * A Kept from per-class sums (by class id; `sized` per class, or the totals given). Scope objects carry
 * their id in DevTools' class name (`system / Context / scope @61509`): one row for all.
 */
export function keptFromSums(
  sums: { count: Map<number, number>; size: Map<number, number>; sized: Map<number, number> | null },
  className: (classId: number) => string,
  limit = 5,
  totals?: { count: number; size: number; sized: number },
): Kept {
  let count = 0;
  let size = 0;
  let sized = 0;
  const merged = new Map<string, KeptClass>();
  for (const [c, n] of sums.count) {
    const bytes = sums.size.get(c)!;
    count += n;
    size += bytes;
    sized += sums.sized?.get(c) ?? 0;
    const name = className(c).replace(/ @\d+$/, '');
    const row = merged.get(name);
    if (row) {
      row.count += n;
      row.size += bytes;
    } else merged.set(name, { class_name: name, count: n, size: bytes });
  }
  const classes = [...merged.values()]
    .sort((a, b) => b.size - a.size || b.count - a.count || (a.class_name < b.class_name ? -1 : a.class_name > b.class_name ? 1 : 0))
    .slice(0, limit);
  return totals ? { classes, ...totals } : { classes, count, size, sized };
}

/** How a group of instances is named in the program's words. */
export interface SuspectName {
  /** `onRefresh (index.html:6:70)`, `Session (server.js:5:1)`, `Detached <li>`. */
  label: string;
  /** Closures: the functions among the instances, most first (`3,000 × onRefresh (index.html:6:70)`). */
  functions: { label: string; count: number }[];
  /** Instances whose function was looked at (all, up to FUNCTIONS_LOOKED_AT). */
  functions_of: number;
}

const FUNCTIONS_LOOKED_AT = 10000;

/** Names a suspect from its instances (biggest first): closures by their functions, objects by class and constructor position. */
export function nameSuspect(db: Db, className: string, instances: readonly number[]): SuspectName {
  const namer = namerOf(db);
  const first = instances[0];
  if (first === undefined) return { label: className, functions: [], functions_of: 0 };
  // Only closures need every instance's facts (their functions); other classes are named by the first.
  if (nodeFactsOf(db, [first]).get(first)?.type === 'closure') {
    const facts = nodeFactsOf(db, instances.slice(0, FUNCTIONS_LOOKED_AT));
    namer.prefetchPositions(instances.slice(0, FUNCTIONS_LOOKED_AT).filter((k) => facts.get(k)?.type === 'closure'));
    const byLabel = new Map<string, number>();
    let looked = 0;
    for (const k of instances.slice(0, FUNCTIONS_LOOKED_AT)) {
      const f = facts.get(k);
      if (f?.type !== 'closure') continue;
      const label = namer.functionLabel(k, f.name);
      byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
      looked++;
    }
    const functions = [...byLabel.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
    // One function is the suspect when it makes most of the group; the rest are named as "others".
    const label = functions.length === 0 ? className : functions[0].label;
    return { label, functions: functions.filter((f, i) => i === 0 || f.count >= 0.1 * functions[0].count), functions_of: looked };
  }
  // A scope object is named by the scope it is: `module server.js`, `closure scope of createServer (…)`.
  if (/^system \/ Context\b/.test(className)) return { label: `${className} (${namer.scopeOf(first).text})`, functions: [], functions_of: 0 };
  const at = namer.constructorPosition(first, className);
  return { label: at ? `${className} (${positionText(at)})` : className, functions: [], functions_of: 0 };
}

/** Class names by class id, memoised (the `classes` table). */
export function classNamer(db: Db): (classId: number) => string {
  const names = new Map<number, string>();
  const q = stmt(db, 'SELECT class_name FROM classes WHERE class_id = ?');
  return (id) => {
    let n = names.get(id);
    if (n === undefined) names.set(id, (n = (q.get(id) as { class_name: string } | undefined)?.class_name ?? `class #${id}`));
    return n;
  };
}
