// Root-derived node sets (docs/format.md#distances, #essential-edges; DevTools `JSHeapSnapshot.isUserRoot`, `#hasUserRoots`,
// `markPageOwnedNodes`).
//
// - A *user root* is a child of the root that is not synthetic, or is the synthetic
//   `(Document DOM trees)` (legacy root of all DOM trees). In V8 files these are the globals reached by
//   root shortcut edges; "expose internals" snapshots have none.
// - A *page object* is reachable over non-weak edges from a root `shortcut` target or from a root
//   `element` child that is `(Document DOM trees)`. Edges from non-page to page objects do not count
//   for dominators (essential-edges.ts), so objects also held by debugger/VM roots stay under the page.
//
// Only DevTools' `pageObject` flag matters for numbers; `canBeQueried` and `detachedDOMTreeNode` are UI-only.

import type { HeapGraph } from '../parse/heap-graph.js';
import { bigUint32 } from '../util/typed-arrays.js';

export const ROOT_ORDINAL = 0;
const DOCUMENT_DOM_TREES = '(Document DOM trees)';

/** DevTools `isUserRoot(node)` for a root child. */
export function isUserRoot(graph: HeapGraph, ordinal: number): boolean {
  const { nodes, layout, strings } = graph;
  const base = ordinal * layout.nodeFieldCount;
  if (nodes[base + layout.nodeTypeOffset] !== layout.nodeTypeSynthetic) return true;
  return strings.equals(nodes[base + layout.nodeNameOffset], DOCUMENT_DOM_TREES);
}

/** True if some child of the root (over any edge type) is a user root. */
export function hasUserRoots(graph: HeapGraph): boolean {
  const { firstEdge, edgeTo } = graph;
  for (let e = firstEdge[ROOT_ORDINAL], end = firstEdge[ROOT_ORDINAL + 1]; e < end; e++) {
    if (isUserRoot(graph, edgeTo[e])) return true;
  }
  return false;
}

/**
 * Page-object flags (DevTools `markPageOwnedNodes`) as a bit set: bit k of word k >>> 5 is set when
 * ordinal k is page-owned. One bit a node, not a byte: the walk tests a flag per edge and the
 * essential-edge rule one per edge too, at random ordinals, and 1/8 of the memory stays in the CPU
 * cache on big heaps (31 M nodes: 3.9 MB rather than 31 MB).
 */
export function markPageObjects(graph: HeapGraph): Uint32Array {
  const { nodeCount, nodes, edgeTypes, firstEdge, edgeTo, layout, strings } = graph;
  const F = layout.nodeFieldCount;
  const shortcutEdge = layout.edgeTypeShortcut;
  const elementEdge = layout.edgeTypeElement;
  const weakEdge = layout.edgeTypeWeak;
  const page = bigUint32((nodeCount + 31) >>> 5);

  const rootBegin = firstEdge[ROOT_ORDINAL];
  const rootEnd = firstEdge[ROOT_ORDINAL + 1];
  // Seeds may repeat (two root edges to one node), so leave room for them.
  const stack = bigUint32(nodeCount + (rootEnd - rootBegin));
  let top = 0;
  for (let e = rootBegin; e < rootEnd; e++) {
    const edgeType = edgeTypes[e];
    const child = edgeTo[e];
    if (edgeType === elementEdge) {
      const base = child * F;
      const isDocumentDomTrees =
        nodes[base + layout.nodeTypeOffset] === layout.nodeTypeSynthetic && strings.equals(nodes[base + layout.nodeNameOffset], DOCUMENT_DOM_TREES);
      if (!isDocumentDomTrees) continue;
    } else if (edgeType !== shortcutEdge) {
      continue;
    }
    stack[top++] = child;
    page[child >>> 5] |= 1 << (child & 31);
  }
  while (top > 0) {
    const k = stack[--top];
    for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
      const child = edgeTo[e];
      if ((page[child >>> 5] & (1 << (child & 31))) !== 0) continue;
      if (edgeTypes[e] === weakEdge) continue;
      page[child >>> 5] |= 1 << (child & 31);
      stack[top++] = child;
    }
  }
  return page;
}
