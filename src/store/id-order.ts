// The order of the node_by_id index (own module: tests import it without starting a writer thread).

import { bigUint32 } from '../util/typed-arrays.js';

/** Ordinals sorted by (id, ordinal): a stable two-pass radix sort on the 32-bit ids. */
export function ordinalsById(nodes: Uint32Array, nodeFieldCount: number, idOffset: number, nodeCount: number): Uint32Array {
  let src = bigUint32(nodeCount);
  let dst = bigUint32(nodeCount);
  for (let k = 0; k < nodeCount; k++) src[k] = k;
  const count = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let k = 0; k < nodeCount; k++) count[(nodes[k * nodeFieldCount + idOffset] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let j = 0; j < nodeCount; j++) {
      const k = src[j];
      dst[count[(nodes[k * nodeFieldCount + idOffset] >>> shift) & 0xffff]++] = k;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
