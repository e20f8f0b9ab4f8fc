// The worker thread of `hpy().heap()`: ingests the snapshot file it is given and answers with the
// partition. Running here rather than on the program's main thread keeps heapdiff's own code and data
// (compiled functions, SQLite handles, the ingest's arrays) out of the heap being measured.
import { parentPort, workerData } from 'node:worker_threads';
import { partition, type PartitionOptions } from '../analyses/partition.js';
import { ingestSnapshot } from '../store/ingest.js';
import { openDb } from '../store/open.js';

export interface HpyJob {
  file: string;
  dbPath: string;
  options: PartitionOptions;
}

const job = workerData as HpyJob;
try {
  await ingestSnapshot(job.file, { dbPath: job.dbPath, force: true });
  const store = openDb(job.dbPath, 'the live heap');
  try {
    parentPort!.postMessage({ ok: true, result: partition(store, job.options) });
  } finally {
    store.db.close();
  }
} catch (e) {
  parentPort!.postMessage({ ok: false, message: (e as Error).message, name: (e as Error).name });
}
