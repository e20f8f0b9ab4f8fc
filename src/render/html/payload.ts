// What `heapdiff report` puts in its page: one JSON document of aggregates, never the heap itself.
// The answer (verdict and suspects with their paths and what they keep), the dominator tree pruned per
// level, the partition tables of all nine classifiers, the diff table, duplicated strings, statistics,
// and the facts of every object the page shows (edges and retainers for the first `objects` of them).
//
// Everything comes from the analyses (src/analyses/*); this module only picks, bounds and reshapes.
// Names stay raw strings here: the page escapes by construction (JSON in a data block, textContent).

import type { DiffResult } from '../../analyses/diff.js';
import { heapTree, dominatedByClass, loadTree, summarize, type HeapTreeNode, type KeptObjects, type LoadedTree } from '../../analyses/heap-tree.js';
import { objectDetails } from '../../analyses/object-details.js';
import type { LeaksResult } from '../../analyses/leaks.js';
import { CLASSIFIERS, KIND_TITLES, partition, type Classifier } from '../../analyses/partition.js';
import type { NodeSummary, PathHop } from '../../analyses/paths.js';
import { CATEGORY_ORDER, stats } from '../../analyses/stats.js';
import { duplicateStrings } from '../../analyses/strings.js';
import type { NamedPath } from '../../analyses/program-names.js';
import type { Kept, PathGroupResult } from '../../analyses/suspects-tree.js';
import { keptByHops, scopeNote } from '../leak-report.js';
import type { LeakSuspect, SuspectObject, SuspectsResult } from '../../analyses/suspects.js';
import type { OpenedStore } from '../../store/open.js';
import { edgeLabel, nodeLabel } from '../../store/queries/labels.js';
import { VERSION } from '../../version.js';
import { diffHeading } from '../diff.js';
import { baseName, fmt, percent, shownHops, shownPath } from '../report.js';

export type ReportMode = 'snapshot' | 'diff' | 'leaks';

export interface ReportOptions {
  /** Treemap: children shown per node (the rest fold into "others"). */
  children?: number;
  /** Treemap: levels below the root at most. */
  depth?: number;
  /** Treemap: nodes at most. */
  budget?: number;
  /** Objects whose edges and retainers are embedded (the first ones the page shows). */
  objects?: number;
  /** Edges and retainers listed per detailed object. */
  links?: number;
  /** Rows per table (the rest are summed in a last row). */
  rows?: number;
  /** Duplicated-string groups. */
  strings?: number;
  /** Longest name kept (characters); longer names end in `…`. */
  nameLength?: number;
}

/** One hop of a retainer path: the edge into it (`.sessionCache`, `[830]`; empty for the first) and the object. */
export interface HopView {
  edge: string;
  id: number;
  label: string;
}

export interface PathView {
  /** What holds it in the program's words, as the text report's `kept by` line (null: none known). */
  named: string | null;
  /** True when `named` is another real path than the shortest, chosen because it starts at a variable. */
  via_variable: boolean;
  count: number;
  retained: number;
  pattern: string;
  hops: HopView[];
  /** Leading hops (GC roots, handles, native context) the text report leaves out; the page folds them. */
  folded: number;
}

export interface SuspectView {
  title: string;
  summary: string;
  count: number;
  retained: number;
  retained_percent: number;
  /** The suspect object (single-object suspects), else null. */
  object: number | null;
  paths: PathView[];
  /** Notes on what the paths leave out (more patterns, sampled instances). */
  notes: string[];
  /** What the suspect's objects keep alive, by class; `more` sums the classes left out. */
  keeps: { classes: { class_name: string; count: number; size: number }[]; more: { count: number; size: number } | null; note: string } | null;
  accumulation: {
    summary: string;
    object: number;
    hops: PathView | null;
    children: number[];
    by_class: { class_name: string; count: number; retained: number }[];
  } | null;
  instances: number[];
}

/** A treemap node: the object id, new bytes, child count, shown children, folded others `[count, retained, new]`. */
export interface TreeNodeView {
  id: number;
  n: number;
  k: number;
  c: TreeNodeView[];
  o: [number, number, number] | null;
}

export interface ObjectView {
  id: number;
  type: string;
  cls: string;
  name: string;
  self: number;
  retained: number;
  distance: number;
  /** Present for detailed objects only: */
  loc?: string | null;
  alloc?: string | null;
  dom?: number | null;
  path?: string;
  edges?: [string, number][];
  edges_total?: number;
  /** False: more edges than the page sorts; the first ones in edge order. */
  edges_sorted?: boolean;
  retainers?: [string, number][];
  retainers_total?: number;
  /** False: too many retainers to list; only counted. */
  retainers_listed?: boolean;
  weak?: number;
}

export interface TableView {
  columns: { key: string; title: string; type: 'text' | 'count' | 'bytes' | 'delta' | 'bytes-delta' | 'percent' | 'id' }[];
  rows: (string | number | null)[][];
  /** Rows left out (summed in the last row when > 0). */
  more: number;
}

export interface PartitionView {
  by: Classifier;
  title: string;
  objects: number;
  size: number;
  table: TableView | null;
  /** Why the classifier has no table (e.g. no allocation traces). */
  error: string | null;
}

export interface ReportPayload {
  format: 'heapdiff-report';
  version: 1;
  tool: string;
  generated: string;
  mode: ReportMode;
  snapshots: { role: string; name: string; total_size: number; nodes: number; objects: number }[];
  /** The snapshot the heap views (tree, tables, statistics) describe (index into snapshots). */
  heap: number;
  verdict: { tone: 'leak' | 'clean' | 'note'; headline: string; details: string[] };
  suspects: SuspectView[];
  /** What "new" means in the treemap's colouring, or null (snapshot mode). */
  new_label: string | null;
  tree: { total_size: number; children: number; depth: number; shown: number; root: TreeNodeView };
  partitions: PartitionView[];
  diff: TableView | null;
  strings: { groups: number; wasted: number; size: number; table: TableView } | null;
  stats: { counts: Record<string, number | boolean>; categories: [string, number][] };
  objects: Record<string, ObjectView>;
  /** Objects with edges and retainers embedded, out of `objects`. */
  detailed: number;
  /** The command that inspects an object not detailed here. */
  inspect_hint: string;
}

export interface ReportInput {
  mode: ReportMode;
  /** The stores in command-line order (1, 2 or 3); the last one is the heap the views describe. */
  stores: OpenedStore[];
  result: SuspectsResult | DiffResult | LeaksResult;
}

const D = {
  children: 10,
  depth: 8,
  budget: 2500,
  objects: 400,
  links: 10,
  rows: 400,
  strings: 100,
  nameLength: 300,
};

const ROLES: Record<ReportMode, string[]> = { snapshot: ['snapshot'], diff: ['A', 'B'], leaks: ['baseline', 'target', 'final'] };

/** Gathers the page's data from the analyses' results and the heap store (the last of `stores`). */
export function gatherReport(input: ReportInput, options: ReportOptions = {}): ReportPayload {
  const o = { ...D, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof D;
  const heapStore = input.stores[input.stores.length - 1];
  const cut = (s: string) => (s.length > o.nameLength ? `${s.slice(0, o.nameLength - 1)}…` : s);

  // Objects the page shows, by ordinal: facts from the analyses where they came with them.
  const objects = new Map<number, ObjectView>();
  const order: number[] = [];
  const addSummary: AddSummary = (s, path) => {
    let view = objects.get(s.ordinal);
    if (!view) {
      view = { id: s.id, type: s.type, cls: s.class_name, name: cut(s.name), self: s.self_size, retained: s.retained_size, distance: s.distance ?? NaN };
      objects.set(s.ordinal, view);
      order.push(s.ordinal);
    }
    if (path !== undefined && view.path === undefined) view.path = cut(path);
    return s.id;
  };

  const isNew = newPredicate(input);
  const loaded = loadTree(heapStore, isNew ?? undefined);
  const verdict = verdictOf(input);
  const suspects = suspectViews(input, loaded, addSummary);

  const tree = heapTree(loaded, { children: o.children, depth: o.depth, budget: o.budget });
  const treeOrdinals: number[] = [];
  const toView = (n: HeapTreeNode): TreeNodeView => {
    treeOrdinals.push(n.ordinal);
    return {
      id: n.id,
      n: n.new_size,
      k: n.child_count,
      c: n.children.map(toView),
      o: n.others ? [n.others.count, n.others.retained_size, n.others.new_size] : null,
    };
  };
  const root = toView(tree.root);
  for (const s of summarize(
    heapStore,
    treeOrdinals.filter((k) => !objects.has(k)),
  ).values())
    addSummary(s);

  // Details (edges, retainers, location, dominator) for the first `objects` objects: suspects first, then the
  // tree biggest first (breadth-first order of the pruned tree is by level, then retained size).
  const detailOrder = [...order.filter((k) => !treeOrdinals.includes(k)), ...treeOrdinals];
  let detailed = 0;
  for (const k of detailOrder) {
    if (detailed >= o.objects) break;
    const view = objects.get(k);
    if (!view || view.edges) continue;
    const r = objectDetails(heapStore, k, { limit: o.links });
    view.distance = r.distance;
    view.loc = r.location ? `${r.location.script ?? `script #${r.location.script_id}`}:${r.location.line + 1}:${r.location.column + 1}` : null;
    view.alloc = r.allocation ? `${r.allocation.function || '(anonymous)'} ${r.allocation.script}:${r.allocation.line}:${r.allocation.column}` : null;
    view.dom = r.dominator ? r.dominator.id : null;
    view.edges = r.edges.shown.map((e) => [edgeLabel(e.edge_type, e.edge_name), e.node.id]);
    view.edges_total = r.edges.total;
    view.edges_sorted = r.edges.sorted;
    view.retainers = r.retainers.shown.map((e) => [edgeLabel(e.edge_type, e.edge_name), e.node.id]);
    view.retainers_total = r.retainers.total;
    view.retainers_listed = r.retainers.listed;
    view.weak = r.retainers.weak;
    for (const e of [...r.edges.shown, ...r.retainers.shown]) addSummary(e.node);
    if (r.dominator && !objects.has(r.dominator.ordinal)) addSummary(r.dominator);
    detailed++;
  }
  // Distances of the objects known only from their summaries (tree nodes, path hops are complete).
  const missing = [...objects.entries()].filter(([, v]) => Number.isNaN(v.distance)).map(([k]) => k);
  for (const [k, s] of summarize(heapStore, missing)) objects.get(k)!.distance = s.distance;

  const payloadObjects: Record<string, ObjectView> = {};
  for (const v of objects.values()) payloadObjects[String(v.id)] = v;

  const sides = sidesOf(input);
  return {
    format: 'heapdiff-report',
    version: 1,
    tool: `heapdiff ${VERSION}`,
    generated: new Date().toISOString(),
    mode: input.mode,
    snapshots: input.stores.map((s, i) => ({ role: ROLES[input.mode][i], name: baseName(s.source), ...sides[i] })),
    heap: input.stores.length - 1,
    verdict,
    suspects,
    new_label:
      input.mode === 'diff' ? (isNew ? 'allocated after A' : null) : input.mode === 'leaks' ? (isNew ? 'allocated between baseline and target' : null) : null,
    tree: { total_size: tree.total_size, children: tree.children, depth: tree.depth, shown: tree.shown, root },
    partitions: partitions(heapStore, o.rows, cut),
    diff: input.mode === 'diff' ? diffTableView(input.result as DiffResult, o.rows, cut) : null,
    strings: stringsView(heapStore, o.strings, cut),
    stats: statsView(heapStore),
    objects: payloadObjects,
    detailed,
    inspect_hint: `heapdiff inspect ${baseName(heapStore.source)} @ID`,
  };
}

function sidesOf(input: ReportInput): { total_size: number; nodes: number; objects: number }[] {
  const pick = (s: { total_size: number; nodes: number; objects: number }) => ({ total_size: s.total_size, nodes: s.nodes, objects: s.objects });
  if (input.mode === 'snapshot') return [pick((input.result as SuspectsResult).snapshot)];
  if (input.mode === 'diff') return [pick((input.result as DiffResult).a), pick((input.result as DiffResult).b)];
  const r = input.result as LeaksResult;
  return [pick(r.baseline), pick(r.target), pick(r.final)];
}

/** "New" objects of the heap snapshot by id (V8 ids grow; odd ids are heap objects), or null. */
function newPredicate(input: ReportInput): ((id: number) => boolean) | null {
  if (input.mode === 'diff') {
    const r = input.result as DiffResult;
    if (!r.same_process) return null;
    const after = r.a.max_js_object_id;
    return (id) => id % 2 === 1 && id > after;
  }
  if (input.mode === 'leaks') {
    const r = input.result as LeaksResult;
    if (!r.same_process) return null;
    const from = r.baseline.max_js_object_id;
    const to = r.target.max_js_object_id;
    return (id) => id % 2 === 1 && id > from && id <= to;
  }
  return null;
}

// ───────────────────────────── the answer ─────────────────────────────

/** Human bytes for sentences (`1.2 MB`), the page shows exact numbers on hover. */
export function bytes(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

function verdictOf(input: ReportInput): ReportPayload['verdict'] {
  if (input.mode === 'snapshot') {
    const r = input.result as SuspectsResult;
    if (r.suspects.length === 0) {
      return {
        tone: 'clean',
        headline: `No leak suspects: no top-level object or class retains more than ${percent(r.threshold_percent)}% of the heap.`,
        details: [`Total ${bytes(r.snapshot.total_size)}; ${fmt(r.top_level)} top-level objects.`],
      };
    }
    const n = r.suspects.length;
    const first = r.suspects[0];
    return {
      tone: 'leak',
      headline: `${n} leak suspect${n === 1 ? '' : 's'}: ${suspectTitle(first)} retain${first.suspect === 'class' ? '' : 's'} ${bytes(first.retained)} (${percent(first.retained_percent)}% of the heap)${n > 1 ? ', and more below' : ''}.`,
      details: [
        `Suspects retain more than ${percent(r.threshold_percent)}% of the heap (${bytes(r.threshold)} of ${bytes(r.snapshot.total_size)}); ${fmt(r.top_level)} top-level objects.`,
      ],
    };
  }
  if (input.mode === 'diff') {
    const r = input.result as DiffResult;
    const t = r.totals;
    const grew = t.total_delta >= 0 ? `grew by ${bytes(t.total_delta)}` : `shrank by ${bytes(-t.total_delta)}`;
    const head = `The heap ${grew} (${bytes(t.total_a)} → ${bytes(t.total_b)})`;
    if (!r.same_process)
      return {
        tone: 'note',
        headline: `${head}; objects cannot be matched between the two snapshots.`,
        details: [diffHeading(r), `Note: ${r.note ?? 'different processes'}.`],
      };
    const details = [diffHeading(r)];
    if (r.note) details.push(`Note: ${r.note}`);
    if (r.suspects.length === 0)
      return {
        tone: 'clean',
        headline: `${head}; no leak suspects.`,
        details: [...details, `No class of objects allocated after A retains ${bytes(r.suspect_threshold)} or more.`],
      };
    const s = r.suspects[0];
    return {
      tone: 'leak',
      headline: `${head}. Leak suspect${r.suspects.length === 1 ? '' : 's'}: ${r.suspects.map((x) => (x as typeof x & NamedFields).label ?? x.kind).join(', ')}.`,
      details: [
        ...details,
        `First: ${(s as typeof s & NamedFields).label ?? s.kind}, ${fmt(s.count)} new object${s.count === 1 ? '' : 's'} retaining ${bytes(s.retained)} (${percent(s.retained_percent)}% of B).`,
      ],
    };
  }
  const r = input.result as LeaksResult;
  const t = r.totals;
  if (!r.same_process) return { tone: 'note', headline: 'No leak detection: the snapshots come from different processes.', details: [`Note: ${r.note}.`] };
  if (t.leaked - t.vm_internal === 0)
    return {
      tone: 'clean',
      headline: 'No leaks: nothing allocated between baseline and target survives in final.',
      details: [`${fmt(t.allocated)} objects allocated between baseline and target.`],
    };
  return {
    tone: 'leak',
    headline: `${fmt(t.top_level)} leaked object${t.top_level === 1 ? ' retains' : 's retain'} ${bytes(t.retained)} (${percent(t.retained_percent)}% of final): ${r.suspects
      .slice(0, 3)
      .map((g) => (g as typeof g & NamedFields).label ?? g.kind)
      .join(', ')}${r.suspects.length > 3 ? ` and ${r.suspects.length - 3} more group${r.suspects.length === 4 ? '' : 's'}` : ''}.`,
    details: [
      `${fmt(t.allocated)} objects allocated between baseline and target; ${fmt(t.leaked)} (${bytes(t.leaked_size)}) still alive in final` +
        (t.detached_dom > 0 ? `, ${fmt(t.detached_dom)} of them detached DOM nodes` : '') +
        (t.vm_internal > 0 ? `, ${fmt(t.vm_internal)} V8 metadata (code, maps; not grouped)` : '') +
        '.',
    ],
  };
}

/** Fields the results may carry (names in the program's words); used when present. */
interface NamedFields {
  label?: string;
  keeps?: Kept | null;
}

/** An object as the text report names it: `system / Context @6177`, `Function BuiltinModule @50343`. */
function objectLabel(o: Pick<SuspectObject, 'class_name' | 'name' | 'type' | 'id'>): string {
  const own = (o as NamedFields).label;
  if (own) return own;
  const base = nodeLabel(o.class_name, o.name, o.type);
  if (base !== o.class_name || !o.name || o.name === o.class_name) return `${base} @${o.id}`;
  const short = o.name.length > 40 ? `${o.name.slice(0, 39)}…` : o.name;
  return `${base} ${o.type.includes('string') ? JSON.stringify(short) : short} @${o.id}`;
}

/** A suspect as the text report heads it: `BuiltinModule (node:…:238:14)`, `300 × Session (server.js:111:14)`. */
function suspectTitle(s: LeakSuspect): string {
  const label = (s as LeakSuspect & NamedFields).label;
  if (s.suspect === 'object' && s.object) return label ?? objectLabel(s.object);
  return `${fmt(s.count)} × ${label ?? s.kind}`;
}

function groupTitle(count: number, label: string | undefined, kind: string): string {
  return `${count === 1 ? '' : `${fmt(count)} × `}${label ?? kind}`;
}

/** Registers an object the page shows (with its shortest retainer path when known); returns its id. */
type AddSummary = (
  s: Pick<NodeSummary, 'ordinal' | 'id' | 'type' | 'class_name' | 'name' | 'self_size' | 'retained_size'> & { distance?: number },
  path?: string,
) => number;

function pathView(
  hops: readonly PathHop[],
  count: number,
  retained: number,
  pattern: string,
  add: AddSummary,
  named: NamedPath | null = null,
  viaVariable = false,
): PathView {
  const shown = shownHops(hops);
  const note = named ? scopeNote(named) : '';
  return {
    named: named ? `${keptByHops(named).join(' → ')}${note ? `  (${note})` : ''}` : null,
    via_variable: viaVariable,
    count,
    retained,
    pattern,
    folded: hops.length - shown.length,
    hops: hops.map((h, i) => ({
      edge: i === 0 ? '' : edgeLabel(h.edge_type, h.edge_name),
      // A hop's own shortest path is the path's prefix up to it (each hop is its successor's first retainer).
      id: add(h, shownPath(hops.slice(0, i + 1), false)),
      label: (h as PathHop & NamedFields).label ?? nodeLabel(h.class_name, h.name, h.type),
    })),
  };
}

function groupViews(groups: readonly PathGroupResult[], add: AddSummary): PathView[] {
  return groups.map((g) => pathView(g.hops, g.count, g.retained, g.pattern, add, g.named ?? null, g.via_variable ?? false));
}

/** The analysis' own `keeps` (the instances excluded) when it has one, else the page's (instances included). */
function keepsOf(s: NamedFields, computed: () => KeptObjects, note: string): SuspectView['keeps'] {
  if (s.keeps) {
    const k = s.keeps;
    const shown = k.classes.reduce((a, c) => ({ count: a.count + c.count, size: a.size + c.size }), { count: 0, size: 0 });
    return {
      classes: k.classes.map((c) => ({ class_name: c.class_name, count: c.count, size: c.size })),
      more: k.count > shown.count ? { count: k.count - shown.count, size: k.size - shown.size } : null,
      note: 'everything its objects dominate (the objects themselves aside), by class',
    };
  }
  const c = computed();
  return { classes: c.classes, more: c.more_classes > 0 ? { count: c.more_count, size: c.more_size } : null, note };
}

function suspectViews(input: ReportInput, loaded: LoadedTree, add: AddSummary): SuspectView[] {
  const { tree, classId, classNames } = loaded;
  const oddIn = (k: number, lo: number, hi: number) => tree.id[k] % 2 === 1 && tree.id[k] > lo && tree.id[k] <= hi && tree.self[k] > 0;
  if (input.mode === 'snapshot') {
    const r = input.result as SuspectsResult;
    return r.suspects.map((s) => {
      const single = s.suspect === 'object' && s.object !== null;
      const a = s.accumulation;
      const paths =
        single && s.path ? [pathView(s.path, 1, s.retained, s.line ?? '', add, s.named ?? null, s.via_variable ?? false)] : groupViews(s.paths, add);
      const notes: string[] = [];
      if (!single && s.patterns > s.paths.length) notes.push(`${s.patterns - s.paths.length} more path pattern${s.patterns - s.paths.length === 1 ? '' : 's'}`);
      const target = single ? s.object!.ordinal : -1;
      const keeps = keepsOf(
        s as NamedFields,
        () => (single ? dominatedByClass(loaded, (k) => k === target) : dominatedByClass(loaded, (k) => classNames[classId[k]] === s.kind)),
        single ? 'everything it dominates, by class' : `everything its ${fmt(s.count)} instances dominate, by class`,
      );
      return {
        title: suspectTitle(s),
        summary: single
          ? `retains ${bytes(s.retained)} (${percent(s.retained_percent)}% of the heap)`
          : `${fmt(s.count)} top-level ${s.kind} objects retain ${bytes(s.retained)} together (${percent(s.retained_percent)}% of the heap)`,
        count: s.count,
        retained: s.retained,
        retained_percent: s.retained_percent,
        object: single ? add(s.object!) : null,
        paths,
        notes,
        keeps,
        accumulation: a
          ? {
              summary:
                a.depth === 0
                  ? `The memory accumulates in the object itself: ${fmt(a.child_count)} dominated children.`
                  : `The memory accumulates ${a.depth} step${a.depth === 1 ? '' : 's'} down in ${objectLabel(a.object)}${a.owner.ordinal !== a.object.ordinal ? `, owned by ${objectLabel(a.owner)}` : ''}: ${fmt(a.child_count)} dominated children.`,
              object: add(a.object),
              hops: a.depth === 0 ? null : pathView(a.path, 1, a.object.retained_size, a.line, add),
              children: a.children.map((x) => add(x)),
              by_class: a.children_by_class.map((c) => ({ class_name: c.class_name, count: c.count, retained: c.retained })),
            }
          : null,
        instances: s.instances.map((x) => add(x)),
      };
    });
  }
  if (input.mode === 'diff') {
    const r = input.result as DiffResult;
    const after = r.a.max_js_object_id;
    return r.suspects.map((s) => {
      const ids = new Set<number>();
      for (let c = 0; c < classNames.length; c++) if (classNames[c] !== undefined && classKeyOf(input.stores[1], c) === s.class_key) ids.add(c);
      const notes: string[] = [];
      if (s.patterns > s.paths.length) notes.push(`${s.patterns - s.paths.length} more path pattern${s.patterns - s.paths.length === 1 ? '' : 's'}`);
      if (s.traced < s.counted) notes.push(`paths of the ${fmt(s.traced)} biggest of ${fmt(s.counted)} objects`);
      return {
        title: groupTitle(s.count, (s as typeof s & NamedFields).label, s.kind),
        summary: `${fmt(s.count)} new object${s.count === 1 ? '' : 's'} (${bytes(s.size)}) retain ${bytes(s.retained)} (${percent(s.retained_percent)}% of B)`,
        count: s.count,
        retained: s.retained,
        retained_percent: s.retained_percent,
        object: null,
        paths: groupViews(s.paths, add),
        notes,
        keeps: keepsOf(
          s as NamedFields,
          () => dominatedByClass(loaded, (k) => ids.has(classId[k]) && oddIn(k, after, Infinity)),
          `everything the ${fmt(s.count)} new ${s.kind} objects dominate in B, by class`,
        ),
        accumulation: null,
        instances: [],
      };
    });
  }
  const r = input.result as LeaksResult;
  const from = r.baseline.max_js_object_id;
  const to = r.target.max_js_object_id;
  return r.suspects.map((g) => ({
    title: `${groupTitle(g.count, (g as typeof g & NamedFields).label, g.kind)}${g.detached ? ' (detached DOM)' : ''}`,
    summary: `${fmt(g.count)} object${g.count === 1 ? ' retains' : 's retain'} ${bytes(g.retained)} (${percent(g.retained_percent)}% of final)`,
    count: g.count,
    retained: g.retained,
    retained_percent: g.retained_percent,
    object: null,
    paths: groupViews(g.paths, add),
    notes: [],
    keeps: keepsOf(
      g as NamedFields,
      () => dominatedByClass(loaded, (k) => classNames[classId[k]] === g.kind && oddIn(k, from, to)),
      `everything the ${g.kind} objects allocated between baseline and target dominate in final, by class`,
    ),
    accumulation: null,
    instances: [],
  }));
}

const classKeyCache = new WeakMap<OpenedStore, Map<number, string>>();
function classKeyOf(store: OpenedStore, classId: number): string | undefined {
  let m = classKeyCache.get(store);
  if (!m) {
    m = new Map();
    for (const r of store.db.prepare('SELECT class_id, class_key FROM classes').all() as { class_id: number; class_key: string }[])
      m.set(r.class_id, r.class_key);
    classKeyCache.set(store, m);
  }
  return m.get(classId);
}

// ───────────────────────────── tables ─────────────────────────────

function partitions(store: OpenedStore, maxRows: number, cut: (s: string) => string): PartitionView[] {
  return CLASSIFIERS.map((by) => {
    try {
      const p = partition(store, { by });
      const rows = p.rows.slice(0, maxRows).map((r) => [cut(r.kind), r.count, r.size, r.retained, r.size_percent] as (string | number | null)[]);
      const rest = p.rows.slice(maxRows);
      if (rest.length > 0)
        rows.push([`${fmt(rest.length)} more kinds`, sum(rest, 'count'), sum(rest, 'size'), null, p.size > 0 ? (100 * sum(rest, 'size')) / p.size : 0]);
      return {
        by,
        title: KIND_TITLES[by],
        objects: p.objects,
        size: p.size,
        table: {
          columns: [
            { key: 'kind', title: KIND_TITLES[by], type: 'text' as const },
            { key: 'count', title: 'Count', type: 'count' as const },
            { key: 'size', title: 'Size', type: 'bytes' as const },
            { key: 'retained', title: 'Retained', type: 'bytes' as const },
            { key: 'size_percent', title: '% size', type: 'percent' as const },
          ],
          rows,
          more: rest.length,
        },
        error: null,
      };
    } catch (e) {
      return { by, title: KIND_TITLES[by], objects: 0, size: 0, table: null, error: (e as Error).message };
    }
  });
}

function sum<T>(rows: readonly T[], key: keyof T): number {
  let s = 0;
  for (const r of rows) s += r[key] as number;
  return s;
}

function diffTableView(r: DiffResult, maxRows: number, cut: (s: string) => string): TableView {
  const rest = r.rows.slice(maxRows);
  if (r.same_process) {
    const rows = r.rows
      .slice(0, maxRows)
      .map((x) => [cut(x.kind), x.new, x.deleted, x.delta, x.alloc_size, x.freed_size, x.size_delta] as (string | number | null)[]);
    if (rest.length > 0)
      rows.push([
        `${fmt(rest.length)} more classes`,
        sum(rest, 'new'),
        sum(rest, 'deleted'),
        sum(rest, 'delta'),
        sum(rest, 'alloc_size'),
        sum(rest, 'freed_size'),
        sum(rest, 'size_delta'),
      ]);
    return {
      columns: [
        { key: 'kind', title: 'Class', type: 'text' },
        { key: 'new', title: 'New', type: 'count' },
        { key: 'deleted', title: 'Deleted', type: 'count' },
        { key: 'delta', title: 'Delta', type: 'delta' },
        { key: 'alloc_size', title: 'Alloc. size', type: 'bytes' },
        { key: 'freed_size', title: 'Freed size', type: 'bytes' },
        { key: 'size_delta', title: 'Size delta', type: 'bytes-delta' },
      ],
      rows,
      more: rest.length,
    };
  }
  const rows = r.rows
    .slice(0, maxRows)
    .map((x) => [cut(x.kind), x.count_a, x.count_b, x.delta, x.size_a, x.size_b, x.size_delta] as (string | number | null)[]);
  if (rest.length > 0)
    rows.push([
      `${fmt(rest.length)} more classes`,
      sum(rest, 'count_a'),
      sum(rest, 'count_b'),
      sum(rest, 'delta'),
      sum(rest, 'size_a'),
      sum(rest, 'size_b'),
      sum(rest, 'size_delta'),
    ]);
  return {
    columns: [
      { key: 'kind', title: 'Class', type: 'text' },
      { key: 'count_a', title: 'Count A', type: 'count' },
      { key: 'count_b', title: 'Count B', type: 'count' },
      { key: 'delta', title: 'Delta', type: 'delta' },
      { key: 'size_a', title: 'Size A', type: 'bytes' },
      { key: 'size_b', title: 'Size B', type: 'bytes' },
      { key: 'size_delta', title: 'Size delta', type: 'bytes-delta' },
    ],
    rows,
    more: rest.length,
  };
}

function stringsView(store: OpenedStore, top: number, cut: (s: string) => string): ReportPayload['strings'] {
  let r: ReturnType<typeof duplicateStrings>;
  try {
    r = duplicateStrings(store, { top });
  } catch {
    return null; // a store without the duplicate-string summary: the page leaves the table out
  }
  return {
    groups: r.groups,
    wasted: r.wasted,
    size: r.size,
    table: {
      columns: [
        { key: 'value', title: 'String', type: 'text' },
        { key: 'count', title: 'Copies', type: 'count' },
        { key: 'size', title: 'Size', type: 'bytes' },
        { key: 'wasted', title: 'Wasted', type: 'bytes' },
        { key: 'example', title: 'Example', type: 'id' },
      ],
      rows: r.rows.map((g) => [cut(g.value), g.count, g.size, g.wasted, g.example_id]),
      more: Math.max(0, r.groups - r.rows.length),
    },
  };
}

function statsView(store: OpenedStore): ReportPayload['stats'] {
  const s = stats(store);
  const counts: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(s)) if (typeof v === 'number' || typeof v === 'boolean') counts[k] = v;
  const ordered = [
    ...CATEGORY_ORDER.filter((k) => k in s.categories),
    ...Object.keys(s.categories).filter((k) => !(CATEGORY_ORDER as readonly string[]).includes(k)),
  ];
  return { counts, categories: ordered.map((k) => [k, s.categories[k]]) };
}
