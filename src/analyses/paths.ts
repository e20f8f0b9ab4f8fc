// Shortest retainer paths ("why is this alive"), by Chrome DevTools' rule
// (docs/format.md#retainers), and MAT-style merging of many paths by pattern.
//
// DevTools' Retainers view lists every incoming edge except weak ones, `invisible` ones (never written
// by V8) and edges from the root, ordered by the retaining node's distance ascending, then the retaining
// node's name (`JSHeapSnapshotNode.name()`) ascending, then slot order, which is the reverse of
// (source ordinal, edge ordinal): the higher edge ordinal first. Opening the pane auto-expands the first
// listed retainer level after level; so the shortest path is: from the object, repeatedly move to the
// first listed retainer among those that are reachable (distance >= 0) and closer to a root than the
// current node (distance lower), until no such retainer exists — at a user root (distance 1) or at a GC
// root's child. Then the root's own edge into that node (the root → global shortcut, or the root →
// `(GC roots)` element edge) is prepended, so for any reachable object the number of hops equals its
// distance (system-only objects: distance − 100000000). Unreachable retainers (distance −5) are listed
// first by DevTools but never taken: they cannot lead to a root.
//
// Hops are ordered from the root side to the object; each hop carries the edge INTO it from the
// previous hop (the first hop: the root's edge, or null when the walk did not end at a root child).

import { BASE_SYSTEM_DISTANCE, dbOf, storeCodes, type Db, type StoreLike } from '../store/queries/common.js';
import { edgeLabel, nodeLabel } from '../store/queries/labels.js';
import {
  displayName,
  listedRetainers,
  listedRetainersMany,
  nodeByOrdinal,
  nodeRowsOf,
  rootEdgesInto,
  type EdgeRow,
  type RetainerRow,
} from '../store/queries/nodes.js';

/** One object as the analyses report it (a path hop, a dominator, an inspected object's neighbour). */
export interface NodeSummary {
  ordinal: number;
  /** V8 object id (`@123`). */
  id: number;
  /** Node type (`object`, `closure`, …). */
  type: string;
  class_name: string;
  /** DevTools' display name (plain objects `{a, b}`, concatenated strings joined, detached DOM renamed). */
  name: string;
  retained_size: number;
  self_size: number;
  distance: number;
}

export interface PathHop extends NodeSummary {
  /** Type of the edge into this node from the previous hop (`shortcut`, `property`, `element`, …); null for a first hop not held by the root. */
  edge_type: string | null;
  /** Name of that edge; element and hidden edges: the index as decimal text. */
  edge_name: string | null;
  /** Edge ordinal of that edge (a row of `edges`). */
  edge_ordinal: number | null;
}

export interface PathOptions {
  /** Stop after this many hops (counted from the object); default 1000. */
  maxDepth?: number;
}

export interface RetainerPath {
  hops: PathHop[];
  /** True when the walk stopped at maxDepth before reaching a root. */
  truncated: boolean;
  /** True when the first hop is held by the root (the path starts at a GC root or user root). */
  rooted: boolean;
}

const DEFAULT_MAX_DEPTH = 1000;

/** Compares two listed retainers' names and slots, DevTools-style (distance already equal). */
function byNameThenSlot(a: RetainerRow & { display: string }, b: RetainerRow & { display: string }): number {
  if (a.display < b.display) return -1;
  if (a.display > b.display) return 1;
  return b.edge_ordinal - a.edge_ordinal;
}

/**
 * Sorts listed retainers in DevTools' Retainers-view order (distance, name, reverse slot). Names are
 * computed only for the distance groups that reach into the first `limit` positions; the rest keep
 * (distance, reverse slot) order.
 */
export function sortRetainers(db: Db, rows: RetainerRow[], limit = Infinity): (RetainerRow & { display: string | null })[] {
  const sorted = [...rows].sort((a, b) => a.from_distance - b.from_distance || b.edge_ordinal - a.edge_ordinal) as (RetainerRow & { display: string | null })[];
  for (const r of sorted) r.display = null;
  let i = 0;
  while (i < sorted.length && i < limit) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].from_distance === sorted[i].from_distance) j++;
    if (j - i > 1) {
      const group = sorted.slice(i, j) as (RetainerRow & { display: string })[];
      const names = new Map<number, string>();
      for (const r of group) {
        let n = names.get(r.from_node);
        if (n === undefined) names.set(r.from_node, (n = displayName(db, r.from_node)));
        r.display = n;
      }
      group.sort(byNameThenSlot);
      sorted.splice(i, j - i, ...group);
    }
    i = j;
  }
  return sorted;
}

/**
 * Finds paths with memoised hops, so many paths of one class (which share their upper parts) cost
 * one query per distinct node: its next retainer, its hop facts and, for the topmost node of a path,
 * the root's edge into it. One finder per store connection and command.
 */
export class PathFinder {
  readonly db: Db;
  private readonly next = new Map<number, RetainerRow | null>();
  private readonly hopCache = new Map<number, NodeSummary>();
  private readonly rootEdgeCache = new Map<number, EdgeRow | null>();

  constructor(store: StoreLike) {
    this.db = dbOf(store);
  }

  /** The retainer DevTools' auto-expansion takes from this node, or null at a root / dead end. */
  nextRetainer(ordinal: number, distance: number): RetainerRow | null {
    const cached = this.next.get(ordinal);
    if (cached !== undefined) return cached;
    const candidates = listedRetainers(this.db, ordinal).filter((r) => r.from_distance >= 0 && r.from_distance < distance);
    let best: RetainerRow | null = null;
    if (candidates.length > 0) best = sortRetainers(this.db, candidates, 1)[0];
    this.next.set(ordinal, best);
    return best;
  }

  /**
   * Walks the paths of many nodes at once, level by level: the listed retainers of a whole level in one
   * query, then the next level (the chosen retainers), until every chain reaches a root or a node
   * walked before; their hop facts too. The `path` and `nextRetainer` calls that follow for those
   * nodes and the nodes above them are memo hits. `distances[i]` is the distance of `ordinals[i]`.
   */
  prefetch(ordinals: readonly number[], distances: readonly number[], maxDepth = DEFAULT_MAX_DEPTH): void {
    let frontier: number[] = [];
    let distance = new Map<number, number>();
    ordinals.forEach((k, i) => {
      if (!this.next.has(k) && !distance.has(k)) {
        frontier.push(k);
        distance.set(k, distances[i]);
      }
    });
    for (let level = 0; frontier.length > 0 && level < maxDepth; level++) {
      this.prefetchHops(frontier);
      const rows = listedRetainersMany(
        this.db,
        frontier,
        frontier.map((k) => distance.get(k)!),
      );
      const next: number[] = [];
      const nextDistance = new Map<number, number>();
      for (const k of frontier) {
        const candidates = (rows.get(k) ?? []).filter((r) => r.from_distance >= 0 && r.from_distance < distance.get(k)!);
        const best = candidates.length > 0 ? sortRetainers(this.db, candidates, 1)[0] : null;
        this.next.set(k, best);
        if (best && !this.next.has(best.from_node) && !nextDistance.has(best.from_node)) {
          next.push(best.from_node);
          nextDistance.set(best.from_node, best.from_distance);
        }
      }
      frontier = next;
      distance = nextDistance;
    }
  }

  /** Hop facts of many nodes in one query per 10 000 (names as `displayName`). */
  private prefetchHops(ordinals: readonly number[]): void {
    const missing = ordinals.filter((k) => !this.hopCache.has(k));
    for (const [k, n] of nodeRowsOf(this.db, missing)) {
      this.hopCache.set(k, {
        ordinal: k,
        id: n.id,
        type: n.type,
        class_name: n.class_name,
        name: n.display,
        retained_size: n.retained_size,
        self_size: n.self_size,
        distance: n.distance,
      });
    }
  }

  private hopNode(ordinal: number): NodeSummary | undefined {
    let h = this.hopCache.get(ordinal);
    if (h) return h;
    const n = nodeByOrdinal(this.db, ordinal);
    if (!n) return undefined;
    h = {
      ordinal,
      id: n.id,
      type: n.type,
      class_name: n.class_name,
      name: displayName(this.db, ordinal),
      retained_size: n.retained_size,
      self_size: n.self_size,
      distance: n.distance,
    };
    this.hopCache.set(ordinal, h);
    return h;
  }

  /** The root's first non-weak edge into this node (user-root shortcut or GC-roots element edge), or null. */
  private rootEdgeInto(ordinal: number): EdgeRow | null {
    let e = this.rootEdgeCache.get(ordinal);
    if (e === undefined) {
      const weak = storeCodes(this.db).edgeWeak;
      e = rootEdgesInto(this.db, ordinal).find((r) => r.type_code !== weak) ?? null;
      this.rootEdgeCache.set(ordinal, e);
    }
    return e;
  }

  path(ordinal: number, options: PathOptions = {}): RetainerPath {
    const maxDepth = Math.max(1, options.maxDepth ?? DEFAULT_MAX_DEPTH);
    const start = this.hopNode(ordinal);
    if (!start) return { hops: [], truncated: false, rooted: false };
    // Walk from the object towards the roots, collecting (node, edge into it).
    const chain: { node: number; edge: RetainerRow | null }[] = [];
    let cur = ordinal;
    let dist = start.distance;
    let truncated = false;
    const seen = new Set<number>([cur]);
    for (;;) {
      if (chain.length + 1 >= maxDepth) {
        truncated = this.nextRetainer(cur, dist) !== null;
        chain.push({ node: cur, edge: null });
        break;
      }
      const r = this.nextRetainer(cur, dist);
      if (!r || seen.has(r.from_node)) {
        chain.push({ node: cur, edge: null });
        break;
      }
      chain.push({ node: cur, edge: r });
      seen.add(r.from_node);
      cur = r.from_node;
      dist = r.from_distance;
    }
    // The root's edge into the topmost node (none when the walk ended elsewhere or was truncated).
    const top = chain[chain.length - 1];
    const rootEdge = truncated ? null : this.rootEdgeInto(top.node);
    const hops: PathHop[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = this.hopNode(chain[i].node)!;
      // chain[i].edge is the edge from chain[i + 1] into chain[i]; the topmost node's is the root's.
      const into = i === chain.length - 1 ? rootEdge : chain[i].edge;
      hops.push({ ...node, edge_type: into ? into.type : null, edge_name: into ? into.name : null, edge_ordinal: into ? into.edge_ordinal : null });
    }
    return { hops, truncated, rooted: rootEdge !== null };
  }
}

/** DevTools' shortest retainer path of one node (see the file comment), root side first. */
export function shortestRetainerPath(store: StoreLike, ordinal: number, options: PathOptions = {}): PathHop[] {
  return new PathFinder(store).path(ordinal, options).hops;
}

/** Hop count a complete path of a node at this distance has (user roots: distance; system: distance − 10^8). */
export function expectedHopCount(distance: number): number {
  return distance >= BASE_SYSTEM_DISTANCE ? distance - BASE_SYSTEM_DISTANCE : distance;
}

// ───────────────────────────── path text and patterns ─────────────────────────────

/**
 * A path as one line, `Window.store → Store.items → Array[2041] → TodoItem @48211` (the last node with
 * its id unless `pattern`). The root's own edge is not shown: the line starts at the root's child.
 */
export function pathLine(hops: readonly PathHop[], pattern = false): string {
  const parts: string[] = [];
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    let s = nodeLabel(h.class_name, h.name, h.type);
    if (i + 1 < hops.length) s += edgeLabel(hops[i + 1].edge_type, hops[i + 1].edge_name, pattern);
    else if (!pattern) s += ` @${h.id}`;
    parts.push(s);
  }
  return parts.join(' → ');
}

export interface PathGroup {
  /** Number of paths (objects) with this pattern. */
  count: number;
  /** Sum of the weights of the group's paths (bytes retained by those objects). */
  retained: number;
  /** The pattern line (`pathLine(hops, true)`): node labels and normalised edge labels. */
  pattern: string;
  /** One representative path of the group: the one with the largest weight. */
  hops: PathHop[];
}

/**
 * Merges paths whose sequence of (node label, normalised edge label) is equal — Eclipse MAT's "merge
 * shortest paths to GC roots". `weights[i]` is what path i contributes to its group's `retained`.
 * Groups are ordered by retained bytes, then count (both descending), then pattern.
 *
 * The key is `pathLine(hops, true)`, e.g. `Window.store → Store.items → Array[] → TodoItem`:
 * - node labels are class names (`nodeLabel`), except `(system)` / `(synthetic)` / `(array)` nodes,
 *   which use their own name (`system / Context`, `(GC roots)`, `(internal array)`);
 * - element and hidden edges, and any edge whose name is a decimal number (internal slots `"3"`, root
 *   shortcuts `"2"`), are normalised to `[]`, so `Array[12]` and `Array[13]` merge;
 * - WeakMap ephemeron edges (`"<n> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)"`),
 *   whose names embed object ids, become `[<WeakMap entry>]`;
 * - other names stay: `.name` for identifiers, `["any name"]` otherwise; the last node carries no id.
 * The root's own edge into the first hop is not part of the line (only its hop's label is).
 */
export function mergePathsByPattern(paths: readonly PathHop[][], weights: readonly number[]): PathGroup[] {
  const groups = new Map<string, PathGroup & { best: number }>();
  paths.forEach((hops, i) => {
    const pattern = pathLine(hops, true);
    const w = weights[i] ?? 0;
    const g = groups.get(pattern);
    if (!g) groups.set(pattern, { count: 1, retained: w, pattern, hops, best: w });
    else {
      g.count++;
      g.retained += w;
      if (w > g.best) {
        g.best = w;
        g.hops = hops;
      }
    }
  });
  return [...groups.values()]
    .sort((a, b) => b.retained - a.retained || b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0))
    .map(({ count, retained, pattern, hops }) => ({ count, retained, pattern, hops }));
}
