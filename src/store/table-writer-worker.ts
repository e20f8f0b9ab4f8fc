// Worker-thread entry for table-writers.ts: writes one job's tables into a fresh file.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { BatchInserter, openForBulkWrite } from './bulk.js';
import { EDGE_TABLES_DDL, NODE_INDEX_DDL, NODE_TABLE_DDL, type EdgeJob, type NodeJob, type WriterJob } from './table-writers.js';

function run(job: WriterJob): void {
  const db = new Database(job.path);
  try {
    openForBulkWrite(db);
    db.exec('BEGIN');
    if (job.job === 'edges') {
      db.exec(EDGE_TABLES_DDL);
      writeEdgeRows(db, job);
      writeRetainerIndex(db, job);
    } else {
      db.exec(NODE_TABLE_DDL);
      writeNodeRows(db, job);
      db.exec(NODE_INDEX_DDL);
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

const NODE_COLUMNS = ['id', 'type', 'name_sid', 'self_size', 'raw_self_size', 'retained_size', 'distance', 'dominator', 'class_id', 'edge_count', 'first_edge', 'trace_node_id', 'detachedness'];

function writeNodeRows(db: Database.Database, job: NodeJob): void {
  const { nodes, firstEdge, nodeCount, nodeFieldCount: F, selfSize, retainedSize, distance, dominator, classIndex, detachedness } = job;
  const { typeOffset: tOff, nameOffset: nOff, idOffset: iOff, selfSizeOffset: sOff, edgeCountOffset: eOff, traceNodeIdOffset: trOff } = job;
  const row = (k: number): number[] => {
    const i = k * F;
    return [nodes[i + iOff], nodes[i + tOff], nodes[i + nOff], selfSize[k], nodes[i + sOff], retainedSize[k], distance[k], dominator[k], classIndex[k], nodes[i + eOff], firstEdge[k], trOff >= 0 ? nodes[i + trOff] : 0, detachedness[k]];
  };
  // The root goes in with an explicit ordinal 0; later rows take rowid max+1, i.e. their ordinal,
  // without binding it (binding an INTEGER PRIMARY KEY costs 30–40 %).
  db.prepare(`INSERT INTO node_rows (ordinal, ${NODE_COLUMNS.join(',')}) VALUES (0, ${NODE_COLUMNS.map(() => '?').join(',')})`).run(row(0));
  const ins = new BatchInserter(db, 'node_rows', NODE_COLUMNS);
  const v = ins.values;
  for (let k = 1; k < nodeCount; k++) {
    const i = k * F;
    let o = ins.slot();
    v[o++] = nodes[i + iOff];
    v[o++] = nodes[i + tOff];
    v[o++] = nodes[i + nOff];
    v[o++] = selfSize[k];
    v[o++] = nodes[i + sOff];
    v[o++] = retainedSize[k];
    v[o++] = distance[k];
    v[o++] = dominator[k];
    v[o++] = classIndex[k];
    v[o++] = nodes[i + eOff];
    v[o++] = firstEdge[k];
    v[o++] = trOff >= 0 ? nodes[i + trOff] : 0;
    v[o] = detachedness[k];
    ins.commitRow();
  }
  ins.flush();
}

function writeEdgeRows(db: Database.Database, job: EdgeJob): void {
  const { edges, edgeTo, firstEdge, essential, nodeCount, edgeCount, edgeFieldCount: E, edgeTypeOffset: tOff, edgeNameOffset: nOff } = job;
  if (edgeCount === 0) return;
  let from = 0;
  while (firstEdge[from + 1] <= 0) from++;
  // Edge 0 goes in with an explicit rowid 0; later rows take max(rowid)+1 = their edge ordinal.
  db.prepare('INSERT INTO edge_rows (edge_ordinal, from_node, to_node, type, name_or_index, essential) VALUES (0, ?, ?, ?, ?, ?)').run(from, edgeTo[0], edges[tOff], edges[nOff], essential[0]);
  const ins = new BatchInserter(db, 'edge_rows', ['from_node', 'to_node', 'type', 'name_or_index', 'essential']);
  const v = ins.values;
  for (let e = 1; e < edgeCount; e++) {
    while (firstEdge[from + 1] <= e && from < nodeCount) from++;
    const i = e * E;
    let o = ins.slot();
    v[o++] = from;
    v[o++] = edgeTo[e];
    v[o++] = edges[i + tOff];
    v[o++] = edges[i + nOff];
    v[o] = essential[e];
    ins.commitRow();
  }
  ins.flush();
}

/**
 * The analysis' retainer CSR, appended in (to_node, edge_ordinal) order to the WITHOUT ROWID table:
 * DevTools' slot order within a node is descending, so each range is read backwards.
 */
function writeRetainerIndex(db: Database.Database, job: EdgeJob): void {
  const { firstRetainer, retainerEdge, nodeCount } = job;
  const ins = new BatchInserter(db, 'retainer_index', ['to_node', 'edge_ordinal']);
  const v = ins.values;
  for (let k = 0; k < nodeCount; k++) {
    for (let r = firstRetainer[k + 1]; r-- > firstRetainer[k]; ) {
      const o = ins.slot();
      v[o] = k;
      v[o + 1] = retainerEdge[r];
      ins.commitRow();
    }
  }
  ins.flush();
}

try {
  run(workerData as WriterJob);
  parentPort!.postMessage({});
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: { message: err.message, code: err.code } });
}
