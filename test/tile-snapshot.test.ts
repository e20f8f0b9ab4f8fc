// bench/tile-snapshot.ts makes the 2.6–4 GB benchmark snapshots by tiling a real one: its output must
// be a snapshot DevTools' engine reads like any other and on which heapdiff's numbers still equal
// DevTools' (every node and class, compareWithOracle), in every node order it offers, with unique ids,
// K times the source's heap under the one root.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { tileSnapshot } from '../bench/tile-snapshot.js';
import { analyzeGraph } from '../src/graph/analyze.js';
import { readSnapshot } from '../src/parse/read-snapshot.js';
import { FIXTURES, tempDir } from './helpers/env.js';
import { graphFromJson } from './helpers/json-graph.js';
import { MIXED_HEAP_SCRIPT, writeNodeSnapshot } from './helpers/node-snapshots.js';
import { compareWithOracle, loadOracle } from './helpers/oracle.js';

const dir = tempDir('heapdiff-tile-');
after(() => rmSync(dir, { recursive: true, force: true }));

const COPIES = 3;

async function checkTiles(source: string): Promise<void> {
  const srcGraph = graphFromJson(readFileSync(source, 'utf8'));
  const srcTotal = analyzeGraph(srcGraph).totalSize;
  const F = srcGraph.layout.nodeFieldCount;
  const rootSelf = srcGraph.nodes[srcGraph.layout.nodeSelfSizeOffset];
  // chunk 1: single nodes interleaved; 7: runs that do not divide the node count; 1e9: one block per copy
  for (const chunk of [1, 7, 1e9]) {
    const out = join(dir, `tiled-${chunk}.heapsnapshot`);
    const r = tileSnapshot(source, out, COPIES, chunk);
    const text = readFileSync(out, 'utf8');
    const graph = graphFromJson(text); // the independent reference reader
    assert.equal(r.nodeCount, 1 + COPIES * (srcGraph.nodeCount - 1));
    assert.equal(graph.nodeCount, r.nodeCount);
    assert.equal(graph.edgeCount, COPIES * srcGraph.edgeCount);
    const ids = new Set<number>();
    for (let k = 0; k < graph.nodeCount; k++) ids.add(graph.nodes[k * F + graph.layout.nodeIdOffset]);
    assert.equal(ids.size, graph.nodeCount, `chunk ${chunk}: node ids are not unique`);
    const analysis = analyzeGraph(graph);
    assert.equal(analysis.totalSize - rootSelf, COPIES * (srcTotal - rootSelf), `chunk ${chunk}: not ${COPIES} × the source heap`);
    const report = compareWithOracle(graph, analysis, await loadOracle(text));
    assert.equal(report, '', `chunk ${chunk}: disagreements with DevTools:\n${report}`);
    // heapdiff's own streaming parser reads it as the reference reader does
    const parsed = await readSnapshot(out);
    assert.deepEqual(parsed.edgeTo, graph.edgeTo);
    assert.deepEqual(parsed.nodes, graph.nodes);
    rmSync(out);
  }
}

describe('tile-snapshot', () => {
  test('a Chromium snapshot, 3 copies in three node orders', async () => {
    const source = join(dir, 'chrome-small-0.heapsnapshot');
    writeFileSync(source, gunzipSync(readFileSync(join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'))));
    await checkTiles(source);
  });

  test('a Node.js snapshot (embedder nodes with hashed even ids), 3 copies', async () => {
    const source = join(dir, 'node.heapsnapshot');
    await writeNodeSnapshot(MIXED_HEAP_SCRIPT, source);
    await checkTiles(source);
  });
});
