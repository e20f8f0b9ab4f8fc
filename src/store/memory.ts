// Peak memory is one of ingest's budgets (a 700 MB snapshot must ingest in 1.6 GB). The big arrays are
// typed arrays outside V8's heap: when a phase drops one, V8 feels no pressure on its own (small) heap
// and may keep the memory until much later, so phases that free hundreds of MB ask for a collection.
//
// Ingest's memory protocol — which arrays are let go when (ingest.ts drives it):
//   1. parse        the graph (nodes, edges, strings, sections): live until the scope in ingestSnapshot
//                   that parses, analyses and writes ends; releaseMemory() before SQLite's final phase.
//   2. analysis     its scratch arrays (dominator computation, DFS stacks): analyzeGraph reports them
//                   through onScratchGarbage, and ingest releases once more when it returns.
//   3. edge tables  the writer thread (table-writers.ts) holds the essential-edge flags and retainer
//                   lists through shared memory and drops its references once the edge tables are
//                   written (table-writer-worker.ts), so the main thread's release frees them.
//   4. summaries    summary-writer.ts: the summary thread (summary-thread.ts) collects its own group
//                   arrays; once it is done, nothing reads the analysis' link arrays (its partitions
//                   were their last readers): the edge-source anchors, retainers, the dominator tree's
//                   preorder and essential flags go (`onLinksDone` = dropLinkArrays). The main
//                   thread's duplicated strings run beside the summary thread (their arrays released
//                   before the wait).
// StoreAnalysis (below) names the analysis arrays the store reads at all.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { GraphAnalysis } from '../graph/analyze.js';

let gc: (() => void) | null | undefined;

/** Runs a full garbage collection (tens of milliseconds: the JS heap itself stays small). */
export function releaseMemory(): void {
  if (gc === undefined) {
    // `gc` is exposed to a fresh context only; the flag is set for this lookup.
    setFlagsFromString('--expose-gc');
    gc = (runInNewContext('gc') as (() => void) | undefined) ?? null;
  }
  gc?.();
}

/**
 * Threads started after this call compile optimized code on their own thread, not in V8's background
 * jobs. An ingest runs five JavaScript threads (main, ingest, edge scan, page writer, summaries), and
 * each compiles its hot functions for itself; compiled in background jobs, that work kept V8's four
 * helper threads at ~1.7 s of CPU on a 150 MB snapshot (of ~9.5 s in all) and their compiler memory
 * at the peak. Measured on that snapshot, 5 interleaved runs each: peak RSS 395 → 380 MB, CPU −7 %,
 * wall time within noise (the compiling thread waits for its code, but no other thread competes with
 * the compiler for the two cores). V8 reads the flag when it creates a thread's isolate, so threads
 * already running keep background compilation; the process's main thread is one of them.
 */
export function optimizeInForeground(): void {
  setFlagsFromString('--no-concurrent-recompilation');
}

/** The parts of the graph analysis the store writes (src/graph/analyze.ts produces them). */
export type StoreAnalysis = Pick<
  GraphAnalysis,
  | 'selfSize'
  | 'distance'
  | 'dominator'
  | 'retainedSize'
  | 'detachedness'
  | 'classIndex'
  | 'classKeys'
  | 'classNames'
  | 'classes'
  | 'statistics'
  | 'totalSize'
  | 'hasUserRoots'
  | 'interfaces'
  | 'problems'
  | 'edgeSources'
  | 'retainers'
  | 'dominatorPreorder'
>;

/** Step 4: lets the analysis' link arrays go (nothing reads them after the summary thread). */
export function dropLinkArrays(a: Pick<GraphAnalysis, 'edgeSources' | 'retainers' | 'dominatorPreorder' | 'essentialEdge'>): void {
  a.edgeSources = { anchors: new Uint32Array(0) };
  a.retainers = { firstRetainer: new Uint32Array(0), retainerEdge: new Uint32Array(0) };
  a.dominatorPreorder = { entries: new Uint32Array(0), ordinalBits: 1, bigEnds: new Uint32Array(0) };
  a.essentialEdge = new Uint8Array(0);
}
