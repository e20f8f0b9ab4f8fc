// Worker-thread entry for read-snapshot.ts: scans the inside of the `edges` array into the shared edge
// arrays and posts {values, end, maxStringName} (null when they are not clean; the caller then re-parses).
import { parentPort, workerData } from 'node:worker_threads';
import { EdgeSplitter, scanEdgeRange, type EdgeArrays, type EdgeShape } from './edge-section.js';

const job = workerData as { path: string; start: number; shape: EdgeShape; arrays: EdgeArrays };
let result: { values: number; end: number; maxStringName: number } | null = null;
try {
  result = scanEdgeRange(job.path, job.start, new EdgeSplitter(job.shape, job.arrays, job.path));
} catch {
  result = null; // e.g. an edge with a bad target: the caller's re-parse reports it
}
parentPort!.postMessage(result);
