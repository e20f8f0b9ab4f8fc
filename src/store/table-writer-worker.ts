// Worker-thread entry for table-writers.ts: encodes the big tables as SQLite pages into the database
// file, from page 2 on (page 1, the header and schema, is written by the main thread at the end).
import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexTreeWriter, PAGE_SIZE, PageRun, RecordEncoder, TableTreeWriter } from './sqlite-pages.js';
import type { BigTableRoots, EdgeJob, NodeJob, WrittenTables } from './table-writers.js';
import { ordinalsById } from './id-order.js';
import { packEdgeLabel, packNodeKind } from './packing.js';

/** edge_data: (from_node, to_node, label) with rowid = edge ordinal. */
function writeEdgeData(run: PageRun, job: EdgeJob): number {
  const { edgeTypes, edgeNames, edgeTo, firstEdge, essential, nodeCount, edgeCount, packing } = job;
  const tree = new TableTreeWriter(run, new RecordEncoder(3));
  const v = tree.record.values;
  let from = 0;
  for (let e = 0; e < edgeCount; e++) {
    while (from < nodeCount && firstEdge[from + 1] <= e) from++;
    v[0] = from;
    v[1] = edgeTo[e];
    v[2] = packEdgeLabel(packing, edgeTypes[e], edgeNames[e], essential[e]);
    tree.append(e);
  }
  return tree.finish();
}

/**
 * retainer_index: the analysis' retainer CSR in (to_node, edge_ordinal) order. DevTools' slot order
 * within a node is descending, so each range is read backwards.
 */
function writeRetainerIndex(run: PageRun, job: EdgeJob): number {
  const { firstRetainer, retainerEdge, nodeCount } = job;
  const tree = new IndexTreeWriter(run, new RecordEncoder(2));
  const v = tree.record.values;
  for (let k = 0; k < nodeCount; k++) {
    v[0] = k;
    for (let r = firstRetainer[k + 1]; r-- > firstRetainer[k]; ) {
      v[1] = retainerEdge[r];
      tree.append();
    }
  }
  return tree.finish();
}

/** node_data, in BIG_TABLES.node_data column order, rowid = node ordinal. */
function writeNodeData(run: PageRun, job: NodeJob): number {
  const { nodes, firstEdge, nodeCount, nodeFieldCount: F, selfSize, retainedSize, distance, dominator, classIndex, detachedness, packing } = job;
  const { typeOffset: tOff, nameOffset: nOff, idOffset: iOff, selfSizeOffset: sOff, edgeCountOffset: eOff, traceNodeIdOffset: trOff } = job;
  const tree = new TableTreeWriter(run, new RecordEncoder(11));
  const v = tree.record.values;
  for (let k = 0; k < nodeCount; k++) {
    const i = k * F;
    const raw = nodes[i + sOff];
    v[0] = nodes[i + iOff];
    v[1] = packNodeKind(packing, nodes[i + tOff], detachedness[k], trOff >= 0 ? nodes[i + trOff] : 0);
    v[2] = nodes[i + nOff];
    v[3] = selfSize[k];
    v[4] = raw === selfSize[k] ? NaN : raw; // NULL: unchanged by the size transfer
    v[5] = retainedSize[k];
    v[6] = distance[k];
    v[7] = dominator[k];
    v[8] = classIndex[k];
    v[9] = nodes[i + eOff];
    v[10] = firstEdge[k];
    tree.append(k);
  }
  return tree.finish();
}

/** node_by_id: the index on node_data(id), i.e. (id, rowid) records in key order. */
function writeNodeById(run: PageRun, job: NodeJob): number {
  const { nodes, nodeFieldCount: F, idOffset, nodeCount } = job;
  const order = ordinalsById(nodes, F, idOffset, nodeCount);
  const tree = new IndexTreeWriter(run, new RecordEncoder(2));
  const v = tree.record.values;
  for (let j = 0; j < nodeCount; j++) {
    const k = order[j];
    v[0] = nodes[k * F + idOffset];
    v[1] = k;
    tree.append();
  }
  return tree.finish();
}

function fail(e: unknown): void {
  const err = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: { message: err.message, code: err.code } });
}

const edgeJob = workerData as EdgeJob;
let fd = -1;
let run: PageRun | null = null;
const roots: Partial<BigTableRoots> = {};
try {
  fd = openSync(edgeJob.path, 'w');
  run = new PageRun(fd, 2);
  roots.edge_data = writeEdgeData(run, edgeJob);
  roots.retainer_index = writeRetainerIndex(run, edgeJob);
  // Let go of the arrays only the edge tables need, so the main thread can free them (shared memory is
  // freed when no thread holds it). workerData is this same object.
  const done = edgeJob as Partial<EdgeJob>;
  delete done.essential;
  delete done.firstRetainer;
  delete done.retainerEdge;
} catch (e) {
  fail(e);
  run = null;
}
parentPort!.once('message', (job: NodeJob) => {
  if (run === null) return process.exit(0);
  try {
    roots.node_data = writeNodeData(run, job);
    roots.node_by_id = writeNodeById(run, job);
    run.flush();
    closeSync(fd);
    const written: WrittenTables = { roots: roots as BigTableRoots, pageCount: 1 + run.pageCount };
    parentPort!.postMessage({ written });
  } catch (e) {
    fail(e);
  }
  process.exit(0);
});
