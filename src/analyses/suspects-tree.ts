// Dominator-tree work shared by `diff` (leak suspects), `leaks` and `suspects`, over columns read in
// bulk (store/queries/node-columns.ts): the tree as CSR children lists, "top-most" members (no other member
// dominates them; DevTools' class-retained rule is the per-class case), and the retainer-path groups
// every report prints.

import { groupRetainedAmong, groupRetainedSizes } from '../graph/group-retained.js';
import type { Db } from '../store/queries/common.js';
import { listedRetainersOf, nodeColumnsAt, nodeFactsOf, type NodeColumn } from '../store/queries/node-columns.js';
import { edgeLabel, nodeLabel } from '../store/queries/labels.js';
import { PathFinder, pathLine, type PathHop } from './paths.js';

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
  const firstChild = new Uint32Array(count + 1);
  for (let k = 1; k < count; k++) firstChild[dominator[k] + 1]++;
  for (let k = 0; k < count; k++) firstChild[k + 1] += firstChild[k];
  const children = new Uint32Array(firstChild[count]);
  const fill = firstChild.slice(0, count);
  for (let k = 1; k < count; k++) children[fill[dominator[k]]++] = k;
  return { count, dominator, retained, self, id, firstChild, children };
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
  const byPattern = new Map<string, { count: number; retained: number; best: number; bestWeight: number }>();
  for (const k of picked) {
    const f = facts.get(k);
    let pattern: string | null = null;
    if (f) {
      const candidates = (retainers.get(k) ?? []).filter((r) => r.from_distance >= 0 && r.from_distance < f.distance);
      if (candidates.length > 0) {
        let min = Infinity;
        for (const r of candidates) min = Math.min(min, r.from_distance);
        const tied = candidates.filter((r) => r.from_distance === min);
        let best: { from_node: number; type: string; name: string } | null = null;
        if (tied.every((r) => r.from_node === tied[0].from_node)) best = tied.reduce((x, y) => (y.edge_ordinal > x.edge_ordinal ? y : x));
        else best = finder.nextRetainer(k, f.distance);
        if (best) {
          const parent = patternOfParent(best.from_node);
          if (parent.ok) pattern = `${parent.pattern}${edgeLabel(best.type, best.name, true)} → ${nodeLabel(f.class_name, f.name, f.type)}`;
        }
      }
    }
    // Objects at a root, unreachable ones and cut paths: the finder itself.
    if (pattern === null) pattern = pathLine(finder.path(k, { maxDepth }).hops, true);
    const w = weight(k);
    const g = byPattern.get(pattern);
    if (!g) byPattern.set(pattern, { count: 1, retained: w, best: k, bestWeight: w });
    else {
      g.count++;
      g.retained += w;
      if (w > g.bestWeight) {
        g.best = k;
        g.bestWeight = w;
      }
    }
  }
  const sorted = [...byPattern.entries()].sort(
    ([pa, a], [pb, b]) => b.retained - a.retained || b.count - a.count || (pa < pb ? -1 : pa > pb ? 1 : 0),
  );
  const shown = sorted.slice(0, Math.max(0, groups)).map(([pattern, g]) => {
    const hops = finder.path(g.best, { maxDepth }).hops;
    const className = hops.length > 0 ? hops[hops.length - 1].class_name : (facts.get(g.best)?.class_name ?? '');
    return { class_name: className, count: g.count, retained: g.retained, pattern, line: pathLine(hops), hops };
  });
  return { traced: picked.length, total: ordinals.length, patterns: sorted.length, groups: shown };
}
