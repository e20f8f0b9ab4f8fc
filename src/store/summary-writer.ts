// Writes the query summaries (summaries.ts computes them) into their tables, declared in schema.ts.
// The order of the steps is part of ingest's memory protocol (memory.ts): the partition's group arrays
// are released before the next step, and the analysis' link arrays are let go once dominatorTop and the
// suspects summary, their last readers, are done.

import type Database from 'better-sqlite3';
import { releaseMemory, type StoreAnalysis } from './memory.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import { summariesDdl } from './schema.js';
import {
  CLASS_TOP,
  classTop,
  DOMINATOR_CHILDREN,
  dominatorTop,
  duplicateStrings,
  partitionSummary,
  scriptNamesOf,
  SUMMARIES_VERSION,
  suspectsSummary,
} from './summaries.js';

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
  const suspectsMin = writeSuspectsSummary(db, graph, a);
  onLinksDone?.();
  releaseMemory();

  const dup = db.prepare('INSERT INTO summary_duplicate_strings (rank, value, nodes, count, size, max_size, wasted, example) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let rank = 0;
  duplicateStrings(graph, a, (r) => dup.run(rank++, r.value, r.nodes, r.count, r.size, r.maxSize, r.wasted, r.example));

  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('summaries_version', SUMMARIES_VERSION);
  meta.run('summary_class_top', CLASS_TOP);
  meta.run('summary_dominator_children', DOMINATOR_CHILDREN);
  meta.run('summary_suspects_min_retained', suspectsMin);
}

function writeSuspectsSummary(db: Database.Database, graph: HeapGraph, a: StoreAnalysis): number {
  const q = (table: string, columns: string) => db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.replace(/[^,]+/g, '?')})`);
  const top = q('summary_top_level', 'rank, ordinal, class_id, retained_size');
  const byObject = q('summary_top_kept_objects', 'ordinal, class_id, count, size, sized');
  const byClass = q('summary_top_kept_classes', 'top_class_id, class_id, count, size, sized');
  const chain = q('summary_top_chain', 'start, step, ordinal, retained_size, child_count');
  const child = q('summary_top_chain_children', 'parent, rank, child');
  const childClass = q('summary_top_chain_classes', 'parent, class_id, count, retained, rank');
  return suspectsSummary(graph, a, {
    topLevel: (...v) => top.run(...v),
    keptByObject: (...v) => byObject.run(...v),
    keptByClass: (...v) => byClass.run(...v),
    chain: (...v) => chain.run(...v),
    chainChild: (...v) => child.run(...v),
    chainClass: (...v) => childClass.run(...v),
  });
}
