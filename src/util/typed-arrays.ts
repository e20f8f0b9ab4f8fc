// Typed-array helpers shared by the parser, the graph analysis and the store: allocation of the big
// arrays (one value per node or per edge), and an in-place sort-and-dedupe of a range.
//
// Shared: the store's writer thread reads the analysis' big arrays directly; allocating them in shared
// memory avoids a copy of each (hundreds of MB on big heaps). Shared buffers behave like ordinary ones
// for single-threaded code.
//
// Big: glibc's malloc serves blocks under 32 MiB from its heap, and a freed block there stays resident
// until reused. The analysis allocates and frees many per-node scratch arrays (8.4 M nodes × 4 bytes is
// just under 32 MiB), which left ~250 MB resident on a 700 MB snapshot. Buffers of at least 32 MiB are
// always mmapped and go back to the system when freed; their untouched tail pages never become
// resident. So every big array gets a buffer of at least that size and a view of the length asked for.

const MMAP_MIN_BYTES = 32 * 1024 * 1024 + 64 * 1024;
/** Arrays below this are left alone: their share of memory is small. */
const BIG_BYTES = 1024 * 1024;

function bytesFor(length: number, bytesPer: number): number {
  const n = length * bytesPer;
  return n >= BIG_BYTES && n < MMAP_MIN_BYTES ? MMAP_MIN_BYTES : n;
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(bytesFor(length, 1)), 0, length);
}
export function sharedUint32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(bytesFor(length, 4)), 0, length);
}
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(bytesFor(length, 4)), 0, length);
}
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(bytesFor(length, 8)), 0, length);
}

/** A zeroed scratch array (not shared). */
export function bigUint8(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(bytesFor(length, 1)), 0, length);
}
export function bigUint32(length: number): Uint32Array {
  return new Uint32Array(new ArrayBuffer(bytesFor(length, 4)), 0, length);
}
export function bigInt32(length: number): Int32Array {
  return new Int32Array(new ArrayBuffer(bytesFor(length, 4)), 0, length);
}
export function bigFloat64(length: number): Float64Array {
  return new Float64Array(new ArrayBuffer(bytesFor(length, 8)), 0, length);
}

/** Sorts a[from..to) ascending and drops duplicates in place (insertion sort for the usual handful, native sort for hubs with thousands of members); returns the distinct count. */
export function sortUnique(a: Int32Array, from: number, to: number): number {
  if (to - from > 16) a.subarray(from, to).sort();
  else
    for (let i = from + 1; i < to; i++) {
      const v = a[i];
      let k = i - 1;
      while (k >= from && a[k] > v) {
        a[k + 1] = a[k];
        k--;
      }
      a[k + 1] = v;
    }
  let m = from;
  for (let i = from; i < to; i++) if (m === from || a[m - 1] !== a[i]) a[m++] = a[i];
  return m - from;
}

/** A copy of `a` at least `minLength` long (doubling), for arrays that grow as they fill. */
export function grownUint32(a: Uint32Array, minLength = a.length + 1): Uint32Array<ArrayBuffer> {
  let n = Math.max(1, a.length * 2);
  while (n < minLength) n *= 2;
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}
