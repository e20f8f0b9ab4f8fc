// The only place that knows the SQLite schema: every table, view, index and column of a store, with
// its type and meaning, declared once in SCHEMA below. Generated from it: the DDL SQLite runs, the big
// tables' DDL the page writer puts on page 1 and the column positions of its records
// (table-writer-worker.ts), the views that unpack the packed columns (packing.ts does the arithmetic),
// the page reader's column positions (queries/node-columns.ts), and the tables of docs/schema.md
// (`npm run docs:schema`; test/store-schema.test.ts fails when the docs or a real store disagree).
//
// Physical layout (why):
// - `node_rows.ordinal` and `edge_rows.edge_ordinal` (views over `node_data` and `edge_data`) are the
//   rowid and equal the position in the file, so a node's outgoing edges are the rowid range
//   [first_edge, first_edge + edge_count) and need no index. No column aliases the rowid: an INTEGER
//   PRIMARY KEY column would cost a NULL header byte in every row.
// - Incoming edges: `retainer_index` is a WITHOUT ROWID table in (to_node, from_node, slot) order, built
//   from the analysis' retainer lists: far cheaper than CREATE INDEX over tens of millions of rows.
// - An edge's source is stored once, in `retainer_index`, not also in `edge_data`: there it would cost
//   ~5 bytes an edge, while (from_node, slot) costs ~1.5 more than an edge ordinal would (slot is mostly
//   0 or 1, which SQLite stores in no bytes): 5–7 % of a store. A node's outgoing edges are still a
//   rowid range of `edge_data` (its `first_edge`), and `retainer_rows` gives each incoming edge's ordinal.
// - Those big tables (and node_by_id, the strings and the locations) are written as raw SQLite pages
//   (sqlite-pages.ts), not row by row through SQLite; the rest of the schema is created by SQLite itself.
// - Names are string-table indexes; the public views `nodes` and `edges` resolve them to text.

import type { GraphLayout } from '../parse/layout.js';
import { packingFor, unpackSql } from './packing.js';

export const SCHEMA_VERSION = 3;

/** What a view's column expressions may use: the unpacking expressions and the store's edge type codes. */
interface ViewContext {
  u: ReturnType<typeof unpackSql>;
  /** SQL condition over `e.type`: the edge's name is an index (element and hidden edges). */
  isIndex: string;
}

export interface ColumnSpec {
  name: string;
  /** SQL type; '' = none declared (any value). */
  type: 'INTEGER' | 'TEXT' | '';
  /** NULL allowed (never for a primary key column). */
  nullable?: boolean;
  meaning: string;
  /** Views: the column's SQL expression (default: the name itself). */
  expr?: (c: ViewContext) => string;
}

export type ObjectKind = 'table' | 'view' | 'index';

export interface TableSpec {
  name: string;
  kind: ObjectKind;
  /** Public: what users query (docs/schema.md lists these first); internal: physical storage and heapdiff's own helpers. */
  visibility: 'public' | 'internal';
  /** When it is created: `base` with the store, `summaries` with the query summaries, `views` last. */
  phase: 'base' | 'sections' | 'summaries' | 'pages' | 'indexes' | 'views';
  meaning: string;
  columns: ColumnSpec[];
  primaryKey?: string[];
  withoutRowid?: boolean;
  /** Views: the FROM clause (joins included). Indexes: the indexed table and column. */
  from?: (c: ViewContext) => string;
  /** Tables whose columns are the snapshot file's own field list (`columns` are the defaults and the documented ones). */
  fromFile?: (layout: GraphLayout) => string[];
}

const int = (name: string, meaning: string, more: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type: 'INTEGER', meaning, ...more });
const text = (name: string, meaning: string, more: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type: 'TEXT', meaning, ...more });

const orDefault = (fields: readonly string[], fallback: string[]): string[] => (fields.length > 0 ? [...fields] : fallback);

/** The file's location fields (V8's four when meta lists none), `object_index` stored as `node_ordinal`. */
export function locationColumns(layout: GraphLayout): string[] {
  return orDefault(layout.locationFields, ['object_index', 'script_id', 'line', 'column']).map((n) => (n === 'object_index' ? 'node_ordinal' : n));
}
export function traceFunctionInfoColumns(layout: GraphLayout): string[] {
  return orDefault(layout.traceFunctionInfoFields, ['function_id', 'name', 'script_name', 'script_id', 'line', 'column']);
}
export function sampleColumns(layout: GraphLayout): string[] {
  return orDefault(layout.sampleFields, ['timestamp_us', 'last_assigned_id']);
}

// Shared meanings of the node and edge columns (physical tables and views).
const M = {
  ordinal: 'position in the file (0 = root); the row key',
  id: 'V8 object id; odd = V8 heap object, even = embedder object known only by address',
  selfSize: "DevTools' shallow size, after its transfer of single-owner internal arrays and hidden nodes to their owner",
  rawSelfSize: 'the size V8 wrote',
  retainedSize: "bytes freed if this node were collected (DevTools' retained size)",
  distance: "DevTools' distance from the roots (see conventions)",
  dominator: "ordinal of the immediate dominator (the root's is 0, itself)",
  edgeCount: 'number of outgoing edges',
  firstEdge: '`edge_ordinal` of the first outgoing edge: the edges are `edge_ordinal BETWEEN first_edge AND first_edge + edge_count - 1`',
  traceNodeId: 'allocation-trace node (`trace_tree.id`), 0 = unknown or no allocation tracking',
  detachedness: "DOM state after DevTools' propagation: 0 unknown, 1 attached, 2 detached",
  classId: 'row of `classes`',
  edgeOrdinal: "position in the file's `edges` array; a node's outgoing edges are contiguous",
  fromNode: "ordinal of the retainer, the edge's source (`WHERE from_node = ?` is a seek: its outgoing edges)",
  toNode: 'ordinal of the referenced node (`WHERE to_node = ?` is an index lookup: the retainers)',
  nameOrIndex: 'the raw field: a `strings.id`, or the index for `element`/`hidden` edges',
  essential: '1 when the edge counts for dominators (DevTools drops weak, self, non-root shortcut, WeakMap table→value and non-page→page edges)',
};

/** Every table, view and index of a store, in creation order within each phase. */
export const SCHEMA: readonly TableSpec[] = [
  // ── public views ──
  {
    name: 'nodes',
    kind: 'view',
    visibility: 'public',
    phase: 'views',
    meaning: 'One row per node, names resolved to text. Backed by the view `node_rows` over the table `node_data`; `node_by_id` indexes `id`.',
    columns: [
      int('ordinal', M.ordinal, { expr: () => 'n.ordinal' }),
      int('id', M.id, { expr: () => 'n.id' }),
      text(
        'type',
        "V8 node type: `hidden`, `array`, `string`, `object`, `code`, `closure`, `regexp`, `number`, `native`, `synthetic`, `concatenated string`, `sliced string`, `symbol`, `bigint`, `object shape`, … (the file's own list, see `node_types`)",
        { expr: () => 't.name' },
      ),
      text('name', "the node's name as V8 wrote it (constructor name, string content ≤ 1024 chars, function name, …)", { expr: () => 's.value' }),
      text(
        'class_name',
        "DevTools' class name: `(system)`, `(compiled code)`, `Function`, `RegExp`, `(string)`, `(array)`, `<div>`, `Detached <div>`, inferred `{a, b}` for plain objects, constructor names",
        { expr: () => 'c.class_name' },
      ),
      text('class_key', "DevTools' grouping key: `scriptId,line,col,Name` for objects with a location, else `,Name`", { expr: () => 'c.class_key' }),
      int('self_size', M.selfSize, { expr: () => 'n.self_size' }),
      int('raw_self_size', M.rawSelfSize, { expr: () => 'n.raw_self_size' }),
      int('retained_size', M.retainedSize, { expr: () => 'n.retained_size' }),
      int('distance', M.distance, { expr: () => 'n.distance' }),
      int('dominator', M.dominator, { expr: () => 'n.dominator' }),
      int('edge_count', M.edgeCount, { expr: () => 'n.edge_count' }),
      int('first_edge', M.firstEdge, { expr: () => 'n.first_edge' }),
      int('trace_node_id', M.traceNodeId, { expr: () => 'n.trace_node_id' }),
      int('detachedness', M.detachedness, { expr: () => 'n.detachedness' }),
      int('class_id', M.classId, { expr: () => 'n.class_id' }),
    ],
    from: () => `node_rows n
JOIN node_types t ON t.code = n.type
JOIN strings s ON s.id = n.name_sid
JOIN classes c ON c.class_id = n.class_id`,
  },
  {
    name: 'edges',
    kind: 'view',
    visibility: 'public',
    phase: 'views',
    meaning:
      "One row per edge, type and name as text. Backed by the table `edge_data` (rowid = `edge_ordinal`: a node's outgoing edges are one rowid range) and `retainer_index` (`to_node, from_node, slot`), which makes both `WHERE to_node = ?` (the retainers) and `WHERE from_node = ?` (the outgoing edges) seeks.",
    columns: [
      int('edge_ordinal', M.edgeOrdinal, { expr: () => 'e.edge_ordinal' }),
      int('from_node', M.fromNode, { expr: () => 'r.from_node' }),
      int('to_node', M.toNode, { expr: () => 'r.to_node' }),
      text('type', '`context`, `element`, `property`, `internal`, `hidden`, `shortcut`, `weak`', { expr: () => 't.name' }),
      text('name', 'property/variable name, or the element/hidden index as decimal text', {
        expr: (c) => `CASE WHEN ${c.isIndex} THEN CAST(e.name_or_index AS TEXT) ELSE s.value END`,
      }),
      int('name_or_index', M.nameOrIndex, { expr: () => 'e.name_or_index' }),
      int('essential', M.essential, { expr: () => 'e.essential' }),
    ],
    // Every edge is one retainer_index row; its source's node_data row gives the edge ordinal. The join
    // conditions are stated both ways, so SQLite can also start from a node (`from_node = ?`: the node's
    // edges, a rowid range, then each edge's retainer_index row by its whole key) or from `to_node`.
    from: (c) => `retainer_index r
JOIN node_data n ON n.rowid = r.from_node
JOIN edge_rows e ON e.edge_ordinal = n.first_edge + r.slot AND e.to_node = r.to_node
  AND e.edge_ordinal BETWEEN n.first_edge AND n.first_edge + n.edge_count - 1 AND r.slot = e.edge_ordinal - n.first_edge
JOIN edge_types t ON t.code = e.type
LEFT JOIN strings s ON s.id = e.name_or_index AND NOT (${c.isIndex})`,
  },
  // ── public tables ──
  {
    name: 'meta',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: 'facts about the snapshot and the ingest (keys below)',
    columns: [text('key', "the fact's name"), { name: 'value', type: '', nullable: true, meaning: 'its value (number or text; JSON for lists)' }],
    primaryKey: ['key'],
    withoutRowid: true,
  },
  {
    name: 'strings',
    kind: 'table',
    visibility: 'public',
    phase: 'pages',
    meaning: "the file's string table verbatim",
    columns: [int('id', "index in the file's string table; 0 is `<dummy>`"), text('value', 'the string')],
    primaryKey: ['id'],
  },
  {
    name: 'node_types',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: "the file's node type enum",
    columns: [int('code', "the type's code (`node_rows.type`)"), text('name', "the type's name")],
    primaryKey: ['code'],
  },
  {
    name: 'edge_types',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: "the file's edge type enum",
    columns: [int('code', "the type's code (`edge_rows.type`)"), text('name', "the type's name")],
    primaryKey: ['code'],
  },
  {
    name: 'classes',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: "DevTools' Summary rows. Classes with `count = 0` hold only zero-size nodes and are not Summary rows",
    columns: [
      int('class_id', "the class's number (`nodes.class_id`)"),
      text('class_key', "DevTools' grouping key (see `nodes.class_key`)"),
      text('class_name', "DevTools' class name"),
      int('count', 'nodes of the class with self size > 0'),
      int('self_size', 'their Σ self size'),
      int('retained_size', 'Σ retained size of the instances not dominated by another instance of the class'),
      int('distance', 'the minimum distance of those instances'),
    ],
    primaryKey: ['class_id'],
  },
  {
    name: 'statistics',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: "DevTools' Statistics",
    columns: [
      text('category', '`total`, `v8heap`, `code`, `strings`, `js_arrays`, `system`, `other_js`, `native`, `typed_arrays`, `other_native`, `extra_native`'),
      int('bytes', "the category's bytes"),
    ],
    primaryKey: ['category'],
    withoutRowid: true,
  },
  {
    name: 'extra_sections',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: "sections heapdiff does not interpret (e.g. Chromium's `scopes`), verbatim",
    columns: [text('name', "the section's name"), text('json', 'its JSON text (NULL when larger than 256 MB)', { nullable: true })],
    primaryKey: ['name'],
    withoutRowid: true,
  },
  {
    name: 'trace_tree',
    kind: 'table',
    visibility: 'public',
    phase: 'base',
    meaning: 'the allocation call tree, flattened; counts and sizes include objects that died since',
    columns: [
      int('id', "the trace node's id (`nodes.trace_node_id`)"),
      int('function_info_index', 'row of `trace_function_infos`'),
      int('count', 'objects allocated here'),
      int('size', 'their bytes'),
      int('parent_id', "the caller's trace node; 0 = the root"),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'locations',
    kind: 'table',
    visibility: 'public',
    phase: 'pages',
    meaning: "source position of a closure or of an object's constructor",
    columns: [
      int('node_ordinal', "the node (the file's `object_index` as an ordinal)"),
      int('script_id', 'the script (`scripts.script_id`)'),
      int('line', '0-based line'),
      int('column', '0-based column'),
      int('script_object_index', "Chromium only: the Script object's node index (ordinal × node field count)"),
    ],
    fromFile: locationColumns,
  },
  {
    name: 'trace_function_infos',
    kind: 'table',
    visibility: 'public',
    phase: 'sections',
    meaning: "allocation-trace functions (with the file's own field list)",
    columns: [
      int('function_info_index', "the row's position in the file's list"),
      int('function_id', "V8's function id"),
      int('name', 'function name (`strings.id`)'),
      int('script_name', 'script name (`strings.id`)'),
      int('script_id', 'the script'),
      int('line', '1-based line, 0 = unknown'),
      int('column', '1-based column, 0 = unknown'),
    ],
    primaryKey: ['function_info_index'],
    fromFile: (layout) => ['function_info_index', ...traceFunctionInfoColumns(layout)],
  },
  {
    name: 'samples',
    kind: 'table',
    visibility: 'public',
    phase: 'sections',
    meaning: "allocation timeline samples (with the file's own field list)",
    columns: [int('timestamp_us', 'time of the sample (µs)'), int('last_assigned_id', 'the largest object id assigned by then')],
    fromFile: sampleColumns,
  },
  {
    name: 'location_by_node',
    kind: 'index',
    visibility: 'internal',
    phase: 'pages',
    meaning: "makes a node's locations a seek",
    columns: [int('node_ordinal', '')],
    from: () => 'locations',
  },
  // ── query summaries (public tables written at ingest; docs/schema.md "Query summaries") ──
  {
    name: 'scripts',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      "script id (as in `locations.script_id`) → script name (URL or path). From Chromium's `locations.script_object_index` (the Script node's name), else from closures: closure `-shared->` SharedFunctionInfo `-script_or_debug_info->` Script. Scripts heapdiff could not name are absent",
    columns: [int('script_id', 'the script id'), text('name', 'its URL or path')],
    primaryKey: ['script_id'],
  },
  {
    name: 'summary_partition',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      "heapy partition rows of DevTools' Summary set (nodes with `self_size > 0`) for the classifiers `type`, `size`, `distance`, `detachedness`, `script`, `alloc` (only with allocation traces), `rcs`, `via`. `class` rows are the `classes` table",
    columns: [
      text('classifier', 'the classifier (`partition --by`)'),
      text('kind', 'the text `heapdiff partition --by <classifier>` shows'),
      text(
        'key',
        'the raw value as text (type code, size, distance, detachedness, script id, trace function index; NULL for catch-all kinds and for `rcs`/`via`)',
        { nullable: true },
      ),
      int('count', 'objects'),
      int('size', 'Σ self size (bytes)'),
      int('retained', "Σ retained size of the kind's objects that no other object of the kind dominates (bytes; DevTools' class rule)"),
    ],
    primaryKey: ['classifier', 'kind'],
    withoutRowid: true,
  },
  {
    name: 'summary_class_top',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      "each class's biggest-retained instances with `self_size > 0`, in DevTools' instance order (retained size descending, then id); at most `meta.summary_class_top` (1000) per class. Used by `retainers CLASSNAME`",
    columns: [int('class_id', 'the class'), int('rank', '0 first'), int('ordinal', 'the instance')],
    primaryKey: ['class_id', 'rank'],
    withoutRowid: true,
  },
  {
    name: 'summary_dominator_nodes',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning: 'the top of the dominator tree: the root and, breadth-first, every node retaining at least 0.01 % of the heap (at most 20 000 nodes, 64 levels)',
    columns: [int('ordinal', 'the node'), int('depth', 'levels below the root'), int('child_count', 'its number of children in the dominator tree')],
    primaryKey: ['ordinal'],
  },
  {
    name: 'summary_dominator_children',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning: 'for each node of `summary_dominator_nodes`, its biggest-retained children; at most `meta.summary_dominator_children` (50) each',
    columns: [int('parent', 'the node (ordinal)'), int('rank', '0 first'), int('child', 'the child (ordinal)')],
    primaryKey: ['parent', 'rank'],
    withoutRowid: true,
  },
  {
    name: 'summary_duplicate_strings',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      'DevTools\' "Duplicated strings" groups: string and concatenated-string nodes grouped by content (a concatenated string\'s joined text, cut at ≥ 1024 characters as DevTools cuts it; flattened cons strings skipped), groups of two or more nodes with at least one of `self_size > 0`. Ordered by `wasted`, then `size`, `count` descending, then `value`',
    columns: [
      int('rank', '0 first'),
      text('value', 'the text'),
      int('nodes', 'all nodes of the group'),
      int('count', 'those with `self_size > 0`'),
      int('size', 'their Σ self size'),
      int('max_size', 'the biggest copy'),
      int('wasted', '`size - max_size` (bytes one shared copy would save)'),
      int('example', 'ordinal of the biggest copy'),
    ],
    primaryKey: ['rank'],
  },
  {
    name: 'summary_top_level',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      "the top-level objects of `heapdiff suspects`: the dominator-tree children of the root and of the containers below it (synthetic nodes, global objects and proxies, native contexts), reachable from a root (distance < 100000000), of non-zero size; in DevTools' instance order (retained size descending, then id)",
    columns: [int('rank', '0 first'), int('ordinal', 'the object'), int('class_id', 'its class'), int('retained_size', 'its retained size')],
    primaryKey: ['rank'],
  },
  {
    name: 'summary_top_kept_objects',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      'what each top-level object retaining at least `meta.summary_suspects_min_retained` bytes (0.1 % of the total) dominates, by class (the object itself excluded)',
    columns: [
      int('ordinal', 'the top-level object'),
      int('class_id', 'a class of the nodes it dominates'),
      int('count', 'its dominated nodes of that class'),
      int('size', 'their Σ self size'),
      int('sized', 'those with `self_size > 0`'),
    ],
    primaryKey: ['ordinal', 'class_id'],
    withoutRowid: true,
  },
  {
    name: 'summary_top_kept_classes',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      'the same summed over all top-level objects of a class, for the classes that can form a group suspect: two top-level objects or more, Σ retained above `meta.summary_suspects_min_retained`, not `Function`, `Object`, `Array`, `system / Context` or a `(…)` class',
    columns: [
      int('top_class_id', 'the class of the top-level objects'),
      int('class_id', 'a class of the nodes they dominate'),
      int('count', 'their dominated nodes of that class'),
      int('size', 'their Σ self size'),
      int('sized', 'those with `self_size > 0`'),
    ],
    primaryKey: ['top_class_id', 'class_id'],
    withoutRowid: true,
  },
  {
    name: 'summary_top_chain',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning:
      'from each top-level object retaining at least `meta.summary_suspects_min_retained` bytes, the walk down the dominator tree to the biggest child (retained size, then lowest id), to a leaf or 1000 steps: where `suspects` finds accumulation points',
    columns: [
      int('start', 'the top-level object'),
      int('step', '0 = the object itself'),
      int('ordinal', 'the node'),
      int('retained_size', 'its retained size'),
      int('child_count', 'its children in the dominator tree'),
    ],
    primaryKey: ['start', 'step'],
    withoutRowid: true,
  },
  {
    name: 'summary_top_chain_children',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning: "each `summary_top_chain` node's biggest children in DevTools' instance order; at most 50 each",
    columns: [int('parent', 'the chain node'), int('rank', '0 first'), int('child', 'the child (ordinal)')],
    primaryKey: ['parent', 'rank'],
    withoutRowid: true,
  },
  {
    name: 'summary_top_chain_classes',
    kind: 'table',
    visibility: 'public',
    phase: 'summaries',
    meaning: "each `summary_top_chain` node's children grouped by class",
    columns: [
      int('parent', 'the chain node'),
      int('class_id', 'the class'),
      int('count', 'children of that class'),
      int('retained', 'their Σ retained size'),
      int('rank', "the classes' order by their biggest child (DevTools' instance order), 0 first"),
    ],
    primaryKey: ['parent', 'class_id'],
    withoutRowid: true,
  },
  // ── internal: physical storage of nodes and edges, and the views heapdiff's own queries read ──
  {
    name: 'node_rows',
    kind: 'view',
    visibility: 'internal',
    phase: 'views',
    meaning: "the columns of `nodes` as codes and string ids: the rowid named and `node_data.kind` unpacked; what heapdiff's own queries read",
    columns: [
      int('ordinal', M.ordinal, { expr: () => 'rowid' }),
      int('id', M.id),
      int('type', 'code into `node_types`', { expr: (c) => c.u.nodeType('kind') }),
      int('name_sid', 'the name (`strings.id`)'),
      int('self_size', M.selfSize),
      int('raw_self_size', M.rawSelfSize, { expr: () => 'coalesce(raw_self_size, self_size)' }),
      int('retained_size', M.retainedSize),
      int('distance', M.distance),
      int('dominator', M.dominator),
      int('class_id', M.classId),
      int('edge_count', M.edgeCount),
      int('first_edge', M.firstEdge),
      int('trace_node_id', M.traceNodeId, { expr: (c) => c.u.traceNodeId('kind') }),
      int('detachedness', M.detachedness, { expr: (c) => c.u.detachedness('kind') }),
    ],
    from: () => 'node_data',
  },
  {
    name: 'edge_rows',
    kind: 'view',
    visibility: 'internal',
    phase: 'views',
    meaning: 'the columns of `edge_data` as codes: the rowid named and `label` unpacked (the source is not stored with the edge: see `retainer_rows`)',
    columns: [
      int('edge_ordinal', M.edgeOrdinal, { expr: () => 'rowid' }),
      int('to_node', M.toNode),
      int('type', 'code into `edge_types`', { expr: (c) => c.u.edgeType('label') }),
      int('name_or_index', M.nameOrIndex, { expr: (c) => c.u.nameOrIndex('label') }),
      int('essential', M.essential, { expr: (c) => c.u.essential('label') }),
    ],
    from: () => 'edge_data',
  },
  {
    name: 'retainer_rows',
    kind: 'view',
    visibility: 'internal',
    phase: 'views',
    meaning:
      "incoming edges by target, in edge order: `retainer_index` with each edge's ordinal (its source's `first_edge` + `slot`); join `edge_rows` on `edge_ordinal` for the edge's type and name",
    columns: [
      int('to_node', M.toNode, { expr: () => 'r.to_node' }),
      int('from_node', M.fromNode, { expr: () => 'r.from_node' }),
      int('edge_ordinal', M.edgeOrdinal, { expr: () => 'n.first_edge + r.slot' }),
    ],
    from: () => 'retainer_index r JOIN node_data n ON n.rowid = r.from_node',
  },
  {
    name: 'edge_data',
    kind: 'table',
    visibility: 'internal',
    phase: 'pages',
    meaning:
      'edges, rowid = edge ordinal; written as pages. The source is not stored: it is the node whose `first_edge` range holds the rowid (`retainer_index` has it per edge)',
    columns: [int('to_node', M.toNode), int('label', '`name_or_index × 2^(b+1) + essential × 2^b + type`')],
  },
  {
    name: 'retainer_index',
    kind: 'table',
    visibility: 'internal',
    phase: 'pages',
    meaning:
      "every edge by target, in (target, edge) order; written as pages. An edge is its source and its position among the source's edges: ordinal = source's `first_edge` + `slot`",
    columns: [int('to_node', M.toNode), int('from_node', M.fromNode), int('slot', "the edge's position among its source's outgoing edges (0 = first)")],
    primaryKey: ['to_node', 'from_node', 'slot'],
    withoutRowid: true,
  },
  {
    name: 'node_data',
    kind: 'table',
    visibility: 'internal',
    phase: 'pages',
    meaning: 'nodes, rowid = ordinal; written as pages',
    columns: [
      int('id', M.id),
      int('kind', '`trace_node_id × 2^(t+2) + detachedness × 2^t + type`'),
      int('name_sid', 'the name (`strings.id`)'),
      int('self_size', M.selfSize),
      int('raw_self_size', "NULL where the size transfer left V8's value unchanged", { nullable: true }),
      int('retained_size', M.retainedSize),
      int('distance', M.distance),
      int('dominator', M.dominator),
      int('class_id', M.classId),
      int('edge_count', M.edgeCount),
      int('first_edge', M.firstEdge),
    ],
  },
  {
    name: 'node_by_id',
    kind: 'index',
    visibility: 'internal',
    phase: 'pages',
    meaning: 'makes `WHERE id = ?` a seek; written as pages',
    columns: [int('id', '')],
    from: () => 'node_data',
  },
];

const byName = new Map(SCHEMA.map((t) => [t.name, t]));

export function tableSpec(name: string): TableSpec {
  const t = byName.get(name);
  if (!t) throw new Error(`schema: no table ${name}`);
  return t;
}

/** Position of each column of a table in its declared order (record order of the page writer, the page reader's column numbers). */
export function columnPositions<C extends string>(table: string): Record<C, number> {
  return Object.fromEntries(tableSpec(table).columns.map((c, i) => [c.name, i])) as Record<C, number>;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The column names a table has in a store of this layout. */
export function columnNames(t: TableSpec, layout?: GraphLayout): string[] {
  return t.fromFile && layout ? t.fromFile(layout) : t.columns.map((c) => c.name);
}

/** CREATE statement of one table or index (views: viewsDdl). File-defined columns are INTEGER NOT NULL. */
export function createSql(t: TableSpec, layout?: GraphLayout): string {
  if (t.kind === 'index') return `CREATE INDEX ${t.name} ON ${t.from!({} as ViewContext)}(${t.columns.map((c) => c.name).join(', ')})`;
  if (t.kind !== 'table') throw new Error(`${t.name} is a ${t.kind}`);
  const declared = new Map(t.columns.map((c) => [c.name, c]));
  const pk = t.primaryKey ?? [];
  const lines = columnNames(t, layout).map((name) => {
    const c = declared.get(name) ?? { name, type: 'INTEGER' as const, meaning: '' };
    const ident = t.fromFile ? quoteIdent(name) : name;
    const type = c.type === '' ? '' : ` ${c.type}`;
    if (pk.length === 1 && pk[0] === name) return `  ${ident}${type} PRIMARY KEY`;
    return `  ${ident}${type}${c.nullable ? '' : ' NOT NULL'}`;
  });
  if (pk.length > 1) lines.push(`  PRIMARY KEY (${pk.join(', ')})`);
  return `CREATE TABLE ${t.name} (\n${lines.join(',\n')}\n)${t.withoutRowid ? ' WITHOUT ROWID' : ''}`;
}

function ddl(phase: TableSpec['phase'], layout?: GraphLayout): string {
  return SCHEMA.filter((t) => t.phase === phase && t.kind !== 'view')
    .map((t) => `${createSql(t, layout)};\n`)
    .join('');
}

/** The tables SQLite creates first (meta, strings, types, classes, statistics, sections, trace tree). */
export function baseTablesDdl(layout: GraphLayout): string {
  return ddl('base') + ddl('sections', layout);
}

/** Indexes created after the bulk load. */
export function indexesDdl(): string {
  return ddl('indexes');
}

/** The query summaries' tables (summaries.ts). */
export function summariesDdl(): string {
  return ddl('summaries');
}

/** The names of the tables and indexes written as raw pages (table-writers.ts). */
export const PAGE_TABLE_NAMES: readonly string[] = SCHEMA.filter((t) => t.phase === 'pages').map((t) => t.name);

/** The tables and indexes written as raw pages, with the SQL that goes into sqlite_schema (`locations` has the file's own columns). */
export function pageTables(layout: GraphLayout): { name: string; kind: 'table' | 'index'; table: string; sql: string }[] {
  return SCHEMA.filter((t) => t.phase === 'pages').map((t) => ({
    name: t.name,
    kind: t.kind as 'table' | 'index',
    table: t.kind === 'index' ? t.from!({} as ViewContext) : t.name,
    sql: createSql(t, layout),
  }));
}

/**
 * Views: `node_rows` and `edge_rows` name the rowids and unpack the big tables' packed columns
 * (packing.ts); the public `nodes` and `edges` add the text of types and names. Edge names need the
 * layout's element/hidden codes (their names are integers, not strings).
 */
export function viewsDdl(layout: GraphLayout): string {
  const indexTypes = [layout.edgeTypeElement, layout.edgeTypeHidden].filter((c) => c >= 0);
  const c: ViewContext = { u: unpackSql(packingFor(layout)), isIndex: indexTypes.length > 0 ? `e.type IN (${indexTypes.join(',')})` : '0' };
  // Internal views first: the public ones read them.
  const views = SCHEMA.filter((t) => t.kind === 'view').sort((a, b) => (a.visibility === b.visibility ? 0 : a.visibility === 'internal' ? -1 : 1));
  return views
    .map((t) => {
      const cols = t.columns.map((col) => {
        const e = col.expr ? col.expr(c) : col.name;
        return e === col.name || e.endsWith(`.${col.name}`) ? e : `${e} AS ${col.name}`;
      });
      return `CREATE VIEW ${t.name} AS\nSELECT ${cols.join(', ')}\nFROM ${t.from!(c)};\n`;
    })
    .join('\n');
}
