// Worker-thread entry of `readNodeColumnsInWorker` (node-columns.ts): reads whole node columns of one store on a
// second core while the main thread reads the other store, and hands the arrays over without copying. The job
// comes as workerData, or — for a thread started ahead of need (`prestartColumnReaders`) — as its one message.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { readNodeColumns, type NodeColumn } from './node-columns.js';

interface Job {
  dbPath: string;
  columns: NodeColumn[];
}

function run({ dbPath, columns }: Job): void {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const cols = readNodeColumns(db, columns) as unknown as Record<string, Float64Array | number>;
    const buffers = columns.map((c) => (cols[c] as Float64Array).buffer as ArrayBuffer);
    parentPort!.postMessage(cols, buffers);
  } finally {
    db.close();
  }
}

if (workerData) run(workerData as Job);
else parentPort!.once('message', (job: Job) => run(job));
