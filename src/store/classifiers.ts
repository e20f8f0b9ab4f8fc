// The classifiers of `partition --by` and `diff --by`, each defined once: its titles, its value for a
// node over the parsed graph at ingest (the `summary_partition` rows, summaries.ts), its value for
// given objects of a store at query time (`partition --where`, the new and deleted objects of `diff`),
// and the label that spells a value as a kind. Both paths label through the same function, so the
// precomputed rows and every scan agree to the byte (test/query-partition.test.ts checks it).
//
// Two shapes:
//   value  one number per object (a node column, a script id, an allocation function), spelled by
//          `label`; objects with equal kind texts are one group (two trace functions with one name
//          and place, say), keyed by the first value seen.
//   set    heapy's rcs / via: the distinct members over the object's non-weak incoming edges (class
//          names of the retainers, labels of the edges), sorted and joined; `<Nothing>` for none.
//
// Group retained sizes (DevTools' class rule applied to any grouping) are computed by the callers with
// src/graph/group-retained.ts.

import type { HeapGraph } from '../parse/heap-graph.js';
import { TextInterner } from '../util/interner.js';
import { U32TupleInterner } from '../graph/u32-tuple-interner.js';
import { edgeSource } from '../graph/csr.js';
import { grownUint32, sortUnique } from '../util/typed-arrays.js';
import type { StoreAnalysis } from './memory.js';
import { hasTable, stmt, storeCodes, type Db } from './queries/common.js';
import {
  allocKind,
  detachednessKind,
  distanceKey,
  distanceKind,
  NO_ALLOC_TRACE,
  NO_LOCATION,
  NO_RETAINERS,
  scriptKind,
  setKind,
  viaLabel,
} from './queries/labels.js';
import { allClasses, nodeColumnsAt, stringsById, type ClassRow } from './queries/node-columns.js';
import { traceFunctionInfoColumns } from './schema.js';

export const CLASSIFIERS = ['class', 'type', 'rcs', 'via', 'size', 'alloc', 'script', 'detachedness', 'distance'] as const;
export type Classifier = (typeof CLASSIFIERS)[number];
export type SetClassifier = 'rcs' | 'via';
export type ValueClassifier = Exclude<Classifier, SetClassifier>;

export function isClassifier(s: string): s is Classifier {
  return (CLASSIFIERS as readonly string[]).includes(s);
}

/** A group's display text and the classifier's raw value as text (null for catch-all kinds and sets). */
export interface Kind {
  kind: string;
  key: string | null;
}

/** An allocation-trace function: name, script name, 1-based line and column (0 = unknown). */
export interface AllocFrame {
  fn: string;
  script: string;
  line: number;
  column: number;
}

/** What spelling a value needs besides the value: from the parsed graph at ingest, from the store at query time. */
export interface KindNames {
  nodeTypes: readonly string[];
  scriptName(scriptId: number): string | undefined;
  allocFrame(functionInfoIndex: number): AllocFrame | undefined;
  /** `class` only (query time: the Summary's kind text and class key of a class id). */
  classKind(classId: number): Kind;
}

/** What a classifier reads of the graph at ingest. */
export interface IngestView {
  graph: HeapGraph;
  analysis: Pick<StoreAnalysis, 'selfSize' | 'distance' | 'detachedness' | 'classIndex' | 'classNames' | 'edgeSources'>;
  /** A per-node array a value classifier may use and return its values in (the caller's to reuse afterwards). */
  scratch: Int32Array;
  /** `via`'s edge labels, spelled beforehand where the strings are (the summary thread has none): viaLabels(). */
  viaLabels?: ViaLabels;
}

/** `via`'s members: the label of every edge name (string id) a non-index edge uses, interned by text; -1 = none. */
export interface ViaLabels {
  texts: string[];
  labelOfSid: Int32Array;
  /** The one label of element and hidden edges (`[]`). */
  indexLabel: number;
}

/**
 * Spells `via`'s labels for every name of a non-weak, non-index edge of the graph (one pass over the
 * edges), so that `via` can be computed without the strings. Labels are interned by text, so the sets
 * (and rows) are the same whatever order the labels are numbered in: a set's kind sorts its texts.
 */
export function viaLabels(graph: HeapGraph): ViaLabels {
  const { strings, edgeTypes, edgeNames, edgeCount, layout } = graph;
  const labels = new TextInterner();
  const indexLabel = labels.id(viaLabel(true, ''));
  const labelOfSid = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, strings.length))).subarray(0, strings.length).fill(-1);
  const { edgeTypeElement: element, edgeTypeHidden: hidden, edgeTypeWeak: weak } = layout;
  for (let e = 0; e < edgeCount; e++) {
    const t = edgeTypes[e];
    if (t === element || t === hidden || t === weak) continue;
    const sid = edgeNames[e];
    if (sid < labelOfSid.length && labelOfSid[sid] < 0) labelOfSid[sid] = labels.id(viaLabel(false, strings.get(sid) ?? ''));
  }
  return { texts: labels.texts, labelOfSid, indexLabel };
}

/** Node columns (of `node_rows`) that hold a classifier's value as labelled. */
export type ValueColumn = 'class_id' | 'type' | 'self_size' | 'distance' | 'detachedness';

interface Titles {
  /** The kind column's title in `partition` (heapy's where heapy has the classifier). */
  title: string;
  /** The kind column's title in `diff`. */
  diffTitle: string;
}

export interface ValueDefinition extends Titles {
  shape: 'value';
  /** The node column holding the value, when it is one (read in bulk by `diff`, with the scan by `partition`). */
  column: ValueColumn | null;
  /**
   * Every node's value at ingest, by ordinal: an analysis array, or `view.scratch` filled by a loop of
   * the classifier's own (a value function called per node from the one loop of all classifiers was a
   * megamorphic call: 700 MB snapshot, 55 -> 30 ms a classifier). Null when the snapshot has none
   * (`alloc` without traces) or the rows are another table's (`class`).
   */
  atIngest(view: IngestView): ArrayLike<number> | null;
  /** Values of the objects at `ordinals` in a store, when not a column (batched, indexed lookups). */
  atQuery: ((db: Db, ordinals: ArrayLike<number>) => number[]) | null;
  label(value: number, names: KindNames): Kind;
}

export interface SetDefinition extends Titles {
  shape: 'set';
  /** At ingest: the member of each non-weak incoming edge e, as an id into `texts` (which grows as members are met). */
  atIngest(view: IngestView): { texts: readonly string[]; memberOf(edge: number): number };
  /** At query time: the member of every non-weak incoming edge of `ordinals`, as (target, id into `texts`) rows. */
  atQuery(db: Db): { texts: readonly string[]; membersOf(ordinals: readonly number[]): { to: number[]; member: number[] } };
}

export type Definition = ValueDefinition | SetDefinition;

const kindOfValue = (kind: string, value: number): Kind => ({ kind, key: String(value) });

/** Ordinals per lookup query (one JSON array in, one JSON array per column out). */
const BATCH = 50000;

function batches(ordinals: ArrayLike<number>, each: (part: number[], start: number) => void): void {
  for (let i = 0; i < ordinals.length; i += BATCH)
    each(
      Array.from({ length: Math.min(BATCH, ordinals.length - i) }, (_, j) => ordinals[i + j]),
      i,
    );
}

/** One JSON-array lookup per batch whose values come back aligned with the ordinals. */
function lookup(db: Db, sql: string, ordinals: ArrayLike<number>, what: string): number[] {
  const q = stmt(db, sql).raw();
  const out: number[] = new Array(ordinals.length);
  batches(ordinals, (part, start) => {
    const [count, text] = q.get(JSON.stringify(part)) as [number, string];
    const values = JSON.parse(text) as number[];
    if (count !== part.length || values.length !== part.length) throw new Error(`${what}: ${part.length} ordinals looked up, ${values.length} values`);
    for (let j = 0; j < values.length; j++) out[start + j] = values[j];
  });
  return out;
}

/** Offset in graph.locations (4 values per record) of each node's last location record, -1 = none. */
function locationIndex(graph: HeapGraph, at: Int32Array): Int32Array {
  const loc = graph.locations;
  at.fill(-1);
  for (let i = 0; i + 4 <= loc.length; i += 4) at[loc[i]] = i; // ordinals the parser checked
  return at;
}

/** The nine classifiers. */
export const CLASSIFIER_DEFINITIONS: { readonly [C in Classifier]: C extends SetClassifier ? SetDefinition : ValueDefinition } = {
  class: {
    shape: 'value',
    title: 'Kind (class / type)',
    diffTitle: 'Kind (class)',
    column: 'class_id',
    atIngest: () => null, // the `classes` table (DevTools' Summary) holds these rows
    atQuery: null,
    label: (v, names) => names.classKind(v),
  },
  type: {
    shape: 'value',
    title: 'Type',
    diffTitle: 'Kind (type)',
    column: 'type',
    atIngest: ({ graph, scratch }) => {
      const { nodes, layout } = graph;
      const F = layout.nodeFieldCount;
      const off = layout.nodeTypeOffset;
      for (let k = 0; k < graph.nodeCount; k++) scratch[k] = nodes[k * F + off];
      return scratch;
    },
    atQuery: null,
    label: (t, names) => kindOfValue(names.nodeTypes[t] ?? String(t), t),
  },
  rcs: {
    shape: 'set',
    title: 'Referrers by Kind (class / type)',
    diffTitle: 'Kind (referrers by class)',
    atIngest: ({ graph, analysis }) => {
      // Class names interned by text (two class keys may share a name).
      const names = new TextInterner();
      const nameOfClass = Int32Array.from(analysis.classNames, (n) => names.id(n));
      const { classIndex, edgeSources } = analysis;
      const { firstEdge } = graph;
      return { texts: names.texts, memberOf: (e) => nameOfClass[classIndex[edgeSource(firstEdge, edgeSources, e)]] };
    },
    atQuery: (db) => {
      const names = new TextInterner();
      const classes = allClasses(db);
      const nameOfClass = new Int32Array(classes.reduce((m, r) => Math.max(m, r.class_id + 1), 0)).fill(-1);
      for (const r of classes) nameOfClass[r.class_id] = names.id(r.class_name);
      const q = stmt(
        db,
        `SELECT json_group_array(r.to_node), json_group_array(n.class_id) FROM json_each(?) j JOIN retainer_rows r ON r.to_node = j.value
         JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal JOIN node_rows n ON n.ordinal = r.from_node WHERE e.type != ?`,
      ).raw();
      const weak = storeCodes(db).edgeWeak;
      return {
        texts: names.texts,
        membersOf: (part) => {
          const [to, classIds] = (q.get(JSON.stringify(part), weak) as [string, string]).map((t) => JSON.parse(t) as number[]);
          return { to, member: classIds.map((c) => nameOfClass[c]) };
        },
      };
    },
  },
  via: {
    shape: 'set',
    title: 'Referred Via:',
    diffTitle: 'Kind (referred via)',
    atIngest: ({ graph, viaLabels: spelled }) => {
      // Labels interned by text, one per name string index (element and hidden edges: one label, `[]`).
      const { texts, labelOfSid, indexLabel } = spelled ?? viaLabels(graph);
      const { edgeTypes, edgeNames, layout } = graph;
      const elementType = layout.edgeTypeElement;
      const hiddenType = layout.edgeTypeHidden;
      return {
        texts,
        memberOf: (e) => {
          const t = edgeTypes[e];
          return t === elementType || t === hiddenType ? indexLabel : labelOfSid[edgeNames[e]];
        },
      };
    },
    atQuery: (db) => {
      const c = storeCodes(db);
      const INDEX_LABEL = -1;
      const labels = new TextInterner();
      const labelOfSid = new Map<number, number>();
      const q = stmt(
        db,
        `SELECT json_group_array(r.to_node), json_group_array(CASE WHEN e.type IN (?, ?) THEN ${INDEX_LABEL} ELSE e.name_or_index END)
         FROM json_each(?) j JOIN retainer_rows r ON r.to_node = j.value JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal WHERE e.type != ?`,
      ).raw();
      const indexTypes = [c.edgeElement, c.edgeHidden].map((t) => (t < 0 ? -1000 : t));
      return {
        texts: labels.texts,
        membersOf: (part) => {
          const [to, values] = (q.get(indexTypes[0], indexTypes[1], JSON.stringify(part), c.edgeWeak) as [string, string]).map(
            (t) => JSON.parse(t) as number[],
          );
          const missing = [...new Set(values.filter((v) => v !== INDEX_LABEL && !labelOfSid.has(v)))];
          const names = stringsById(db, missing);
          for (const sid of missing) labelOfSid.set(sid, labels.id(viaLabel(false, names.get(sid) ?? '')));
          return { to, member: values.map((v) => (v === INDEX_LABEL ? labels.id(viaLabel(true, '')) : labelOfSid.get(v)!)) };
        },
      };
    },
  },
  size: {
    shape: 'value',
    title: 'Individual Size',
    diffTitle: 'Kind (individual size)',
    column: 'self_size',
    atIngest: ({ analysis }) => analysis.selfSize,
    atQuery: null,
    label: (v) => kindOfValue(String(v), v),
  },
  alloc: {
    shape: 'value',
    title: 'Producer (function script:line:col)',
    diffTitle: 'Kind (allocation site)',
    column: null,
    // The function info index of the node's allocation-trace node, -1 when none.
    atIngest: ({ graph, scratch }) => {
      const { trace, traceNodeIds, fileLayout } = graph;
      if (!trace || trace.treeIds.length === 0 || fileLayout.nodeTraceNodeIdOffset < 0) return null;
      const infoOfTrace = new Map<number, number>();
      for (let i = 0; i < trace.treeIds.length; i++) infoOfTrace.set(trace.treeIds[i], trace.treeFunctionInfoIndex[i]);
      for (let k = 0; k < graph.nodeCount; k++) {
        const t = traceNodeIds === null ? 0 : traceNodeIds[k];
        const fi = t === 0 ? undefined : infoOfTrace.get(t);
        scratch[k] = fi === undefined ? -1 : fi;
      }
      return scratch;
    },
    atQuery: (db, ordinals) => {
      const infoOf = new Map<number, number>();
      for (const r of stmt(db, 'SELECT id, function_info_index FROM trace_tree').all() as { id: number; function_info_index: number }[])
        infoOf.set(r.id, r.function_info_index);
      const traceNodes = lookup(
        db,
        'SELECT count(*), json_group_array(coalesce((SELECT n.trace_node_id FROM node_rows n WHERE n.ordinal = j.value), 0)) FROM json_each(?) j',
        ordinals,
        'alloc',
      );
      return traceNodes.map((t) => (t === 0 ? undefined : infoOf.get(t)) ?? -1);
    },
    label: (fi, names) => {
      const f = fi < 0 ? undefined : names.allocFrame(fi);
      return f === undefined ? { kind: NO_ALLOC_TRACE, key: null } : { kind: allocKind(f.fn, f.script, f.line, f.column), key: String(fi) };
    },
  },
  script: {
    shape: 'value',
    title: 'Script (constructor / function location)',
    diffTitle: 'Kind (script)',
    column: null,
    // The script id of the node's last `locations` record, -1 when none.
    atIngest: ({ graph, scratch }) => {
      const at = locationIndex(graph, scratch);
      const loc = graph.locations;
      for (let k = 0; k < graph.nodeCount; k++) at[k] = at[k] < 0 ? -1 : loc[at[k] + 1];
      return at;
    },
    atQuery: (db, ordinals) =>
      lookup(
        db,
        'SELECT count(*), json_group_array(coalesce((SELECT l.script_id FROM locations l WHERE l.node_ordinal = j.value ORDER BY l.rowid DESC LIMIT 1), -1)) FROM json_each(?) j',
        ordinals,
        'script',
      ),
    label: (id, names) => (id < 0 ? { kind: NO_LOCATION, key: null } : kindOfValue(scriptKind(names.scriptName(id), id), id)),
  },
  detachedness: {
    shape: 'value',
    title: 'Detachedness',
    diffTitle: 'Kind (detachedness)',
    column: 'detachedness',
    atIngest: ({ analysis }) => analysis.detachedness,
    atQuery: null,
    label: (v) => kindOfValue(detachednessKind(v), v),
  },
  distance: {
    shape: 'value',
    title: 'Distance',
    diffTitle: 'Kind (distance)',
    column: 'distance',
    // The row's key (a range's first distance), not the distance: a deep chain's million distances are
    // then a few values to group instead of a million to look up.
    atIngest: ({ analysis, scratch }) => {
      for (let k = 0; k < analysis.distance.length; k++) scratch[k] = distanceKey(analysis.distance[k]);
      return scratch;
    },
    atQuery: null,
    label: (d) => kindOfValue(distanceKind(d), distanceKey(d)),
  },
};

export function definitionOf(c: Classifier): Definition {
  return CLASSIFIER_DEFINITIONS[c];
}

// ───────────────────────────── groups ─────────────────────────────

/** The groups of one classifier: kind texts (distinct) and each one's key, in first-seen order. */
export class KindGroups {
  private readonly interner = new TextInterner();
  readonly keys: (string | null)[] = [];

  get kinds(): readonly string[] {
    return this.interner.texts;
  }

  get size(): number {
    return this.interner.size;
  }

  /** The group of a kind; a new one (keyed `key`) when the text is first seen. */
  of(kind: string, key: string | null): number {
    const n = this.interner.size;
    const g = this.interner.id(kind);
    if (g === n) this.keys.push(key);
    return g;
  }
}

/**
 * Groups of a value classifier by numeric value (no string per object): a value's kind is spelled once,
 * when it first appears. Values -1 … 65534 (most of them: types, small sizes, distances) go through an
 * array, the others through a Map.
 */
export class ValueGroups extends KindGroups {
  /** Group + 1 by value + 1; 0 = not seen. */
  private readonly small = new Int32Array(65536);
  private readonly byValue = new Map<number, number>();
  constructor(private readonly describe: (value: number) => Kind) {
    super();
  }
  id(value: number): number {
    const slot = value + 1;
    if (slot >= 0 && slot < 65536 && slot === (slot | 0)) {
      const g = this.small[slot] - 1;
      if (g >= 0) return g;
      return (this.small[slot] = this.lookup(value) + 1) - 1;
    }
    return this.lookup(value);
  }
  private lookup(value: number): number {
    let g = this.byValue.get(value);
    if (g === undefined) {
      const d = this.describe(value);
      this.byValue.set(value, (g = this.of(d.kind, d.key)));
    }
    return g;
  }
}

/** Ranges up to this long are sorted as they are (insertion sort); longer ones lose their repeats first. */
const SORT_DIRECTLY = 16;

/**
 * Groups of a set classifier: sets of member ids (into `texts`), so no string is built per object; a
 * set's kind is spelled once. The empty set and one-member sets (most objects: one retainer) are looked
 * up by member; bigger sets by their sorted members in a hash table (the trie of Maps it replaces took
 * 1.3x as long).
 */
export class SetGroups extends KindGroups {
  private empty = -1;
  /** Group + 1 of the one-member sets, by member; 0 = not seen. */
  private single = new Int32Array(1024);
  // The sets of two members or more, interned as tuples of their sorted members (u32: ids are >= 0 but
  // for unknown classes at query time, -1, kept as 2^32 - 1); tuple t's group is groupOf[t].
  private readonly bigger = new U32TupleInterner();
  private groupOf = new Uint32Array(256);
  private tuple = new Uint32Array(64);
  /** Per member id, the call of `distinct` that last met it (repeats of a big range are dropped with it). */
  private metIn = new Uint32Array(0);
  private call = 0;
  constructor(private readonly texts: readonly string[]) {
    super();
  }
  /** The group of the set of members `ids[from … from + n)`, in any order and with repeats; reorders the range. */
  idOf(ids: Int32Array, from: number, n: number): number {
    return this.id(ids, from, n > SORT_DIRECTLY ? this.distinct(ids, from, n) : sortUnique(ids, from, from + n));
  }
  /** The group of the set `ids[from … from + n)`, sorted ascending and distinct. */
  id(ids: Int32Array, from: number, n: number): number {
    if (n === 0) {
      if (this.empty < 0) this.empty = this.of(NO_RETAINERS, null);
      return this.empty;
    }
    if (n === 1 && ids[from] >= 0) {
      // (-1, an unknown class at query time, goes through the table)
      const m = ids[from];
      if (m >= this.single.length) {
        const grown = new Int32Array(Math.max(m + 1, this.single.length * 2));
        grown.set(this.single);
        this.single = grown;
      }
      if (this.single[m] === 0) this.single[m] = this.newGroup(ids, from, 1) + 1;
      return this.single[m] - 1;
    }
    return this.lookup(ids, from, n);
  }
  private lookup(ids: Int32Array, from: number, n: number): number {
    if (n > this.tuple.length) this.tuple = new Uint32Array(Math.max(n, 2 * this.tuple.length));
    for (let i = 0; i < n; i++) this.tuple[i] = ids[from + i];
    const t = this.bigger.intern(this.tuple, n);
    if (this.bigger.isNew()) {
      if (t >= this.groupOf.length) this.groupOf = grownUint32(this.groupOf, t + 1);
      this.groupOf[t] = this.newGroup(ids, from, n);
    }
    return this.groupOf[t];
  }
  private newGroup(ids: Int32Array, from: number, n: number): number {
    return this.of(setKind(Array.from(ids.subarray(from, from + n), (m) => this.texts[m])), null);
  }
  /**
   * Sorts and dedupes a big range (a hub's retainers: thousands of edges from a few classes, whose native
   * sort was a third of the sets' time) by dropping repeats first, in one pass, then sorting the few left.
   */
  private distinct(ids: Int32Array, from: number, n: number): number {
    let min = 0;
    let max = -1;
    for (let i = from; i < from + n; i++) {
      min = Math.min(min, ids[i]);
      max = Math.max(max, ids[i]);
    }
    if (min < 0 || max >= 1 << 24) return sortUnique(ids, from, from + n); // no marks for such ids
    if (max >= this.metIn.length) this.metIn = new Uint32Array(Math.max(max + 1, 2 * this.metIn.length));
    if (++this.call === 0xffffffff) {
      this.metIn.fill(0);
      this.call = 1;
    }
    const call = this.call;
    let m = from;
    for (let i = from; i < from + n; i++) {
      const v = ids[i];
      if (this.metIn[v] === call) continue;
      this.metIn[v] = call;
      ids[m++] = v;
    }
    return sortUnique(ids, from, m);
  }
}

// ───────────────────────────── names ─────────────────────────────

/** Kind names from the parsed graph (ingest); `scripts` = script id → name (summaries.ts). */
export function graphKindNames(graph: HeapGraph, scripts: ReadonlyMap<number, string>): KindNames {
  const { trace, strings, layout } = graph;
  const tf = traceFunctionInfoColumns(layout);
  const W = tf.length;
  const at = (name: string) => tf.indexOf(name);
  const [fName, fScript, fLine, fCol] = [at('name'), at('script_name'), at('line'), at('column')];
  return {
    nodeTypes: layout.nodeTypes,
    scriptName: (id) => scripts.get(id),
    allocFrame: (fi) => {
      const infos = trace?.functionInfos;
      if (!infos) return undefined;
      const base = fi * W;
      const str = (off: number) => (off >= 0 && base + off < infos.length ? (strings.get(infos[base + off]) ?? '') : '');
      const num = (off: number) => (off >= 0 && base + off < infos.length ? infos[base + off] : 0);
      return { fn: str(fName), script: str(fScript), line: num(fLine), column: num(fCol) };
    },
    classKind: () => {
      throw new Error('class kinds at ingest are the classes table');
    },
  };
}

export function scriptNames(db: Db): Map<number, string> {
  const m = new Map<number, string>();
  if (!hasTable(db, 'scripts')) return m;
  for (const r of stmt(db, 'SELECT script_id, name FROM scripts').all() as { script_id: number; name: string }[]) m.set(r.script_id, r.name);
  return m;
}

/**
 * Display kinds of classes: the class name, plus `(script:line:col)` (1-based, script's last path
 * segment) when several class keys share the name (DevTools splits same-named constructors by location).
 */
export function classKinds(db: Db, classes: readonly ClassRow[]): Map<number, string> {
  const byName = new Map<string, number>();
  // Ambiguity among Summary rows only (classes with count 0 are never shown).
  for (const c of classes) if (c.count > 0) byName.set(c.class_name, (byName.get(c.class_name) ?? 0) + 1);
  const scripts = scriptNames(db);
  const out = new Map<number, string>();
  for (const c of classes) {
    let kind = c.class_name;
    if ((byName.get(c.class_name) ?? 0) > 1) {
      const m = /^(\d+),(\d+),(\d+),/.exec(c.class_key);
      if (m) {
        const name = scripts.get(Number(m[1]));
        const short = name ? name.split(/[/\\]/).pop() || name : `script #${m[1]}`;
        kind = `${c.class_name} (${short}:${Number(m[2]) + 1}:${Number(m[3]) + 1})`;
      }
    }
    out.set(c.class_id, kind);
  }
  return out;
}

/** Kind names from a store (query time); each table is read when first needed. */
export function storeKindNames(db: Db): KindNames {
  let scripts: Map<number, string> | undefined;
  let classes: { kinds: Map<number, string>; keys: Map<number, string> } | undefined;
  const frames = new Map<number, AllocFrame | undefined>();
  return {
    nodeTypes: storeCodes(db).nodeTypes,
    scriptName: (id) => (scripts ??= scriptNames(db)).get(id),
    allocFrame: (fi) => {
      if (!frames.has(fi)) {
        const r = stmt(
          db,
          `SELECT coalesce(sn.value, '') AS fn, coalesce(ss.value, '') AS script, f.line, f."column" AS col FROM trace_function_infos f
           LEFT JOIN strings sn ON sn.id = f.name LEFT JOIN strings ss ON ss.id = f.script_name WHERE f.function_info_index = ?`,
        ).get(fi) as { fn: string; script: string; line: number; col: number } | undefined;
        frames.set(fi, r ? { fn: r.fn, script: r.script, line: r.line, column: r.col } : undefined);
      }
      return frames.get(fi);
    },
    classKind: (v) => {
      if (!classes) {
        const rows = allClasses(db);
        classes = { kinds: classKinds(db, rows), keys: new Map(rows.map((r) => [r.class_id, r.class_key])) };
      }
      return { kind: classes.kinds.get(v) ?? String(v), key: classes.keys.get(v) ?? null };
    },
  };
}

// ───────────────────────────── query time ─────────────────────────────

/** Kind of a value of a value classifier in this store. */
export function storeLabeler(db: Db, classifier: ValueClassifier): (value: number) => Kind {
  const def = CLASSIFIER_DEFINITIONS[classifier];
  const names = storeKindNames(db);
  return (v) => def.label(v, names);
}

/** Kinds of a list of objects: `group[i]` indexes `kinds` / `keys` for the i-th ordinal given. */
export interface ObjectKinds {
  group: Int32Array;
  kinds: readonly string[];
  /** The classifier's raw value of the first member seen (as partition's `key`; null for sets and catch-all kinds). */
  keys: readonly (string | null)[];
}

/**
 * Kinds of the objects at `ordinals` in a store, spelled exactly as the precomputed rows spell them.
 * `values`, when given, are the objects' values of a column classifier already read by the caller;
 * otherwise they are looked up (indexed, BATCH ordinals per query): node columns by rowid, script the
 * last `locations` record (location_by_node), alloc the trace node, sets the incoming edges in
 * `retainer_rows` (then the edge by rowid).
 */
export function kindsAt(db: Db, classifier: Classifier, ordinals: ArrayLike<number>, values?: ArrayLike<number>): ObjectKinds {
  const def = CLASSIFIER_DEFINITIONS[classifier];
  const group = new Int32Array(ordinals.length);
  if (def.shape === 'set') {
    const { texts, membersOf } = def.atQuery(db);
    const groups = new SetGroups(texts);
    batches(ordinals, (part, start) => {
      const { to, member } = membersOf(part);
      // Members of each object of the batch, gathered by a counting sort on the target's position. The rows
      // come in json_each's order as SQLite runs the join (checked: otherwise positions go through a Map).
      const at = positionsOf(part, to);
      const first = new Int32Array(part.length + 1);
      for (let r = 0; r < at.length; r++) first[at[r] + 1]++;
      for (let j = 0; j < part.length; j++) first[j + 1] += first[j];
      const fill = first.slice(0, part.length);
      const flat = new Int32Array(at.length);
      for (let r = 0; r < at.length; r++) flat[fill[at[r]]++] = member[r];
      for (let j = 0; j < part.length; j++) group[start + j] = groups.idOf(flat, first[j], first[j + 1] - first[j]);
    });
    return { group, kinds: groups.kinds, keys: groups.keys };
  }
  const names = storeKindNames(db);
  const groups = new ValueGroups((v) => def.label(v, names));
  const vals = values ?? (def.atQuery ? def.atQuery(db, ordinals) : nodeColumnsAt(db, ordinals, [def.column!])[def.column!]);
  for (let i = 0; i < ordinals.length; i++) group[i] = groups.id(vals[i]);
  return { group, kinds: groups.kinds, keys: groups.keys };
}

/** Position in `part` of each row's target `to[r]`: a merge walk when the rows follow `part`'s order, else a Map. */
function positionsOf(part: readonly number[], to: readonly number[]): Int32Array {
  const at = new Int32Array(to.length);
  let j = 0;
  for (let r = 0; r < to.length; r++) {
    while (j < part.length && part[j] !== to[r]) j++;
    if (j === part.length) {
      const position = new Map<number, number>();
      part.forEach((o, p) => position.set(o, p));
      for (let q = 0; q < to.length; q++) at[q] = position.get(to[q])!;
      return at;
    }
    at[r] = j;
  }
  return at;
}
