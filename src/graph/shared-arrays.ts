// Typed arrays in shared memory. The store's writer threads read the analysis' big per-node and
// per-edge arrays directly; allocating them shared avoids a copy of each (hundreds of MB on big heaps).
// Shared buffers behave like ordinary ones for single-threaded code.

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}
export function sharedUint32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * 4));
}
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
