// Worker-thread entry for table-writers.ts: encodes the big tables as SQLite pages into the database
// file, from page 2 on (page 1, the header and schema, is written by the main thread at the end).
import { closeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexTreeWriter, PageRun, RecordEncoder, TableTreeWriter } from './sqlite-pages.js';
import { writeStringTable } from './string-bytes.js';
import type { BigTableRoots, EdgeJob, NodeJob, StartJob, WrittenTables } from './table-writers.js';
import { recordsByKey } from '../util/record-order.js';
import { packEdgeLabel, packNodeKind } from './packing.js';
import { columnPositions, tableSpec } from './schema.js';
import { edgeSource, type EdgeSources } from '../graph/csr.js';

// Record positions of the columns, from the declared schema (schema.ts).
const E = columnPositions<'to_node' | 'label'>('edge_data');
const R = columnPositions<'to_node' | 'from_node' | 'slot'>('retainer_index');
const N = columnPositions<
  'id' | 'kind' | 'name_sid' | 'self_size' | 'raw_self_size' | 'retained_size' | 'distance' | 'dominator' | 'class_id' | 'edge_count' | 'first_edge'
>('node_data');
const I = columnPositions<'id'>('node_by_id');
const width = (table: string) => tableSpec(table).columns.length;

/**
 * locations: the file's location records in file order, rowids 1, 2, … (as SQLite numbers inserted rows),
 * object_index as a node ordinal; location_by_node: (node_ordinal, rowid) in key order.
 */
function writeLocations(run: PageRun, job: StartJob): { table: number; index: number } {
  const { locations: raw, locationFields: LF, objectAt, fileNodeFieldCount: F } = job;
  const count = raw.length / LF;
  const table = new TableTreeWriter(run, new RecordEncoder(LF));
  const v = table.record.values;
  for (let i = 0; i < count; i++) {
    for (let f = 0; f < LF; f++) v[f] = raw[i * LF + f];
    v[objectAt] /= F; // a multiple of F: the parser checks every object_index
    table.append(i + 1);
  }
  const tableRoot = table.finish();
  // (object_index, row) order: a stable sort of the rows by object_index, which orders them as ordinals
  const order = recordsByKey(raw, LF, objectAt, count);
  const index = new IndexTreeWriter(run, new RecordEncoder(2));
  const w = index.record.values;
  for (let j = 0; j < count; j++) {
    const i = order[j];
    w[0] = raw[i * LF + objectAt] / F;
    w[1] = i + 1;
    index.append();
  }
  return { table: tableRoot, index: index.finish() };
}

/** edge_data: (to_node, label) with rowid = edge ordinal; the source is in retainer_index. */
function writeEdgeData(run: PageRun, job: EdgeJob): number {
  const { edgeTypes, edgeNames, edgeTo, essential, edgeCount, packing } = job;
  const tree = new TableTreeWriter(run, new RecordEncoder(width('edge_data')));
  if (E.to_node !== 0 || E.label !== 1) throw new Error('edge_data: appendUint2 writes (to_node, label)');
  for (let e = 0; e < edgeCount; e++) tree.appendUint2(e, edgeTo[e], packEdgeLabel(packing, edgeTypes[e], edgeNames[e], essential[e]));
  return tree.finish();
}

/**
 * retainer_index: the analysis' retainer CSR as (to_node, from_node, slot), slot = the edge's position
 * among its source's edges. DevTools' slot order within a node is descending edge ordinals, so each
 * range is read backwards: ascending edge ordinals, which is (from_node, slot) order.
 */
function writeRetainerIndex(run: PageRun, job: EdgeJob): number {
  const { firstRetainer, retainerEdge, nodeCount, firstEdge } = job;
  const sources: EdgeSources = { anchors: job.edgeSourceAnchors };
  const tree = new IndexTreeWriter(run, new RecordEncoder(width('retainer_index')));
  const v = tree.record.values;
  for (let k = 0; k < nodeCount; k++) {
    v[R.to_node] = k;
    for (let r = firstRetainer[k + 1]; r-- > firstRetainer[k]; ) {
      const e = retainerEdge[r];
      const from = edgeSource(firstEdge, sources, e);
      v[R.from_node] = from;
      v[R.slot] = e - firstEdge[from];
      tree.append();
    }
  }
  return tree.finish();
}

/** node_data, rowid = node ordinal. */
function writeNodeData(run: PageRun, job: NodeJob): number {
  const { nodes, firstEdge, nodeCount, nodeFieldCount: F, selfSize, retainedSize, distance, dominator, classIndex, detachedness, traceNodeIds, packing } = job;
  const { typeOffset: tOff, nameOffset: nOff, idOffset: iOff, selfSizeOffset: sOff } = job;
  const tree = new TableTreeWriter(run, new RecordEncoder(width('node_data')));
  const v = tree.record.values;
  // (positions in locals: the loop runs once per node)
  const {
    id: c_id,
    kind: c_kind,
    name_sid: c_name_sid,
    self_size: c_self_size,
    raw_self_size: c_raw_self_size,
    retained_size: c_retained_size,
    distance: c_distance,
    dominator: c_dominator,
    class_id: c_class_id,
    edge_count: c_edge_count,
    first_edge: c_first_edge,
  } = N;
  for (let k = 0; k < nodeCount; k++) {
    const i = k * F;
    const raw = nodes[i + sOff];
    v[c_id] = nodes[i + iOff];
    v[c_kind] = packNodeKind(packing, nodes[i + tOff], detachedness[k], traceNodeIds === null ? 0 : traceNodeIds[k]);
    v[c_name_sid] = nodes[i + nOff];
    v[c_self_size] = selfSize[k];
    v[c_raw_self_size] = raw === selfSize[k] ? NaN : raw; // NULL: unchanged by the size transfer
    v[c_retained_size] = retainedSize[k];
    v[c_distance] = distance[k];
    v[c_dominator] = dominator[k];
    v[c_class_id] = classIndex[k];
    v[c_edge_count] = firstEdge[k + 1] - firstEdge[k];
    v[c_first_edge] = firstEdge[k];
    tree.append(k);
  }
  return tree.finish();
}

/** node_by_id: the index on node_data(id), i.e. (id, rowid) records in key order. */
function writeNodeById(run: PageRun, job: StartJob): number {
  const { nodes, nodeFieldCount: F, idOffset, nodeCount } = job;
  const order = recordsByKey(nodes, F, idOffset, nodeCount);
  const rowidAt = width('node_by_id');
  const tree = new IndexTreeWriter(run, new RecordEncoder(rowidAt + 1));
  const v = tree.record.values;
  for (let j = 0; j < nodeCount; j++) {
    const k = order[j];
    v[I.id] = nodes[k * F + idOffset];
    v[rowidAt] = k; // an index record ends with the rowid
    tree.append();
  }
  return tree.finish();
}

function fail(e: unknown): void {
  const err = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: { message: err.message, code: err.code } });
}

// The start job (workerData), then the edges job, then the nodes job, in this order (messages wait in
// the queue while a job runs). Shared memory is freed when no thread holds it: each job's arrays are
// dropped (workerData's strings deleted, a message's object let go) once written.
const start = workerData as Partial<StartJob>;
let run: PageRun | null = null;
const roots: Partial<BigTableRoots> = {};
try {
  run = PageRun.create(start.path!, 2);
  roots.strings = writeStringTable(run, (start as StartJob).strings);
  delete start.strings;
  roots.node_by_id = writeNodeById(run, start as StartJob);
  delete start.nodes;
  const loc = writeLocations(run, start as StartJob);
  roots.locations = loc.table;
  roots.location_by_node = loc.index;
  delete start.locations;
} catch (e) {
  fail(e);
  run = null;
}
parentPort!.on('message', (job: EdgeJob | NodeJob) => {
  if (run === null) return process.exit(0);
  try {
    if (job.job === 'edges') {
      roots.edge_data = writeEdgeData(run, job);
      roots.retainer_index = writeRetainerIndex(run, job);
      return;
    }
    roots.node_data = writeNodeData(run, job);
    closeSync(run.finish());
    const written: WrittenTables = { roots: roots as BigTableRoots, pageCount: 1 + run.pageCount, pageCrcs: run.pageCrcs.slice() };
    parentPort!.postMessage({ written }, [written.pageCrcs.buffer as ArrayBuffer]);
  } catch (e) {
    fail(e);
  }
  process.exit(0);
});
