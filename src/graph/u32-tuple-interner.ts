// Interns variable-length tuples of u32 values (a plain object's property-name string indexes; a
// location (script, line, column) plus a class-name id; a node's sorted retainer classes or edge
// labels) to dense ids 0, 1, 2, …, in first-seen order. Open addressing over typed arrays: per node it
// costs a hash and a compare, where a string key would cost building, flattening and hashing a string.
// Used by class-names.ts and by the set classifiers' groups (store/classifiers.ts).

import { grownUint32 } from '../util/typed-arrays.js';

export class U32TupleInterner {
  /** Tuple values, concatenated; tuple `id` is data[start[id] .. start[id + 1]). */
  private data = new Uint32Array(1024);
  private dataLength = 0;
  private start = new Uint32Array(257);
  private count = 0;
  /** Open-addressing slots holding id + 1 (0 = empty); capacity is a power of two. */
  private slots = new Int32Array(512);
  private hashes = new Uint32Array(256);

  get size(): number {
    return this.count;
  }

  /** Id of tuple `values[0 .. length)`, adding it if new. `isNew()` tells whether the last call added it. */
  intern(values: Uint32Array, length: number): number {
    let h = 0x811c9dc5 ^ length;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ values[i], 0x01000193);
    h = (h ^ (h >>> 15)) >>> 0;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] !== h) continue;
      const s = this.start[id];
      if (this.start[id + 1] - s !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (this.data[s + i] !== values[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.added = false;
        return id;
      }
    }
    return this.add(values, length, h);
  }

  private added = false;
  /** True if the last `intern` call created a new id. */
  isNew(): boolean {
    return this.added;
  }

  /** The values of tuple `id` (a view; valid until the next `intern`). */
  values(id: number): Uint32Array {
    return this.data.subarray(this.start[id], this.start[id + 1]);
  }

  private add(values: Uint32Array, length: number, h: number): number {
    const id = this.count++;
    if (this.dataLength + length > this.data.length) this.data = grownUint32(this.data, this.dataLength + length);
    this.data.set(values.subarray(0, length), this.dataLength);
    this.dataLength += length;
    if (id + 2 > this.start.length) this.start = grownUint32(this.start, id + 2);
    this.start[id + 1] = this.dataLength;
    if (id + 1 > this.hashes.length) this.hashes = grownUint32(this.hashes, id + 1);
    this.hashes[id] = h;
    if (2 * this.count > this.slots.length) this.rehash();
    else this.place(id, h);
    this.added = true;
    return id;
  }

  private place(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.count; id++) this.place(id, this.hashes[id]);
  }
}
