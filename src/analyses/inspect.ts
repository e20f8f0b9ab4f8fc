// One object in detail (`heapdiff inspect SNAP @ID`): its facts, its outgoing edges (the targets that
// retain most first) and its retainers (DevTools' Retainers order), its dominator and its shortest
// retainer path.

import { dbOf, storeCodes, type StoreLike } from '../store/queries/common.js';
import { allocationFrame, displayName, listedRetainers, nodeBriefs, nodeByOrdinal, nodeLocation, outgoingEdges } from '../store/queries/nodes.js';
import { PathFinder, pathLine, sortRetainers, type NodeSummary } from './paths.js';
import type { NamedPath } from './program-names.js';
import { nameSuspect, namerOf } from './suspects-tree.js';
import { resolveObject } from './retainers.js';

export interface InspectOptions {
  /** Outgoing edges and retainers listed (default 20 each). */
  limit?: number;
}

export type LinkedNode = NodeSummary;

export interface InspectEdge {
  edge_type: string;
  edge_name: string;
  /** The other end: the target of an outgoing edge, the source of a retainer. */
  node: LinkedNode;
}

export interface InspectResult {
  object: {
    ordinal: number;
    id: number;
    type: string;
    name: string;
    raw_name: string;
    class_name: string;
    class_key: string;
    self_size: number;
    raw_self_size: number;
    retained_size: number;
    distance: number;
    detachedness: number;
    trace_node_id: number;
    edge_count: number;
    location: { script_id: number; script: string | null; line: number; column: number } | null;
    allocation: { function: string; script: string; line: number; column: number } | null;
  };
  dominator: LinkedNode | null;
  /** The object in the program's words: a closure's function and position, a scope's kind and owner, else its class. */
  label: string;
  path: string;
  path_hops: number;
  /** True when the path stops at the walk's depth limit (1,000 hops) before a root: `path` is its lower part. */
  path_truncated: boolean;
  /** The path in the program's words, from its last variable (or another real path from a variable). */
  named: NamedPath;
  edges: { total: number; shown: InspectEdge[] };
  retainers: { total: number; weak: number; shown: InspectEdge[] };
}

export function inspect(store: StoreLike, id: number, options: InspectOptions = {}): InspectResult {
  const db = dbOf(store);
  const limit = Math.max(0, options.limit ?? 20);
  const ordinal = resolveObject(store, id);
  const n = nodeByOrdinal(db, ordinal)!;
  const c = storeCodes(db);

  const out = outgoingEdges(db, ordinal);
  const outBriefs = nodeBriefs(
    db,
    out.map((e) => e.to_node),
  );
  const outSorted = [...out].sort(
    (a, b) => (outBriefs.get(b.to_node)?.retained_size ?? 0) - (outBriefs.get(a.to_node)?.retained_size ?? 0) || a.edge_ordinal - b.edge_ordinal,
  );
  const link = (o: number): LinkedNode => {
    const b = nodeBriefs(db, [o]).get(o)!;
    return {
      ...b,
      ordinal: o,
      name: b.type === 'object' && b.name === 'Object' ? displayName(db, o) : b.type === 'concatenated string' ? displayName(db, o) : b.name,
    };
  };

  const listed = listedRetainers(db, ordinal);
  const sorted = sortRetainers(db, listed, limit);
  const allIncoming = db
    .prepare('SELECT count(*) AS n, sum(e.type = ?) AS weak FROM retainer_rows r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal WHERE r.to_node = ?')
    .get(c.edgeWeak, ordinal) as {
    n: number;
    weak: number | null;
  };

  const finder = new PathFinder(db);
  const path = finder.path(ordinal);
  const namer = namerOf(db);
  let named = namer.namePath(path.hops);
  if (named.variable === null && ordinal !== 0) {
    const alternative = namer.variablePath(ordinal);
    if (alternative) named = namer.namePath(alternative);
  }
  return {
    object: {
      ordinal,
      id: n.id,
      type: n.type,
      name: displayName(db, ordinal),
      raw_name: n.name,
      class_name: n.class_name,
      class_key: n.class_key,
      self_size: n.self_size,
      raw_self_size: n.raw_self_size,
      retained_size: n.retained_size,
      distance: n.distance,
      detachedness: n.detachedness,
      trace_node_id: n.trace_node_id,
      edge_count: n.edge_count,
      location: nodeLocation(db, ordinal),
      allocation: allocationFrame(db, n.trace_node_id),
    },
    dominator: ordinal === 0 ? null : link(n.dominator),
    label: nameSuspect(db, n.class_name, [ordinal]).label,
    named,
    path: pathLine(path.hops),
    path_hops: path.hops.length,
    path_truncated: path.truncated,
    edges: { total: out.length, shown: outSorted.slice(0, limit).map((e) => ({ edge_type: e.type, edge_name: e.name, node: link(e.to_node) })) },
    retainers: {
      total: listed.length,
      weak: allIncoming.weak ?? 0,
      shown: sorted.slice(0, limit).map((r) => ({ edge_type: r.type, edge_name: r.name, node: link(r.from_node) })),
    },
  };
}
