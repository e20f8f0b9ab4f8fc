// Plain snapshot files of 16 MB and more scan their `edges` array in a worker thread while the main
// thread scans the rest (read-snapshot.ts). Forced on for small files here (parallelMinBytes: 0), it must
// give exactly the one-thread result, really run in parallel on good files, and report every broken
// file exactly as the one-thread parse does (same message, same byte offset).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { HeapGraph, NodesPart } from '../src/parse/heap-graph.js';
import { readSnapshot } from '../src/parse/read-snapshot.js';
import { makeBadInputs } from './helpers/bad-inputs.js';
import { FIXTURES, SAMPLES, readSnapshotBytes, tempDir } from './helpers/env.js';

const dir = tempDir('heapdiff-parallel-');
after(() => rmSync(dir, { recursive: true, force: true }));
const PARALLEL = { parallelMinBytes: 0 };
const ONE_THREAD = { parallelMinBytes: Number.MAX_SAFE_INTEGER };

function plainCopy(gz: string): string {
  const out = join(dir, gz.split('/').pop()!.replace(/\.gz$/, ''));
  writeFileSync(out, readSnapshotBytes(gz));
  return out;
}

function sameGraph(a: HeapGraph, b: HeapGraph): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.edgeCount, b.edgeCount);
  for (const k of ['nodes', 'edgeTypes', 'edgeNames', 'edgeTo', 'firstEdge', 'rawLocations'] as const) {
    assert.ok(Buffer.from(a[k].buffer, a[k].byteOffset, a[k].byteLength).equals(Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength)), `${k} differ`);
  }
  for (const k of ['detachedness', 'traceNodeIds'] as const) assert.deepEqual(a[k], b[k], `${k} differ`);
  assert.deepEqual(a.strings.toArray(), b.strings.toArray());
  assert.deepEqual(a.extraSections, b.extraSections);
  assert.deepEqual(a.sections, b.sections);
}

for (const gz of [
  join(FIXTURES, 'chrome-small-1.heapsnapshot.gz'),
  join(SAMPLES, 'node-alloc.heapsnapshot.gz'),
  join(SAMPLES, 'node-leak-after.heapsnapshot.gz'),
]) {
  test(`${gz.split('/').pop()}: the edges scanned in a worker equal the one-thread parse`, async () => {
    const file = plainCopy(gz);
    const stats = { textBytes: 0, edgesInParallel: false };
    let part: NodesPart | null = null;
    const parallel = await readSnapshot(file, { ...PARALLEL, stats, onBeforeEdges: (p) => (part = p) });
    assert.equal(stats.edgesInParallel, true, 'the worker scanned the edges');
    sameGraph(parallel, await readSnapshot(file, ONE_THREAD));
    // the part handed over before the edges were in (the ingest's page writer starts on it) is the graph's own
    const early = part as NodesPart | null;
    assert.ok(early, 'onBeforeEdges was called');
    assert.equal(early.nodes, parallel.nodes);
    assert.equal(early.strings, parallel.strings);
    assert.equal(early.rawLocations, parallel.rawLocations);
    assert.equal(early.nodeCount, parallel.nodeCount);
  });
}

const cases = makeBadInputs(readSnapshotBytes(join(SAMPLES, 'node-leak-before.heapsnapshot.gz')), join(dir, 'bad'));
for (const c of cases) {
  test(`broken file, parsed with the edge worker: ${c.name}`, async () => {
    const message = (options: object) =>
      readSnapshot(c.path, options).then(
        () => 'parsed',
        (e: Error) => e.message,
      );
    // (a few corpus files parse and are rejected later, by the analysis: then both parse)
    assert.equal(await message(PARALLEL), await message(ONE_THREAD));
  });
}
