// The streaming scanner against an independent JSON.parse of the same files, at many chunk sizes.
import assert from 'node:assert/strict';
import type { HeapGraph } from '../src/parse/heap-graph.js';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSnapshotBytes, readSnapshot } from '../src/parse/read-snapshot.js';
import { FIXTURES, SAMPLES, readSnapshotBytes } from './helpers/env.js';
import { fileNodeRecords } from './helpers/json-graph.js';

interface Json {
  snapshot: { node_count: number; edge_count: number; meta: { node_fields: string[] } };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations: number[];
  trace_function_infos: number[];
  trace_tree: unknown[];
  samples: number[];
}

function sameArray(a: ArrayLike<number | string>, b: ArrayLike<number | string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Flattens the nested trace tree the obvious (recursive) way: fine for a small test file. */
function flattenTree(tree: unknown[], parent: number, out: number[]): void {
  for (let i = 0; i < tree.length; i += 5) {
    out.push(tree[i] as number, tree[i + 1] as number, tree[i + 2] as number, tree[i + 3] as number, parent);
    flattenTree(tree[i + 4] as unknown[], tree[i] as number, out);
  }
}

const files = [join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'), join(SAMPLES, 'node-alloc.heapsnapshot.gz')];

/** The graph's per-field edge arrays as the file's interleaved records (to_node back to a node index). */
function interleavedEdges(g: HeapGraph): number[] {
  const l = g.layout;
  const out = new Array<number>(g.edgeCount * l.edgeFieldCount).fill(0);
  for (let e = 0; e < g.edgeCount; e++) {
    out[e * l.edgeFieldCount + l.edgeTypeOffset] = g.edgeTypes[e];
    out[e * l.edgeFieldCount + l.edgeNameOffset] = g.edgeNames[e];
    out[e * l.edgeFieldCount + l.edgeToNodeOffset] = g.edgeTo[e] * g.fileLayout.nodeFieldCount;
  }
  return out;
}

for (const file of files) {
  const bytes = readSnapshotBytes(file);
  const json = JSON.parse(bytes.toString('utf8')) as Json;
  const name = file.split('/').pop();

  for (const chunk of [1, 7, 1000, 64 * 1024, 1 << 20]) {
    test(`${name}: scanner equals JSON.parse with ${chunk}-byte chunks`, { timeout: 120_000 }, () => {
      const g = parseSnapshotBytes(bytes, name, chunk);
      assert.equal(g.nodeCount, json.snapshot.node_count);
      assert.equal(g.edgeCount, json.snapshot.edge_count);
      assert.equal(g.nodes.length, g.nodeCount * 4);
      assert.ok(sameArray(fileNodeRecords(g), json.nodes), 'nodes differ');
      assert.ok(sameArray(interleavedEdges(g), json.edges), 'edges differ');
      assert.ok(sameArray(g.strings.toArray(), json.strings), 'strings differ');
      assert.ok(sameArray(g.rawLocations, json.locations), 'locations differ');
      const tfi = g.trace ? g.trace.functionInfos : new Uint32Array(0);
      assert.ok(sameArray(tfi, json.trace_function_infos), 'trace_function_infos differ');
      const flat: number[] = [];
      flattenTree(json.trace_tree, 0, flat);
      const got: number[] = [];
      if (g.trace)
        for (let i = 0; i < g.trace.treeIds.length; i++)
          got.push(g.trace.treeIds[i], g.trace.treeFunctionInfoIndex[i], g.trace.treeCount[i], g.trace.treeSize[i], g.trace.treeParentId[i]);
      assert.ok(sameArray(got, flat), 'trace_tree differs');
      assert.ok(sameArray(g.trace ? g.trace.samples : [], json.samples), 'samples differ');
    });
  }

  test(`${name}: derived arrays and totals`, async () => {
    const g = await readSnapshot(file); // streams the gzip file itself
    const F = json.snapshot.meta.node_fields.length;
    const ec = json.snapshot.meta.node_fields.indexOf('edge_count');
    const ss = json.snapshot.meta.node_fields.indexOf('self_size');
    let edges = 0;
    let self = 0;
    for (let i = 0; i < json.nodes.length; i += F) {
      edges += json.nodes[i + ec];
      self += json.nodes[i + ss];
    }
    let self2 = 0;
    for (let k = 0; k < g.nodeCount; k++) self2 += g.nodes[k * g.layout.nodeFieldCount + g.layout.nodeSelfSizeOffset];
    assert.equal(self2, self);
    assert.equal(g.firstEdge[g.nodeCount], edges);
    // trace_node_id: an array of its own only when some node has one (the allocation-tracked sample)
    const tr = json.snapshot.meta.node_fields.indexOf('trace_node_id');
    const traced = tr >= 0 && json.nodes.some((v, i) => i % F === tr && v !== 0);
    assert.equal(traced, name === 'node-alloc.heapsnapshot.gz');
    assert.equal(g.traceNodeIds !== null, traced);
    for (let e = 0; e < g.edgeCount; e += 997) assert.equal(g.edgeTo[e] * F, json.edges[e * 3 + 2]);
    assert.equal(g.strings.get(0), '<dummy>');
  });
}

test('escaped and non-ASCII strings decode like JSON.parse', () => {
  const strings = ['<dummy>', 'plain', 'quote " inside', 'back\\slash', 'tab\there', 'caf\u00e9 \u{1f600}', '\u0000nul', 'a\\"b', ''];
  const text =
    '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["synthetic"]],' +
    '"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element"]]},"node_count":1,"edge_count":0},' +
    `"nodes":[0,1,1,0,0],"edges":[],"strings":${JSON.stringify(strings).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`;
  for (const chunk of [1, 2, 3, 5, 1000]) {
    const g = parseSnapshotBytes(Buffer.from(text), 'inline', chunk);
    assert.deepEqual(g.strings.toArray(), strings);
  }
  // Raw UTF-8 (not written by V8, but parse leniently).
  const raw = text.replace('"plain"', '"pl\u00e4in"');
  assert.equal(parseSnapshotBytes(Buffer.from(raw, 'utf8'), 'inline', 3).strings.get(1), 'pl\u00e4in');
});
