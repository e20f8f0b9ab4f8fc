// The top of the dominator tree (`heapdiff dominators`): from the root (or any object), each node's
// biggest-retained children, `top` per node, `depth` levels down — what MAT's dominator tree and
// DevTools' (removed) Dominators view show: the objects that retain most.

import { dbOf, metaNumber, type StoreLike } from '../store/queries/common.js';
import { dominatorChildren, knownChildCount } from '../store/queries/dominators.js';
import { displayName, nodeByOrdinal } from '../store/queries/nodes.js';
import type { NodeSummary } from './paths.js';
import { resolveObject } from './retainers.js';

export interface DominatorOptions {
  /** Children shown per node (default 10). */
  top?: number;
  /** Levels below the start node (default 3). */
  depth?: number;
  /** Start at this object id instead of the root. */
  fromId?: number;
  /** Hide children retaining less than this share of the heap (0–1, default 0). */
  minShare?: number;
}

export interface DominatorNode extends NodeSummary {
  /** Children of this node in the dominator tree (all of them, not only those shown); null below `depth` when not precomputed. */
  child_count: number | null;
  /** Children not shown (over `top`, under `minShare`, or below `depth`); null when unknown. */
  more_children: number | null;
  children: DominatorNode[];
}

export interface DominatorsResult {
  total_size: number;
  top: number;
  depth: number;
  root: DominatorNode;
}

export function dominators(store: StoreLike, options: DominatorOptions = {}): DominatorsResult {
  const db = dbOf(store);
  const top = Math.max(1, options.top ?? 10);
  const depth = Math.max(0, options.depth ?? 3);
  const minBytes = (options.minShare ?? 0) * metaNumber(db, 'total_size', 0);
  const start = options.fromId !== undefined ? resolveObject(store, options.fromId) : 0;
  const build = (ordinal: number, level: number): DominatorNode => {
    const n = nodeByOrdinal(db, ordinal)!;
    const node: DominatorNode = {
      ordinal,
      id: n.id,
      type: n.type,
      class_name: n.class_name,
      name: displayName(db, ordinal),
      self_size: n.self_size,
      retained_size: n.retained_size,
      distance: n.distance,
      child_count: 0,
      more_children: 0,
      children: [],
    };
    if (level < depth) {
      const kids = dominatorChildren(db, ordinal, top);
      node.child_count = kids.total;
      for (const k of kids.children) {
        const child = build(k, level + 1);
        if (child.retained_size < minBytes) break;
        node.children.push(child);
      }
    } else {
      node.child_count = knownChildCount(db, ordinal);
    }
    node.more_children = node.child_count === null ? null : node.child_count - node.children.length;
    return node;
  };
  return { total_size: metaNumber(db, 'total_size', 0), top, depth, root: build(start, 0) };
}
