// Worker-thread entry of summary-thread.ts: computes its half of the query summaries and posts them back.
import { parentPort } from 'node:worker_threads';
import type { HeapGraph } from '../parse/heap-graph.js';
import type { StoreAnalysis } from './memory.js';
import { partitionSummary } from './summaries.js';
import { kindNamesOf, THREAD_CLASSIFIERS, type SummaryJob, type ThreadSummaries } from './summary-thread.js';

const noStrings = new Proxy([] as string[], {
  get() {
    throw new Error('the summary thread has no strings (summary-thread.ts): compute this summary on the main thread');
  },
});

parentPort!.once('message', (job: SummaryJob) => {
  try {
    const graph = { ...job.graph, strings: noStrings } as unknown as HeapGraph;
    const a = job.analysis as unknown as StoreAnalysis;
    const names = kindNamesOf(job.names);
    const partition = partitionSummary(graph, a, new Map(job.names.scripts), { only: (c) => THREAD_CLASSIFIERS.has(c), names, viaLabels: job.viaLabels });
    const result: ThreadSummaries = { partition };
    parentPort!.postMessage({ result });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ error: { message: err.message, stack: err.stack } });
  }
  parentPort!.close(); // done: the thread ends
});
