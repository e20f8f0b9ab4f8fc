// Records of a flat array in the order of one of their fields: the node_by_id index (nodes by id), the
// location_by_node index and the class names' locations (location records by node). Own module: tests
// import it without starting a writer thread.

import { bigUint32 } from './typed-arrays.js';

/**
 * Record numbers 0 … count − 1 of `values` (`stride` values per record) sorted by (the record's value at
 * `keyOffset`, record number): a stable two-pass radix sort on the 32-bit keys.
 */
export function recordsByKey(values: Uint32Array, stride: number, keyOffset: number, count: number): Uint32Array {
  let src = bigUint32(count);
  let dst = bigUint32(count);
  for (let k = 0; k < count; k++) src[k] = k;
  const buckets = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    buckets.fill(0);
    for (let k = 0; k < count; k++) buckets[(values[k * stride + keyOffset] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = buckets[b];
      buckets[b] = sum;
      sum += c;
    }
    for (let j = 0; j < count; j++) {
      const k = src[j];
      dst[buckets[(values[k * stride + keyOffset] >>> shift) & 0xffff]++] = k;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
