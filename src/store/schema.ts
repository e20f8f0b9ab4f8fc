// The only place that knows the SQLite schema. Every public table, view and column is documented in
// docs/schema.md (a test fails when a column is missing there).
//
// Physical layout (why):
// - `node_rows.ordinal` and `edge_rows.edge_ordinal` (views over `node_data` and `edge_data`) are the
//   rowid and equal the position in the file, so a node's outgoing edges are the rowid range
//   [first_edge, first_edge + edge_count) and need no index.
// - Incoming edges: `retainer_index` is a WITHOUT ROWID table in (to_node, edge_ordinal) order, built
//   from the analysis' retainer lists: far cheaper than CREATE INDEX over tens of millions of rows.
// - Those big tables (and node_by_id) are written as raw SQLite pages (sqlite-pages.ts), not row by
//   row through SQLite; the rest of the schema is created by SQLite itself.
// - Names are string-table indexes; the public views `nodes` and `edges` resolve them to text.

import type { SnapshotLayout } from '../parse/layout.js';
import { packingFor, unpackSql } from './packing.js';

export const SCHEMA_VERSION = 2;

// node_data, edge_data, retainer_index and node_by_id: see table-writers.ts (written as raw pages by a worker thread).

export const TABLES_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE node_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE edge_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE classes (
  class_id INTEGER PRIMARY KEY,
  class_key TEXT NOT NULL,
  class_name TEXT NOT NULL,
  count INTEGER NOT NULL,
  self_size INTEGER NOT NULL,
  retained_size INTEGER NOT NULL,
  distance INTEGER NOT NULL
);
CREATE TABLE statistics (category TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE extra_sections (name TEXT PRIMARY KEY, json TEXT) WITHOUT ROWID;
CREATE TABLE trace_tree (
  id INTEGER PRIMARY KEY,
  function_info_index INTEGER NOT NULL,
  count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  parent_id INTEGER NOT NULL
);
`;

/** `locations`, `trace_function_infos` and `samples` take their columns from the file's meta field lists. */
export function sectionTableDdl(layout: SnapshotLayout): string {
  const loc = locationColumns(layout);
  const tfi = traceFunctionInfoColumns(layout);
  const smp = sampleColumns(layout);
  const def = (names: string[]) => names.map((n) => `${quoteIdent(n)} INTEGER NOT NULL`).join(', ');
  return `
CREATE TABLE locations (${def(loc)});
CREATE TABLE trace_function_infos (function_info_index INTEGER PRIMARY KEY, ${def(tfi)});
CREATE TABLE samples (${def(smp)});
`;
}

const orDefault = (fields: readonly string[], fallback: string[]): string[] => (fields.length > 0 ? [...fields] : fallback);

/** The file's location fields (V8's four when meta lists none), `object_index` stored as `node_ordinal`. */
export function locationColumns(layout: SnapshotLayout): string[] {
  return orDefault(layout.locationFields, ['object_index', 'script_id', 'line', 'column']).map((n) => (n === 'object_index' ? 'node_ordinal' : n));
}
export function traceFunctionInfoColumns(layout: SnapshotLayout): string[] {
  return orDefault(layout.traceFunctionInfoFields, ['function_id', 'name', 'script_name', 'script_id', 'line', 'column']);
}
export function sampleColumns(layout: SnapshotLayout): string[] {
  return orDefault(layout.sampleFields, ['timestamp_us', 'last_assigned_id']);
}

/** Indexes created after the bulk load. */
export const INDEXES_DDL = `
CREATE INDEX location_by_node ON locations(node_ordinal);
`;

/**
 * Views: `node_rows` and `edge_rows` name the rowids and unpack the big tables' packed columns
 * (packing.ts); the public `nodes` and `edges` add the text of types and names. Edge names need the
 * layout's element/hidden codes (their names are integers, not strings).
 */
export function viewsDdl(layout: SnapshotLayout): string {
  const indexTypes = [layout.edgeTypeElement, layout.edgeTypeHidden].filter((c) => c >= 0);
  const isIndex = indexTypes.length > 0 ? `e.type IN (${indexTypes.join(',')})` : '0';
  const u = unpackSql(packingFor(layout));
  return `
CREATE VIEW node_rows AS
SELECT rowid AS ordinal, id, ${u.nodeType('kind')} AS type, name_sid, self_size, coalesce(raw_self_size, self_size) AS raw_self_size,
       retained_size, distance, dominator, class_id, edge_count, first_edge, ${u.traceNodeId('kind')} AS trace_node_id,
       ${u.detachedness('kind')} AS detachedness
FROM node_data;

CREATE VIEW edge_rows AS
SELECT rowid AS edge_ordinal, from_node, to_node, ${u.edgeType('label')} AS type, ${u.nameOrIndex('label')} AS name_or_index,
       ${u.essential('label')} AS essential
FROM edge_data;

CREATE VIEW nodes AS
SELECT n.ordinal, n.id, t.name AS type, s.value AS name, c.class_name, c.class_key,
       n.self_size, n.raw_self_size, n.retained_size, n.distance, n.dominator,
       n.edge_count, n.first_edge, n.trace_node_id, n.detachedness, n.class_id
FROM node_rows n
JOIN node_types t ON t.code = n.type
JOIN strings s ON s.id = n.name_sid
JOIN classes c ON c.class_id = n.class_id;

CREATE VIEW edges AS
SELECT e.edge_ordinal, e.from_node, r.to_node, t.name AS type,
       CASE WHEN ${isIndex} THEN CAST(e.name_or_index AS TEXT) ELSE s.value END AS name,
       e.name_or_index, e.essential
FROM retainer_index r
JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal AND e.to_node = r.to_node
JOIN edge_types t ON t.code = e.type
LEFT JOIN strings s ON s.id = e.name_or_index AND NOT (${isIndex});
`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
