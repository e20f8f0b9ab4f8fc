// SQL behind the report's object details, bounded for nodes with huge edge lists: how many edges point
// at a node without reading them (a hidden class or a shared context can have hundreds of thousands of
// retainers), and a node's first outgoing edges without reading all of them (an array of a million).

import { stmt, storeCodes, type Db } from './common.js';
import { toEdgeRow, type EdgeRow, type RawEdge } from './nodes.js';

/** Incoming edges DevTools' Retainers view lists (not weak, not from the root), and the weak ones. */
export function incomingCounts(db: Db, ordinal: number): { listed: number; weak: number } {
  const r = stmt(
    db,
    `SELECT coalesce(sum(e.type != ? AND e.from_node != 0), 0) AS listed, coalesce(sum(e.type = ?), 0) AS weak
     FROM retainer_index r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal WHERE r.to_node = ?`,
  ).get(storeCodes(db).edgeWeak, storeCodes(db).edgeWeak, ordinal) as { listed: number; weak: number };
  return r;
}

/** The first `limit` outgoing edges of a node, in edge order. */
export function firstOutgoingEdges(db: Db, ordinal: number, limit: number): EdgeRow[] {
  const n = stmt(db, 'SELECT first_edge, edge_count FROM node_rows WHERE ordinal = ?').get(ordinal) as { first_edge: number; edge_count: number } | undefined;
  if (!n || n.edge_count === 0) return [];
  const rows = stmt(
    db,
    `SELECT e.edge_ordinal, e.from_node, e.to_node, e.type AS type_code, e.name_or_index, s.value AS sname
     FROM edge_rows e LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE e.edge_ordinal >= ? AND e.edge_ordinal < ? ORDER BY e.edge_ordinal`,
  ).all(n.first_edge, n.first_edge + Math.min(n.edge_count, limit)) as RawEdge[];
  return rows.map((r) => toEdgeRow(db, r));
}
