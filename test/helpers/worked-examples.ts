// The worked-example fixtures (docs/format.md#worked-examples) as snapshot JSON texts:
// s1 (#example-s1) verbatim, its expose-internals variant (#example-internals), and the 19-node fixture of #example-dom built
// from its description.

import { NODE_FIELDS_7, SnapshotBuilder, dropNodeField, snapshotMeta } from './snapshot-builder.js';

/** s1 (docs/format.md#example-s1), meta as in docs/format.md#header. */
export const S1_JSON = JSON.stringify({
  snapshot: { meta: snapshotMeta(NODE_FIELDS_7), node_count: 13, edge_count: 18, trace_function_count: 0 },
  nodes: [
    9, 1, 1, 0, 2, 0, 0, 9, 3, 3, 0, 1, 0, 0, 9, 4, 5, 0, 1, 0, 0, 3, 6, 7, 100, 6, 0, 0, 3, 13, 9, 40, 1, 0, 0, 3, 13, 11, 40, 0, 0, 0, 3, 15, 13, 32, 1, 0, 0,
    2, 17, 15, 20, 0, 0, 0, 0, 18, 17, 16, 1, 0, 0, 1, 20, 19, 64, 1, 0, 0, 3, 21, 21, 8, 0, 0, 0, 3, 22, 25, 24, 2, 0, 0, 3, 22, 27, 24, 2, 0, 0,
  ],
  edges: [
    1, 1, 7, 5, 2, 21, 1, 1, 14, 3, 5, 56, 2, 7, 28, 2, 8, 42, 2, 9, 49, 2, 10, 77, 2, 11, 84, 6, 12, 35, 2, 14, 35, 3, 16, 63, 3, 19, 28, 1, 0, 49, 2, 23, 49,
    2, 24, 49, 2, 23, 49, 2, 24, 49,
  ],
  trace_function_infos: [],
  trace_tree: [],
  samples: [],
  locations: [],
  strings: [
    '<dummy>',
    '',
    '2',
    '(GC roots)',
    '(Strong roots)',
    '1 / strong',
    'Window',
    'a',
    'arr',
    's',
    'o1',
    'o2',
    'w',
    'Foo',
    'b',
    'Array',
    'elements',
    'hello',
    'system / Foo',
    'ref',
    '(object elements)',
    'Bar',
    'Object',
    'x',
    'y',
  ],
});

/** docs/format.md#example-internals: root shortcut "2" → Window replaced by (Strong roots) -internal "2 / win"-> Window; no detachedness. */
export function s1ExposeInternalsJson(): string {
  const obj = JSON.parse(S1_JSON);
  // Root's edges are [element (GC roots), shortcut Window]: drop the shortcut.
  obj.edges.splice(3, 3);
  obj.nodes[4] = 1; // root edge_count
  // (Strong roots) (ordinal 2, node index 14) gets a second edge, appended after its first (edge ordinal 2 now).
  const strongRootsFirstEdge = 2;
  obj.strings.push('2 / win');
  obj.edges.splice((strongRootsFirstEdge + 1) * 3, 0, 3, obj.strings.length - 1, 21);
  obj.nodes[2 * 7 + 4] = 2;
  return dropNodeField(JSON.stringify(obj), 'detachedness');
}

/** docs/format.md#example-dom: DOM state, WeakMap, locations, cons string and extra native bytes (19 nodes). */
export function fixture195(): { text: string; ordinals: Record<string, number> } {
  const b = new SnapshotBuilder({ extraNativeBytes: 1000 });
  const root = b.node('synthetic', '', 0);
  const gcRoots = b.node('synthetic', '(GC roots)', 0);
  const cppRoots = b.node('synthetic', 'C++ roots', 0);
  const span = b.node('native', '<span id="z">', 40, { detachedness: 2 });
  const p = b.node('native', '<p>', 30);
  const win = b.node('object', 'Window', 100);
  const doc = b.node('native', 'HTMLDocument', 30, { detachedness: 1 });
  const div = b.node('native', '<div id="a" class="b">', 20);
  const handler = b.node('closure', 'handler', 32);
  const code = b.node('code', 'handler', 64);
  const point1 = b.node('object', 'Point', 16);
  const point2 = b.node('object', 'Point', 16);
  const weakMap = b.node('object', 'WeakMap', 24);
  const table = b.node('array', '', 40);
  const key = b.node('object', 'Key', 12);
  const val = b.node('object', 'Val', 12);
  const cons = b.node('concatenated string', '(concatenated string)', 20);
  const foo = b.node('string', 'foo', 16);
  const bar = b.node('string', 'bar', 16);

  b.edge(root, 'element', 1, gcRoots).edge(root, 'shortcut', '2', win).edge(root, 'element', 2, cppRoots);
  b.edge(cppRoots, 'element', 1, span);
  b.edge(span, 'element', 1, p);
  b.edge(win, 'property', 'document', doc)
    .edge(win, 'property', 'handler', handler)
    .edge(win, 'property', 'p1', point1)
    .edge(win, 'property', 'p2', point2)
    .edge(win, 'property', 'key', key)
    .edge(win, 'property', 'wm', weakMap)
    .edge(win, 'property', 's', cons);
  b.edge(doc, 'internal', 'body', div);
  b.edge(handler, 'internal', 'code', code);
  b.edge(weakMap, 'internal', 'table', table);
  const pair = ` / part of key (Key @${b.id(key)}) -> value (Val @${b.id(val)}) pair in WeakMap (table @${b.id(table)})`;
  b.edge(table, 'weak', '1', key).edge(table, 'weak', '2', val).edge(table, 'internal', `3${pair}`, val);
  b.edge(key, 'internal', `1${pair}`, val);
  b.edge(cons, 'internal', 'first', foo).edge(cons, 'internal', 'second', bar);
  b.location(point1, 7, 10, 4).location(point2, 8, 20, 2);
  const ordinals = { root, gcRoots, cppRoots, span, p, win, doc, div, handler, code, point1, point2, weakMap, table, key, val, cons, foo, bar };
  return { text: b.toJson(), ordinals };
}
