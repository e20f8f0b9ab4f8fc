// DOM state propagation (docs/format.md#dom-state; DevTools `HeapSnapshot.propagateDOMState`).
//
// Embedder (DOM) nodes that know their state seed it: attached nodes first pass "attached" to every
// native node they reach, then detached nodes pass "detached" to native nodes nobody attached.
// Only `native` nodes take part (a non-native node is marked visited and stops the walk, so state
// never crosses JS objects); edges of type hidden, weak (and DevTools' pseudo type invisible, which
// files never contain) are not followed.
//
// DevTools then renames each detached native node "Detached " + name. heapdiff never touches the
// string table: a node carries the derived name exactly when `isRenamedDetached` holds, and
// `effectiveNodeName` spells it out where a name is compared.

import type { HeapGraph } from '../parse/heap-graph.js';
import { bigUint32, bigUint8, sharedUint8 } from '../util/typed-arrays.js';

export const DOM_UNKNOWN = 0;
export const DOM_ATTACHED = 1;
export const DOM_DETACHED = 2;
/** DevTools reads the field through this mask (`BITMASK_FOR_DOM_LINK_STATE`). */
const DOM_STATE_MASK = 3;

export const DETACHED_PREFIX = 'Detached ';

/**
 * Final DOM state per node ordinal after propagation; all 0 when the file has no `detachedness`
 * field (older V8), in which case no node is renamed.
 */
export function propagateDomState(graph: HeapGraph): Uint8Array {
  const { nodeCount, nodes, edgeTypes, firstEdge, edgeTo, layout, detachedness } = graph;
  const state = sharedUint8(nodeCount);
  if (detachedness === null) return state;

  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nativeType = layout.nodeTypeNative;
  const hiddenEdge = layout.edgeTypeHidden;
  const weakEdge = layout.edgeTypeWeak;

  const visited = bigUint8(nodeCount);
  const attached = bigUint32(nodeCount);
  let attachedLength = 0;
  const detached = bigUint32(nodeCount);
  let detachedLength = 0;

  // 1. Seeds in ordinal order. Non-native seeds are only marked visited (and keep their raw value).
  for (let k = 0; k < nodeCount; k++) {
    const s = detachedness[k] & DOM_STATE_MASK;
    state[k] = s;
    if (s === DOM_UNKNOWN || visited[k]) continue;
    visited[k] = 1;
    if (nodes[k * F + typeOffset] !== nativeType) continue;
    if (s === DOM_ATTACHED) attached[attachedLength++] = k;
    else if (s === DOM_DETACHED) detached[detachedLength++] = k;
  }

  // 2. Attached spreads to unvisited native children; 3. then detached, to native children nobody attached.
  const spread = (stack: Uint32Array, length: number, value: number): void => {
    while (length > 0) {
      const k = stack[--length];
      for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
        const edgeType = edgeTypes[e];
        if (edgeType === hiddenEdge || edgeType === weakEdge) continue;
        const child = edgeTo[e];
        if (visited[child]) continue;
        visited[child] = 1;
        if (nodes[child * F + typeOffset] !== nativeType) continue;
        state[child] = value;
        stack[length++] = child;
      }
    }
  };
  spread(attached, attachedLength, DOM_ATTACHED);
  spread(detached, detachedLength, DOM_DETACHED);
  return state;
}

/** True when DevTools renamed the node "Detached " + raw name (a native node ending detached). */
export function isRenamedDetached(graph: HeapGraph, domState: Uint8Array, ordinal: number): boolean {
  const { layout, nodes } = graph;
  return domState[ordinal] === DOM_DETACHED && nodes[ordinal * layout.nodeFieldCount + layout.nodeTypeOffset] === layout.nodeTypeNative;
}

/** DevTools' `rawName()` after DOM propagation: the file's name, or "Detached " + it. */
export function effectiveNodeName(graph: HeapGraph, domState: Uint8Array, ordinal: number): string {
  const raw = graph.strings.get(graph.nodes[ordinal * graph.layout.nodeFieldCount + graph.layout.nodeNameOffset]) as string;
  return isRenamedDetached(graph, domState, ordinal) ? DETACHED_PREFIX + raw : raw;
}
