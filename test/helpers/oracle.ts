// Compare heapdiff's graph analysis with DevTools' own engine (npm `heap-snapshot-toolkit`, dev-only).
// Every node (className, selfSize, retainedSize, distance, dominator), every Summary row of
// `getAggregatesByClassKey(false, 'allObjects')`, `getStatistics()` and `totalSize`.

import type Database from 'better-sqlite3';
import { parse } from 'heap-snapshot-toolkit';
import type { GraphAnalysis } from '../../src/graph/analyze.js';
import type { HeapGraph } from '../../src/parse/heap-graph.js';
import type { ClassRow } from '../../src/store/queries/node-columns.js';

// The toolkit's types describe DevTools' classes loosely; this is the surface the tests use.
export interface OracleSnapshot {
  nodeCount: number;
  nodeFieldCount: number;
  totalSize: number;
  dominatorsTree: Uint32Array;
  createNode(nodeIndex: number): {
    className(): string;
    selfSize(): number;
    retainedSize(): number;
    distance(): number;
    detachedness(): number;
    id(): number;
  };
  getAggregatesByClassKey(
    sortedIndexes: boolean,
    key: string,
  ): Record<string, { count: number; distance: number; self: number; maxRet: number; name: string; idxs: number[] }>;
  getStatistics(): unknown;
  interfaceDefinitions(): string;
}

/** Loads snapshot text into DevTools' engine, fed in 1 MiB pieces like a file stream. */
export async function loadOracle(text: string): Promise<OracleSnapshot> {
  const CHUNK = 1 << 20;
  let offset = 0;
  const stream = new ReadableStream<string>({
    pull(controller) {
      if (offset >= text.length) {
        controller.close();
        return;
      }
      controller.enqueue(text.slice(offset, offset + CHUNK));
      offset += CHUNK;
    },
  });
  return (await parse(stream)) as unknown as OracleSnapshot;
}

/** Collects mismatches of one kind: a count plus the first 10 examples. */
class Mismatches {
  readonly byKind = new Map<string, { count: number; examples: string[] }>();
  add(kind: string, example: string): void {
    let m = this.byKind.get(kind);
    if (!m) this.byKind.set(kind, (m = { count: 0, examples: [] }));
    m.count++;
    if (m.examples.length < 10) m.examples.push(example);
  }
  report(): string {
    const lines: string[] = [];
    for (const [kind, m] of this.byKind) lines.push(`${kind}: ${m.count} mismatches, e.g.\n    ${m.examples.join('\n    ')}`);
    return lines.join('\n');
  }
}

/** Returns '' when everything agrees, else a readable mismatch report. */
export function compareWithOracle(graph: HeapGraph, a: GraphAnalysis, s: OracleSnapshot): string {
  const mm = new Mismatches();
  if (s.nodeCount !== graph.nodeCount) mm.add('nodeCount', `oracle ${s.nodeCount} ours ${graph.nodeCount}`);
  const F = s.nodeFieldCount;
  const n = Math.min(s.nodeCount, graph.nodeCount);
  for (let k = 0; k < n; k++) {
    const node = s.createNode(k * F);
    const className = node.className();
    const ours = a.classNames[a.classIndex[k]];
    if (className !== ours) mm.add('className', `#${k} @${node.id()}: oracle ${JSON.stringify(className)} ours ${JSON.stringify(ours)}`);
    if (node.selfSize() !== a.selfSize[k]) mm.add('selfSize', `#${k} @${node.id()} ${className}: oracle ${node.selfSize()} ours ${a.selfSize[k]}`);
    if (node.retainedSize() !== a.retainedSize[k])
      mm.add('retainedSize', `#${k} @${node.id()} ${className}: oracle ${node.retainedSize()} ours ${a.retainedSize[k]}`);
    if (node.distance() !== a.distance[k]) mm.add('distance', `#${k} @${node.id()} ${className}: oracle ${node.distance()} ours ${a.distance[k]}`);
    if (s.dominatorsTree[k] !== a.dominator[k]) mm.add('dominator', `#${k} @${node.id()} ${className}: oracle ${s.dominatorsTree[k]} ours ${a.dominator[k]}`);
    if (node.detachedness() !== a.detachedness[k])
      mm.add('detachedness', `#${k} @${node.id()} ${className}: oracle ${node.detachedness()} ours ${a.detachedness[k]}`);
  }

  const rows = s.getAggregatesByClassKey(false, 'allObjects');
  const classByKey = new Map<string, number>();
  a.classKeys.forEach((key, c) => classByKey.set(key, c));
  for (const [key, row] of Object.entries(rows)) {
    const c = classByKey.get(key);
    if (c === undefined) {
      mm.add('class missing', `${JSON.stringify(key)} (oracle count ${row.count})`);
      continue;
    }
    const cl = a.classes;
    const ours = { count: cl.count[c], distance: cl.distance[c], self: cl.self[c], maxRet: cl.retained[c], name: a.classNames[c] };
    for (const field of ['count', 'distance', 'self', 'maxRet', 'name'] as const) {
      if (row[field] !== ours[field]) mm.add(`class ${field}`, `${JSON.stringify(key)}: oracle ${row[field]} ours ${ours[field]}`);
    }
  }
  for (let c = 0; c < a.classKeys.length; c++) {
    if (a.classes.count[c] > 0 && !(a.classKeys[c] in rows)) mm.add('class extra', `${JSON.stringify(a.classKeys[c])} count ${a.classes.count[c]}`);
  }

  const stats = JSON.stringify(s.getStatistics());
  if (stats !== JSON.stringify(a.statistics)) mm.add('statistics', `oracle ${stats}\n    ours   ${JSON.stringify(a.statistics)}`);
  if (s.totalSize !== a.totalSize) mm.add('totalSize', `oracle ${s.totalSize} ours ${a.totalSize}`);
  const interfaces = (JSON.parse(s.interfaceDefinitions()) as { name: string }[]).map((d) => d.name);
  if (JSON.stringify(interfaces) !== JSON.stringify(a.interfaces)) {
    mm.add(
      'interfaces',
      `oracle ${interfaces.length} [${interfaces.slice(0, 5).join(' ')} …] ours ${a.interfaces.length} [${a.interfaces.slice(0, 5).join(' ')} …]`,
    );
  }
  return mm.report();
}

/** The analysis columns of a store, in the shape compareWithOracle expects (store-oracle test, bench/oracle-check.ts). */
export function analysisFromStore(db: Database.Database): { graph: HeapGraph; a: GraphAnalysis } {
  const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string | number }[]).map((r) => [r.key, r.value]));
  const n = Number(meta.node_count);
  const selfSize = new Float64Array(n);
  const retainedSize = new Float64Array(n);
  const distance = new Int32Array(n);
  const dominator = new Uint32Array(n);
  const classIndex = new Uint32Array(n);
  const detachedness = new Uint8Array(n);
  let k = 0;
  for (const r of db
    .prepare('SELECT ordinal, self_size, retained_size, distance, dominator, class_id, detachedness FROM node_rows ORDER BY ordinal')
    .raw()
    .iterate() as Iterable<number[]>) {
    if (r[0] !== k) throw new Error(`node_rows: ordinal ${r[0]} where ${k} was expected`);
    selfSize[k] = r[1]!;
    retainedSize[k] = r[2]!;
    distance[k] = r[3]!;
    dominator[k] = r[4]!;
    classIndex[k] = r[5]!;
    detachedness[k] = r[6]!;
    k++;
  }
  const classes = db.prepare('SELECT * FROM classes ORDER BY class_id').all() as ClassRow[];
  const st = Object.fromEntries(
    (db.prepare('SELECT category, bytes FROM statistics').all() as { category: string; bytes: number }[]).map((r) => [r.category, r.bytes]),
  );
  const a = {
    selfSize,
    retainedSize,
    distance,
    dominator,
    classIndex,
    detachedness,
    classKeys: classes.map((c) => c.class_key),
    classNames: classes.map((c) => c.class_name),
    classes: {
      count: Float64Array.from(classes, (c) => c.count),
      self: Float64Array.from(classes, (c) => c.self_size),
      retained: Float64Array.from(classes, (c) => c.retained_size),
      distance: Int32Array.from(classes, (c) => c.distance),
    },
    statistics: {
      total: st.total,
      native: { total: st.native, typedArrays: st.typed_arrays },
      v8heap: { total: st.v8heap, code: st.code, jsArrays: st.js_arrays, strings: st.strings, system: st.system },
    },
    totalSize: Number(meta.total_size),
    interfaces: JSON.parse(String(meta.interfaces)) as string[],
  } as unknown as GraphAnalysis;
  return { graph: { nodeCount: n } as HeapGraph, a };
}
