// Fills the heap with Chunks held by a module-level array until V8 reaches its heap limit: the planted
// leak for heapdiff's tests. Run it with --max-old-space-size=N --heapsnapshot-near-heap-limit=1 so V8
// writes Heap.*.heapsnapshot into the working directory just before the process dies of OOM.
// `keep` is used by the module's functions, so V8 allocates it in the module's scope (a heap Context
// reachable from the exported functions), as in any real module, besides the running loop's stack slot.
// The loop is synchronous so that the moment the limit is reached is the same on every run.
'use strict';

class Chunk {
  constructor(i) {
    this.index = i;
    this.payload = new Array(32).fill(i);
  }
}

const keep = [];
let next = 0;
function fill(n) {
  for (let i = 0; i < n; i++) keep.push(new Chunk(next++));
}
module.exports = { fill, count: () => keep.length };

for (;;) fill(1000);
