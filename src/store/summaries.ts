// Small tables precomputed at ingest, so the query commands answer in milliseconds on stores of
// millions of nodes instead of scanning them (a GROUP BY over 8.5 M node rows takes ~2 s on
// the project's 2-core machine). Everything is computed from the in-memory typed arrays
// of the parse and the graph analysis, never with SQL over the freshly written tables. Documented in
// docs/schema.md ("Query summaries"); read by src/store/queries/summaries.ts.
//
//   scripts                     script id → script name (URL/path), from Chromium's `script_object_index`
//                               locations or from closures (closure -shared-> SharedFunctionInfo
//                               -script_or_debug_info-> Script, whose name is its URL)
//   summary_partition           heapy partition rows of the Summary set (self size > 0 after the size
//                               transfer) for the classifiers type, size, distance, detachedness,
//                               script, alloc, rcs, via (`class` rows are the `classes` table)
//   summary_class_top           each class's biggest-retained instances (at most CLASS_TOP per class)
//   summary_dominator_nodes     the top of the dominator tree: nodes whose children are listed below
//   summary_dominator_children  their biggest-retained children (at most DOMINATOR_CHILDREN each)
//   summary_duplicate_strings   DevTools' duplicated-strings groups, most bytes wasted first
//
// Group retained sizes follow DevTools' class rule (docs/format.md#summary): Σ retained size of the group's members that
// no other member of the same group dominates (a DFS over the dominator tree).

import type Database from 'better-sqlite3';
import { groupRetainedSizes } from '../graph/class-aggregates.js';
import { releaseMemory } from './memory.js';
import type { DominatedNodes, Retainers } from '../graph/csr.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import { sortUnique } from './queries/common.js';
import { traceFunctionInfoColumns } from './schema.js';
import { allocKind, detachednessKind, distanceKind, NO_ALLOC_TRACE, NO_LOCATION, NO_RETAINERS, scriptKind, setKind, viaLabel } from './queries/labels.js';
import type { StoreAnalysis } from './writer.js';
import { bigFloat64, bigInt32, bigUint32 } from '../graph/shared-arrays.js';

export const SUMMARIES_VERSION = 1;
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

export const SUMMARIES_DDL = `
CREATE TABLE scripts (script_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE summary_partition (
  classifier TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT,
  count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  retained INTEGER NOT NULL,
  PRIMARY KEY (classifier, kind)
) WITHOUT ROWID;
CREATE TABLE summary_class_top (
  class_id INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  PRIMARY KEY (class_id, rank)
) WITHOUT ROWID;
CREATE TABLE summary_dominator_nodes (ordinal INTEGER PRIMARY KEY, depth INTEGER NOT NULL, child_count INTEGER NOT NULL);
CREATE TABLE summary_dominator_children (
  parent INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  child INTEGER NOT NULL,
  PRIMARY KEY (parent, rank)
) WITHOUT ROWID;
CREATE TABLE summary_duplicate_strings (
  rank INTEGER PRIMARY KEY,
  value TEXT NOT NULL,
  nodes INTEGER NOT NULL,
  count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  max_size INTEGER NOT NULL,
  wasted INTEGER NOT NULL,
  example INTEGER NOT NULL
);
`;

/** `onLinksDone`: see writeStore. */
export function writeSummaries(db: Database.Database, graph: HeapGraph, a: StoreAnalysis, onLinksDone?: () => void): void {
  db.exec(SUMMARIES_DDL);
  const scripts = writeScripts(db, graph);
  // (no locals for the link arrays: they must be unreachable from here once onLinksDone has run)
  writePartitions(db, graph, a, a.retainers, a.dominatedNodes, scripts);
  releaseMemory(); // per-classifier group arrays and DFS stacks
  writeClassTop(db, graph, a);
  writeDominatorTop(db, graph, a, a.dominatedNodes);
  onLinksDone?.();
  releaseMemory();
  writeDuplicateStrings(db, graph, a);
  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('summaries_version', SUMMARIES_VERSION);
  meta.run('summary_class_top', CLASS_TOP);
  meta.run('summary_dominator_children', DOMINATOR_CHILDREN);
}

// ───────────────────────────── helpers ─────────────────────────────

function insertMany(db: Database.Database, sql: string, rows: unknown[][]): void {
  const stmt = db.prepare(sql);
  for (const r of rows) stmt.run(r);
}

/** Ordinal → location record offset in graph.locations (4 values per record), last record wins; -1 = none. */
function locationIndex(graph: HeapGraph): Int32Array {
  const F = graph.layout.nodeFieldCount;
  const loc = graph.locations;
  const at = bigInt32(graph.nodeCount).fill(-1);
  for (let i = 0; i + 4 <= loc.length; i += 4) {
    const idx = loc[i];
    if (idx % F === 0 && idx / F < graph.nodeCount) at[idx / F] = i;
  }
  return at;
}

/** Outgoing edge of `k` of the given type whose name is one of `names` (string compare), or -1. */
function edgeTarget(graph: HeapGraph, k: number, type: number, names: readonly string[]): number {
  const { edgeTypes, edgeNames, firstEdge, edgeTo, strings } = graph;
  for (let e = firstEdge[k]; e < firstEdge[k + 1]; e++) {
    if (edgeTypes[e] !== type) continue;
    const name = strings[edgeNames[e]];
    if (names.includes(name)) return edgeTo[e];
  }
  return -1;
}

// ───────────────────────────── scripts ─────────────────────────────

function writeScripts(db: Database.Database, graph: HeapGraph): Map<number, string> {
  const { layout, nodes, strings } = graph;
  const F = layout.nodeFieldCount;
  const names = new Map<number, string>();
  const nameOf = (k: number) => strings[nodes[k * F + layout.nodeNameOffset]];
  // Chromium: locations carry the Script object's node index.
  const lf = layout.locationFields;
  const so = lf.indexOf('script_object_index');
  const si = lf.indexOf('script_id');
  if (so >= 0 && si >= 0) {
    const raw = graph.rawLocations;
    for (let i = 0; i + lf.length <= raw.length; i += lf.length) {
      const id = raw[i + si];
      const idx = raw[i + so];
      if (names.has(id) || idx % F !== 0 || idx / F >= graph.nodeCount) continue;
      const n = nameOf(idx / F);
      if (n) names.set(id, n);
    }
  }
  // Closures: -shared-> SharedFunctionInfo -script_or_debug_info / script-> Script (a code node named by URL).
  const loc = graph.locations;
  for (let i = 0; i + 4 <= loc.length; i += 4) {
    const id = loc[i + 1];
    if (names.has(id)) continue;
    const idx = loc[i];
    if (idx % F !== 0) continue;
    const k = idx / F;
    if (k >= graph.nodeCount || nodes[idx + layout.nodeTypeOffset] !== layout.nodeTypeClosure) continue;
    const sfi = edgeTarget(graph, k, layout.edgeTypeInternal, ['shared']);
    if (sfi < 0) continue;
    const script = edgeTarget(graph, sfi, layout.edgeTypeInternal, ['script_or_debug_info', 'script']);
    if (script < 0 || nodes[script * F + layout.nodeTypeOffset] !== layout.nodeTypeCode) continue;
    const n = nameOf(script);
    if (n) names.set(id, n);
  }
  insertMany(db, 'INSERT INTO scripts (script_id, name) VALUES (?, ?)', [...names].sort((x, y) => x[0] - y[0]));
  return names;
}

// ───────────────────────────── partitions ─────────────────────────────

/**
 * Interns the groups of one classifier by a numeric key (no string per node); the kind text and JSON
 * key of a group are made once, when the group first appears.
 */
class Groups {
  readonly kinds: string[] = [];
  readonly keys: (string | null)[] = [];
  /** Group + 1 of the keys -1 … 65534 (most keys: types, small sizes, distances), 0 = not seen. */
  private readonly small = new Int32Array(65536);
  private readonly byKey = new Map<number, number>();
  private readonly byKind = new Map<string, number>();
  constructor(private readonly describe: (key: number) => { kind: string; key: string | null }) {}
  id(key: number): number {
    const slot = key + 1;
    if (slot >= 0 && slot < 65536 && slot === (slot | 0)) {
      const g = this.small[slot] - 1;
      if (g >= 0) return g;
      return (this.small[slot] = this.lookup(key) + 1) - 1;
    }
    return this.lookup(key);
  }
  private lookup(key: number): number {
    let g = this.byKey.get(key);
    if (g === undefined) {
      const d = this.describe(key);
      // Two numeric keys may spell the same kind (e.g. two trace functions with one name and place).
      g = this.byKind.get(d.kind);
      if (g === undefined) {
        g = this.kinds.length;
        this.byKind.set(d.kind, g);
        this.kinds.push(d.kind);
        this.keys.push(d.key);
      }
      this.byKey.set(key, g);
    }
    return g;
  }
}

/**
 * Interns sorted sets of small integers (class-name ids for `rcs`, edge-label ids for `via`) as group
 * ids, through a trie keyed by the set's members in ascending order: no string is built per node.
 */
class SetGroups {
  readonly kinds: string[] = [];
  private readonly root = new Map<number, { group: number; next: Map<number, unknown> | null }>();
  private empty = -1;
  constructor(private readonly texts: readonly string[]) {}
  /** Group + 1 of the one-member sets, by member (the common case: one retainer), 0 = not seen. */
  private single = new Int32Array(1024);
  /** `ids[0..n)` sorted ascending and distinct. */
  id(ids: Int32Array, n: number): number {
    if (n === 0) {
      if (this.empty < 0) this.empty = this.add(NO_RETAINERS);
      return this.empty;
    }
    if (n === 1) {
      const m = ids[0];
      if (m >= this.single.length) {
        const grown = new Int32Array(Math.max(m + 1, this.single.length * 2));
        grown.set(this.single);
        this.single = grown;
      }
      if (this.single[m] === 0) this.single[m] = this.trie(ids, 1) + 1;
      return this.single[m] - 1;
    }
    return this.trie(ids, n);
  }
  private trie(ids: Int32Array, n: number): number {
    let level = this.root as Map<number, { group: number; next: Map<number, unknown> | null }>;
    let node: { group: number; next: Map<number, unknown> | null } | undefined;
    for (let i = 0; i < n; i++) {
      node = level.get(ids[i]);
      if (!node) level.set(ids[i], (node = { group: -1, next: null }));
      if (i + 1 < n) level = (node.next ??= new Map()) as typeof level;
    }
    if (node!.group < 0) node!.group = this.add(setKind(Array.from(ids.subarray(0, n), (m) => this.texts[m])));
    return node!.group;
  }
  private add(kind: string): number {
    this.kinds.push(kind);
    return this.kinds.length - 1;
  }
}

function writePartitions(
  db: Database.Database,
  graph: HeapGraph,
  a: StoreAnalysis,
  retainers: Retainers,
  dominated: DominatedNodes,
  scripts: Map<number, string>,
): void {
  const { nodeCount, nodes, layout, edgeTypes, edgeNames, strings } = graph;
  const F = layout.nodeFieldCount;
  const self = a.selfSize;
  const group = bigInt32(nodeCount);
  const stmt = db.prepare('INSERT INTO summary_partition (classifier, kind, key, count, size, retained) VALUES (?, ?, ?, ?, ?, ?)');

  const emit = (classifier: string, kinds: readonly string[], keys: readonly (string | null)[] | null) => {
    const n = kinds.length;
    const count = new Float64Array(n);
    const size = new Float64Array(n);
    for (let k = 0; k < nodeCount; k++) {
      const g = group[k];
      if (g < 0) continue;
      count[g]++;
      size[g] += self[k];
    }
    const retained = groupRetainedSizes(group, n, self, a.retainedSize, dominated);
    for (let g = 0; g < n; g++) if (count[g] > 0) stmt.run(classifier, kinds[g], keys ? keys[g] : null, count[g], size[g], retained[g]);
  };
  /** One classifier whose value is a number per node; `describe` spells a value's kind once. */
  const each = (classifier: string, valueOf: (k: number) => number, describe: (v: number) => { kind: string; key: string | null }) => {
    const groups = new Groups(describe);
    for (let k = 0; k < nodeCount; k++) group[k] = self[k] > 0 ? groups.id(valueOf(k)) : -1;
    emit(classifier, groups.kinds, groups.keys);
  };

  const typeOff = layout.nodeTypeOffset;
  each(
    'type',
    (k) => nodes[k * F + typeOff],
    (t) => ({ kind: layout.nodeTypes[t] ?? String(t), key: String(t) }),
  );
  each(
    'size',
    (k) => self[k],
    (v) => ({ kind: String(v), key: String(v) }),
  );
  each(
    'distance',
    (k) => a.distance[k],
    (d) => ({ kind: distanceKind(d), key: String(d) }),
  );
  each(
    'detachedness',
    (k) => a.detachedness[k],
    (v) => ({ kind: detachednessKind(v), key: String(v) }),
  );

  const locAt = locationIndex(graph);
  each(
    'script',
    (k) => (locAt[k] < 0 ? -1 : graph.locations[locAt[k] + 1]),
    (id) => (id < 0 ? { kind: NO_LOCATION, key: null } : { kind: scriptKind(scripts.get(id), id), key: String(id) }),
  );

  const trace = graph.trace;
  if (trace && trace.treeIds.length > 0 && layout.nodeTraceNodeIdOffset >= 0) {
    const tf = traceFunctionInfoColumns(layout);
    const W = tf.length;
    const fName = tf.indexOf('name');
    const fScript = tf.indexOf('script_name');
    const fLine = tf.indexOf('line');
    const fCol = tf.indexOf('column');
    const infoOfTrace = new Map<number, number>();
    for (let i = 0; i < trace.treeIds.length; i++) infoOfTrace.set(trace.treeIds[i], trace.treeFunctionInfoIndex[i]);
    const trOff = layout.nodeTraceNodeIdOffset;
    each(
      'alloc',
      (k) => {
        const t = nodes[k * F + trOff];
        const fi = t === 0 ? undefined : infoOfTrace.get(t);
        return fi === undefined ? -1 : fi;
      },
      (fi) => {
        if (fi < 0) return { kind: NO_ALLOC_TRACE, key: null };
        const base = fi * W;
        const str = (off: number) => (off >= 0 && base + off < trace.functionInfos.length ? (strings[trace.functionInfos[base + off]] ?? '') : '');
        const num = (off: number) => (off >= 0 && base + off < trace.functionInfos.length ? trace.functionInfos[base + off] : 0);
        return { kind: allocKind(str(fName), str(fScript), num(fLine), num(fCol)), key: String(fi) };
      },
    );
  }

  // rcs and via: sets over the non-weak incoming edges.
  const { firstRetainer, retainerEdge } = retainers;
  const weak = layout.edgeTypeWeak;
  const edgeFrom = a.edgeFrom;
  // Class names interned by text (two class keys may share a name).
  const classNames = a.classNames;
  const nameIdOfClass = new Int32Array(classNames.length);
  const classNameTexts: string[] = [];
  {
    const m = new Map<string, number>();
    classNames.forEach((n, c) => {
      let id = m.get(n);
      if (id === undefined) {
        id = classNameTexts.length;
        m.set(n, id);
        classNameTexts.push(n);
      }
      nameIdOfClass[c] = id;
    });
  }
  let maxIn = 0;
  for (let k = 0; k < nodeCount; k++) maxIn = Math.max(maxIn, firstRetainer[k + 1] - firstRetainer[k]);
  const scratch = new Int32Array(maxIn + 1);
  const scratch2 = new Int32Array(maxIn + 1);
  const group2 = locAt; // the script classifier is done with it; every entry is written below
  const classIndex = a.classIndex;
  // Edge labels interned per name string index (element and hidden edges: one label, `[]`).
  const labelTexts: string[] = [viaLabel(true, '')];
  const labelIds = new Map<string, number>([[labelTexts[0], 0]]);
  const labelOfSid = new Int32Array(strings.length).fill(-1);
  const elementType = layout.edgeTypeElement;
  const hiddenType = layout.edgeTypeHidden;
  const rcs = new SetGroups(classNameTexts);
  const via = new SetGroups(labelTexts);
  // One pass over the incoming edges fills both: `group` for rcs, `group2` for via.
  for (let k = 0; k < nodeCount; k++) {
    if (!(self[k] > 0)) {
      group[k] = -1;
      group2[k] = -1;
      continue;
    }
    let n = 0;
    for (let r = firstRetainer[k]; r < firstRetainer[k + 1]; r++) {
      const e = retainerEdge[r];
      const t = edgeTypes[e];
      if (t === weak) continue;
      scratch[n] = nameIdOfClass[classIndex[edgeFrom[e]]];
      if (t === elementType || t === hiddenType) scratch2[n] = 0;
      else {
        const sid = edgeNames[e];
        let id = sid < labelOfSid.length ? labelOfSid[sid] : -1;
        if (id < 0) {
          const text = viaLabel(false, strings[sid] ?? '');
          id = labelIds.get(text) ?? -1;
          if (id < 0) {
            id = labelTexts.length;
            labelIds.set(text, id);
            labelTexts.push(text);
          }
          if (sid < labelOfSid.length) labelOfSid[sid] = id;
        }
        scratch2[n] = id;
      }
      n++;
    }
    group[k] = rcs.id(scratch, sortUnique(scratch, 0, n));
    group2[k] = via.id(scratch2, sortUnique(scratch2, 0, n));
  }
  emit('rcs', rcs.kinds, null);
  group.set(group2);
  emit('via', via.kinds, null);
}

// ───────────────────────────── class instances ─────────────────────────────

/** Sorts ordinals by retained size descending, then V8 id ascending (DevTools' instance order). */
function byRetainedThenId(graph: HeapGraph, retained: ArrayLike<number>) {
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
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
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

/** The `limit` biggest-retained ordinals of `members` in DevTools' instance order. */
function topByRetained(graph: HeapGraph, members: Uint32Array, retained: Float64Array, limit: number): number[] {
  const cmp = byRetainedThenId(graph, retained);
  if (members.length <= limit) return Array.from(members).sort(cmp);
  const values = bigFloat64(members.length);
  for (let i = 0; i < members.length; i++) values[i] = retained[members[i]];
  const threshold = select(values, members.length - limit);
  const picked: number[] = [];
  for (let i = 0; i < members.length; i++) if (retained[members[i]] >= threshold) picked.push(members[i]);
  return picked.sort(cmp).slice(0, limit);
}

function writeClassTop(db: Database.Database, graph: HeapGraph, a: StoreAnalysis): void {
  const n = a.classKeys.length;
  const { nodeCount } = graph;
  // Counting sort of the Summary members by class.
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < nodeCount; k++) if (a.selfSize[k] > 0) start[a.classIndex[k] + 1]++;
  for (let c = 0; c < n; c++) start[c + 1] += start[c];
  const members = new Uint32Array(start[n]);
  const fill = start.slice(0, n);
  for (let k = 0; k < nodeCount; k++) if (a.selfSize[k] > 0) members[fill[a.classIndex[k]]++] = k;
  const stmt = db.prepare('INSERT INTO summary_class_top (class_id, rank, ordinal) VALUES (?, ?, ?)');
  for (let c = 0; c < n; c++) {
    if (start[c] === start[c + 1]) continue;
    const top = topByRetained(graph, members.subarray(start[c], start[c + 1]), a.retainedSize, CLASS_TOP);
    top.forEach((k, rank) => stmt.run(c, rank, k));
  }
}

// ───────────────────────────── dominator tree ─────────────────────────────

function writeDominatorTop(db: Database.Database, graph: HeapGraph, a: StoreAnalysis, dominated: DominatedNodes): void {
  const { firstDominated, dominated: children } = dominated;
  const threshold = Math.max(1, a.retainedSize[0] * DOMINATOR_MIN_SHARE);
  const nodeStmt = db.prepare('INSERT INTO summary_dominator_nodes (ordinal, depth, child_count) VALUES (?, ?, ?)');
  const childStmt = db.prepare('INSERT INTO summary_dominator_children (parent, rank, child) VALUES (?, ?, ?)');
  let queue: number[] = [0];
  let depth = 0;
  let expanded = 0;
  while (queue.length > 0 && depth <= DOMINATOR_MAX_DEPTH && expanded < DOMINATOR_MAX_EXPANDED) {
    const next: number[] = [];
    for (const k of queue) {
      if (expanded >= DOMINATOR_MAX_EXPANDED) break;
      expanded++;
      const kids = children.subarray(firstDominated[k], firstDominated[k + 1]);
      nodeStmt.run(k, depth, kids.length);
      const top = topByRetained(graph, kids, a.retainedSize, DOMINATOR_CHILDREN);
      top.forEach((child, rank) => {
        childStmt.run(k, rank, child);
        if (a.retainedSize[child] >= threshold && firstDominated[child] !== firstDominated[child + 1]) next.push(child);
      });
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
function writeDuplicateStrings(db: Database.Database, graph: HeapGraph, a: StoreAnalysis): void {
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
    if (role[sid] < 0) role[sid] = strings[sid] === 'first' ? 1 : strings[sid] === 'second' ? 2 : 0;
    return role[sid];
  };
  const parts = (k: number): [number, number] => {
    let first = 0;
    let second = 0;
    for (let e = firstEdge[k]; e < firstEdge[k + 1] && (!first || !second); e++) {
      if (edgeTypes[e] !== internal) continue;
      const r = roleOf(edgeNames[e]);
      if (r === 1) first = edgeTo[e];
      else if (r === 2) second = edgeTo[e];
    }
    return [first, second];
  };
  const nameOf = (k: number): string => {
    if (nodes[k * F + tOff] !== consType) return strings[nodes[k * F + nOff]];
    const stack = [k];
    let name = '';
    while (stack.length > 0 && name.length < 1024) {
      const x = stack.pop()!;
      if (nodes[x * F + tOff] !== consType) {
        name += strings[nodes[x * F + nOff]];
        continue;
      }
      const [f, s] = parts(x);
      stack.push(s, f);
    }
    return name;
  };
  /** Whether `nameOf(k)` is '' without building it: every flat string under k is empty. */
  const isEmpty = (k: number): boolean => {
    const stack = [k];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (nodes[x * F + tOff] !== consType) {
        if (strings[nodes[x * F + nOff]] !== '') return false;
        continue;
      }
      const [f, s] = parts(x);
      stack.push(s, f);
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
  const nodesIn = bigUint32(cap);
  const count = bigUint32(cap);
  const size = bigFloat64(cap);
  const maxSize = bigFloat64(cap).fill(-1);
  const example = bigInt32(cap).fill(-1);
  const consValues: string[] = [];
  const consGroup = new Map<string, number>();
  for (let k = 0; k < nodeCount; k++) {
    const t = nodes[k * F + tOff];
    let g: number;
    if (t === strType) g = nodes[k * F + nOff];
    else if (t === consType) {
      if (isFlatCons(k)) continue;
      const name = nameOf(k);
      const found = consGroup.get(name);
      if (found === undefined) {
        g = S + consValues.length;
        consValues.push(name);
        consGroup.set(name, g);
      } else g = found;
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
  if (consGroup.size > 0) {
    const lengths = new Set<number>();
    for (const text of consGroup.keys()) lengths.add(text.length);
    const flatByText = new Map<string, number>();
    for (let sid = 0; sid < S; sid++) if (nodesIn[sid] > 0 && lengths.has(strings[sid].length)) flatByText.set(strings[sid], sid);
    for (const [text, cg] of consGroup) {
      const fg = flatByText.get(text);
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
  const valueOf = (g: number) => (g < S ? strings[g] : consValues[g - S]);
  const rows: number[] = [];
  for (let g = 0; g < total; g++) if (nodesIn[g] >= 2 && count[g] > 0) rows.push(g);
  const wasted = (g: number) => size[g] - maxSize[g];
  rows.sort((x, y) => wasted(y) - wasted(x) || size[y] - size[x] || count[y] - count[x] || (valueOf(x) < valueOf(y) ? -1 : valueOf(x) > valueOf(y) ? 1 : 0));
  const stmt = db.prepare('INSERT INTO summary_duplicate_strings (rank, value, nodes, count, size, max_size, wasted, example) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  rows.forEach((g, rank) => stmt.run(rank, valueOf(g), nodesIn[g], count[g], size[g], maxSize[g], wasted(g), example[g]));
}
