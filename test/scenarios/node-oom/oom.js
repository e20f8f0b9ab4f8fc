// Fills the heap with Chunks held by a module-level array until V8 reaches its heap limit: the planted
// leak for heapdiff's tests. Run it with --max-old-space-size=N --heapsnapshot-near-heap-limit=1 so V8
// writes Heap.*.heapsnapshot into the working directory just before the process dies of OOM.
'use strict';

class Chunk {
  constructor(i) {
    this.index = i;
    this.payload = new Array(32).fill(i);
  }
}

const keep = [];
for (let i = 0; ; i++) keep.push(new Chunk(i));
