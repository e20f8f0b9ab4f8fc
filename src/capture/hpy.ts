// heapy for Node, inside the program: `const hp = hpy(); hp.setrelheap(); … console.log(await hp.heap())`
// prints heapy's partition table of the live heap of this very process.
//
// Each `heap()` takes a snapshot through `node:inspector` (an in-process session: the snapshot's chunks
// arrive synchronously while the heap is frozen) into a temporary file, ingests it with the same code as
// `heapdiff ingest` and asks the same partition analysis `heapdiff partition` uses — both in a worker
// thread, so heapdiff's own work does not show in the heap it measures — and removes the files.
//
// `setrelheap()` is heapy's memory breakpoint. V8 gives heap objects ids when a snapshot first sees
// them, increasing, odd for JavaScript heap objects; ids stay fixed for as long as the session lives.
// So setrelheap takes a snapshot (giving every live object an id) and keeps only its highest odd id,
// read off the chunks as they pass: everything a later snapshot shows with an odd id above it was
// allocated after the breakpoint. Later tables show only those objects.
//
// The session is kept for the life of the `Hpy` (closing it would make V8 forget every id); `close()`
// ends it.

import { Session } from 'node:inspector';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Classifier, PartitionResult, PartitionRow, PartitionSort } from '../analyses/partition.js';
import { InputError } from '../errors.js';
import { renderHeapyTable } from '../render/heapy.js';
import { partitionJson, partitionTable } from '../render/partition.js';
import type { HpyJob } from './hpy-worker.js';
import { MaxIdScanner } from './max-id.js';

export interface HeapOptions {
  /** Classifier (as `heapdiff partition --by`): class (default), type, rcs, via, size, alloc, script, detachedness, distance. */
  by?: Classifier;
  /** SQL expression over the nodes view narrowing the set (as `--where`). */
  where?: string;
  sort?: PartitionSort;
  /** Rows per page (heapy: 10). */
  top?: number;
}

const PAGE = 10;
const MORE_HINT = "Type e.g. '_.more()' to view.";

/** One page of a partition: prints as heapy's table (`console.log`, `String()`, template strings). */
export class HeapPage {
  constructor(
    /** The whole partition (every row). */
    readonly result: PartitionResult,
    /** Index of the first row on this page. */
    readonly start: number,
    readonly pageSize: number,
  ) {}

  /** Every row of the partition (not only this page's). */
  get rows(): PartitionRow[] {
    return this.result.rows;
  }

  /** The rows shown on this page. */
  get pageRows(): PartitionRow[] {
    return this.result.rows.slice(this.start, this.start + this.pageSize);
  }

  /** The next page (heapy's `.more`). */
  more(): HeapPage {
    return new HeapPage(this.result, Math.min(this.result.rows.length, this.start + this.pageSize), this.pageSize);
  }

  /** heapy's table: the `Partition of a set of …` line on the first page, then the rows, then `<N more rows…>`. */
  toString(): string {
    const table = partitionTable(this.result, { all: true });
    table.rows = table.rows.slice(this.start, this.start + this.pageSize);
    table.moreRows = this.result.rows.length - this.start - table.rows.length;
    table.moreHint = MORE_HINT;
    if (this.start > 0) table.title = [];
    return renderHeapyTable(table);
  }

  /** `heapdiff partition --format json`'s shape, with every row. */
  toJSON(): object {
    return partitionJson(this.result, { all: true });
  }

  [inspect.custom](): string {
    return this.toString().replace(/\n$/, '');
  }
}

export class Hpy {
  private session: Session | null = null;
  /** The breakpoint: objects with an odd id above this are "new". */
  private relId: number | null = null;

  private connect(): Session {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
    }
    return this.session;
  }

  /** Posts a command and returns its result; in-process sessions answer synchronously. */
  private post<T = any>(method: string, params: object = {}): T {
    const session = this.connect();
    let answered = false;
    let error: Error | null = null;
    let result: T | undefined;
    session.post(method, params, (err, r) => {
      answered = true;
      error = err;
      result = r as T;
    });
    if (!answered) throw new Error(`inspector: ${method} did not answer synchronously`);
    if (error) throw error;
    return result as T;
  }

  /** Takes a snapshot; each chunk goes to `write` (or nowhere). */
  private snapshot(write: ((chunk: string) => void) | null): void {
    const session = this.connect();
    const onChunk = (m: { params: { chunk: string } }) => write?.(m.params.chunk);
    session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    try {
      this.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      session.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
    }
  }

  /** heapy's memory breakpoint: later `heap()` tables show only objects allocated after this call. */
  setrelheap(): void {
    const scanner = new MaxIdScanner();
    this.snapshot((chunk) => scanner.push(chunk));
    this.relId = scanner.max;
  }

  /** Forgets the breakpoint: tables show the whole heap again. */
  clearrelheap(): void {
    this.relId = null;
  }

  /** The partition table of the live heap (relative to `setrelheap()` when it was called). */
  async heap(options: HeapOptions = {}): Promise<HeapPage> {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-hpy-'));
    try {
      const file = join(dir, 'heap.heapsnapshot');
      const fd = openSync(file, 'w');
      try {
        this.snapshot((chunk) => writeSync(fd, chunk));
      } finally {
        closeSync(fd);
      }
      const where = [this.relId !== null ? 'id % 2 = 1' : null, options.where !== undefined ? `(${options.where})` : null]
        .filter((w) => w !== null)
        .join(' AND ');
      const job: HpyJob = {
        file,
        dbPath: join(dir, 'heap.db'),
        options: {
          by: options.by ?? 'class',
          where: where === '' ? undefined : where,
          idRange: this.relId !== null ? { min: this.relId } : undefined,
          sort: options.sort,
        },
      };
      const result = await runWorker(job);
      return new HeapPage(result, 0, Math.max(1, options.top ?? PAGE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Ends the inspector session (V8 then forgets object ids; a later call starts a new one). */
  close(): void {
    this.session?.disconnect();
    this.session = null;
    this.relId = null;
  }
}

const WORKER = new URL('./hpy-worker.js', import.meta.url);

/** Ingests and partitions in a worker thread (see hpy-worker.ts for why). */
function runWorker(job: HpyJob): Promise<PartitionResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    let answered = false;
    worker.once('message', (m: { ok: boolean; result?: PartitionResult; message?: string; name?: string }) => {
      answered = true;
      if (m.ok) resolve(m.result!);
      else reject(m.name === 'InputError' ? new InputError(m.message!) : new Error(m.message));
    });
    worker.once('error', (e) => {
      answered = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`heapdiff's worker exited (${code}) without an answer`));
    });
  });
}

/** heapy's entry point: `const hp = hpy()`. */
export function hpy(): Hpy {
  return new Hpy();
}
