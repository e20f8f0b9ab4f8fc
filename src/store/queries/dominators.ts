// SQL behind `heapdiff dominators`: children of a node in the dominator tree, biggest retained first.
//
// Three sources, cheapest first:
//   1. summary_dominator_children, written at ingest for the top of the tree (every node retaining at
//      least 0.01 % of the heap, up to 20 000 nodes, 50 children each);
//   2. a walk from the node along its outgoing edges, visiting only nodes whose dominator was already
//      visited — exact, because every path from a node X to a node it dominates passes through that
//      node's immediate dominator, which a breadth-first walk therefore meets first; cheap for the
//      small subtrees below the summary's threshold (budget: 200 000 nodes);
//   3. a scan of node_rows by dominator (stores without summaries, or a walk over budget).

import { hasTable, stmt, type Db } from './common.js';

export interface DominatorChildren {
  /** Children, biggest retained first (ties: id ascending), at most the limit asked. */
  children: number[];
  /** How many children the node has in all. */
  total: number;
}

const WALK_BUDGET = 200_000;

export function dominatorChildren(db: Db, ordinal: number, limit: number): DominatorChildren {
  if (hasTable(db, 'summary_dominator_nodes')) {
    const stored = stmt(db, 'SELECT child_count FROM summary_dominator_nodes WHERE ordinal = ?').get(ordinal) as { child_count: number } | undefined;
    const cap = stmt(db, "SELECT value FROM meta WHERE key = 'summary_dominator_children'").get() as { value: number } | undefined;
    if (stored && (limit <= Number(cap?.value ?? 0) || stored.child_count <= Number(cap?.value ?? 0))) {
      const rows = stmt(db, 'SELECT child FROM summary_dominator_children WHERE parent = ? ORDER BY rank LIMIT ?').all(ordinal, limit) as { child: number }[];
      return { children: rows.map((r) => r.child), total: stored.child_count };
    }
    if (ordinal !== 0) {
      const walked = walkChildren(db, ordinal);
      if (walked) return top(db, walked, limit);
    }
  }
  const rows = stmt(db, 'SELECT ordinal FROM node_rows WHERE dominator = ? AND ordinal != ?').all(ordinal, ordinal) as { ordinal: number }[];
  return top(
    db,
    rows.map((r) => r.ordinal),
    limit,
  );
}

function top(db: Db, children: number[], limit: number): DominatorChildren {
  const q = stmt(db, 'SELECT retained_size, id FROM node_rows WHERE ordinal = ?');
  const facts = new Map<number, { retained_size: number; id: number }>();
  for (const c of children) facts.set(c, q.get(c) as { retained_size: number; id: number });
  const sorted = [...children].sort((a, b) => facts.get(b)!.retained_size - facts.get(a)!.retained_size || facts.get(a)!.id - facts.get(b)!.id);
  return { children: sorted.slice(0, limit), total: children.length };
}

/** Children of `x` found by walking its dominated region (see the file comment); null over budget. */
function walkChildren(db: Db, x: number): number[] | null {
  const edgesOf = stmt(
    db,
    `SELECT e.to_node AS t, n.dominator AS d FROM node_rows s JOIN edge_rows e ON e.edge_ordinal >= s.first_edge AND e.edge_ordinal < s.first_edge + s.edge_count
     JOIN node_rows n ON n.ordinal = e.to_node WHERE s.ordinal = ?`,
  );
  const inRegion = new Set<number>([x]);
  const children: number[] = [];
  let frontier = [x];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const u of frontier) {
      for (const { t, d } of edgesOf.all(u) as { t: number; d: number }[]) {
        if (inRegion.has(t) || !inRegion.has(d)) continue;
        inRegion.add(t);
        if (d === x) children.push(t);
        next.push(t);
        if (inRegion.size > WALK_BUDGET) return null;
      }
    }
    frontier = next;
  }
  return children;
}

/** A node's number of dominator-tree children when the summary knows it (no walk, no scan); else null. */
export function knownChildCount(db: Db, ordinal: number): number | null {
  if (!hasTable(db, 'summary_dominator_nodes')) return null;
  const r = stmt(db, 'SELECT child_count FROM summary_dominator_nodes WHERE ordinal = ?').get(ordinal) as { child_count: number } | undefined;
  return r ? r.child_count : null;
}
