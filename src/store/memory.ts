// Peak memory is one of ingest's budgets (a 700 MB snapshot must ingest in 1.6 GB). The big arrays are
// typed arrays outside V8's heap: when a phase drops one, V8 feels no pressure on its own (small) heap
// and may keep the memory until much later, so phases that free hundreds of MB ask for a collection.

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
  | 'edgeFrom'
  | 'retainers'
  | 'dominatedNodes'
>;
