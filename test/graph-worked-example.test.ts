// The worked examples (docs/format.md#worked-examples) as whole-array assertions:
// the 13-node s1, its expose-internals variant, the 19-node DOM/WeakMap
// fixture built here from its description. Each is also cross-checked with DevTools' engine.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeGraph, type GraphAnalysis } from '../src/graph/analyze.js';
import { graphFromJson } from './helpers/json-graph.js';
import { compareWithOracle, loadOracle } from './helpers/oracle.js';
import { S1_JSON, fixture195, s1ExposeInternalsJson } from './helpers/worked-examples.js';

const SYS = 100000000;

interface SummaryRow {
  key: string;
  count: number;
  distance: number;
  self: number;
  retained: number;
}

/** Summary rows (count > 0) in class-index order. */
function summary(a: GraphAnalysis): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (let c = 0; c < a.classKeys.length; c++) {
    if (a.classes.count[c] === 0) continue;
    rows.push({ key: a.classKeys[c], count: a.classes.count[c], distance: a.classes.distance[c], self: a.classes.self[c], retained: a.classes.retained[c] });
  }
  return rows;
}

function classNamesOf(a: GraphAnalysis): string[] {
  return Array.from(a.classIndex, (c) => a.classNames[c]);
}

async function assertOracleAgrees(text: string): Promise<void> {
  const graph = graphFromJson(text);
  const report = compareWithOracle(graph, analyzeGraph(graph), await loadOracle(text));
  assert.equal(report, '', report);
}

describe('s1, the 13-node example (docs/format.md#example-s1)', () => {
  const a = analyzeGraph(graphFromJson(S1_JSON));

  test('per-node arrays', () => {
    assert.deepEqual(classNamesOf(a), [
      '(synthetic)',
      '(synthetic)',
      '(synthetic)',
      'Window',
      'Foo',
      'Foo',
      'Array',
      '(string)',
      '(system)',
      '(array)',
      'Bar',
      '{x, y}',
      '{x, y}',
    ]);
    assert.deepEqual(Array.from(a.selfSize), [0, 0, 0, 100, 40, 40, 96, 20, 16, 0, 8, 24, 24]);
    assert.deepEqual(Array.from(a.retainedSize), [368, 16, 16, 344, 80, 40, 96, 20, 16, 0, 8, 24, 24]);
    assert.deepEqual(Array.from(a.distance), [SYS, SYS + 1, SYS + 2, 1, 2, 3, 2, 2, SYS + 3, 3, -5, 2, 2]);
    assert.deepEqual(Array.from(a.dominator), [0, 0, 1, 0, 3, 4, 3, 3, 2, 6, 0, 3, 3]);
    assert.deepEqual(Array.from(a.detachedness), new Array(13).fill(0));
  });

  test('essential edges: weak `w` and the non-page → page `ref` are not', () => {
    // Edge ordinals: 0 root→GC roots, 1 root→Window, 2, 3 (Strong roots)→system / Foo, 4–9 Window (9 = weak w),
    // 10 Foo.b, 11 Array.elements, 12 system / Foo.ref, 13 (object elements)[0], 14–17 x/y.
    assert.deepEqual(Array.from(a.essentialEdge), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1]);
  });

  test('Summary table: no (array) or (synthetic) row', () => {
    assert.deepEqual(summary(a), [
      { key: ',Window', count: 1, distance: 1, self: 100, retained: 344 },
      { key: ',Foo', count: 2, distance: 2, self: 80, retained: 80 },
      { key: ',Array', count: 1, distance: 2, self: 96, retained: 96 },
      { key: ',(string)', count: 1, distance: 2, self: 20, retained: 20 },
      { key: ',(system)', count: 1, distance: SYS + 3, self: 16, retained: 16 },
      { key: ',Bar', count: 1, distance: -5, self: 8, retained: 8 },
      { key: ',{x, y}', count: 2, distance: 2, self: 48, retained: 48 },
    ]);
  });

  test('statistics, totalSize, interfaces, flags', () => {
    assert.deepEqual(a.statistics, {
      total: 368,
      native: { total: 0, typedArrays: 0 },
      v8heap: { total: 368, code: 0, jsArrays: 96, strings: 20, system: 16 },
    });
    assert.equal(a.totalSize, 368);
    assert.equal(a.hasUserRoots, true);
    assert.deepEqual(a.interfaces, ['{x, y}']);
    // Bar has no retainer at all: DevTools gives it a virtual root edge and reports it.
    assert.deepEqual(a.problems, [
      '1 nodes are unreachable from the root over essential edges.',
      '1 nodes have no essential retainer (only weak ones, or none); dominated by the root:',
      '  object "Bar" @21 (ordinal 10)',
    ]);
  });

  test('DevTools engine agrees', () => assertOracleAgrees(S1_JSON));
});

describe('expose-internals variant of s1 (docs/format.md#example-internals)', () => {
  const text = s1ExposeInternalsJson();
  const graph = graphFromJson(text);
  const a = analyzeGraph(graph);

  test('layout: 6 node fields, no detachedness, no user roots', () => {
    assert.equal(graph.fileLayout.nodeFieldCount, 6);
    assert.equal(graph.fileLayout.nodeDetachednessOffset, -1);
    assert.equal(graph.detachedness, null);
    assert.equal(a.hasUserRoots, false);
  });

  test('per-node arrays', () => {
    assert.deepEqual(Array.from(a.distance), [0, 1, 2, 3, 4, 5, 4, 4, 3, 5, -5, 4, 4]);
    assert.deepEqual(Array.from(a.selfSize), [0, 0, 0, 100, 40, 40, 32, 20, 16, 64, 8, 24, 24]);
    assert.deepEqual(Array.from(a.dominator), [0, 0, 1, 2, 2, 4, 3, 3, 2, 6, 0, 3, 3]);
    assert.deepEqual(Array.from(a.retainedSize), [368, 360, 360, 264, 80, 40, 96, 20, 16, 64, 8, 24, 24]);
  });

  test('Summary table has an (array) row; statistics unchanged', () => {
    const rows = summary(a);
    assert.deepEqual(
      rows.find((r) => r.key === ',(array)'),
      { key: ',(array)', count: 1, distance: 5, self: 64, retained: 64 },
    );
    assert.deepEqual(
      rows.find((r) => r.key === ',Array'),
      { key: ',Array', count: 1, distance: 4, self: 32, retained: 96 },
    );
    assert.deepEqual(a.statistics, {
      total: 368,
      native: { total: 0, typedArrays: 0 },
      v8heap: { total: 368, code: 0, jsArrays: 96, strings: 20, system: 16 },
    });
    assert.equal(a.totalSize, 368);
  });

  test('DevTools engine agrees', () => assertOracleAgrees(text));
});

describe('DOM, WeakMap, locations, extra bytes (19 nodes, docs/format.md#example-dom)', () => {
  const { text, ordinals: o } = fixture195();
  const graph = graphFromJson(text);
  const a = analyzeGraph(graph);

  test('DOM state and class names', () => {
    assert.equal(graph.nodeCount, 19);
    assert.deepEqual(classNamesOf(a), [
      '(synthetic)',
      '(synthetic)',
      '(synthetic)',
      'Detached <span>',
      'Detached <p>',
      'Window',
      'HTMLDocument',
      '<div>',
      'Function',
      '(compiled code)',
      'Point',
      'Point',
      'WeakMap',
      '(array)',
      'Key',
      'Val',
      '(concatenated string)',
      '(string)',
      '(string)',
    ]);
    assert.deepEqual(Array.from(a.detachedness), [0, 0, 0, 2, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(a.classKeys[a.classIndex[o.point1]], '7,10,4,Point');
    assert.equal(a.classKeys[a.classIndex[o.point2]], '8,20,2,Point');
  });

  test('per-node sizes, distances, dominators', () => {
    assert.deepEqual(Array.from(a.selfSize), [0, 0, 0, 40, 30, 100, 30, 20, 32, 64, 16, 16, 64, 0, 12, 12, 20, 16, 16]);
    assert.deepEqual(Array.from(a.retainedSize), [488, 0, 70, 70, 30, 418, 50, 20, 96, 64, 16, 16, 64, 0, 24, 12, 52, 16, 16]);
    assert.deepEqual(Array.from(a.distance), [SYS, SYS + 1, SYS + 1, SYS + 2, SYS + 3, 1, 2, 3, 2, 3, 2, 2, 2, 3, 2, 4, 2, 3, 3]);
    assert.deepEqual(Array.from(a.dominator), [0, 0, 0, 2, 3, 0, 5, 6, 5, 8, 5, 5, 5, 12, 5, 14, 5, 16, 16]);
  });

  test('Summary table', () => {
    assert.deepEqual(summary(a), [
      { key: ',Detached <span>', count: 1, distance: SYS + 2, self: 40, retained: 70 },
      { key: ',Detached <p>', count: 1, distance: SYS + 3, self: 30, retained: 30 },
      { key: ',Window', count: 1, distance: 1, self: 100, retained: 418 },
      { key: ',HTMLDocument', count: 1, distance: 2, self: 30, retained: 50 },
      { key: ',<div>', count: 1, distance: 3, self: 20, retained: 20 },
      { key: ',Function', count: 1, distance: 2, self: 32, retained: 96 },
      { key: ',(compiled code)', count: 1, distance: 3, self: 64, retained: 64 },
      { key: '7,10,4,Point', count: 1, distance: 2, self: 16, retained: 16 },
      { key: '8,20,2,Point', count: 1, distance: 2, self: 16, retained: 16 },
      { key: ',WeakMap', count: 1, distance: 2, self: 64, retained: 64 },
      { key: ',Key', count: 1, distance: 2, self: 12, retained: 24 },
      { key: ',Val', count: 1, distance: 4, self: 12, retained: 12 },
      { key: ',(concatenated string)', count: 1, distance: 2, self: 20, retained: 52 },
      { key: ',(string)', count: 2, distance: 3, self: 32, retained: 32 },
    ]);
  });

  test('statistics and totalSize', () => {
    assert.equal(a.retainedSize[o.root], 488);
    assert.equal(a.totalSize, 1488);
    assert.deepEqual(a.statistics, {
      total: 1488,
      native: { total: 1120, typedArrays: 0 },
      v8heap: { total: 368, code: 64, jsArrays: 0, strings: 52, system: 0 },
    });
  });

  test('the table → value ephemeron edge is not essential, the key → value one is', () => {
    const edgesOf = (k: number) => Array.from({ length: graph.firstEdge[k + 1] - graph.firstEdge[k] }, (_, i) => graph.firstEdge[k] + i);
    assert.deepEqual(
      edgesOf(o.table).map((e) => a.essentialEdge[e]),
      [0, 0, 0],
    );
    assert.deepEqual(
      edgesOf(o.key).map((e) => a.essentialEdge[e]),
      [1],
    );
  });

  test('DevTools engine agrees', () => assertOracleAgrees(text));
});
