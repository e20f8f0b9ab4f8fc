// Small tables precomputed at ingest, so the query commands answer in milliseconds on stores of
// millions of nodes instead of scanning them (a GROUP BY over 8.5 M node rows takes ~2 s). Pure
// functions over the in-memory typed arrays of the parse and the graph analysis — no SQL, no SQLite:
// test/summaries-oracle.test.ts checks them against DevTools' engine directly. summary-writer.ts
// writes their rows (docs/schema.md, "Query summaries"); src/store/queries/ reads them.
//
//   scriptNamesOf     script id → script name (URL/path), from Chromium's `script_object_index`
//                     locations or from closures (closure -shared-> SharedFunctionInfo
//                     -script_or_debug_info-> Script, whose name is its URL)          → scripts
//   partitionSummary  heapy partition rows of the Summary set (self size > 0 after the size transfer)
//                     for every classifier but `class` (classifiers.ts)                → summary_partition
//   classTop          each class's biggest-retained instances (at most CLASS_TOP)      → summary_class_top
//   dominatorTop      the top of the dominator tree and its nodes' biggest-retained children
//                                                    → summary_dominator_nodes, summary_dominator_children
//   duplicateStrings  DevTools' duplicated-strings groups, most bytes wasted first    → summary_duplicate_strings
//
// Group retained sizes follow DevTools' class rule (src/graph/group-retained.ts).

import { bigSubtree, groupRetainedSizes, ordinalMask, PreorderWalker, type TreePreorder } from '../graph/group-retained.js';
import { U32TupleInterner } from '../graph/u32-tuple-interner.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import {
  CLASSIFIER_DEFINITIONS,
  CLASSIFIERS,
  graphKindNames,
  type Classifier,
  type IngestView,
  type KindGroups,
  type KindNames,
  SetGroups,
  ValueGroups,
  type ViaLabels,
} from './classifiers.js';
import type { StoreAnalysis } from './memory.js';
import { bigFloat64, bigInt32, bigUint32 } from '../util/typed-arrays.js';
import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';

/** 2: `distance` rows in ranges past 63 (labels.ts). 3: the suspects summary (summary_top_*). */
export const SUMMARIES_VERSION = 3;
/** Instances kept per class in summary_class_top (the sample `retainers CLASS` merges). */
export const CLASS_TOP = 1000;
/** Children kept per node in summary_dominator_children. */
export const DOMINATOR_CHILDREN = 50;
/** A dominator-tree node is expanded when it retains at least this share of the heap… */
export const DOMINATOR_MIN_SHARE = 1e-4;
/** …and at most this many nodes are expanded (breadth-first, so the top levels always are). */
export const DOMINATOR_MAX_EXPANDED = 20000;
/** …and never deeper than this. */
export const DOMINATOR_MAX_DEPTH = 64;
/** Parts of one concatenated string walked at most (its name is cut at 1,024 characters anyway). */
const CONS_WALK_LIMIT = 100_000;

// ───────────────────────────── helpers ─────────────────────────────

/** Outgoing edge of `k` of the given type whose name is one of `names` (string compare), or -1. */
function edgeTarget(graph: HeapGraph, k: number, type: number, names: readonly string[]): number {
  const { edgeTypes, edgeNames, firstEdge, edgeTo, strings } = graph;
  for (let e = firstEdge[k]; e < firstEdge[k + 1]; e++) {
    if (edgeTypes[e] !== type) continue;
    const sid = edgeNames[e];
    if (names.some((name) => strings.equals(sid, name))) return edgeTo[e];
  }
  return -1;
}

// ───────────────────────────── scripts ─────────────────────────────

/** Script id → name of every script heapdiff can name. */
export function scriptNamesOf(graph: HeapGraph): Map<number, string> {
  const { layout, nodes, strings } = graph;
  const F = layout.nodeFieldCount;
  const names = new Map<number, string>();
  const nameOf = (k: number) => strings.get(nodes[k * F + layout.nodeNameOffset]) as string;
  // Chromium: locations carry the Script object's node index (the file's: F = fileLayout.nodeFieldCount).
  const lf = layout.locationFields;
  const so = lf.indexOf('script_object_index');
  const si = lf.indexOf('script_id');
  if (so >= 0 && si >= 0) {
    const raw = graph.rawLocations;
    const fileF = graph.fileLayout.nodeFieldCount;
    for (let i = 0; i + lf.length <= raw.length; i += lf.length) {
      const id = raw[i + si];
      const idx = raw[i + so];
      if (names.has(id) || idx % fileF !== 0 || idx / fileF >= graph.nodeCount) continue;
      const n = nameOf(idx / fileF);
      if (n) names.set(id, n);
    }
  }
  // Closures: -shared-> SharedFunctionInfo -script_or_debug_info / script-> Script (a code node named by URL).
  const loc = graph.locations;
  for (let i = 0; i + 4 <= loc.length; i += 4) {
    const id = loc[i + 1];
    if (names.has(id)) continue;
    const k = loc[i];
    if (nodes[k * F + layout.nodeTypeOffset] !== layout.nodeTypeClosure) continue;
    const sfi = edgeTarget(graph, k, layout.edgeTypeInternal, ['shared']);
    if (sfi < 0) continue;
    const script = edgeTarget(graph, sfi, layout.edgeTypeInternal, ['script_or_debug_info', 'script']);
    if (script < 0 || nodes[script * F + layout.nodeTypeOffset] !== layout.nodeTypeCode) continue;
    const n = nameOf(script);
    if (n) names.set(id, n);
  }
  return names;
}

// ───────────────────────────── partitions ─────────────────────────────

/** A row of summary_partition. */
export interface PartitionSummaryRow {
  classifier: string;
  kind: string;
  key: string | null;
  count: number;
  size: number;
  retained: number;
}

/** Which partition rows to compute, and how to spell values (the summary thread has no strings: summary-thread.ts). */
export interface PartitionParts {
  /** The classifiers to compute (default: every one but `class`, whose rows are the classes table). */
  only?: (c: Classifier) => boolean;
  /** The kind names (default: from the graph, which needs its strings). */
  names?: KindNames;
  /** `via`'s labels (default: from the graph, which needs its strings). */
  viaLabels?: ViaLabels;
}

/**
 * Per group: objects and Σ self size, counted as nodes join groups (numbered 0, 1, … as they appear);
 * for the set classifiers, whose nodes join in the dominator tree's preorder, also DevTools' rule as
 * it goes (Σ retained size of the counted members, where the last one's subtree ends) and the group's
 * lowest ordinal.
 */
class GroupStats {
  readonly count: number[] = [];
  readonly size: number[] = [];
  readonly retained: number[] = [];
  private readonly coveredUntil: number[] = [];
  readonly firstOrdinal: number[] = [];

  /** A node of self size `self` is in group g. */
  add(g: number, self: number): void {
    while (g >= this.count.length) this.newGroup();
    this.count[g]++;
    this.size[g] += self;
  }

  /**
   * Node k, of self size `self`, at `position` of the preorder and whose subtree ends at `end`, is in
   * group g; it is counted unless the subtree of the group's last counted member covers it (the rule of
   * group-retained.ts).
   */
  addInPreorder(g: number, k: number, self: number, retainedSize: ArrayLike<number>, position: number, end: number): void {
    while (g >= this.count.length) this.newGroup();
    if (this.count[g] === 0) this.firstOrdinal[g] = k;
    else this.firstOrdinal[g] = Math.min(this.firstOrdinal[g], k);
    this.count[g]++;
    this.size[g] += self;
    if (position < this.coveredUntil[g]) return;
    this.retained[g] += retainedSize[k];
    this.coveredUntil[g] = end;
  }

  private newGroup(): void {
    this.count.push(0);
    this.size.push(0);
    this.retained.push(0);
    this.coveredUntil.push(0);
    this.firstOrdinal.push(0);
  }
}

/** The partition rows of every classifier computed at ingest (all but `class`: the classes table), in CLASSIFIERS order. */
export function partitionSummary(graph: HeapGraph, a: StoreAnalysis, scripts: ReadonlyMap<number, string>, parts: PartitionParts = {}): PartitionSummaryRow[] {
  const only = parts.only ?? (() => true);
  const preorder = a.dominatorPreorder;
  const { nodeCount } = graph;
  const self = a.selfSize;
  // The value classifiers' groups, by ordinal; before that, their values (`view.scratch`).
  const group = bigInt32(nodeCount);
  const view: IngestView = { graph, analysis: a, scratch: group, viaLabels: parts.viaLabels };
  const names = parts.names ?? graphKindNames(graph, scripts);
  const rows: PartitionSummaryRow[] = [];
  const emit = (classifier: string, groups: KindGroups, stats: GroupStats, retained: ArrayLike<number>, order: Iterable<number>) => {
    for (const g of order)
      if (stats.count[g] > 0)
        rows.push({ classifier, kind: groups.kinds[g], key: groups.keys[g], count: stats.count[g], size: stats.size[g], retained: retained[g] });
  };

  for (const c of CLASSIFIERS) {
    const def = CLASSIFIER_DEFINITIONS[c];
    if (def.shape !== 'value' || !only(c)) continue;
    const values = def.atIngest(view); // may be `group` itself: values[k] is read before group[k] is written
    if (values === null) continue;
    const groups = new ValueGroups((v) => def.label(v, names));
    const stats = new GroupStats();
    for (let k = 0; k < nodeCount; k++) {
      const s = self[k];
      if (s > 0) stats.add((group[k] = groups.id(values[k])), s);
      else group[k] = -1;
    }
    emit(c, groups, stats, groupRetainedSizes(group, groups.size, a.retainedSize, preorder), groups.kinds.keys());
  }

  const sets = setPartitions(graph, a, view, preorder, group, only('rcs'), only('via'));
  for (const [c, { groups, stats }] of sets) {
    // Groups are numbered as met in the preorder; rows come in the order a walk by ordinal numbers them.
    const order = Array.from(groups.kinds.keys()).sort((x, y) => stats.firstOrdinal[x] - stats.firstOrdinal[y]);
    emit(c, groups, stats, stats.retained, order);
  }
  return rows;
}

/** A set classifier's member of each edge (classifiers.ts). */
type SetMembers = { memberOf(edge: number): number } | null;

/**
 * rcs and via: sets over the non-weak incoming edges, both in one pass when both are asked for. The
 * pass walks the dominator tree's preorder and applies DevTools' rule as each node's groups are known,
 * so it needs no per-node group array (a node's retainers are scattered anyway, in whatever order it is
 * met). `scratch`: a per-node array it may overwrite (the hubs' numbers).
 */
function setPartitions(
  graph: HeapGraph,
  a: StoreAnalysis,
  view: IngestView,
  preorder: TreePreorder,
  scratch: Int32Array,
  withRcs: boolean,
  withVia: boolean,
): Map<'rcs' | 'via', { groups: SetGroups; stats: GroupStats }> {
  const out = new Map<'rcs' | 'via', { groups: SetGroups; stats: GroupStats }>();
  if (!withRcs && !withVia) return out;
  const { firstRetainer, retainerEdge } = a.retainers;
  const { edgeTypes } = graph;
  const { selfSize: self, retainedSize } = a;
  const weak = graph.layout.edgeTypeWeak;
  const rcs = withRcs ? CLASSIFIER_DEFINITIONS.rcs.atIngest(view) : null;
  const via = withVia ? CLASSIFIER_DEFINITIONS.via.atIngest(view) : null;
  const hubs = HubMembers.find(graph, a, rcs, via, scratch);
  let maxIn = 0;
  for (let k = 0; k < graph.nodeCount; k++) maxIn = Math.max(maxIn, firstRetainer[k + 1] - firstRetainer[k]);
  const rcsMembers = new Int32Array(maxIn + 1);
  const viaMembers = new Int32Array(maxIn + 1);
  const rcsGroups = new SetGroups(rcs?.texts ?? []);
  const viaGroups = new SetGroups(via?.texts ?? []);
  const rcsStats = new GroupStats();
  const viaStats = new GroupStats();
  const { entries, ordinalBits, bigEnds } = preorder;
  const big = bigSubtree(preorder);
  const mask = ordinalMask(preorder);
  for (let i = 0, bigAt = 0; i < entries.length; i++) {
    const entry = entries[i];
    const size = entry >>> ordinalBits;
    const end = size === big ? bigEnds[bigAt++] : i + size;
    const k = entry & mask;
    const s = self[k];
    if (!(s > 0)) continue;
    let rcsCount = 0;
    let viaCount = 0;
    if (hubs?.isHub(k)) {
      rcsCount = hubs.rcs(scratch[k], rcsMembers);
      viaCount = hubs.via(scratch[k], viaMembers);
    } else {
      for (let r = firstRetainer[k]; r < firstRetainer[k + 1]; r++) {
        const e = retainerEdge[r];
        if (edgeTypes[e] === weak) continue;
        if (rcs) rcsMembers[rcsCount++] = rcs.memberOf(e);
        if (via) viaMembers[viaCount++] = via.memberOf(e);
      }
    }
    if (rcs) rcsStats.addInPreorder(rcsGroups.idOf(rcsMembers, 0, rcsCount), k, s, retainedSize, i, end);
    if (via) viaStats.addInPreorder(viaGroups.idOf(viaMembers, 0, viaCount), k, s, retainedSize, i, end);
  }
  if (rcs) out.set('rcs', { groups: rcsGroups, stats: rcsStats });
  if (via) out.set('via', { groups: viaGroups, stats: viaStats });
  return out;
}

/** Nodes with at least this many retainers are hubs (HubMembers). */
const HUB_RETAINERS = 1024;

/**
 * The distinct rcs and via members of the hubs: the nodes (of self size > 0) with HUB_RETAINERS
 * retainers or more — hidden classes, oddballs, the empty array: a few hundred nodes that hold half of
 * a heap's edges. Through its retainers, each of a hub's edges is read from four scattered places (its
 * type, source, name, the source's class); here all edges are read once, in order, and those to a hub
 * kept (700 MB snapshot: 0.3 s -> 0.1 s; 150 MB ones: 25-85 ms -> 20-30 ms). Not done when the hubs
 * hold less than a quarter of the edges: reading every edge would then cost more than it saves.
 */
class HubMembers {
  private constructor(
    /** Bit k: node k is a hub. */
    private readonly hubBits: Uint8Array,
    /** Hub h's members: rcsMembers[rcsStart[h] … rcsStart[h + 1]), likewise via's. */
    private readonly rcsStart: Uint32Array,
    private readonly rcsMembers: Int32Array,
    private readonly viaStart: Uint32Array,
    private readonly viaMembers: Int32Array,
  ) {}

  /** Finds the hubs and their members; numbers them in `hubOf` (hub k's number at hubOf[k]). */
  static find(graph: HeapGraph, a: StoreAnalysis, rcs: SetMembers, via: SetMembers, hubOf: Int32Array): HubMembers | null {
    const { nodeCount, firstEdge, edgeTo, edgeTypes, edgeCount } = graph;
    const { firstRetainer } = a.retainers;
    const self = a.selfSize;
    const hubBits = new Uint8Array((nodeCount >>> 3) + 1);
    let hubCount = 0;
    let hubEdges = 0;
    for (let k = 0; k < nodeCount; k++) {
      const retainers = firstRetainer[k + 1] - firstRetainer[k];
      if (retainers < HUB_RETAINERS || !(self[k] > 0)) continue;
      hubBits[k >>> 3] |= 1 << (k & 7);
      hubOf[k] = hubCount++;
      hubEdges += retainers;
    }
    if (hubEdges < edgeCount / 4) return null;
    const weak = graph.layout.edgeTypeWeak;
    const rcsPairs = new PairSet(hubCount);
    const viaPairs = new PairSet(hubCount);
    for (let k = 0, e = firstEdge[0]; k < nodeCount; k++) {
      let rcsMember = -1; // the same for all of k's edges: the class of k
      for (const last = firstEdge[k + 1]; e < last; e++) {
        const to = edgeTo[e];
        if ((hubBits[to >>> 3] & (1 << (to & 7))) === 0 || edgeTypes[e] === weak) continue;
        const h = hubOf[to];
        if (rcs) rcsPairs.add(h, rcsMember < 0 ? (rcsMember = rcs.memberOf(e)) : rcsMember);
        if (via) viaPairs.add(h, via.memberOf(e));
      }
    }
    const [rcsStart, rcsMembers] = rcsPairs.byFirst();
    const [viaStart, viaMembers] = viaPairs.byFirst();
    return new HubMembers(hubBits, rcsStart, rcsMembers, viaStart, viaMembers);
  }

  isHub(k: number): boolean {
    return (this.hubBits[k >>> 3] & (1 << (k & 7))) !== 0;
  }

  /** Copies hub h's rcs members to `into`; returns how many. */
  rcs(h: number, into: Int32Array): number {
    into.set(this.rcsMembers.subarray(this.rcsStart[h], this.rcsStart[h + 1]));
    return this.rcsStart[h + 1] - this.rcsStart[h];
  }

  via(h: number, into: Int32Array): number {
    into.set(this.viaMembers.subarray(this.viaStart[h], this.viaStart[h + 1]));
    return this.viaStart[h + 1] - this.viaStart[h];
  }
}

/** Not a member id (those are >= -1). */
const NO_SECOND = -2;

/**
 * A set of pairs (0 <= first < firstCount, second >= -1), interned as 2-tuples. The pair last added per
 * first value is checked before the interner: a hub's retainers come in runs of one class or label.
 */
class PairSet {
  private readonly pairs = new U32TupleInterner();
  private readonly pair = new Uint32Array(2);
  private readonly lastSecond: Int32Array;
  constructor(private readonly firstCount: number) {
    this.lastSecond = new Int32Array(firstCount).fill(NO_SECOND);
  }

  add(first: number, second: number): void {
    if (this.lastSecond[first] === second) return;
    this.lastSecond[first] = second;
    this.pair[0] = first;
    this.pair[1] = second; // −1 (an unknown member) is kept as 2^32 − 1
    this.pairs.intern(this.pair, 2);
  }

  /** The seconds grouped by first, in the order added: those of f are seconds[start[f] … start[f + 1]). */
  byFirst(): [Uint32Array, Int32Array] {
    const n = this.pairs.size;
    const start = new Uint32Array(this.firstCount + 1);
    for (let id = 0; id < n; id++) start[this.pairs.values(id)[0] + 1]++;
    for (let f = 0; f < this.firstCount; f++) start[f + 1] += start[f];
    const fill = start.slice(0, this.firstCount);
    const seconds = new Int32Array(n);
    for (let id = 0; id < n; id++) {
      const [first, second] = this.pairs.values(id);
      seconds[fill[first]++] = second;
    }
    return [start, seconds];
  }
}

// ───────────────────────────── class instances ─────────────────────────────

/** Comparator of ordinals: retained size descending, then V8 id ascending (DevTools' instance order). */
function retainedThenIdOrder(graph: HeapGraph, retained: ArrayLike<number>) {
  const F = graph.layout.nodeFieldCount;
  const idOff = graph.layout.nodeIdOffset;
  const nodes = graph.nodes;
  return (x: number, y: number) => retained[y] - retained[x] || nodes[x * F + idOff] - nodes[y * F + idOff];
}

/** The k-th smallest of `a` (0-based), by quickselect: O(n), reorders `a`. */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    // median of three as the pivot
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : Math.max(x, z)) : x < z ? x : Math.max(y, z);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The `limit` biggest-retained ordinals of `members` in DevTools' instance order (retained size
 * descending, then id ascending). Found by selection, not by sorting every member: the limit-th largest
 * retained size, everything above it, and of the members tied at it only the ones with the smallest ids
 * (a hub's children often share one size by the hundred thousand).
 */
function topByRetained(graph: HeapGraph, members: Uint32Array, retained: Float64Array, limit: number): number[] {
  const cmp = retainedThenIdOrder(graph, retained);
  const n = members.length;
  if (n <= limit) return Array.from(members).sort(cmp);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = retained[members[i]];
  const threshold = select(values, n - limit);
  const picked: number[] = [];
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const r = retained[members[i]];
    if (r > threshold) picked.push(members[i]);
    else if (r === threshold) ties++;
  }
  // Fewer than `limit` are above the threshold; the rest come from the ties, smallest ids first.
  const need = limit - picked.length;
  const F = graph.layout.nodeFieldCount;
  const idOff = graph.layout.nodeIdOffset;
  const nodes = graph.nodes;
  let maxId = Number.POSITIVE_INFINITY;
  if (ties > need) {
    const ids = new Float64Array(ties);
    let t = 0;
    for (let i = 0; i < n; i++) if (retained[members[i]] === threshold) ids[t++] = nodes[members[i] * F + idOff];
    maxId = select(ids, need - 1);
  }
  for (let i = 0; i < n; i++) if (retained[members[i]] === threshold && nodes[members[i] * F + idOff] <= maxId) picked.push(members[i]);
  return picked.sort(cmp).slice(0, limit);
}

/**
 * Per class (class index) with Summary members: its biggest-retained members, DevTools' instance order,
 * at most CLASS_TOP; handed to `emit` class by class (so the rows are written as they come, not held).
 */
export function classTop(graph: HeapGraph, a: StoreAnalysis, emit: (classId: number, ordinals: number[]) => void): void {
  const n = a.classKeys.length;
  const { nodeCount, nodes } = graph;
  const { selfSize, classIndex } = a;
  const retained = a.retainedSize;
  const F = graph.layout.nodeFieldCount;
  const idOff = graph.layout.nodeIdOffset;
  // One pass over the nodes keeps each class's best CLASS_TOP members in a heap whose root is the worst
  // kept (DevTools' instance order: retained size descending, id ascending; then ordinal, the order a
  // stable sort of the members leaves ties in). Most members of a big class lose to the root at once.
  const count = new Uint32Array(n);
  for (let k = 0; k < nodeCount; k++) if (selfSize[k] > 0) count[classIndex[k]]++;
  const start = new Uint32Array(n + 1);
  for (let c = 0; c < n; c++) start[c + 1] = start[c] + Math.min(count[c], CLASS_TOP);
  const heap = new Uint32Array(start[n]);
  const size = new Uint32Array(n);
  /** Whether x comes after y in the order. */
  const worse = (x: number, y: number): boolean => {
    const rx = retained[x];
    const ry = retained[y];
    if (rx !== ry) return rx < ry;
    const ix = nodes[x * F + idOff];
    const iy = nodes[y * F + idOff];
    return ix !== iy ? ix > iy : x > y;
  };
  for (let k = 0; k < nodeCount; k++) {
    if (!(selfSize[k] > 0)) continue;
    const c = classIndex[k];
    const h = start[c];
    const cap = start[c + 1] - h;
    let s = size[c];
    if (s < cap) {
      // insert: sift up from the end
      let i = s++;
      size[c] = s;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(k, heap[h + parent])) break;
        heap[h + i] = heap[h + parent];
        i = parent;
      }
      heap[h + i] = k;
    } else if (worse(heap[h], k)) {
      // replace the root: sift down
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= s) break;
        if (child + 1 < s && worse(heap[h + child + 1], heap[h + child])) child++;
        if (!worse(heap[h + child], k)) break;
        heap[h + i] = heap[h + child];
        i = child;
      }
      heap[h + i] = k;
    }
  }
  const cmp = retainedThenIdOrder(graph, retained);
  for (let c = 0; c < n; c++) {
    if (size[c] === 0) continue;
    emit(
      c,
      Array.from(heap.subarray(start[c], start[c] + size[c])).sort((x, y) => cmp(x, y) || x - y),
    );
  }
}

// ───────────────────────────── dominator tree ─────────────────────────────

/** A node of the dominator tree's top: its depth, number of children, and its biggest-retained children (at most DOMINATOR_CHILDREN). */
export interface DominatorTopNode {
  ordinal: number;
  depth: number;
  childCount: number;
  children: number[];
}

/**
 * The top of the dominator tree, breadth-first from the root: every node retaining at least
 * DOMINATOR_MIN_SHARE of the heap among the listed children, at most DOMINATOR_MAX_EXPANDED nodes and
 * DOMINATOR_MAX_DEPTH levels. Handed to `emit` node by node (so the rows are written as they come).
 */
export function dominatorTop(graph: HeapGraph, a: StoreAnalysis, emit: (node: DominatorTopNode) => void): void {
  const tree = new PreorderWalker(a.dominatorPreorder);
  const threshold = Math.max(1, a.retainedSize[0] * DOMINATOR_MIN_SHARE);
  let queue: number[] = [0]; // preorder positions; the root's is 0
  let depth = 0;
  let expanded = 0;
  while (queue.length > 0 && depth <= DOMINATOR_MAX_DEPTH && expanded < DOMINATOR_MAX_EXPANDED) {
    const next: number[] = [];
    for (const p of queue) {
      if (expanded >= DOMINATOR_MAX_EXPANDED) break;
      expanded++;
      const { positions, ordinals } = tree.children(p);
      const top = topByRetained(graph, ordinals, a.retainedSize, DOMINATOR_CHILDREN);
      emit({ ordinal: tree.ordinal(p), depth, childCount: ordinals.length, children: top });
      // The expanded children's positions (those with children of their own), in `top`'s order.
      const expand = new Map<number, number>();
      for (const child of top) if (a.retainedSize[child] >= threshold) expand.set(child, -1);
      if (expand.size > 0) for (let i = 0; i < ordinals.length; i++) if (expand.has(ordinals[i])) expand.set(ordinals[i], positions[i]);
      for (const c of expand.values()) if (tree.end(c) > c + 1) next.push(c);
    }
    queue = next;
    depth++;
  }
}

// ───────────────────────────── duplicated strings ─────────────────────────────

/**
 * DevTools' `duplicatedStrings` filter (HeapSnapshot.createNamedFilter): string and concatenated-string
 * nodes, flattened cons strings (one part empty) skipped, grouped by `name()` (a cons string's joined
 * text, cut at ≥ 1024 characters as DevTools cuts it); every node of a group of two or more is a
 * duplicate. Rows count only nodes with self size > 0, as the Summary does.
 */
/** A row of summary_duplicate_strings (without its rank: the position in the returned list). */
export interface DuplicateStringRow {
  value: string;
  nodes: number;
  count: number;
  size: number;
  maxSize: number;
  wasted: number;
  example: number;
}

/** A text's (length, 32-bit hash) as one number (exact: lengths stay far below 2^21). */
function textKey(length: number, hash: number): number {
  return length * 0x100000000 + (hash >>> 0);
}

/**
 * Which text keys occur more than once: concatenated strings add theirs with kind 1, flat strings with
 * kind 2 (each flat text once); a key is shared when two concatenated strings have it, or one and a flat
 * string. Open addressing over typed arrays (a Map of a million number keys costs ~50 MB).
 */
function sharedTextKeys(consCount: number): {
  /** Records a key; returns its slot (a key keeps its slot: nothing is ever removed or moved), −1 for a flat text no concatenated string has. */
  add(key: number, kind: 1 | 2): number;
  isShared(slot: number): boolean;
  /** The group recorded for a key's slot (setGroup), −1 if none. */
  group(slot: number): number;
  setGroup(slot: number, g: number): void;
} {
  // at least twice the keys that are ever inserted (only concatenated strings insert), so probes stay short
  let size = 1024;
  while (size < 2 * consCount) size *= 2;
  const mask = size - 1;
  const keys = new Float64Array(size);
  // per slot: bit 0 = used, bit 1 = a concatenated string, bit 2 = two or more of them, bit 3 = a flat string
  const state = new Uint8Array(size);
  const groups = new Int32Array(size).fill(-1);
  const slotOf = (key: number): number => {
    let i = (Math.imul((key / 0x100000000) | 0, 0x9e3779b1) ^ ((key % 0x100000000) | 0)) & mask;
    while (state[i] !== 0 && keys[i] !== key) i = (i + 1) & mask;
    return i;
  };
  return {
    add(key, kind) {
      const i = slotOf(key);
      if (state[i] === 0) {
        if (kind === 2) return -1; // a flat text no concatenated string has: never asked about
        keys[i] = key;
        state[i] = 1 | 2;
      } else if (kind === 1) state[i] |= state[i] & 2 ? 4 : 2;
      else state[i] |= 8;
      return i;
    },
    isShared(slot) {
      const st = state[slot];
      return (st & 4) !== 0 || ((st & 2) !== 0 && (st & 8) !== 0);
    },
    group: (slot) => groups[slot],
    setGroup(slot, g) {
      groups[slot] = g;
    },
  };
}

/** The groups, most bytes wasted first, handed to `emit` one by one (rank = call order). */
export function duplicateStrings(graph: HeapGraph, a: StoreAnalysis, emit: (row: DuplicateStringRow) => void): void {
  const { nodeCount, nodes, layout, strings, edgeTypes, edgeNames, firstEdge, edgeTo } = graph;
  const F = layout.nodeFieldCount;
  const tOff = layout.nodeTypeOffset;
  const nOff = layout.nodeNameOffset;
  const strType = layout.nodeTypeString;
  const consType = layout.nodeTypeConsString;
  const internal = layout.edgeTypeInternal;
  // 1 = 'first', 2 = 'second', 0 = another name, per string index (compared once, not per edge)
  const role = new Int8Array(strings.length).fill(-1);
  const roleOf = (sid: number): number => {
    if (sid >= role.length) return 0;
    if (role[sid] < 0) role[sid] = strings.equals(sid, 'first') ? 1 : strings.equals(sid, 'second') ? 2 : 0;
    return role[sid];
  };
  // The parts of a concatenated string, in `partFirst` / `partSecond` (no tuple per call: this runs
  // for every concatenated string of the heap, often millions).
  let partFirst = 0;
  let partSecond = 0;
  const parts = (k: number): void => {
    partFirst = 0;
    partSecond = 0;
    for (let e = firstEdge[k]; e < firstEdge[k + 1] && (!partFirst || !partSecond); e++) {
      if (edgeTypes[e] !== internal) continue;
      const r = roleOf(edgeNames[e]);
      if (r === 1) partFirst = edgeTo[e];
      else if (r === 2) partSecond = edgeTo[e];
    }
  };
  // One explicit stack for the walks below (each walk empties it before the next starts).
  let stack = new Int32Array(64);
  const push = (depth: number, x: number): number => {
    if (depth === stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[depth] = x;
    return depth + 1;
  };
  /**
   * Hands the flat strings of node k's text to `visit`, in order, as string indexes: k itself when it is
   * not concatenated, else its parts depth-first, whole parts until the text reaches 1,024 characters
   * (DevTools' cut). `visit` returns false to stop. Returns the text's length, −1 when stopped. Bounded:
   * V8 never writes a cycle of string parts, but a damaged file can (then the text is cut).
   */
  const walkText = (k: number, visit: (sid: number) => boolean): number => {
    let depth = push(0, k);
    let length = 0;
    let steps = 0;
    while (depth > 0 && length < 1024 && ++steps <= CONS_WALK_LIMIT) {
      const x = stack[--depth];
      if (nodes[x * F + tOff] !== consType) {
        const sid = nodes[x * F + nOff];
        if (!visit(sid)) return -1;
        length += strings.lengthOf(sid);
        continue;
      }
      parts(x);
      const second = partSecond;
      depth = push(depth, second);
      depth = push(depth, partFirst);
    }
    return length;
  };
  // The three uses of the walk; their state lives here so that no closure is made per string.
  let text = '';
  let hash = 0;
  let at = 0;
  // The parts are read in place in the string table's chunks (no string built per part).
  const append = (sid: number): boolean => {
    text += strings.get(sid);
    return true;
  };
  const hashPart = (sid: number): boolean => {
    const chunk = strings.chunkText(sid);
    for (let i = strings.offsetOf(sid), end = strings.endOf(sid); i < end; i++) hash = Math.imul(hash ^ chunk.charCodeAt(i), 0x01000193);
    return true;
  };
  const comparePart = (sid: number): boolean => {
    const chunk = strings.chunkText(sid);
    const begin = strings.offsetOf(sid);
    const n = strings.endOf(sid) - begin;
    if (at + n > text.length) return false;
    for (let i = 0; i < n; i++) if (chunk.charCodeAt(begin + i) !== text.charCodeAt(at + i)) return false;
    at += n;
    return true;
  };
  /** DevTools' name() of a string node: a concatenated string's joined text, cut as walkText cuts it. */
  const nameOf = (k: number): string => {
    if (nodes[k * F + tOff] !== consType) return strings.get(nodes[k * F + nOff]) as string;
    text = '';
    walkText(k, append);
    const name = text;
    text = '';
    return name;
  };
  // nameOf's text hashed (FNV-1a over UTF-16 units) and measured without building it. Sets `hashLength`.
  let hashLength = 0;
  const hashOf = (k: number): number => {
    hash = 0x811c9dc5;
    hashLength = walkText(k, hashPart);
    return hash;
  };
  /** Whether nameOf(k) equals `expected`, without building it. */
  const sameText = (k: number, expected: string): boolean => {
    text = expected;
    at = 0;
    const length = walkText(k, comparePart);
    text = '';
    return length === expected.length;
  };
  /** Whether `nameOf(k)` is '' without building it: every flat string under k is empty. */
  const isEmpty = (k: number): boolean => {
    let depth = push(0, k);
    for (let steps = 0; depth > 0; steps++) {
      if (steps > CONS_WALK_LIMIT) return false;
      const x = stack[--depth];
      if (nodes[x * F + tOff] !== consType) {
        if (!strings.equals(nodes[x * F + nOff], '')) return false;
        continue;
      }
      parts(x);
      const second = partSecond;
      depth = push(depth, second);
      depth = push(depth, partFirst);
    }
    return true;
  };
  const isFlatCons = (k: number): boolean => {
    for (let e = firstEdge[k]; e < firstEdge[k + 1]; e++) {
      if (edgeTypes[e] !== internal) continue;
      if (roleOf(edgeNames[e]) > 0 && isEmpty(edgeTo[e])) return true;
    }
    return false;
  };

  // Groups 0 … strings.length-1 are the flat strings, by string index (V8's string table holds each text
  // once), in typed arrays; concatenated strings get groups after them, by joined text, and are merged
  // into the flat group of the same text when there is one.
  const S = strings.length;
  // at most one group per concatenated string
  let consCount = 0;
  for (let k = 0; k < nodeCount; k++) if (nodes[k * F + tOff] === consType) consCount++;
  const cap = S + consCount;
  // Most concatenated strings are unique, and building each one's text to look it up in a Map was most of
  // this function's time and memory (a 700 MB heap: 0.9 M texts). So first a hash of every one's text (and
  // of every flat string a string node names); only those whose (length, hash) another one shares can have
  // a duplicate: the others form groups of one, which are not rows, and are skipped.
  const shared = consCount > 0 ? sharedTextKeys(consCount) : null;
  const candidate = new Uint8Array(consCount);
  // each concatenated string's slot in `shared`: looked up once (the table is too big for the CPU cache)
  const consSlot = new Int32Array(consCount);
  if (shared) {
    let c = 0;
    // the lengths the concatenated texts have: a flat string of any other length shares no key with them
    let consLengths = new Uint8Array(2048);
    for (let k = 0; k < nodeCount; k++) {
      if (nodes[k * F + tOff] !== consType) continue;
      const h = hashOf(k);
      consSlot[c] = shared.add(textKey(hashLength, h), 1);
      if (hashLength >= consLengths.length) {
        const grown = new Uint8Array(2 * hashLength);
        grown.set(consLengths);
        consLengths = grown;
      }
      consLengths[hashLength] = 1;
      c++;
    }
    // flat strings that string nodes name, once per string id (not hashed, nor looked up in the table,
    // when no concatenated text has their length)
    const seen = new Uint8Array(S);
    for (let k = 0; k < nodeCount; k++) {
      if (nodes[k * F + tOff] !== strType) continue;
      const sid = nodes[k * F + nOff];
      if (seen[sid]) continue;
      seen[sid] = 1;
      const length = strings.lengthOf(sid);
      if (length >= consLengths.length || consLengths[length] === 0) continue;
      const h = hashOf(k);
      shared.add(textKey(hashLength, h), 2);
    }
    for (let i = 0; i < consCount; i++) candidate[i] = shared.isShared(consSlot[i]) ? 1 : 0;
  }
  const nodesIn = bigUint32(cap);
  const count = bigUint32(cap);
  const size = bigFloat64(cap);
  const maxSize = bigUint32(cap); // self sizes fit 32 bits; 0 = no copy with a size yet
  const example = bigInt32(cap).fill(-1);
  const consValues: string[] = [];
  // Texts whose (length, hash) key belongs to another text's group (a hash collision): by text.
  const collided = new Map<string, number>();
  let consIndex = -1;
  for (let k = 0; k < nodeCount; k++) {
    const t = nodes[k * F + tOff];
    let g: number;
    if (t === strType) g = nodes[k * F + nOff];
    else if (t === consType) {
      consIndex++;
      if (!candidate[consIndex]) continue; // a text no other string has: a group of one
      if (isFlatCons(k)) continue;
      // The group first made under this text's (length, hash), when the text is the same (compared
      // without building it: a big heap's duplicates are most of its concatenated strings); else by text.
      const slot = consSlot[consIndex];
      const byKey = shared!.group(slot);
      if (byKey >= 0 && sameText(k, consValues[byKey - S])) g = byKey;
      else if (byKey < 0) {
        // the key's first text: no group can have it yet (a group of this text would own the key)
        g = S + consValues.length;
        consValues.push(nameOf(k));
        shared!.setGroup(slot, g);
      } else {
        const name = nameOf(k);
        const found = collided.get(name);
        if (found === undefined) {
          g = S + consValues.length;
          consValues.push(name);
          collided.set(name, g);
        } else g = found;
      }
    } else continue;
    if (example[g] < 0) example[g] = k;
    nodesIn[g]++;
    const sz = a.selfSize[k];
    if (sz > 0) {
      count[g]++;
      size[g] += sz;
      if (sz > maxSize[g]) {
        maxSize[g] = sz;
        example[g] = k;
      }
    }
  }
  if (consValues.length > 0) {
    const lengths = new Set<number>();
    for (const text of consValues) lengths.add(text.length);
    const flatByText = new Map<string, number>();
    for (let sid = 0; sid < S; sid++) if (nodesIn[sid] > 0 && lengths.has(strings.lengthOf(sid))) flatByText.set(strings.get(sid) as string, sid);
    for (let i = 0; i < consValues.length; i++) {
      const cg = S + i;
      const fg = flatByText.get(consValues[i]);
      if (fg === undefined) continue;
      nodesIn[fg] += nodesIn[cg];
      count[fg] += count[cg];
      size[fg] += size[cg];
      if (maxSize[cg] > maxSize[fg]) {
        maxSize[fg] = maxSize[cg];
        example[fg] = example[cg];
      }
      nodesIn[cg] = 0;
    }
  }
  const total = S + consValues.length;
  const textOf = (g: number) => (g < S ? (strings.get(g) as string) : consValues[g - S]);
  const rows: number[] = [];
  for (let g = 0; g < total; g++) if (nodesIn[g] >= 2 && count[g] > 0) rows.push(g);
  // Each row's text built once (the sort compares texts on ties, which tiled heaps have by the million).
  const texts = rows.map(textOf);
  const wasted = (g: number) => size[g] - maxSize[g];
  // the sort keys per row, side by side (1.7 M rows on a tiled 2.6 GB heap)
  const rowWasted = Float64Array.from(rows, wasted);
  const rowSize = Float64Array.from(rows, (g) => size[g]);
  const rowCount = Float64Array.from(rows, (g) => count[g]);
  const order = rows.map((_, i) => i);
  order.sort(
    (i, j) => rowWasted[j] - rowWasted[i] || rowSize[j] - rowSize[i] || rowCount[j] - rowCount[i] || (texts[i] < texts[j] ? -1 : texts[i] > texts[j] ? 1 : 0),
  );
  for (const i of order) {
    const g = rows[i];
    emit({ value: texts[i], nodes: nodesIn[g], count: count[g], size: size[g], maxSize: maxSize[g], wasted: wasted(g), example: example[g] });
  }
}

// ───────────────────────────── leak suspects ─────────────────────────────
//
// What `heapdiff suspects` needs of the whole dominator tree, so it reads rows instead of every node:
// the top-level objects, what they keep by class (a walk over nearly every node otherwise), and the
// biggest-child chains its accumulation points lie on, with their children.

/** Top-level objects retaining at least this share of the total get kept-by-class rows and a chain (`suspects --threshold` ≥ 0.1). */
export const SUSPECT_MIN_SHARE = 1e-3;
/** Children kept per chain node in summary_top_chain_children. */
export const SUSPECT_CHAIN_CHILDREN = 50;
/** Steps a chain goes down at most (the accumulation walk's own limit). */
export const SUSPECT_CHAIN_STEPS = 1000;

const GLOBAL_NAME = /^(?:Window|global)(?:$|[\s/])|\[JSGlobal(?:Object|Proxy)\]|^system \/ NativeContext(?:$|\s)/;

/**
 * Nodes the top-level walk descends through: synthetic nodes, global objects and proxies, native
 * contexts (they hold the whole program by definition; their dominator-tree children are the top-level objects).
 */
export function isContainer(f: { type: string; name: string }): boolean {
  return f.type === 'synthetic' || GLOBAL_NAME.test(f.name);
}

/** Classes that name no kind of object, so they never form a group suspect. */
export function isCatchAllClass(name: string): boolean {
  return name.startsWith('(') || name === 'Function' || name === 'Object' || name === 'Array' || name === 'system / Context';
}

/** Where suspectsSummary hands its rows (summary-writer.ts writes them). */
export interface SuspectRowSink {
  topLevel(rank: number, ordinal: number, classId: number, retained: number): void;
  keptByObject(ordinal: number, classId: number, count: number, size: number, sized: number): void;
  keptByClass(topClassId: number, classId: number, count: number, size: number, sized: number): void;
  chain(start: number, step: number, ordinal: number, retained: number, childCount: number): void;
  chainChild(parent: number, rank: number, child: number): void;
  chainClass(parent: number, classId: number, count: number, retained: number, rank: number): void;
}

/**
 * The suspects summary (see the section comment); returns the retained size from which top-level
 * objects have kept-by-class rows and chains (SUSPECT_MIN_SHARE of the total).
 *   top-level objects: the dominator-tree children of the root and of the containers below it, reachable
 *     from a user or GC root (distance < BASE_SYSTEM_DISTANCE), of non-zero size; DevTools' instance order.
 *   kept by object: for those retaining ≥ the minimum, every node of their dominator subtree by class.
 *   kept by class: the same summed over all top-level objects of a class, for the classes that can
 *     form a group (two members or more, not a catch-all class, Σ retained above the minimum).
 *   chains: from each top-level object retaining ≥ the minimum, the walk to the biggest child
 *     (retained size, then lowest id) until a leaf or SUSPECT_CHAIN_STEPS; for each node on it, its
 *     biggest children and its children grouped by class (classes ranked by their biggest child).
 */
export function suspectsSummary(graph: HeapGraph, a: StoreAnalysis, sink: SuspectRowSink): number {
  const { layout, nodes, strings } = graph;
  const F = layout.nodeFieldCount;
  const retained = a.retainedSize;
  const self = a.selfSize;
  const classOf = a.classIndex;
  const idOf = (k: number) => nodes[k * F + layout.nodeIdOffset];
  const minRetained = SUSPECT_MIN_SHARE * a.totalSize;
  const isContainerNode = (k: number) =>
    nodes[k * F + layout.nodeTypeOffset] === layout.nodeTypeSynthetic || GLOBAL_NAME.test(strings.get(nodes[k * F + layout.nodeNameOffset]) as string);

  // Top-level objects: breadth-first through the containers, children in ascending ordinal order.
  const tree = new PreorderWalker(a.dominatorPreorder);
  const topAt: number[] = []; // preorder positions of the top-level objects
  let frontier = [0]; // preorder positions; the root's is 0
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const x of frontier) {
      const { positions, ordinals } = tree.children(x);
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i];
        const k = ordinals[i];
        const d = a.distance[k];
        if (isContainerNode(k)) next.push(p);
        else if (d >= 0 && d < BASE_SYSTEM_DISTANCE && self[k] + retained[k] > 0) topAt.push(p);
      }
    }
    frontier = next;
  }
  const order = (x: number, y: number) => retained[y] - retained[x] || idOf(x) - idOf(y);
  topAt.sort((p, q) => order(tree.ordinal(p), tree.ordinal(q)));
  const top = topAt.map((p) => tree.ordinal(p));
  top.forEach((k, rank) => sink.topLevel(rank, k, classOf[k], retained[k]));

  // Kept by object and by class: one walk of each subtree that needs one, summed in dense per-class arrays.
  const classCount = a.classKeys.length;
  const members = new Float64Array(classCount);
  const classRetained = new Float64Array(classCount);
  for (const k of top) {
    members[classOf[k]]++;
    classRetained[classOf[k]] += retained[k];
  }
  const grouped = (c: number) => members[c] >= 2 && classRetained[c] > minRetained && !isCatchAllClass(a.classNames[c]);
  const count = new Float64Array(classCount);
  const size = new Float64Array(classCount);
  const sized = new Float64Array(classCount);
  const touched: number[] = [];
  const byClass = new Map<number, { count: Float64Array; size: Float64Array; sized: Float64Array; touched: number[] }>();
  for (let ti = 0; ti < top.length; ti++) {
    const t = top[ti];
    const own = retained[t] >= minRetained;
    const group = grouped(classOf[t]);
    if (!own && !group) continue;
    // t's dominator subtree is the run of positions after its own, up to its end.
    const p = topAt[ti];
    for (let i = p + 1, end = tree.end(p); i < end; i++) {
      const k = tree.ordinal(i);
      const c = classOf[k];
      if (count[c] === 0) touched.push(c);
      count[c]++;
      size[c] += self[k];
      if (self[k] > 0) sized[c]++;
    }
    touched.sort((x, y) => x - y);
    if (own) for (const c of touched) sink.keptByObject(t, c, count[c], size[c], sized[c]);
    if (group) {
      let g = byClass.get(classOf[t]);
      if (!g)
        byClass.set(
          classOf[t],
          (g = { count: new Float64Array(classCount), size: new Float64Array(classCount), sized: new Float64Array(classCount), touched: [] }),
        );
      for (const c of touched) {
        if (g.count[c] === 0) g.touched.push(c);
        g.count[c] += count[c];
        g.size[c] += size[c];
        g.sized[c] += sized[c];
      }
    }
    for (const c of touched) count[c] = size[c] = sized[c] = 0;
    touched.length = 0;
  }
  for (const [tc, g] of [...byClass].sort((x, y) => x[0] - y[0]))
    for (const c of g.touched.sort((x, y) => x - y)) sink.keptByClass(tc, c, g.count[c], g.size[c], g.sized[c]);

  // Chains of biggest children.
  const cmp = retainedThenIdOrder(graph, retained);
  const biggest = new Int32Array(classCount).fill(-1);
  const childCount = new Float64Array(classCount);
  const childRetained = new Float64Array(classCount);
  for (let i = 0; i < top.length; i++) {
    const t = top[i];
    if (retained[t] < minRetained) break; // `top` is biggest first
    let cur = t;
    let curAt = topAt[i];
    for (let step = 0; ; step++) {
      const { positions, ordinals: kids } = tree.children(curAt);
      const shown = topByRetained(graph, kids, retained, SUSPECT_CHAIN_CHILDREN);
      sink.chain(t, step, cur, retained[cur], kids.length);
      shown.forEach((k, r) => sink.chainChild(cur, r, k));
      for (const k of kids) {
        const c = classOf[k];
        if (biggest[c] < 0) {
          biggest[c] = k;
          touched.push(c);
        } else if (cmp(k, biggest[c]) < 0) biggest[c] = k;
        childCount[c]++;
        childRetained[c] += retained[k];
      }
      // classes in the order of their biggest child: the order their first child has in DevTools' order
      touched.sort((x, y) => cmp(biggest[x], biggest[y]));
      touched.forEach((c, rank) => {
        sink.chainClass(cur, c, childCount[c], childRetained[c], rank);
        biggest[c] = -1;
        childCount[c] = childRetained[c] = 0;
      });
      touched.length = 0;
      if (kids.length === 0 || step === SUSPECT_CHAIN_STEPS) break;
      cur = shown[0];
      curAt = positions[kids.indexOf(cur)];
    }
  }
  return minRetained;
}
