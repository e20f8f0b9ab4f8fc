// SQL behind the report's object details, bounded for nodes with huge edge lists: how many edges point
// at a node without reading them (a hidden class or a shared context can have hundreds of thousands of
// retainers), and a node's first outgoing edges without reading all of them (an array of a million).

import { stmt, storeCodes, type Db } from './common.js';

/** Incoming edges DevTools' Retainers view lists (not weak, not from the root), and the weak ones. */
export function incomingCounts(db: Db, ordinal: number): { listed: number; weak: number } {
  const r = stmt(
    db,
    `SELECT coalesce(sum(e.type != ? AND r.from_node != 0), 0) AS listed, coalesce(sum(e.type = ?), 0) AS weak
     FROM retainer_rows r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal WHERE r.to_node = ?`,
  ).get(storeCodes(db).edgeWeak, storeCodes(db).edgeWeak, ordinal) as { listed: number; weak: number };
  return r;
}
