// Distances from the roots (docs/format.md#distances; DevTools `HeapSnapshot.calculateDistances`, `bfs`,
// `JSHeapSnapshot.calculateDistances` for the edge filter).
//
// Pass 1 seeds every user root (flags.ts) with distance 1, once per root edge, and runs a FIFO BFS.
// Pass 2 gives the root BASE_SYSTEM_DISTANCE (0 when pass 1 had no seed) and BFS reaches what pass 1
// missed. Per edge, in order: skip weak edges; skip children that already have a distance; apply the
// filter; else child = parent + 1. The filter does not traverse
//   - the `sloppy_function_map` edge of a hidden `system / NativeContext`;
//   - from an array named `(map descriptors)`, edges whose name parses to i >= 2 with i % 3 == 1;
//   - the first edge seen of a WeakMap key/value pair (the pair's second edge is followed), so a value
//     gets max(dist(key), dist(table)) + 1. The pending set spans both passes.
// Unreached nodes keep NO_DISTANCE.

import type { HeapGraph } from '../parse/heap-graph.js';
import { isUserRoot, ROOT_ORDINAL } from './flags.js';
import type { WeakMapEdgeNames } from './weakmap-edge-names.js';
import { bigUint32, sharedInt32 } from '../util/typed-arrays.js';

/** DevTools' distance of unreachable nodes. */
export const NO_DISTANCE = -5;
/** Distance of the root when user roots exist; nodes reached only from it are >= this + 1. */
export const BASE_SYSTEM_DISTANCE = 100000000;

// Per-source-node filter kinds, decided once per BFS visit.
const PLAIN = 0;
const NATIVE_CONTEXT = 1;
const MAP_DESCRIPTORS = 2;

export function computeDistances(graph: HeapGraph, weakMapNames: WeakMapEdgeNames): Int32Array {
  const { nodeCount, nodes, edgeTypes, edgeNames, firstEdge, edgeTo, layout, strings } = graph;
  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nameOffset = layout.nodeNameOffset;
  const hiddenType = layout.nodeTypeHidden;
  const arrayType = layout.nodeTypeArray;
  const weakEdge = layout.edgeTypeWeak;
  const internalEdge = layout.edgeTypeInternal;
  const elementEdge = layout.edgeTypeElement;
  const hiddenEdge = layout.edgeTypeHidden;

  const distance = sharedInt32(nodeCount).fill(NO_DISTANCE);
  const pendingPairs = new Set<string>();
  const rootEdgeCount = firstEdge[ROOT_ORDINAL + 1] - firstEdge[ROOT_ORDINAL];
  const queue = bigUint32(nodeCount + rootEdgeCount + 1);

  // One BFS pass over queue[0 .. length); returns nothing, fills `distance`.
  const bfs = (length: number): void => {
    let head = 0;
    while (head < length) {
      const k = queue[head++];
      const childDistance = distance[k] + 1;
      const base = k * F;
      const nodeType = nodes[base + typeOffset];
      let kind = PLAIN;
      if (nodeType === hiddenType || nodeType === arrayType) {
        const name = strings[nodes[base + nameOffset]];
        if (nodeType === hiddenType && name === 'system / NativeContext') kind = NATIVE_CONTEXT;
        else if (nodeType === arrayType && name === '(map descriptors)') kind = MAP_DESCRIPTORS;
      }
      for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
        const edgeType = edgeTypes[e];
        if (edgeType === weakEdge) continue;
        const child = edgeTo[e];
        if (distance[child] !== NO_DISTANCE) continue;
        const nameOrIndex = edgeNames[e];
        const hasStringName = edgeType !== elementEdge && edgeType !== hiddenEdge;
        if (kind === NATIVE_CONTEXT) {
          if (hasStringName && strings[nameOrIndex] === 'sloppy_function_map') continue;
        } else if (kind === MAP_DESCRIPTORS) {
          // DevTools: parseInt(edge.name(), 10); NaN passes.
          const index = hasStringName ? parseInt(strings[nameOrIndex], 10) : nameOrIndex;
          if (!(index < 2 || index % 3 !== 1)) continue;
          distance[child] = childDistance;
          queue[length++] = child;
          continue; // DevTools returns before the WeakMap check for these arrays
        }
        if (edgeType === internalEdge && weakMapNames.isWeakMapEdgeName(nameOrIndex)) {
          const pair = weakMapNames.duplicatedPart(nameOrIndex);
          if (!pendingPairs.delete(pair)) {
            pendingPairs.add(pair);
            continue;
          }
        }
        distance[child] = childDistance;
        queue[length++] = child;
      }
    }
  };

  // Pass 1: user roots, once per root edge (DevTools enqueues duplicates too).
  let seeds = 0;
  for (let e = firstEdge[ROOT_ORDINAL], end = firstEdge[ROOT_ORDINAL + 1]; e < end; e++) {
    const child = edgeTo[e];
    if (!isUserRoot(graph, child)) continue;
    distance[child] = 1;
    queue[seeds++] = child;
  }
  bfs(seeds);

  // Pass 2: everything else, from the root.
  distance[ROOT_ORDINAL] = seeds > 0 ? BASE_SYSTEM_DISTANCE : 0;
  queue[0] = ROOT_ORDINAL;
  bfs(1);
  return distance;
}
