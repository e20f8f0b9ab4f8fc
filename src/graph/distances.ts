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
  // Which nodes have a distance, one bit each: tested once per edge at random ordinals, it stays in the
  // CPU cache where `distance` (4 bytes a node) does not on big heaps. `special` marks the few nodes
  // whose edges the filter looks at, so the BFS reads no node record for the others.
  const done = bigUint32((nodeCount + 31) >>> 5);
  const special = bigUint32((nodeCount + 31) >>> 5);
  for (let k = 0, base = 0; k < nodeCount; k++, base += F) {
    const nodeType = nodes[base + typeOffset];
    if (nodeType === hiddenType || nodeType === arrayType) special[k >>> 5] |= 1 << (k & 31);
  }
  const pendingPairs = new Set<string>();
  const rootEdgeCount = firstEdge[ROOT_ORDINAL + 1] - firstEdge[ROOT_ORDINAL];
  const queue = bigUint32(nodeCount + rootEdgeCount + 1);

  // One BFS pass over queue[0 .. length); returns nothing, fills `distance`.
  // FIFO order: the queue holds one level after the other, so the distance of what a node enqueues is
  // known from where the node stands in the queue (no per-node read of `distance`).
  const bfs = (length: number): void => {
    if (length === 0) return;
    let head = 0;
    let levelEnd = length;
    let childDistance = distance[queue[0]] + 1;
    while (head < length) {
      if (head === levelEnd) {
        levelEnd = length;
        childDistance++;
      }
      const k = queue[head++];
      let kind = PLAIN;
      if ((special[k >>> 5] & (1 << (k & 31))) !== 0) {
        const base = k * F;
        const nodeType = nodes[base + typeOffset];
        const name = nodes[base + nameOffset];
        if (nodeType === hiddenType && strings.equals(name, 'system / NativeContext')) kind = NATIVE_CONTEXT;
        else if (nodeType === arrayType && strings.equals(name, '(map descriptors)')) kind = MAP_DESCRIPTORS;
      }
      for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
        const edgeType = edgeTypes[e];
        if (edgeType === weakEdge) continue;
        const child = edgeTo[e];
        if ((done[child >>> 5] & (1 << (child & 31))) !== 0) continue;
        const nameOrIndex = edgeNames[e];
        const hasStringName = edgeType !== elementEdge && edgeType !== hiddenEdge;
        if (kind === NATIVE_CONTEXT) {
          if (hasStringName && strings.equals(nameOrIndex, 'sloppy_function_map')) continue;
        } else if (kind === MAP_DESCRIPTORS) {
          // DevTools: parseInt(edge.name(), 10); NaN passes.
          const index = hasStringName ? parseInt(strings.get(nameOrIndex) as string, 10) : nameOrIndex;
          if (!(index < 2 || index % 3 !== 1)) continue;
          done[child >>> 5] |= 1 << (child & 31);
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
        done[child >>> 5] |= 1 << (child & 31);
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
    done[child >>> 5] |= 1 << (child & 31);
    distance[child] = 1;
    queue[seeds++] = child;
  }
  bfs(seeds);

  // Pass 2: everything else, from the root.
  distance[ROOT_ORDINAL] = seeds > 0 ? BASE_SYSTEM_DISTANCE : 0;
  done[ROOT_ORDINAL >>> 5] |= 1 << (ROOT_ORDINAL & 31);
  queue[0] = ROOT_ORDINAL;
  bfs(1);
  return distance;
}
