// Writes the small tables of one parsed and analysed snapshot (strings, classes, sections, statistics,
// summaries, meta, planner statistics) with SQLite; the big node and edge tables are written as pages
// by table-writers.ts. Bulk inserts use multi-row statements (bulk.ts), in one transaction with
// journaling off.

import type Database from 'better-sqlite3';
import type { HeapGraph } from '../parse/heap-graph.js';
import type { GraphLayout } from '../parse/layout.js';
import type { StoreAnalysis } from './memory.js';
import { baseTablesDdl, indexesDdl, PAGE_TABLE_NAMES, quoteIdent, sampleColumns, SCHEMA_VERSION, traceFunctionInfoColumns, viewsDdl } from './schema.js';
import { graphKindNames } from './classifiers.js';
import { scriptNamesOf } from './summaries.js';
import { SummaryThread } from './summary-thread.js';
import { writeSummaries } from './summary-writer.js';

export type PhaseCallback = (phase: string, done: number, total: number) => void;

export function createSchema(db: Database.Database, graph: HeapGraph): void {
  db.exec(baseTablesDdl(graph.layout));
}

/**
 * Writes every table except the big ones (written by a thread, see table-writers.ts). The summary
 * thread (summary-thread.ts; the caller may have started it early) gets its job first, so it works
 * while this thread writes strings and the small tables. `onLinksDone` is called once the analysis'
 * edge-source anchors, retainers and dominator-tree preorder are no longer read.
 */
export async function writeStore(
  db: Database.Database,
  graph: HeapGraph,
  a: StoreAnalysis,
  onPhase: PhaseCallback = () => {},
  onLinksDone?: () => void,
  summaryThread: SummaryThread = new SummaryThread(),
): Promise<void> {
  const { layout } = graph;
  const scripts = scriptNamesOf(graph);
  const thread = summaryThread.run(graph, a, scripts, graphKindNames(graph, scripts));
  createSchema(db, graph);

  const types = db.prepare('INSERT INTO node_types (code, name) VALUES (?, ?)');
  layout.nodeTypes.forEach((name, code) => types.run(code, name));
  const etypes = db.prepare('INSERT INTO edge_types (code, name) VALUES (?, ?)');
  layout.edgeTypes.forEach((name, code) => etypes.run(code, name));

  onPhase('classes', 0, a.classKeys.length);
  writeClasses(db, a);
  writeSections(db, graph);
  writeStatistics(db, graph, a);
  onPhase('indexes', 0, 1);
  db.exec(indexesDdl());
  await writeSummaries(db, graph, a, scripts, thread, onLinksDone, onPhase);
}

/** After the edge tables are in: the public views. */
export function finishStore(db: Database.Database, layout: GraphLayout): void {
  db.exec(viewsDdl(layout));
}

function writeClasses(db: Database.Database, a: StoreAnalysis): void {
  const stmt = db.prepare('INSERT INTO classes (class_id, class_key, class_name, count, self_size, retained_size, distance) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const c = a.classes;
  for (let i = 0; i < a.classKeys.length; i++) {
    stmt.run(i, a.classKeys[i], a.classNames[i], c.count[i], c.self[i], c.retained[i], c.distance[i]);
  }
}

function writeSections(db: Database.Database, graph: HeapGraph): void {
  const { layout } = graph;
  // (the locations are written as pages: table-writers.ts)
  const trace = graph.trace;
  if (trace) {
    const tfiCols = traceFunctionInfoColumns(layout);
    const n = tfiCols.length;
    const stmt = db.prepare(
      `INSERT INTO trace_function_infos (function_info_index, ${tfiCols.map(quoteIdent).join(',')}) VALUES (?, ${tfiCols.map(() => '?').join(',')})`,
    );
    for (let i = 0; i * n < trace.functionInfos.length; i++) stmt.run(i, ...trace.functionInfos.subarray(i * n, i * n + n));
    const tt = db.prepare('INSERT INTO trace_tree (id, function_info_index, count, size, parent_id) VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < trace.treeIds.length; i++)
      tt.run(trace.treeIds[i], trace.treeFunctionInfoIndex[i], trace.treeCount[i], trace.treeSize[i], trace.treeParentId[i]);
    const smpCols = sampleColumns(layout);
    const m = smpCols.length;
    const sm = db.prepare(`INSERT INTO samples (${smpCols.map(quoteIdent).join(',')}) VALUES (${smpCols.map(() => '?').join(',')})`);
    for (let i = 0; i * m < trace.samples.length; i++) sm.run(...trace.samples.subarray(i * m, i * m + m));
  }
  const ex = db.prepare('INSERT INTO extra_sections (name, json) VALUES (?, ?)');
  for (const [name, json] of Object.entries(graph.extraSections)) ex.run(name, json);
}

function writeStatistics(db: Database.Database, graph: HeapGraph, a: StoreAnalysis): void {
  const s = a.statistics;
  const rows: [string, number][] = [
    ['total', s.total],
    ['v8heap', s.v8heap.total],
    ['code', s.v8heap.code],
    ['strings', s.v8heap.strings],
    ['js_arrays', s.v8heap.jsArrays],
    ['system', s.v8heap.system],
    ['other_js', s.v8heap.total - s.v8heap.code - s.v8heap.strings - s.v8heap.jsArrays - s.v8heap.system],
    ['native', s.native.total],
    ['typed_arrays', s.native.typedArrays],
    ['other_native', s.native.total - s.native.typedArrays],
    ['extra_native', graph.extraNativeBytes],
  ];
  const stmt = db.prepare('INSERT INTO statistics (category, bytes) VALUES (?, ?)');
  for (const [k, v] of rows) stmt.run(k, v);
}

/** The meta table's rows that come from the snapshot and its analysis. */
export function snapshotMeta(graph: HeapGraph, a: StoreAnalysis): Record<string, string | number> {
  const { layout, nodes, nodeCount } = graph;
  const F = layout.nodeFieldCount;
  let maxOdd = 0;
  for (let i = layout.nodeIdOffset; i < nodes.length; i += F) {
    const id = nodes[i];
    if (id & 1 && id > maxOdd) maxOdd = id;
  }
  const all: Record<string, string | number> = {
    schema_version: SCHEMA_VERSION,
    node_count: nodeCount,
    edge_count: graph.edgeCount,
    string_count: graph.strings.length,
    max_js_object_id: maxOdd,
    extra_native_bytes: graph.extraNativeBytes,
    total_size: a.totalSize,
    has_user_roots: a.hasUserRoots ? 1 : 0,
    node_fields: JSON.stringify(graph.header.meta.node_fields),
    node_types: JSON.stringify(layout.nodeTypes),
    edge_types: JSON.stringify(layout.edgeTypes),
    snapshot_header: JSON.stringify(graph.header),
    sections: JSON.stringify(graph.sections),
    trace_function_count: graph.header.trace_function_count ?? 0,
    has_allocation_traces: graph.trace && graph.trace.treeIds.length > 0 ? 1 : 0,
    interfaces: JSON.stringify(a.interfaces),
    analysis_problems: JSON.stringify(a.problems),
    semantics: 'devtools-current',
  };
  return all;
}

/** Writes meta rows (the snapshot's, then the ingest's own facts: source, timing, version). */
export function writeMeta(db: Database.Database, entries: Record<string, string | number>): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  for (const [k, v] of Object.entries(entries)) stmt.run(k, v);
}

/**
 * The query planner's statistics (sqlite_stat1). The big tables' rows are known exactly, so they are
 * written directly; ANALYZE (on a sample) covers the small tables only, instead of reading hundreds of
 * MB of big-table pages.
 */
export function writePlannerStats(db: Database.Database, nodeCount: number, edgeCount: number, stringCount: number, locationCount: number): void {
  db.pragma('analysis_limit = 1000');
  const big = new Set(PAGE_TABLE_NAMES);
  const small = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).filter(
    (t) => !big.has(t),
  );
  for (const t of small) db.exec(`ANALYZE ${quoteIdent(t)}`);
  const stat = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  stat.run('edge_data', null, String(edgeCount));
  stat.run('strings', null, String(stringCount));
  stat.run('locations', 'location_by_node', `${locationCount} 1`);
  stat.run('node_data', 'node_by_id', `${nodeCount} 1`);
  // ~ retainers per node, then ~1 edge per (to_node, from_node), then unique (to_node, from_node, slot)
  stat.run('retainer_index', 'retainer_index', `${edgeCount} ${Math.max(1, Math.ceil(edgeCount / Math.max(1, nodeCount)))} 1 1`);
}
