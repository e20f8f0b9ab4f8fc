// Which edges count for dominators (docs/format.md#essential-edges; DevTools `computeIsEssentialEdge`,
// `initEssentialEdges`). An edge u → v is essential unless, checked in this order:
//   1. it is an internal WeakMap ephemeron edge whose source is the table (u.id == tableId):
//      a value is held by key and table together, DevTools keeps only the key's edge;
//   2. it is weak;
//   3. u == v;
//   4. u is not the root and it is a shortcut (root shortcuts mark the user globals);
//   5. u is not the root, v is a page object and u is not (see flags.ts).

import type { HeapGraph } from '../parse/heap-graph.js';
import { ROOT_ORDINAL } from './flags.js';
import type { WeakMapEdgeNames } from './weakmap-edge-names.js';
import { sharedUint8 } from '../util/typed-arrays.js';

/** 1 per essential edge ordinal, 0 otherwise. `pageObject` is the bit set of flags.ts `markPageObjects`. */
export function computeEssentialEdges(graph: HeapGraph, pageObject: Uint32Array, weakMapNames: WeakMapEdgeNames): Uint8Array {
  const { nodeCount, edgeCount, firstEdge, nodes, edgeTypes, edgeNames, edgeTo, layout } = graph;
  const F = layout.nodeFieldCount;
  const idOffset = layout.nodeIdOffset;
  const internalEdge = layout.edgeTypeInternal;
  const weakEdge = layout.edgeTypeWeak;
  const shortcutEdge = layout.edgeTypeShortcut;
  const essential = sharedUint8(edgeCount);

  for (let from = 0, e = firstEdge[0]; from < nodeCount; from++) {
    for (const end = firstEdge[from + 1]; e < end; e++) {
      const edgeType = edgeTypes[e];
      if (edgeType === internalEdge) {
        const nameIndex = edgeNames[e];
        if (weakMapNames.isWeakMapEdgeName(nameIndex) && nodes[from * F + idOffset] === weakMapNames.tableId(nameIndex)) continue;
      }
      if (edgeType === weakEdge) continue;
      const to = edgeTo[e];
      if (from === to) continue;
      if (from !== ROOT_ORDINAL) {
        if (edgeType === shortcutEdge) continue;
        if ((pageObject[to >>> 5] & (1 << (to & 31))) !== 0 && (pageObject[from >>> 5] & (1 << (from & 31))) === 0) continue;
      }
      essential[e] = 1;
    }
  }
  return essential;
}
