// Writes the query summaries (summaries.ts computes them, most on the summary thread: summary-thread.ts)
// into their tables, declared in schema.ts. Part of ingest's memory protocol (memory.ts): the analysis'
// link arrays are let go once both threads are done with them (the suspects summary, on this thread,
// reads the dominator tree's children lists too).

import type Database from 'better-sqlite3';
import { releaseMemory, type StoreAnalysis } from './memory.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import { BatchInserter } from './bulk.js';
import { summariesDdl } from './schema.js';
import { CLASS_TOP, classTop, DOMINATOR_CHILDREN, dominatorTop, duplicateStrings, SUMMARIES_VERSION, suspectsSummary } from './summaries.js';
import type { ThreadSummaries } from './summary-thread.js';

/**
 * Writes the summaries: the summary thread's half (summary-thread.ts, started by the caller as soon as
 * the analysis is done) and this thread's half (the summaries that read strings), rows in the order
 * the single-threaded computation makes them. `onLinksDone`: called once nothing reads the analysis'
 * edge-source anchors, retainers and dominator-tree preorder any more.
 */
export async function writeSummaries(
  db: Database.Database,
  graph: HeapGraph,
  a: StoreAnalysis,
  scripts: ReadonlyMap<number, string>,
  thread: Promise<ThreadSummaries>,
  onLinksDone?: () => void,
  onPhase: (phase: string, done: number, total: number) => void = () => {},
): Promise<void> {
  db.exec(summariesDdl());
  const script = db.prepare('INSERT INTO scripts (script_id, name) VALUES (?, ?)');
  for (const [id, name] of [...scripts].sort((x, y) => x[0] - y[0])) script.run(id, name);

  // The suspects summary beside the summary thread (it reads strings: the containers' names; it
  // allocates no per-node array but its walk's stack).
  onPhase('summaries: suspects', 0, 0);
  const suspectsMin = writeSuspectsSummary(db, graph, a);
  // The duplicated strings beside the summary thread too: this thread would otherwise wait for it and
  // then run them alone with one core idle (2.6 GB snapshot: 32.8 -> 28.9 s). The price is their arrays
  // on top of the link arrays the summary thread still reads: peak memory +5 % (4 GB: 1.90x the file).
  onPhase('summaries: duplicated strings', 0, 0);
  const dup = new BatchInserter(db, 'summary_duplicate_strings', ['rank', 'value', 'nodes', 'count', 'size', 'max_size', 'wasted', 'example']);
  let rank = 0;
  duplicateStrings(graph, a, (r) => dup.add(rank++, r.value, r.nodes, r.count, r.size, r.maxSize, r.wasted, r.example));
  dup.flush();
  releaseMemory();
  // The classes' top instances and the dominator tree's top here too, while the summary thread finishes
  // the partitions (it was the last to finish).
  onPhase('summaries: class and dominator tops', 0, 0);
  const top = new BatchInserter(db, 'summary_class_top', ['class_id', 'rank', 'ordinal']);
  classTop(graph, a, (classId, ordinals) => ordinals.forEach((k, rank) => top.add(classId, rank, k)));
  top.flush();
  const node = db.prepare('INSERT INTO summary_dominator_nodes (ordinal, depth, child_count) VALUES (?, ?, ?)');
  const child = db.prepare('INSERT INTO summary_dominator_children (parent, rank, child) VALUES (?, ?, ?)');
  dominatorTop(graph, a, (n) => {
    node.run(n.ordinal, n.depth, n.childCount);
    n.children.forEach((c, rank) => child.run(n.ordinal, rank, c));
  });
  releaseMemory();
  onPhase('summaries: partitions', 0, 0);
  const t = await thread;
  // Nothing reads the analysis' link arrays any more (the summary thread's rcs and via were their last
  // readers): retainers, the dominator tree's preorder, the edge-source anchors and essential flags go.
  onLinksDone?.();
  const partition = new BatchInserter(db, 'summary_partition', ['classifier', 'kind', 'key', 'count', 'size', 'retained']);
  for (const r of t.partition) partition.add(r.classifier, r.kind, r.key, r.count, r.size, r.retained);
  partition.flush();
  releaseMemory(); // the summary thread's rows and the link arrays

  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('summaries_version', SUMMARIES_VERSION);
  meta.run('summary_class_top', CLASS_TOP);
  meta.run('summary_dominator_children', DOMINATOR_CHILDREN);
  meta.run('summary_suspects_min_retained', suspectsMin);
}

function writeSuspectsSummary(db: Database.Database, graph: HeapGraph, a: StoreAnalysis): number {
  const q = (table: string, columns: string) => db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.replace(/[^,]+/g, '?')})`);
  // The big row sets in multi-row statements (bulk.ts): a Chromium page has half a million top-level
  // objects, and one statement per row made their inserts most of the suspects summary's time.
  const top = new BatchInserter(db, 'summary_top_level', ['rank', 'ordinal', 'class_id', 'retained_size']);
  const byObject = q('summary_top_kept_objects', 'ordinal, class_id, count, size, sized');
  const byClass = q('summary_top_kept_classes', 'top_class_id, class_id, count, size, sized');
  const chain = q('summary_top_chain', 'start, step, ordinal, retained_size, child_count');
  const child = q('summary_top_chain_children', 'parent, rank, child');
  const childClass = q('summary_top_chain_classes', 'parent, class_id, count, retained, rank');
  const min = suspectsSummary(graph, a, {
    topLevel: (...v) => top.add(...v),
    keptByObject: (...v) => byObject.run(...v),
    keptByClass: (...v) => byClass.run(...v),
    chain: (...v) => chain.run(...v),
    chainChild: (...v) => child.run(...v),
    chainClass: (...v) => childClass.run(...v),
  });
  top.flush();
  return min;
}
