// Worker-thread entry: writes edge_rows and retainer_index into a fresh side file (see edge-writer.ts).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { EDGE_TABLES_DDL, type EdgeWriterInput } from './edge-writer.js';
import { BatchInserter, openForBulkWrite } from './bulk.js';

function run(input: EdgeWriterInput): void {
  const db = new Database(input.path);
  try {
    openForBulkWrite(db);
    db.exec('BEGIN');
    db.exec(EDGE_TABLES_DDL);
    writeEdgeRows(db, input);
    writeRetainerIndex(db, input);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

function writeEdgeRows(db: Database.Database, input: EdgeWriterInput): void {
  const { edges, edgeTo, firstEdge, essential, nodeCount, edgeCount, edgeFieldCount: E, edgeTypeOffset: tOff, edgeNameOffset: nOff } = input;
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

/** Counting sort of edge ordinals by target, appended in key order to the WITHOUT ROWID table. */
function writeRetainerIndex(db: Database.Database, input: EdgeWriterInput): void {
  const { edgeTo, nodeCount, edgeCount } = input;
  const start = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) start[edgeTo[e] + 1]++;
  for (let k = 0; k < nodeCount; k++) start[k + 1] += start[k];
  const order = new Uint32Array(edgeCount);
  const fill = start.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) order[fill[edgeTo[e]]++] = e;
  const ins = new BatchInserter(db, 'retainer_index', ['to_node', 'edge_ordinal']);
  const v = ins.values;
  let k = 0;
  for (let j = 0; j < edgeCount; j++) {
    while (start[k + 1] <= j) k++;
    const o = ins.slot();
    v[o] = k;
    v[o + 1] = order[j];
    ins.commitRow();
  }
  ins.flush();
}

try {
  run(workerData as EdgeWriterInput);
  parentPort!.postMessage({});
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: { message: err.message, code: err.code } });
}
