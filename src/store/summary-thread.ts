// Half of the query summaries (summaries.ts) are computed on a thread of their own, so that ingest's
// two cores stay busy to the end: after the analysis the main thread has the summaries, the strings
// and the small tables to do while the page writer (table-writers.ts) only has the node tables left.
//
//   summary thread  partition rows of every classifier but `class` (type, size, alloc, script,
//                   detachedness, distance, rcs, and via with labels spelled by the main thread)
//   main thread     what reads strings (via's labels, duplicated strings, scripts, the suspects
//                   summary), then classTop and dominatorTop while the thread finishes, the tables
//
// The thread reads the parser's and the analysis' arrays through shared memory (no copies). It gets no
// strings: `graph.strings` there throws, so a classifier that starts reading strings fails loudly
// instead of labelling wrongly. Values are spelled with kind names the main thread prepares (script
// names, allocation frames). The rows come back in the order the single-threaded code makes them,
// and summary-writer.ts writes them in that order: the store is byte-for-byte what it was.

import { Worker } from 'node:worker_threads';
import type { HeapGraph } from '../parse/heap-graph.js';
import { viaLabels, type AllocFrame, type Classifier, type KindNames, type ViaLabels } from './classifiers.js';
import type { StoreAnalysis } from './memory.js';
import { traceFunctionInfoColumns } from './schema.js';
import type { PartitionSummaryRow } from './summaries.js';

/** The classifiers whose partition rows the summary thread computes (every one but `class`, whose rows are the classes table). */
export const THREAD_CLASSIFIERS: ReadonlySet<Classifier> = new Set<Classifier>(['type', 'size', 'alloc', 'script', 'detachedness', 'distance', 'rcs', 'via']);

/** What the thread needs: the graph without its strings, the analysis, and the kind names as data. */
export interface SummaryJob {
  graph: Omit<HeapGraph, 'strings' | 'extraSections' | 'header' | 'rawLocations' | 'detachedness'>;
  analysis: Pick<
    StoreAnalysis,
    'selfSize' | 'retainedSize' | 'distance' | 'detachedness' | 'classIndex' | 'classNames' | 'classKeys' | 'edgeSources' | 'retainers' | 'dominatorPreorder'
  >;
  names: { nodeTypes: readonly string[]; scripts: [number, string][]; allocFrames: (AllocFrame | null)[] };
  viaLabels: ViaLabels;
}

/** What the thread computes. */
export interface ThreadSummaries {
  partition: PartitionSummaryRow[];
}

/** Kind names from the data the main thread prepared (the thread has no strings to spell them from). */
export function kindNamesOf(names: SummaryJob['names']): KindNames {
  const scripts = new Map(names.scripts);
  return {
    nodeTypes: names.nodeTypes,
    scriptName: (id) => scripts.get(id),
    allocFrame: (fi) => names.allocFrames[fi] ?? undefined,
    classKind: () => {
      throw new Error('class kinds at ingest are the classes table');
    },
  };
}

/**
 * The summary thread, started before the parse so that its code is loaded (~0.15 s) by the time the
 * analysis hands it a job; `run` sends the job, `stop` ends a thread that never got one.
 */
export class SummaryThread {
  private readonly worker = new Worker(new URL('./summary-thread-worker.js', import.meta.url));
  private readonly result: Promise<ThreadSummaries>;
  constructor() {
    this.worker.unref(); // an idle thread must not keep a process alive
    this.result = new Promise<ThreadSummaries>((resolve, reject) => {
      let settled = false;
      this.worker.once('message', (m: { result?: ThreadSummaries; error?: { message: string; stack?: string } }) => {
        settled = true;
        if (m.result) resolve(m.result);
        else reject(Object.assign(new Error(m.error?.message ?? 'summary thread failed'), { stack: m.error?.stack }));
      });
      this.worker.once('error', (e) => {
        settled = true;
        reject(e);
      });
      this.worker.once('exit', (code) => {
        if (!settled) reject(new Error(`summary thread exited with status ${code} before it finished`));
      });
    });
    this.result.catch(() => {}); // awaited through run(); a thread stopped unused must not reject unhandled
  }

  /**
   * Sends the job. `kindNames` spells values on the main thread (it reads the strings); the allocation
   * frames are spelled here once for every trace function, a small table.
   */
  run(graph: HeapGraph, a: StoreAnalysis, scripts: ReadonlyMap<number, string>, kindNames: KindNames): Promise<ThreadSummaries> {
    const infos = graph.trace?.functionInfos;
    const fieldCount = traceFunctionInfoColumns(graph.layout).length; // as graphKindNames reads them
    const functionCount = infos ? Math.floor(infos.length / fieldCount) : 0;
    const allocFrames: (AllocFrame | null)[] = [];
    for (let fi = 0; fi < functionCount; fi++) allocFrames.push(kindNames.allocFrame(fi) ?? null);
    const job: SummaryJob = {
      graph: {
        layout: graph.layout,
        fileLayout: graph.fileLayout,
        nodeCount: graph.nodeCount,
        edgeCount: graph.edgeCount,
        nodes: graph.nodes,
        traceNodeIds: graph.traceNodeIds,
        edgeTypes: graph.edgeTypes,
        edgeNames: graph.edgeNames,
        firstEdge: graph.firstEdge,
        edgeTo: graph.edgeTo,
        locations: graph.locations,
        trace: graph.trace,
        extraNativeBytes: graph.extraNativeBytes,
        sections: graph.sections,
      },
      analysis: {
        selfSize: a.selfSize,
        retainedSize: a.retainedSize,
        distance: a.distance,
        detachedness: a.detachedness,
        classIndex: a.classIndex,
        classNames: a.classNames,
        classKeys: a.classKeys,
        edgeSources: a.edgeSources,
        retainers: a.retainers,
        dominatorPreorder: a.dominatorPreorder,
      },
      names: { nodeTypes: graph.layout.nodeTypes, scripts: [...scripts], allocFrames },
      viaLabels: viaLabels(graph),
    };
    this.worker.ref();
    this.worker.postMessage(job);
    return this.result;
  }

  /** Ends the thread (unused, or on a failure elsewhere). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
