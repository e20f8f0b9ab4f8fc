// Writes the query summaries (summaries.ts computes them) into their tables, declared in schema.ts.
// The order of the steps is part of ingest's memory protocol (memory.ts): the partition's group arrays
// are released before the next step, and the analysis' link arrays are let go once dominatorTop, their
// last reader, is done.

import type Database from 'better-sqlite3';
import { releaseMemory, type StoreAnalysis } from './memory.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import { summariesDdl } from './schema.js';
import { CLASS_TOP, classTop, DOMINATOR_CHILDREN, dominatorTop, duplicateStrings, partitionSummary, scriptNamesOf, SUMMARIES_VERSION } from './summaries.js';

/** `onLinksDone`: called once nothing reads the analysis' edge sources, retainers and dominator-tree children any more. */
export function writeSummaries(db: Database.Database, graph: HeapGraph, a: StoreAnalysis, onLinksDone?: () => void): void {
  db.exec(summariesDdl());
  const scripts = scriptNamesOf(graph);
  const script = db.prepare('INSERT INTO scripts (script_id, name) VALUES (?, ?)');
  for (const [id, name] of [...scripts].sort((x, y) => x[0] - y[0])) script.run(id, name);

  const partition = db.prepare('INSERT INTO summary_partition (classifier, kind, key, count, size, retained) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of partitionSummary(graph, a, scripts)) partition.run(r.classifier, r.kind, r.key, r.count, r.size, r.retained);
  releaseMemory(); // per-classifier group arrays and DFS stacks

  const top = db.prepare('INSERT INTO summary_class_top (class_id, rank, ordinal) VALUES (?, ?, ?)');
  classTop(graph, a, (classId, ordinals) => ordinals.forEach((k, rank) => top.run(classId, rank, k)));

  const node = db.prepare('INSERT INTO summary_dominator_nodes (ordinal, depth, child_count) VALUES (?, ?, ?)');
  const child = db.prepare('INSERT INTO summary_dominator_children (parent, rank, child) VALUES (?, ?, ?)');
  dominatorTop(graph, a, (n) => {
    node.run(n.ordinal, n.depth, n.childCount);
    n.children.forEach((c, rank) => child.run(n.ordinal, rank, c));
  });
  onLinksDone?.();
  releaseMemory();

  const dup = db.prepare('INSERT INTO summary_duplicate_strings (rank, value, nodes, count, size, max_size, wasted, example) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let rank = 0;
  duplicateStrings(graph, a, (r) => dup.run(rank++, r.value, r.nodes, r.count, r.size, r.maxSize, r.wasted, r.example));

  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('summaries_version', SUMMARIES_VERSION);
  meta.run('summary_class_top', CLASS_TOP);
  meta.run('summary_dominator_children', DOMINATOR_CHILDREN);
}
