// Checks one big snapshot's heapdiff store against DevTools' engine (heap-snapshot-toolkit), the way the
// oracle tests do for the small fixtures, so the bench's generated shapes get the same proof:
//
//   npx tsc -p tsconfig.json && node --max-old-space-size=8000 dist/bench/oracle-check.js FILE [DB]
//
// DB defaults to the bench's bench/out/db/<name>.db when present, else FILE is ingested to a temporary DB.
// Compared: every node (class name, self and retained size, distance, dominator, detachedness), every
// Summary class row, the statistics, the total size and the interfaces (test/helpers/oracle.ts'
// compareWithOracle, as test/store-oracle.test.ts), then the ingest summaries (as
// test/summaries-oracle.test.ts): each classifier's partition rows cover the Summary set exactly, the
// duplicated strings total DevTools' filter, every class's top instances are the engine's biggest retained
// first, and each expanded dominator-tree node has the engine's children, biggest first.
// Prints "OK" or the mismatches and exits 0 / 1. Memory: the engine's load plus the text (~7× the file).

import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphAnalysis } from '../src/graph/analyze.js';
import { ingestSnapshot } from '../src/store/ingest.js';
import { CLASS_TOP, DOMINATOR_CHILDREN } from '../src/store/summaries.js';
import { analysisFromStore, compareWithOracle, loadOracle, type OracleSnapshot } from '../test/helpers/oracle.js';

type Engine = OracleSnapshot & {
  createNamedFilter(name: string): unknown;
  getAggregatesByClassKey(sorted: boolean, key: string, filter?: unknown): Record<string, { count: number; self: number }>;
};

/** The ingest summaries against the engine; returns mismatch lines. */
function compareSummaries(db: Database.Database, a: GraphAnalysis, engine: Engine, nodeFieldCount: number): string[] {
  const bad: string[] = [];
  const node = (k: number) => engine.createNode(k * nodeFieldCount);
  const n = engine.nodeCount;
  let summaryCount = 0;
  let summarySize = 0;
  for (let k = 0; k < n; k++) {
    const s = node(k).selfSize();
    if (s > 0) {
      summaryCount++;
      summarySize += s;
    }
  }
  for (const r of db.prepare('SELECT classifier, sum(count) AS c, sum(size) AS s FROM summary_partition GROUP BY classifier').all() as {
    classifier: string;
    c: number;
    s: number;
  }[]) {
    if (r.c !== summaryCount || r.s !== summarySize)
      bad.push(`partition by ${r.classifier}: ${r.c} objects / ${r.s} bytes, engine's Summary ${summaryCount} / ${summarySize}`);
  }

  const agg = engine.getAggregatesByClassKey(false, 'duplicatedStrings', engine.createNamedFilter('duplicatedStrings'));
  const dup = db.prepare('SELECT coalesce(sum(count), 0) AS c, coalesce(sum(size), 0) AS s FROM summary_duplicate_strings').get() as { c: number; s: number };
  const ec = Object.values(agg).reduce((s, x) => s + x.count, 0);
  const es = Object.values(agg).reduce((s, x) => s + x.self, 0);
  if (dup.c !== ec || dup.s !== es) bad.push(`duplicated strings: ${dup.c} objects / ${dup.s} bytes, engine ${ec} / ${es}`);

  // Class top: the engine's biggest retained members of each class (ties by id), compared by retained size.
  const members = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    if (a.selfSize[k]! > 0) {
      const c = a.classIndex[k]!;
      let m = members.get(c);
      if (!m) members.set(c, (m = []));
      m.push(k);
    }
  }
  const top = new Map<number, number[]>();
  for (const r of db.prepare('SELECT class_id, ordinal FROM summary_class_top ORDER BY class_id, rank').raw().iterate() as Iterable<number[]>) {
    let t = top.get(r[0]!);
    if (!t) top.set(r[0]!, (t = []));
    t.push(r[1]!);
  }
  let classBad = 0;
  for (const [c, ks] of members) {
    const expected = ks
      .map((k) => ({ retained: node(k).retainedSize(), id: node(k).id() }))
      .sort((x, y) => y.retained - x.retained || x.id - y.id)
      .slice(0, CLASS_TOP)
      .map((x) => x.retained)
      .join(',');
    const ours = (top.get(c) ?? []).map((k) => node(k).retainedSize()).join(',');
    if (ours !== expected && classBad++ < 10) bad.push(`class top of ${a.classKeys[c]}: not the engine's biggest retained first`);
  }
  if (classBad > 10) bad.push(`… class top: ${classBad} classes differ`);

  // Dominator top: each expanded node's children are the engine's, biggest first.
  const childCount = new Uint32Array(n);
  for (let k = 1; k < n; k++) childCount[engine.dominatorsTree[k]!]!++;
  const kids = new Map<number, number[]>();
  for (const r of db.prepare('SELECT parent, child FROM summary_dominator_children ORDER BY parent, rank').raw().iterate() as Iterable<number[]>) {
    let t = kids.get(r[0]!);
    if (!t) kids.set(r[0]!, (t = []));
    t.push(r[1]!);
  }
  const expanded = db.prepare('SELECT ordinal, child_count FROM summary_dominator_nodes').raw().all() as number[][];
  const wanted = new Set(expanded.map((r) => r[0]!));
  const childrenOf = new Map<number, number[]>();
  for (let k = 1; k < n; k++) {
    const d = engine.dominatorsTree[k]!;
    if (!wanted.has(d)) continue;
    let t = childrenOf.get(d);
    if (!t) childrenOf.set(d, (t = []));
    t.push(k);
  }
  let domBad = 0;
  for (const [ordinal, count] of expanded) {
    const key = (k: number) => `${node(k).retainedSize()}@${node(k).id()}`;
    const expected = (childrenOf.get(ordinal!) ?? [])
      .map((k) => ({ retained: node(k).retainedSize(), id: node(k).id(), k }))
      .sort((x, y) => y.retained - x.retained || x.id - y.id)
      .slice(0, DOMINATOR_CHILDREN)
      .map((x) => key(x.k))
      .join(',');
    const ours = (kids.get(ordinal!) ?? []).map(key).join(',');
    if ((count !== childCount[ordinal!] || ours !== expected) && domBad++ < 10)
      bad.push(`dominator top node ${ordinal}: ${count} children (engine ${childCount[ordinal!]})${ours !== expected ? ', top children differ' : ''}`);
  }
  if (domBad > 10) bad.push(`… dominator top: ${domBad} nodes differ`);
  return bad;
}

async function main(): Promise<number> {
  const [fileArg, dbArg] = process.argv.slice(2);
  if (!fileArg) {
    console.error('usage: node dist/bench/oracle-check.js FILE.heapsnapshot [DB]');
    return 2;
  }
  const file = resolve(fileArg);
  const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
  const benchDb = join(here, '..', '..', 'bench', 'out', 'db', `${basename(file).replace(/\.heapsnapshot$/, '')}.db`);
  let dbPath = dbArg ? resolve(dbArg) : existsSync(benchDb) ? benchDb : undefined;
  let tmp: string | undefined;
  const t0 = performance.now();
  try {
    if (!dbPath) {
      tmp = mkdtempSync(join(tmpdir(), 'heapdiff-oracle-'));
      dbPath = join(tmp, 'store.db');
      await ingestSnapshot(file, { dbPath, quiet: true });
    }
    console.log(`# ${basename(file)} against ${dbPath}`);
    const db = new Database(dbPath, { readonly: true });
    try {
      const { graph, a } = analysisFromStore(db);
      const engine = (await loadOracle(readFileSync(file, 'utf8'))) as Engine;
      console.log(`# engine loaded: ${engine.nodeCount.toLocaleString('en')} nodes (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      const nodes = compareWithOracle(graph, a, engine);
      const summaries = compareSummaries(db, a, engine, engine.nodeFieldCount);
      const report = [nodes, ...summaries].filter(Boolean).join('\n');
      console.log(report || `OK: ${graph.nodeCount.toLocaleString('en')} nodes, classes, statistics and summaries equal DevTools' engine`);
      console.log(`# ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${((process.resourceUsage().maxRSS * 1024) / 1e6).toFixed(0)} MB`);
      return report ? 1 : 0;
    } finally {
      db.close();
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
