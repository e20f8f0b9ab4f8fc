// Statistics pie (docs/format.md#statistics; DevTools `JSHeapSnapshot.calculateStatistics`, `calculateArraySize`),
// over adjusted self sizes and names after DOM renaming:
//   hidden                                  → v8heap.system
//   native                                  → native.total (+ native.typedArrays if `system / JSArrayBufferData`)
//   code                                    → v8heap.code
//   string / concatenated / sliced string   → v8heap.strings
//   anything else named `Array`             → v8heap.jsArrays: self + the self of the target of its first
//                                             internal `elements` edge if that target has exactly one
//                                             retainer (any edge type)
// native.total starts at extra_native_bytes; totals derive from totalSize (= retained[root] + extra).

import type { HeapGraph } from '../parse/heap-graph.js';
import type { Retainers } from './csr.js';
import { isRenamedDetached } from './dom-state.js';

export interface Statistics {
  total: number;
  native: { total: number; typedArrays: number };
  v8heap: { total: number; code: number; jsArrays: number; strings: number; system: number };
}

export function computeStatistics(graph: HeapGraph, domState: Uint8Array, selfSize: ArrayLike<number>, retainers: Retainers, totalSize: number): Statistics {
  const { nodeCount, nodes, edgeTypes, edgeNames, firstEdge, edgeTo, layout, strings } = graph;
  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nameOffset = layout.nodeNameOffset;
  const { firstRetainer } = retainers;
  let native = graph.extraNativeBytes;
  let typedArrays = 0;
  let code = 0;
  let stringsSize = 0;
  let jsArrays = 0;
  let system = 0;
  for (let k = 0; k < nodeCount; k++) {
    const size = selfSize[k];
    const type = nodes[k * F + typeOffset];
    if (type === layout.nodeTypeHidden) {
      system += size;
    } else if (type === layout.nodeTypeNative) {
      native += size;
      if (strings.equals(nodes[k * F + nameOffset], 'system / JSArrayBufferData') && !isRenamedDetached(graph, domState, k)) typedArrays += size;
    } else if (type === layout.nodeTypeCode) {
      code += size;
    } else if (type === layout.nodeTypeConsString || type === layout.nodeTypeSlicedString || type === layout.nodeTypeString) {
      stringsSize += size;
    } else if (strings.equals(nodes[k * F + nameOffset], 'Array')) {
      let arraySize = size;
      for (let e = firstEdge[k], end = firstEdge[k + 1]; e < end; e++) {
        if (edgeTypes[e] !== layout.edgeTypeInternal) continue;
        if (!strings.equals(edgeNames[e], 'elements')) continue;
        const elements = edgeTo[e];
        if (firstRetainer[elements + 1] - firstRetainer[elements] === 1) arraySize += selfSize[elements];
        break;
      }
      jsArrays += arraySize;
    }
  }
  return {
    total: totalSize,
    native: { total: native, typedArrays },
    v8heap: { total: totalSize - native, code, jsArrays, strings: stringsSize, system },
  };
}
