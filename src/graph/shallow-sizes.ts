// Shallow-size transfer (docs/format.md#size-transfer; DevTools `JSHeapSnapshot.calculateShallowSizes`).
//
// Internal storage nodes are folded into the JS object that alone owns them, so `(object elements)`,
// `(object properties)` and most `system / …` internals show up as part of their owner's self size.
// *Ownable* nodes: type hidden, type array, and native nodes named `system / ExternalStringData`
// (the name after DOM renaming). Every other node owns itself. A worklist walks non-weak edges into
// ownable nodes only; an ownable node reached from one owner takes it, from a second owner it
// becomes "multiple owners", which propagates. Each ownable node with exactly one owner moves its
// size to that owner unless the owner is synthetic or the root. Totals are unchanged.
//
// Runs only when the snapshot has user roots: "expose internals" snapshots keep V8's raw sizes.
// Sizes stay u32 like DevTools (`nodes` is a Uint32Array there), so an owner passing 4 GiB wraps.

import type { HeapGraph } from '../parse/heap-graph.js';
import { isRenamedDetached } from './dom-state.js';
import { ROOT_ORDINAL } from './flags.js';
import { bigUint32, sharedUint32 } from '../util/typed-arrays.js';

const UNVISITED = 0xffffffff;
const MULTIPLE_OWNERS = 0xfffffffe;
const EXTERNAL_STRING_DATA = 'system / ExternalStringData';

/** V8's self sizes as u32 per ordinal (a copy of the file's field), in shared memory: the store's writer thread reads them. */
export function rawSelfSizes(graph: HeapGraph): Uint32Array {
  const { nodeCount, nodes, layout } = graph;
  const F = layout.nodeFieldCount;
  const offset = layout.nodeSelfSizeOffset;
  const sizes = sharedUint32(nodeCount);
  for (let k = 0; k < nodeCount; k++) sizes[k] = nodes[k * F + offset];
  return sizes;
}

/**
 * Self sizes after the transfer, per ordinal. Pass `transfer = hasUserRoots(graph)`; without user
 * roots the raw sizes are returned unchanged.
 */
export function computeShallowSizes(graph: HeapGraph, domState: Uint8Array, transfer: boolean): Uint32Array {
  const sizes = rawSelfSizes(graph);
  if (!transfer) return sizes;
  const { nodeCount, nodes, edgeTypes, firstEdge, edgeTo, layout, strings } = graph;
  if (nodeCount >= MULTIPLE_OWNERS) throw new RangeError('too many nodes for the shallow-size transfer');
  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nameOffset = layout.nodeNameOffset;
  const hiddenType = layout.nodeTypeHidden;
  const arrayType = layout.nodeTypeArray;
  const nativeType = layout.nodeTypeNative;
  const syntheticType = layout.nodeTypeSynthetic;
  const weakEdge = layout.edgeTypeWeak;

  // owners[k]: owner ordinal, UNVISITED or MULTIPLE_OWNERS. Each node enters the worklist at most
  // twice (self-owned once; ownable on → single owner and on → multiple), hence 2 × nodeCount.
  const owners = bigUint32(nodeCount);
  const worklist = bigUint32(2 * nodeCount);
  // Ownable nodes as a bit set: the walk looks at every edge's target, and only ownable targets can
  // change (every other node owns itself for good), so one bit — which stays in the CPU cache on big
  // heaps, where `owners` does not — spares the random read of `owners` for most edges.
  const ownable = bigUint32((nodeCount + 31) >>> 5);
  let top = 0;
  for (let k = 0; k < nodeCount; k++) {
    const type = nodes[k * F + typeOffset];
    if (
      type === hiddenType ||
      type === arrayType ||
      (type === nativeType && strings.equals(nodes[k * F + nameOffset], EXTERNAL_STRING_DATA) && !isRenamedDetached(graph, domState, k))
    ) {
      owners[k] = UNVISITED;
      ownable[k >>> 5] |= 1 << (k & 31);
    } else {
      owners[k] = k;
      worklist[top++] = k;
    }
  }

  while (top > 0) {
    const k = worklist[--top];
    const owner = owners[k];
    for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
      if (edgeTypes[e] === weakEdge) continue;
      const target = edgeTo[e];
      if ((ownable[target >>> 5] & (1 << (target & 31))) === 0) continue;
      const targetOwner = owners[target];
      if (targetOwner === UNVISITED) {
        owners[target] = owner;
        worklist[top++] = target;
      } else if (targetOwner !== target && targetOwner !== owner && targetOwner !== MULTIPLE_OWNERS) {
        owners[target] = MULTIPLE_OWNERS;
        worklist[top++] = target;
      }
    }
  }

  for (let k = 0; k < nodeCount; k++) {
    const owner = owners[k];
    if (owner === UNVISITED || owner === MULTIPLE_OWNERS || owner === k) continue;
    if (owner === ROOT_ORDINAL || nodes[owner * F + typeOffset] === syntheticType) continue;
    sizes[owner] += sizes[k]; // Uint32Array store: wraps mod 2^32 as in DevTools
    sizes[k] = 0;
  }
  return sizes;
}
