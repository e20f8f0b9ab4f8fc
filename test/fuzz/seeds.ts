// Small, real-shaped seed snapshots for the fuzzer: the first K nodes of a real snapshot with the edges
// among them, the strings they use, a pruned trace tree and a few records of every other section,
// written the way V8 writes them (one record per line, non-ASCII as \u escapes). A few KB each, so a
// parse takes a millisecond and the CLI a fraction of a second.

import { join } from 'node:path';
import { FIXTURES, SAMPLES, readSnapshotBytes } from '../helpers/env.js';

interface SnapshotJson {
  snapshot: {
    meta: Record<string, unknown> & { node_fields: string[]; edge_fields: string[]; edge_types: [string[], ...unknown[]] };
    node_count: number;
    edge_count: number;
    [k: string]: unknown;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
  trace_function_infos?: number[];
  trace_tree?: unknown[];
  samples?: number[];
  [section: string]: unknown;
}

export interface Seed {
  name: string;
  bytes: Buffer;
}

/** The seeds: two cuts of a Node heap, one with allocation traces, one of Chromium's (scopes, 5 location fields). */
export function makeSeeds(): Seed[] {
  const load = (path: string) => JSON.parse(readSnapshotBytes(path).toString('utf8')) as SnapshotJson;
  const leak = load(join(SAMPLES, 'node-leak-before.heapsnapshot.gz'));
  const alloc = load(join(SAMPLES, 'node-alloc.heapsnapshot.gz'));
  const chrome = load(join(FIXTURES, 'chrome-small-0.heapsnapshot.gz'));
  return [
    { name: 'node-60', bytes: shrink(leak, 60) },
    { name: 'node-400', bytes: shrink(leak, 400) },
    { name: 'node-alloc-150', bytes: shrink(alloc, 150) },
    { name: 'chrome-120', bytes: shrink(chrome, 120) },
  ];
}

/** The first `k` nodes of `json` and the edges among them, as V8-style snapshot text. */
export function shrink(json: SnapshotJson, k: number): Buffer {
  const meta = json.snapshot.meta;
  const nf = meta.node_fields;
  const ef = meta.edge_fields;
  const F = nf.length;
  const E = ef.length;
  const ec = nf.indexOf('edge_count');
  const nameOff = nf.indexOf('name');
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const enumTypes = meta.edge_types[0];
  const numericName = new Set([enumTypes.indexOf('element'), enumTypes.indexOf('hidden')]);

  const strings: string[] = [];
  const remap = new Map<number, number>();
  const use = (i: number): number => {
    let j = remap.get(i);
    if (j === undefined) {
      j = strings.length;
      strings.push(json.strings[i] ?? '');
      remap.set(i, j);
    }
    return j;
  };
  use(0);

  const nodes = json.nodes.slice(0, k * F);
  const edges: number[] = [];
  let e = 0;
  for (let n = 0; n < k; n++) {
    const count = json.nodes[n * F + ec];
    let kept = 0;
    for (let j = 0; j < count; j++, e++) {
      const rec = json.edges.slice(e * E, e * E + E);
      if (rec[eTo] >= k * F) continue;
      if (!numericName.has(rec[eType])) rec[eName] = use(rec[eName]);
      edges.push(...rec);
      kept++;
    }
    nodes[n * F + ec] = kept;
    nodes[n * F + nameOff] = use(nodes[n * F + nameOff]);
  }

  const tfiFields = (meta.trace_function_info_fields as string[] | undefined) ?? [];
  const tfi = (json.trace_function_infos ?? []).slice(0, 20 * tfiFields.length);
  for (const f of ['name', 'script_name']) {
    const o = tfiFields.indexOf(f);
    if (o >= 0) for (let i = o; i < tfi.length; i += tfiFields.length) tfi[i] = use(tfi[i]);
  }
  const functionCount = tfiFields.length > 0 ? tfi.length / tfiFields.length : 0;
  const prune = (tree: unknown[], depth: number): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i + 4 < tree.length && out.length < 15; i += 5) {
      const fi = tree[i + 1] as number;
      out.push(tree[i], fi < functionCount ? fi : 0, tree[i + 2], tree[i + 3], depth < 3 ? prune(tree[i + 4] as unknown[], depth + 1) : []);
    }
    return out;
  };
  const tree = prune(json.trace_tree ?? [], 0);
  const sampleFields = ((meta.sample_fields as string[] | undefined) ?? []).length || 2;
  const samples = (json.samples ?? []).slice(0, 10 * sampleFields);
  const locFields = ((meta.location_fields as string[] | undefined) ?? []).length || 4;
  const locations: number[] = [];
  const allLoc = json.locations ?? [];
  for (let i = 0; i < allLoc.length; i += locFields) if (allLoc[i] < k * F) locations.push(...allLoc.slice(i, i + locFields));

  const header = { ...json.snapshot, node_count: k, edge_count: edges.length / E };
  if ('trace_function_count' in header) header.trace_function_count = functionCount;
  const rows = (values: number[], width: number) => {
    const lines: string[] = [];
    for (let i = 0; i < values.length; i += width) lines.push(values.slice(i, i + width).join(','));
    return lines.join('\n,');
  };
  const known = new Set(['snapshot', 'nodes', 'edges', 'strings', 'locations', 'trace_function_infos', 'trace_tree', 'samples']);
  const extra = Object.keys(json)
    .filter((key) => !known.has(key))
    .map((key) => {
      const v = json[key];
      return `${JSON.stringify(key)}:${JSON.stringify(Array.isArray(v) ? v.slice(0, 12) : v)},\n`;
    })
    .join('');
  const text =
    `{"snapshot":${JSON.stringify(header)},\n` +
    `"nodes":[${rows(nodes, F)}],\n` +
    `"edges":[${rows(edges, E)}],\n` +
    `"trace_function_infos":[${rows(tfi, tfiFields.length || 6)}],\n` +
    `"trace_tree":${JSON.stringify(tree)},\n` +
    `"samples":[${rows(samples, sampleFields)}],\n` +
    `"locations":[${rows(locations, locFields)}],\n` +
    extra +
    `"strings":[${strings.map(v8String).join(',\n')}]}`;
  return Buffer.from(text, 'latin1');
}

/** A string as V8 writes it: JSON, every non-ASCII UTF-16 unit as a \u escape. */
export function v8String(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
