// Worker-thread entry of `readNodeColumnsInWorker` (node-columns.ts): reads whole node columns of one store on a
// second core while the main thread reads the other store, and hands the arrays over without copying.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { readNodeColumns, type NodeColumn } from './node-columns.js';

const { dbPath, columns } = workerData as { dbPath: string; columns: NodeColumn[] };
const db = new Database(dbPath, { readonly: true, fileMustExist: true });
try {
  const cols = readNodeColumns(db, columns) as unknown as Record<string, Float64Array | number>;
  const buffers = columns.map((c) => (cols[c] as Float64Array).buffer as ArrayBuffer);
  parentPort!.postMessage(cols, buffers);
} finally {
  db.close();
}
