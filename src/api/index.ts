// heapdiff's public library: what `import … from 'heapdiff'` gives. The CLI is one user of it (every
// command is an option normaliser, one call here and one renderer); scripts, test suites and other
// tools are the others. Results are the same typed objects the CLI renders, so `--format json` and
// this API never disagree.
//
//   import { open, diff } from 'heapdiff';
//   const before = await open('before.heapsnapshot');   // ingested once into the cache, then reused
//   const after = await open('after.heapsnapshot');
//   const d = await diff(before, after);
//   console.log(d.suspects[0]?.class_name);
//   before.close(); after.close();
//
// Errors heapdiff throws on purpose are `HeapdiffError`s with a stable `code` (`BAD_INPUT`,
// `BAD_OPTION`, …); anything else is a bug.

import { diffStores, type DiffOptions, type DiffResult } from '../analyses/diff.js';
import { dominators as dominatorTree, type DominatorOptions, type DominatorsResult } from '../analyses/dominators.js';
import { inspect as inspectObject, type InspectOptions, type InspectResult } from '../analyses/inspect.js';
import { findLeaks, type LeaksOptions, type LeaksResult } from '../analyses/leaks.js';
import { partition as partitionOf, type PartitionOptions, type PartitionResult } from '../analyses/partition.js';
import { retainers as retainersOf, type RetainersOptions, type RetainersResult } from '../analyses/retainers.js';
import { sqlQuery, type SqlResult } from '../analyses/sql.js';
import { stats as statsOf, type StatsResult } from '../analyses/stats.js';
import { duplicateStrings, type StringsOptions, type StringsResult } from '../analyses/strings.js';
import { findSuspects, type SuspectsOptions, type SuspectsResult } from '../analyses/suspects.js';
import { ingestSnapshot, type IngestResult } from '../store/ingest.js';
import { openStore, openStores, type OpenedStore } from '../store/open.js';
import { prestartColumnReaders } from '../store/queries/node-columns.js';

export { ExitError, HeapdiffError, InputError, OptionError, type ErrorCode } from '../errors.js';
export { CLASSIFIERS, type Classifier } from '../analyses/partition.js';
export type {
  DiffOptions,
  DiffResult,
  DominatorOptions,
  DominatorsResult,
  InspectOptions,
  InspectResult,
  IngestResult,
  LeaksOptions,
  LeaksResult,
  PartitionOptions,
  PartitionResult,
  RetainersOptions,
  RetainersResult,
  SqlResult,
  StatsResult,
  StringsOptions,
  StringsResult,
  SuspectsOptions,
  SuspectsResult,
};
export { VERSION } from '../version.js';
/** heapy in the program: `const hp = hpy(); hp.setrelheap(); … console.log(await hp.heap())` (docs/capture.md). */
export { hpy, Hpy, HeapPage, type HeapOptions } from '../capture/hpy.js';

/** Called while a snapshot is ingested: the phase (`parse`, `analysis`, `write`, …) and how far it is. */
export type ProgressCallback = (phase: string, done: number, total: number) => void;

export interface OpenOptions {
  /** Where ingested copies of snapshot files are kept (default `$HEAPDIFF_CACHE_DIR`, else ~/.cache/heapdiff). */
  cacheDir?: string;
  /** Progress of an ingest (only called when the snapshot is not in the cache yet). */
  onProgress?: ProgressCallback;
}

/** What the store knows about the snapshot it was made from. */
export interface SnapshotMeta {
  /** The snapshot file's name as ingested. */
  sourceName: string;
  nodeCount: number;
  edgeCount: number;
  /** Total self size of the live heap (DevTools' Summary total), bytes. */
  totalSize: number;
  /** The highest object id of a JavaScript object (odd ids); objects allocated later have higher ids. */
  maxJsObjectId: number;
  /** True when the snapshot has allocation stacks (`--track-heap-objects` / allocation instrumentation). */
  hasAllocationTraces: boolean;
  /** Every `meta` row of the store, as stored. */
  raw: Readonly<Record<string, string | number>>;
}

function metaOf(raw: Record<string, string | number>): SnapshotMeta {
  return {
    sourceName: String(raw.source_name ?? ''),
    nodeCount: Number(raw.node_count ?? 0),
    edgeCount: Number(raw.edge_count ?? 0),
    totalSize: Number(raw.total_size ?? 0),
    maxJsObjectId: Number(raw.max_js_object_id ?? 0),
    hasAllocationTraces: Number(raw.has_allocation_traces ?? 0) === 1,
    raw: Object.freeze({ ...raw }),
  };
}

/**
 * One opened snapshot: a read-only connection to its ingested store. Every question is a method; close
 * it when done (or use `using` where the runtime supports explicit resource management).
 */
export class Snapshot {
  /** What was opened (the snapshot file or the `.db` as given). */
  readonly source: string;
  /** The store answering the questions (the cache entry, or the `.db` given). */
  readonly dbPath: string;
  readonly meta: SnapshotMeta;
  #store: OpenedStore | null;

  /** @internal Use `open()`. */
  constructor(store: OpenedStore) {
    this.#store = store;
    this.source = store.source;
    this.dbPath = store.dbPath;
    this.meta = metaOf(store.meta);
  }

  /** @internal The store connection, for heapdiff's own modules. */
  get store(): OpenedStore {
    if (this.#store === null) throw new Error(`${this.source}: snapshot is closed`);
    return this.#store;
  }

  /** The heap as heapy's partition table (`heapdiff partition`). */
  partition(options: PartitionOptions = {}): PartitionResult {
    return partitionOf(this.store, options);
  }

  /** Why is it alive: the shortest retainer paths of `@id` / an id, or of a class's biggest instances, merged by pattern. */
  retainers(target: string | number, options: RetainersOptions = {}): RetainersResult {
    return retainersOf(this.store, typeof target === 'number' ? `@${target}` : target, options);
  }

  /** One object by its id: its facts, edges and retainers. */
  inspect(id: number, options: InspectOptions = {}): InspectResult {
    return inspectObject(this.store, id, options);
  }

  /** DevTools' Statistics. */
  stats(): StatsResult {
    return statsOf(this.store);
  }

  /** The top of the dominator tree. */
  dominators(options: DominatorOptions = {}): DominatorsResult {
    return dominatorTree(this.store, options);
  }

  /** Duplicated strings and the bytes they waste. */
  strings(options: StringsOptions = {}): StringsResult {
    return duplicateStrings(this.store, options);
  }

  /** Read-only SQL over this store (see docs/schema.md for the tables). */
  sql(query: string): SqlResult {
    return sqlQuery([this.store], query);
  }

  /** Post-mortem leak suspects (Eclipse MAT's method), for a single snapshot such as an OOM one. */
  suspects(options: SuspectsOptions = {}): SuspectsResult {
    return findSuspects(this.store, options);
  }

  close(): void {
    this.#store?.db.close();
    this.#store = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** Opens a snapshot file (ingesting it into the cache on first use) or an ingested `.db`. */
export async function open(fileOrDb: string, options: OpenOptions = {}): Promise<Snapshot> {
  return new Snapshot(await openStore(fileOrDb, { onProgress: options.onProgress, cacheDir: options.cacheDir }));
}

/** Opens several snapshots, ingesting the ones not yet cached side by side (two cores: about twice as fast as one by one). */
export async function openAll(
  paths: readonly string[],
  options: OpenOptions & {
    onDone?: () => void;
    /** @internal Column-reading threads to start first (heapdiff's diff and leaks read the stores' columns on them). */
    columnReaders?: number;
  } = {},
): Promise<Snapshot[]> {
  if (options.columnReaders) prestartColumnReaders(options.columnReaders);
  const progress = { update: options.onProgress ?? (() => {}), done: options.onDone ?? (() => {}) };
  return (await openStores(paths, progress, { cacheDir: options.cacheDir })).map((s) => new Snapshot(s));
}

/** Ingests a snapshot into a `.db` of your choosing (default: beside the snapshot). */
export async function ingest(snapshotPath: string, options: { db?: string; force?: boolean; onProgress?: ProgressCallback } = {}): Promise<IngestResult> {
  return ingestSnapshot(snapshotPath, { dbPath: options.db, force: options.force, onProgress: options.onProgress });
}

/** What grew from `a` to `b` (DevTools' Comparison) and the leak suspects. */
export async function diff(a: Snapshot, b: Snapshot, options: DiffOptions = {}): Promise<DiffResult> {
  return diffStores(a.store, b.store, options);
}

/** memlab's three-snapshot method: allocated between baseline and target, still alive in final. */
export async function leaks(baseline: Snapshot, target: Snapshot, final: Snapshot, options: LeaksOptions = {}): Promise<LeaksResult> {
  return findLeaks(baseline.store, target.store, final.store, options);
}

/** Post-mortem leak suspects of one snapshot (same as `snapshot.suspects()`). */
export function suspects(snapshot: Snapshot, options: SuspectsOptions = {}): SuspectsResult {
  return snapshot.suspects(options);
}

/** Read-only SQL over several snapshots at once, ATTACHed as s1, s2, … (the first is also `main`). */
export function sql(snapshots: readonly Snapshot[], query: string): SqlResult {
  return sqlQuery(
    snapshots.map((s) => s.store),
    query,
  );
}
