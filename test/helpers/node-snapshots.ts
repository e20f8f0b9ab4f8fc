// Node.js heap snapshots made on the spot: a child `node -e <script> <file> [internals]` builds a heap
// and calls v8.writeHeapSnapshot(file). Scripts are plain CommonJS strings so they run on any Node 20.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A mixed heap: WeakMaps with object keys and values (keys at different depths, a deep table),
 * WeakRefs, closures capturing state, classes (two `Point`s from different scripts), Maps, Sets,
 * arrays, typed arrays and Buffers, cons/sliced strings, many plain objects with shared shapes and
 * odd property names, RegExps, a Symbol, a BigInt, a bound function, a Proxy, a FinalizationRegistry.
 * argv[2] === 'internals' writes it with { exposeInternals: true }.
 */
export const MIXED_HEAP_SCRIPT = String.raw`
const v8 = require('v8');
const file = process.argv[1];
const opts = process.argv[2] === 'internals' ? { exposeInternals: true } : undefined;
class Point { constructor(x, y) { this.x = x; this.y = y; } }
class Point3 extends Point { constructor(x, y, z) { super(x, y); this.z = z; } }
class Session { constructor(id) { this.id = id; this.tags = new Set(['a' + id]); this.buf = new Uint8Array(64 + id); } }
const keep = (globalThis.__keep = {});
const wm = new WeakMap();
keep.wm = wm;
keep.keys = [];
for (let i = 0; i < 50; i++) {
  const k = { key: i };
  const v = { value: i, payload: new Array(10).fill(i) };
  wm.set(k, v);
  if (i % 2) keep.keys.push(k); else keep['k' + i] = { deep: { deeper: { key: k } } };
}
const wm2 = new WeakMap();
keep.a = { b: { c: { d: { wm2 } } } };
keep.shallowKeys = [];
for (let i = 0; i < 20; i++) { const k = {}; keep.shallowKeys.push(k); wm2.set(k, [i, i + 1]); }
keep.refs = [];
for (let i = 0; i < 10; i++) keep.refs.push(new WeakRef(keep.keys[i]));
keep.closures = [];
for (let i = 0; i < 30; i++) { let counter = { n: i }; keep.closures.push(() => counter.n++); }
function makeCounter() { let count = 0; const big = new Array(100).fill('x'); return { inc: () => ++count + big.length }; }
keep.counters = [makeCounter(), makeCounter()];
keep.points = [];
for (let i = 0; i < 100; i++) keep.points.push(i % 3 ? new Point(i, -i) : new Point3(i, i, i));
const OtherPoint = eval('(class Point { constructor(a) { this.a = a; } })');
keep.otherPoints = [new OtherPoint(1), new OtherPoint(2)];
keep.sessions = Array.from({ length: 40 }, (_, i) => new Session(i));
keep.map = new Map();
for (let i = 0; i < 200; i++) keep.map.set('key' + i, { id: i, label: 'item ' + i, done: i % 2 === 0 });
keep.set = new Set(keep.points.slice(0, 10));
keep.arrays = [[1, 2, 3], new Array(1000).fill(0).map((_, i) => i * 1.5), ['a', 'b'], []];
keep.typed = [new Float64Array(1024), new Int32Array(new ArrayBuffer(4096)), new Uint8Array(100000)];
keep.buffers = [Buffer.alloc(10000), Buffer.from('hello world')];
keep.strings = ['abc'.repeat(1000), 'x' + Math.random(), ('foo' + Math.random()) + ('bar' + Math.random())];
keep.cons = keep.strings[1] + keep.strings[2] + 'tail'.repeat(5);
keep.sliced = keep.strings[0].slice(10, 500);
keep.rows = [];
for (let i = 0; i < 2000; i++) keep.rows.push({ id: i, label: 'row' + i });
for (let i = 0; i < 10; i++) keep.rows.push({ 'a,b': i, "q'uote": i, '{brace}': i, plain: i });
for (let i = 0; i < 5; i++) keep.rows.push({ label: i, id: i, extra: i });
for (let i = 0; i < 3; i++) keep.rows.push(Object.create(null));
keep.long = Array.from({ length: 4 }, () => { const o = {}; for (let j = 0; j < 40; j++) o['property_name_number_' + j] = j; return o; });
keep.regexps = [/ab+c/g, new RegExp('x'.repeat(50))];
keep.symbol = Symbol('sym'); keep.big = 12345678901234567890n;
keep.bound = Point.prototype.constructor.bind(null, 1);
keep.proxy = new Proxy({ t: 1 }, {});
keep.promise = Promise.resolve(keep.points[0]);
keep.error = new Error('boom');
keep.date = new Date(0);
keep.cycle = {}; keep.cycle.self = keep.cycle;
const fr = new FinalizationRegistry(() => {}); fr.register(keep.points[1], 'held'); keep.fr = fr;
v8.writeHeapSnapshot(file, opts);
`;

/** A 1,000,000-long singly linked list of plain objects: a million-deep DFS and dominator tree. */
export const LINKED_LIST_SCRIPT = String.raw`
const v8 = require('v8');
let head = null;
for (let i = 0; i < 1000000; i++) head = { next: head, value: i };
globalThis.__list = head;
v8.writeHeapSnapshot(process.argv[1]);
`;

export async function writeNodeSnapshot(script: string, file: string, ...args: string[]): Promise<void> {
  await run(process.execPath, ['--max-old-space-size=4096', '-e', script, file, ...args], { maxBuffer: 1 << 20 });
}
