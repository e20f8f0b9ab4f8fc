// Retained sizes (docs/format.md#dominators; the tail of DevTools `calculateDominatorsAndRetainedSizes`):
// retained[k] = self[k] + Σ retained of the nodes k immediately dominates. Summed children before
// parents by walking the dominator order (dominators.ts) backwards. Float64 because sums pass 2^32;
// sums of u32 values stay exact below 2^53.
//
// So retained[root] = Σ self over all nodes, unreachable ones included.

import { sharedFloat64 } from '../util/typed-arrays.js';

/**
 * @param selfSize per ordinal (adjusted, shallow-sizes.ts)
 * @param idom     immediate dominator ordinal per ordinal
 * @param order    every ordinal once, each after its idom, order[0] = root
 */
export function computeRetainedSizes(selfSize: ArrayLike<number>, idom: Uint32Array, order: Uint32Array): Float64Array {
  const nodeCount = idom.length;
  const retained = sharedFloat64(nodeCount);
  for (let k = 0; k < nodeCount; k++) retained[k] = selfSize[k];
  for (let i = nodeCount - 1; i >= 1; i--) {
    const k = order[i];
    retained[idom[k]] += retained[k];
  }
  return retained;
}
