// Summary rows per class (docs/format.md#summary; DevTools `buildAggregates`, `calculateClassesRetainedSize`,
// as used by `getAggregatesByClassKey(false, 'allObjects')`).
//
// Only nodes with (adjusted) self size > 0 count: `count`, `self` = Σ self, `distance` = min.
// `retained` (DevTools' `maxRet`) = Σ retained size of the counted instances that no other counted
// instance of the same class dominates (group-retained.ts). Classes whose instances all have self 0 keep count 0 and
// are not Summary rows (hence no `(synthetic)` row, and no row for fully transferred ownable nodes).

import { groupRetainedSizes, type TreePreorder } from './group-retained.js';

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
  dominatorPreorder: TreePreorder,
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

  const retained = groupRetainedSizes(classIndex, classCount, retainedSize, dominatorPreorder, { selfSize });
  return { count, self, retained, distance: minDistance };
}
