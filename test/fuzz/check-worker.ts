// The fuzzer's in-process checks, in a child process the driver (fuzz.ts) can kill when a case hangs.
// One message per case in, one verdict out. The checks:
// - the parse ends in a HeapGraph or an InputError (anything else would be exit status 1), with a
//   one-line message naming the file;
// - the one-thread parse and the parse with the edge worker agree exactly (same verdict, same message);
// - an accepted input is valid UTF-8 and valid JSON (JSON.parse), and the graph holds exactly its
//   header's counts and values (nodes, edges, strings, locations);
// - an accepted input ingests (ingestSnapshot) or is refused with an InputError, leaving exactly the
//   database, or nothing, in the output directory.

import { isUtf8 } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../src/errors.js';
import type { HeapGraph } from '../../src/parse/heap-graph.js';
import { readSnapshot } from '../../src/parse/read-snapshot.js';
import { fileNodeRecords } from '../helpers/json-graph.js';
import { ingestSnapshot } from '../../src/store/ingest.js';

export interface CheckJob {
  path: string;
  /** Also parse with the edge worker and compare. */
  bothPaths: boolean;
  /** Ingest accepted inputs into `dbDir`. */
  ingest: boolean;
  dbDir: string;
}

export interface CheckResult {
  verdict: 'accepted' | 'rejected' | 'failed';
  /** The InputError's message (rejected) or what went wrong (failed). */
  message: string;
  /** For accepted inputs: the ingest's own verdict (an analysis may still refuse a graph). */
  ingested?: 'ok' | 'rejected';
}

type Outcome = { graph: HeapGraph; error: null } | { graph: null; error: unknown };

async function outcome(path: string, parallel: boolean): Promise<Outcome> {
  try {
    return { graph: await readSnapshot(path, { parallelMinBytes: parallel ? 0 : Number.MAX_SAFE_INTEGER }), error: null };
  } catch (error) {
    return { graph: null, error };
  }
}

const describe = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));
const failed = (message: string): CheckResult => ({ verdict: 'failed', message });

export async function check(job: CheckJob): Promise<CheckResult> {
  const one = await outcome(job.path, false);
  if (job.bothPaths) {
    const par = await outcome(job.path, true);
    const a = one.error === null ? 'accepted' : (one.error as Error).message;
    const b = par.error === null ? 'accepted' : (par.error as Error).message;
    if (a !== b) return failed(`the two parse paths disagree: one thread: ${a} | edge worker: ${b}`);
  }
  if (one.error !== null) {
    if (!(one.error instanceof InputError)) return failed(`not an InputError (exit 1): ${describe(one.error)}`);
    const m = one.error.message;
    if (m.includes('\n')) return failed(`a multi-line message: ${JSON.stringify(m)}`);
    if (!m.startsWith(job.path)) return failed(`the message does not name the file: ${m}`);
    return { verdict: 'rejected', message: m };
  }
  const graph = one.graph!;
  const problem = compareWithJsonParse(job.path, graph);
  if (problem !== null) return failed(problem);
  let ingested: 'ok' | 'rejected' | undefined;
  if (job.ingest) {
    rmSync(job.dbDir, { recursive: true, force: true });
    mkdirSync(job.dbDir, { recursive: true });
    try {
      await ingestSnapshot(job.path, { dbPath: join(job.dbDir, 'x.db'), force: true, quiet: true });
      ingested = 'ok';
    } catch (e) {
      if (!(e instanceof InputError)) return failed(`ingest of an accepted input: not an InputError (exit 1): ${describe(e)}`);
      ingested = 'rejected';
    }
    const left = readdirSync(job.dbDir);
    const expected = ingested === 'ok' ? ['x.db'] : [];
    if (left.join() !== expected.join()) return failed(`ingest left ${JSON.stringify(left)} (expected ${JSON.stringify(expected)})`);
    rmSync(job.dbDir, { recursive: true, force: true });
  }
  return { verdict: 'accepted', message: '', ingested };
}

/** The file's node values as the graph keeps them: detachedness by its low byte (DevTools reads 2 bits of it). */
function keptNodeValues(g: HeapGraph, nodes: number[] | undefined): number[] | undefined {
  const F = g.fileLayout.nodeFieldCount;
  const det = g.fileLayout.nodeDetachednessOffset;
  return det < 0 ? nodes : nodes?.map((v, i) => (i % F === det ? v & 0xff : v));
}

/** An accepted input must be what JSON.parse reads, value for value. Returns the first difference. */
function compareWithJsonParse(path: string, g: HeapGraph): string | null {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (!isUtf8(bytes)) return 'accepted an input that is not valid UTF-8';
  let json: any;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return `accepted an input JSON.parse refuses: ${(e as Error).message}`;
  }
  const h = json.snapshot;
  if (g.nodeCount !== h.node_count || g.edgeCount !== h.edge_count)
    return `counts differ from the header: ${g.nodeCount}/${g.edgeCount} vs ${h.node_count}/${h.edge_count}`;
  const same = (what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown> | undefined): string | null => {
    const bb = b ?? [];
    if (a.length !== bb.length) return `${what}: ${a.length} values, JSON.parse reads ${bb.length}`;
    for (let i = 0; i < a.length; i++) if (a[i] !== bb[i]) return `${what}[${i}] = ${String(a[i])}, JSON.parse reads ${String(bb[i])}`;
    return null;
  };
  const l = g.layout;
  const edges = new Array<number>(g.edgeCount * l.edgeFieldCount);
  for (let e = 0; e < g.edgeCount; e++) {
    edges[e * l.edgeFieldCount + l.edgeTypeOffset] = g.edgeTypes[e];
    edges[e * l.edgeFieldCount + l.edgeNameOffset] = g.edgeNames[e];
    edges[e * l.edgeFieldCount + l.edgeToNodeOffset] = g.edgeTo[e] * g.fileLayout.nodeFieldCount;
  }
  return (
    same('nodes', fileNodeRecords(g), keptNodeValues(g, json.nodes)) ??
    same('edges', edges, json.edges) ??
    same('strings', g.strings.toArray(), json.strings) ??
    same('locations', g.rawLocations, json.locations) ??
    same('samples', g.trace?.samples ?? [], json.samples) ??
    same('trace_function_infos', g.trace?.functionInfos ?? [], json.trace_function_infos)
  );
}

// As a child process: answer the driver's jobs one by one.
if (process.send !== undefined) {
  process.on('message', (job: CheckJob) => {
    check(job).then(
      (r) => process.send!(r),
      (e) => process.send!(failed(`the check itself threw: ${describe(e)}`)),
    );
  });
}
