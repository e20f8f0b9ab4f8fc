// Summary rows per class (docs/format.md#summary; DevTools `buildAggregates`, `calculateClassesRetainedSize`,
// as used by `getAggregatesByClassKey(false, 'allObjects')`).
//
// Only nodes with (adjusted) self size > 0 count: `count`, `self` = Σ self, `distance` = min.
// `retained` (DevTools' `maxRet`) = Σ retained size of the counted instances that no other counted
// instance of the same class dominates: a DFS over the dominator tree that marks a class "seen" for
// the subtree under each counted instance. Classes whose instances all have self 0 keep count 0 and
// are not Summary rows (hence no `(synthetic)` row, and no row for fully transferred ownable nodes).

import type { DominatedNodes } from './csr.js';

export interface ClassAggregate {
  /** Instances with self size > 0, per class index (0 = not a Summary row). */
  count: Float64Array;
  /** Σ adjusted self size of those instances. */
  self: Float64Array;
  /** Σ retained size of the instances not dominated by another counted instance of the class. */
  retained: Float64Array;
  /** Minimum distance over those instances (DevTools' raw value: -5, >= 100000000 possible); 0 when count is 0. */
  distance: Int32Array;
}

export function aggregateClasses(
  classIndex: Uint32Array,
  classCount: number,
  selfSize: ArrayLike<number>,
  distance: Int32Array,
  retainedSize: Float64Array,
  dominatedNodes: DominatedNodes,
  rootOrdinal = 0,
): ClassAggregate {
  const nodeCount = classIndex.length;
  const count = new Float64Array(classCount);
  const self = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount);

  for (let k = 0; k < nodeCount; k++) {
    const size = selfSize[k];
    if (size === 0) continue;
    const c = classIndex[k];
    const d = distance[k];
    if (count[c] === 0 || d < minDistance[c]) minDistance[c] = d;
    count[c]++;
    self[c] += size;
  }

  const retained = groupRetainedSizes(classIndex, classCount, selfSize, retainedSize, dominatedNodes, rootOrdinal);
  return { count, self, retained, distance: minDistance };
}

/**
 * Σ retained size per group over its members that no other member of the same group dominates
 * (DevTools' `calculateClassesRetainedSize`, with any grouping in place of classes). A member is a node
 * with group[k] >= 0 and self size != 0. DFS over the dominator tree: a stack entry >= 0 is an ordinal
 * to visit; ~g (< 0) is the marker "leaving the subtree of the member that set seen[g]". At most
 * nodeCount ordinals and nodeCount markers are on the stack at once, but usually far fewer: the stack
 * starts small and grows when a node's children would not fit.
 */
export function groupRetainedSizes(
  group: ArrayLike<number>,
  groupCount: number,
  selfSize: ArrayLike<number>,
  retainedSize: ArrayLike<number>,
  dominatedNodes: DominatedNodes,
  rootOrdinal = 0,
): Float64Array {
  const nodeCount = group.length;
  const retained = new Float64Array(groupCount);
  const { firstDominated, dominated } = dominatedNodes;
  const seen = new Uint8Array(groupCount);
  let stack = new Int32Array(Math.min(2 * nodeCount + 1, 1 << 16));
  let top = 0;
  stack[top++] = rootOrdinal;
  while (top > 0) {
    const entry = stack[--top];
    if (entry < 0) {
      seen[~entry] = 0;
      continue;
    }
    const k = entry;
    const begin = firstDominated[k];
    const end = firstDominated[k + 1];
    const g = group[k];
    if (top + (end - begin) + 1 > stack.length) {
      const grown = new Int32Array(Math.min(2 * nodeCount + 1, Math.max(2 * stack.length, top + (end - begin) + 1)));
      grown.set(stack.subarray(0, top));
      stack = grown;
    }
    if (g >= 0 && !seen[g] && selfSize[k] !== 0) {
      retained[g] += retainedSize[k];
      if (begin !== end) {
        seen[g] = 1;
        stack[top++] = ~g;
      }
    }
    for (let i = begin; i < end; i++) stack[top++] = dominated[i];
  }
  return retained;
}
