// Object details for pages that show many objects (`heapdiff report`): what `inspect` shows — facts,
// location, dominator, outgoing edges (the targets that retain most first), retainers (DevTools'
// Retainers order) — bounded so that a few hundred objects of a huge heap cost seconds:
//   - no shortest retainer path per object (a path can cost seconds where it crosses a node with
//     hundreds of thousands of retainers); callers that know a path (a suspect's hops) supply it;
//   - more than `maxSorted` outgoing edges: the first `limit` in edge order, flagged `edges_sorted: false`;
//   - more than `maxSorted` listed retainers: none listed, only counted (`heapdiff retainers @id` lists them).

import { dbOf, type StoreLike } from '../store/queries/common.js';
import { incomingCounts } from '../store/queries/details.js';
import { allocationFrame, displayName, listedRetainers, nodeBriefs, nodeByOrdinal, nodeLocation, outgoingEdges } from '../store/queries/nodes.js';
import type { InspectEdge, LinkedNode } from './inspect.js';
import { sortRetainers } from './paths.js';

export interface DetailsOptions {
  /** Edges and retainers listed (default 10 each). */
  limit?: number;
  /** Above this many edges (retainers), they are not sorted (not listed). Default 5000. */
  maxSorted?: number;
}

export interface ObjectDetails {
  ordinal: number;
  id: number;
  distance: number;
  location: { script_id: number; script: string | null; line: number; column: number } | null;
  allocation: { function: string; script: string; line: number; column: number } | null;
  dominator: LinkedNode | null;
  edges: { total: number; sorted: boolean; shown: InspectEdge[] };
  retainers: { total: number; weak: number; listed: boolean; shown: InspectEdge[] };
}

export function objectDetails(store: StoreLike, ordinal: number, options: DetailsOptions = {}): ObjectDetails {
  const db = dbOf(store);
  const limit = Math.max(0, options.limit ?? 10);
  const maxSorted = options.maxSorted ?? 5000;
  const n = nodeByOrdinal(db, ordinal)!;
  const link = (o: number): LinkedNode => {
    const b = nodeBriefs(db, [o]).get(o)!;
    const spelled = (b.type === 'object' && b.name === 'Object') || b.type === 'concatenated string';
    return { ...b, ordinal: o, name: spelled ? displayName(db, o) : b.name };
  };

  const sorted = n.edge_count <= maxSorted;
  let out = outgoingEdges(db, ordinal, sorted ? Infinity : limit);
  if (sorted) {
    const briefs = nodeBriefs(
      db,
      out.map((e) => e.to_node),
    );
    out = [...out].sort((a, b) => (briefs.get(b.to_node)?.retained_size ?? 0) - (briefs.get(a.to_node)?.retained_size ?? 0) || a.edge_ordinal - b.edge_ordinal);
  }
  const counts = incomingCounts(db, ordinal);
  const listedCount = counts.listed;
  const listed = listedCount <= maxSorted;
  const retainers = listed ? sortRetainers(db, listedRetainers(db, ordinal), limit).slice(0, limit) : [];
  return {
    ordinal,
    id: n.id,
    distance: n.distance,
    location: nodeLocation(db, ordinal),
    allocation: allocationFrame(db, n.trace_node_id),
    dominator: ordinal === 0 ? null : link(n.dominator),
    edges: { total: n.edge_count, sorted, shown: out.slice(0, limit).map((e) => ({ edge_type: e.type, edge_name: e.name, node: link(e.to_node) })) },
    retainers: {
      total: listedCount,
      weak: counts.weak,
      listed,
      shown: retainers.map((r) => ({ edge_type: r.type, edge_name: r.name, node: link(r.from_node) })),
    },
  };
}
