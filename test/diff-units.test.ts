// The pure parts of `diff`, `leaks` and `suspects`: size limits, interface names and matching, the
// per-object merge walk, top-most members in a dominator tree, and how paths are shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classNameOfKey, matchObjects } from '../src/analyses/diff.js';
import { bytesOf, sizeOrShare } from '../src/cli/options.js';

const parseGrowthLimit = (text: string, totalA: number) => bytesOf(sizeOrShare('--fail-on-growth', text, 'A'), totalA);
import { InterfaceMatcher, definitionsFromNames, parseInterfaceName } from '../src/analyses/diff-interfaces.js';
import type { PathHop } from '../src/analyses/paths.js';
import { IdSet } from '../src/analyses/leaks.js';
import { isCatchAllClass, isContainer } from '../src/analyses/suspects.js';
import { buildTree, countMembers, topMostMembers } from '../src/analyses/suspects-tree.js';
import { shownHops } from '../src/render/report.js';

test('parseGrowthLimit: bytes, decimal and binary units, percentages of A', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['1048576', 1048576],
    ['10MB', 10e6],
    ['10 MB', 10e6],
    ['10mb', 10e6],
    ['1.5K', 1500],
    ['512KiB', 512 * 1024],
    ['2GiB', 2 * 1024 ** 3],
    ['1T', 1e12],
    ['100B', 100],
    ['5%', 50],
    ['12.5%', 125],
  ];
  for (const [text, bytes] of cases) assert.equal(parseGrowthLimit(text, 1000), bytes, text);
  for (const bad of ['', 'lots', '-5', '5%%', '10XB', '1e6']) assert.throws(() => parseGrowthLimit(bad, 1000), /--fail-on-growth/, bad);
});

test('interface names parse back into their property lists (quoted names included)', () => {
  assert.deepEqual(parseInterfaceName('{x, y}'), ['x', 'y']);
  assert.deepEqual(parseInterfaceName('{<symbol handler_function>, a b}'), ['<symbol handler_function>', 'a b']);
  assert.deepEqual(parseInterfaceName('{"a,b", c, "say \\"hi\\"", "{}"}'), ['a,b', 'c', 'say "hi"', '{}']);
  assert.deepEqual(parseInterfaceName('{}'), []);
  assert.deepEqual(parseInterfaceName('Object'), []);
});

test("InterfaceMatcher: DevTools' rule — all properties present, most properties wins, ties to the earlier definition", () => {
  const m = new InterfaceMatcher(definitionsFromNames(['{b, a}', '{a, b}', '{a}', '{a, b, c}', '{x, y}', '{"p,q"}']));
  assert.equal(m.match(['a', 'b']), '{b, a}', 'same set: the earlier definition');
  assert.equal(m.match(['b', 'a', '__proto__']), '{b, a}', '__proto__ is just another property');
  assert.equal(m.match(['a']), '{a}');
  assert.equal(m.match(['c', 'b', 'a', 'z']), '{a, b, c}', 'the most properties');
  assert.equal(m.match(['a', 'x']), '{a}');
  assert.equal(m.match(['y']), 'Object');
  assert.equal(m.match([]), 'Object');
  assert.equal(m.match(['p,q']), '{"p,q"}');
});

test('matchObjects: per (class key, id) pairs in ordinal order, duplicates and huge ids included', () => {
  const big = 2 ** 31 + 6;
  //                           A ordinals:  0   1   2   3   4    5
  const keyA = Int32Array.from([0, 0, 1, -1, 0, 2]);
  const idA = Float64Array.from([1, 3, 5, 7, 3, big]);
  //                           B ordinals:  0   1   2   3   4   5
  const keyB = Int32Array.from([0, 1, 0, 0, 2, 1]);
  const idB = Float64Array.from([3, 5, 9, 1, big, 3]);
  const { deleted, added } = matchObjects(keyA, idA, keyB, idB);
  // A: id 3 twice in class 0, B once → the second (ordinal 4) is deleted; ordinal 3 is outside the set.
  assert.deepEqual([...deleted], [0, 0, 0, 0, 1, 0]);
  // B: id 9 is new; id 3 in class 1 is new (A's id 3 is class 0: a class change is new + deleted).
  assert.deepEqual([...added], [0, 0, 1, 0, 0, 1]);
});

test('classNameOfKey strips the location prefix only', () => {
  assert.equal(classNameOfKey(',Foo'), 'Foo');
  assert.equal(classNameOfKey('7,10,4,Point'), 'Point');
  assert.equal(classNameOfKey(',{a, b}'), '{a, b}');
  assert.equal(classNameOfKey('12,0,0,{x, "y,z"}'), '{x, "y,z"}');
});

test('countMembers: top-most members per group over the dominator tree', () => {
  // 0 ─┬─ 1 ─── 2 ─── 3
  //    └─ 4 ─── 5
  const dominator = Float64Array.from([0, 0, 1, 2, 0, 4]);
  const retained = Float64Array.from([100, 60, 40, 10, 30, 5]);
  const tree = buildTree(6, dominator, retained, Float64Array.from([0, 20, 30, 10, 25, 5]), Float64Array.from([1, 3, 5, 7, 9, 11]));
  assert.deepEqual([...tree.children.subarray(tree.firstChild[0], tree.firstChild[1])], [1, 4]);
  // One group: 2 is under no member; 3 is under 2; 5 is a member of its own.
  const one = countMembers(tree, Int32Array.from([-1, -1, 0, 0, -1, 0]), 1);
  assert.deepEqual([...one.counted], [0, 0, 1, 0, 0, 1]);
  assert.deepEqual([...one.retained], [45]);
  // Two groups: 3 (group 1) is not under another member of group 1.
  const two = countMembers(tree, Int32Array.from([-1, 0, 0, 1, -1, 1]), 2);
  assert.deepEqual([...two.counted], [0, 1, 0, 1, 0, 1]);
  assert.deepEqual([...two.retained], [60, 15]);
});

test('topMostMembers (dominator chains, memoised) agrees with the DFS over the tree', () => {
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 50; round++) {
    const n = 2 + Math.floor(rand() * 300);
    const dominator = new Float64Array(n);
    for (let k = 1; k < n; k++) dominator[k] = Math.floor(rand() * k); // a parent before its child
    const member = new Uint8Array(n);
    const group = new Int32Array(n).fill(-1);
    for (let k = 1; k < n; k++) if (rand() < 0.3) (member[k] = 1), (group[k] = 0);
    const tree = buildTree(
      n,
      dominator,
      new Float64Array(n).fill(1),
      new Float64Array(n).fill(1),
      Float64Array.from({ length: n }, (_, k) => k),
    );
    assert.deepEqual([...topMostMembers(dominator, member)], [...countMembers(tree, group, 1).counted], `round ${round}`);
  }
});

test('IdSet keeps dense and far ids', () => {
  const s = new IdSet(100);
  for (const id of [1, 99, 100, 101, 2 ** 32 - 1]) s.add(id);
  for (const id of [1, 99, 100, 101, 2 ** 32 - 1]) assert.ok(s.has(id), String(id));
  for (const id of [0, 3, 102, 2 ** 32 - 3]) assert.ok(!s.has(id), String(id));
});

test('suspects: containers the top-level walk descends through, and catch-all classes', () => {
  for (const name of [
    'global',
    'Window',
    'Window / file://',
    'Window [JSGlobalObject] / https://a.b',
    'Object [JSGlobalProxy]',
    'system / NativeContext',
    'system / NativeContext / file://',
  ]) {
    assert.ok(isContainer({ type: 'object', name }), name);
  }
  assert.ok(isContainer({ type: 'synthetic', name: '(GC roots)' }));
  for (const name of ['globalThis', 'Windows', 'Map', 'system / Context']) assert.ok(!isContainer({ type: 'object', name }), name);
  for (const name of ['Function', 'Object', 'Array', '(string)', 'system / Context']) assert.ok(isCatchAllClass(name), name);
  for (const name of ['Session', '{a, b}', 'Detached <div>', 'Map']) assert.ok(!isCatchAllClass(name), name);
});

test('text paths start at the last global object on them', () => {
  const hop = (class_name: string): PathHop => ({
    ordinal: 0,
    id: 1,
    type: 'object',
    class_name,
    name: class_name,
    retained_size: 0,
    self_size: 0,
    distance: 0,
    edge_type: null,
    edge_name: null,
    edge_ordinal: null,
  });
  const hops = ['(GC roots)', '(Global handles)', '(system)', 'Window [JSGlobalObject] / file://', 'Array', 'Detached <div>'].map(hop);
  assert.deepEqual(
    shownHops(hops).map((h) => h.class_name),
    ['Window [JSGlobalObject] / file://', 'Array', 'Detached <div>'],
  );
  const node = ['global', 'Function', 'system / Context', 'Map', 'Session'].map(hop);
  assert.equal(shownHops(node).length, 5);
  const none = ['(GC roots)', '(Stack roots)', 'Session'].map(hop);
  assert.equal(shownHops(none).length, 3);
});
