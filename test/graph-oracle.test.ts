// heapdiff's graph analysis against DevTools' own engine (npm heap-snapshot-toolkit) on real
// snapshots: every node (className, selfSize, retainedSize, distance, dominator, detachedness), every
// Summary row of getAggregatesByClassKey(false, 'allObjects'), getStatistics(), totalSize and the
// inferred interfaces. Fixtures: the small Chromium set (copied into test/fixtures), the large
// Chromium set when ../shared/fixtures exists, and Node.js snapshots generated here.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeGraph } from '../src/graph/analyze.js';
import { classifyNodes, computePlainObjectShapes, inferInterfaces, type InterfaceDefinition } from '../src/graph/class-names.js';
import { propagateDomState } from '../src/graph/dom-state.js';
import type { HeapGraph } from '../src/parse/heap-graph.js';
import { graphFromJson, loadFixture } from './helpers/json-graph.js';
import { LINKED_LIST_SCRIPT, MIXED_HEAP_SCRIPT, writeNodeSnapshot } from './helpers/node-snapshots.js';
import { compareWithOracle, loadOracle, type OracleSnapshot } from './helpers/oracle.js';
import { SnapshotBuilder, dropNodeField } from './helpers/snapshot-builder.js';

// Compiled to dist/test/: the project root is two levels up.
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_FIXTURES = join(PROJECT_ROOT, 'test/fixtures');
const SHARED_FIXTURES = join(PROJECT_ROOT, '../shared/fixtures');

const tmp = mkdtempSync(join(tmpdir(), 'heapdiff-graph-oracle-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Analyses `text`, loads it into DevTools' engine, and asserts every number agrees. */
async function assertAgrees(t: TestContext, text: string, graph: HeapGraph = graphFromJson(text)): Promise<void> {
  const start = performance.now();
  const analysis = analyzeGraph(graph);
  const ms = performance.now() - start;
  t.diagnostic(`${graph.nodeCount} nodes, ${graph.edgeCount} edges: analyzeGraph ${ms.toFixed(0)} ms`);
  const oracle = await loadOracle(text);
  const report = compareWithOracle(graph, analysis, oracle);
  assert.equal(report, '', `disagreements with DevTools:\n${report}`);
}

async function agreesOnFile(t: TestContext, path: string): Promise<void> {
  const { text, graph } = await loadFixture(path);
  await assertAgrees(t, text, graph);
}

describe('Chromium snapshots (small set, test/fixtures)', () => {
  for (const i of [0, 1, 2]) {
    test(`chrome-small-${i}`, (t) => agreesOnFile(t, join(OWN_FIXTURES, `chrome-small-${i}.heapsnapshot.gz`)));
  }

  // DevTools' Comparison applies the newer snapshot's interface definitions to the older one (docs/format.md#comparison).
  test('classifyNodes with the newer snapshot’s definitions matches aggregatesForDiff', async () => {
    const older = await loadFixture(join(OWN_FIXTURES, 'chrome-small-0.heapsnapshot.gz'));
    const newer = await loadFixture(join(OWN_FIXTURES, 'chrome-small-1.heapsnapshot.gz'));
    const definitions = inferInterfaces(newer.graph);
    const newerOracle = await loadOracle(newer.text);
    assert.deepEqual(
      definitions.map((d) => d.name),
      (JSON.parse(newerOracle.interfaceDefinitions()) as InterfaceDefinition[]).map((d) => d.name),
    );
    const olderOracle = (await loadOracle(older.text)) as OracleSnapshot & {
      aggregatesForDiff(defs: string): Record<string, { name: string; indexes: number[] }>;
    };
    const expected = olderOracle.aggregatesForDiff(newerOracle.interfaceDefinitions());

    const g = older.graph;
    const { classIndex, classKeys, classNames } = classifyNodes(g, propagateDomState(g), definitions, computePlainObjectShapes(g));
    const analysis = analyzeGraph(g); // for the adjusted self sizes
    const ours: Record<string, { name: string; indexes: number[] }> = {};
    for (let k = 0; k < g.nodeCount; k++) {
      if (analysis.selfSize[k] === 0) continue;
      const key = classKeys[classIndex[k]];
      (ours[key] ??= { name: classNames[classIndex[k]], indexes: [] }).indexes.push(k * g.fileLayout.nodeFieldCount);
    }
    const normalise = (r: Record<string, { name: string; indexes: number[] }>) =>
      Object.fromEntries(
        Object.entries(r)
          .map(([k, v]) => [k, { name: v.name, indexes: [...v.indexes].sort((a, b) => a - b) }])
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    assert.deepEqual(normalise(ours), normalise(expected));
  });
});

describe('Chromium snapshots (large set, ../shared/fixtures)', () => {
  for (const i of [0, 1, 2]) {
    const path = join(SHARED_FIXTURES, `chrome-todo-${i}.heapsnapshot.gz`);
    test(`chrome-todo-${i}`, { skip: !existsSync(path) && `${path} not present` }, (t) => agreesOnFile(t, path));
  }
});

describe('Node.js snapshots generated here', () => {
  test('(a) WeakMaps, closures, classes, Maps, arrays, typed arrays', async (t) => {
    const file = join(tmp, 'mixed.heapsnapshot');
    await writeNodeSnapshot(MIXED_HEAP_SCRIPT, file);
    await agreesOnFile(t, file);
  });

  test('(b) a 1,000,000-long linked list', async (t) => {
    const file = join(tmp, 'list.heapsnapshot');
    await writeNodeSnapshot(LINKED_LIST_SCRIPT, file);
    const { text, graph } = await loadFixture(file);
    rmSync(file);
    assert.ok(graph.nodeCount > 1_000_000);
    await assertAgrees(t, text, graph);
  });

  test('(c) "expose internals": no root shortcut edges, no user roots', async (t) => {
    const file = join(tmp, 'internals.heapsnapshot');
    await writeNodeSnapshot(MIXED_HEAP_SCRIPT, file, 'internals');
    const { text, graph } = await loadFixture(file);
    const shortcut = graph.layout.edgeTypeShortcut;
    for (let e = graph.firstEdge[0]; e < graph.firstEdge[1]; e++) {
      assert.notEqual(graph.edgeTypes[e], shortcut, 'root shortcut edge present');
    }
    assert.equal(analyzeGraph(graph).hasUserRoots, false);
    await assertAgrees(t, text, graph);
  });

  test('(d) 6 node fields: trace_node_id dropped (Chromium’s current layout)', async (t) => {
    const file = join(tmp, 'mixed6.heapsnapshot');
    await writeNodeSnapshot(MIXED_HEAP_SCRIPT, file);
    const text = dropNodeField(readFileSync(file, 'utf8'), 'trace_node_id');
    writeFileSync(file, text);
    const graph = graphFromJson(text);
    assert.deepEqual(graph.header.meta.node_fields, ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness']);
    await assertAgrees(t, text, graph);
  });

  test('(d′) 6 node fields: detachedness dropped (the pre-2021 layout)', async (t) => {
    const file = join(tmp, 'mixed-old.heapsnapshot');
    await writeNodeSnapshot(MIXED_HEAP_SCRIPT, file);
    const text = dropNodeField(readFileSync(file, 'utf8'), 'detachedness');
    const graph = graphFromJson(text);
    assert.deepEqual(graph.header.meta.node_fields, ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id']);
    assert.equal(graph.fileLayout.nodeDetachednessOffset, -1);
    assert.equal(graph.detachedness, null);
    await assertAgrees(t, text, graph);
  });
});

// Known, deliberate divergence (none of the real fixtures has it). DevTools aggregates by an internal
// key (the class name's string index), then maps it to the public key ",<name>"; an `object` whose raw
// name equals a synthesized class name ("Function", "RegExp", "(system)", …) gets a different internal
// key than the closures, and the later class overwrites the earlier one's row, silently dropping its
// instances. heapdiff keeps one row per public key with all instances.
test('class-key collision: heapdiff merges what DevTools overwrites', async () => {
  const b = new SnapshotBuilder();
  const root = b.node('synthetic', '', 0);
  const win = b.node('object', 'Window', 10);
  const fnObject = b.node('object', 'Function', 100);
  const closure = b.node('closure', 'f', 7);
  b.edge(root, 'shortcut', '1', win).edge(win, 'property', 'a', closure).edge(win, 'property', 'b', fnObject);
  const text = b.toJson();
  const a = analyzeGraph(graphFromJson(text));
  const c = a.classKeys.indexOf(',Function');
  assert.deepEqual([a.classes.count[c], a.classes.self[c], a.classes.retained[c]], [2, 107, 107]);
  assert.equal(a.classIndex[fnObject], a.classIndex[closure]);
  const row = (await loadOracle(text)).getAggregatesByClassKey(false, 'allObjects')[',Function'];
  assert.deepEqual([row.count, row.self, row.maxRet, row.idxs], [1, 7, 7, [closure * 7]]);
});
