// The whole DevTools analysis of one snapshot, phase by phase in DevTools' current order
// (docs/format.md#order; DevTools `HeapSnapshot.initialize`): edge sources and retainers, DOM state, flags and
// essential edges, shallow-size transfer, dominators and retained sizes, the dominator tree's preorder, distances,
// class names with interfaces, class aggregates, statistics. Pure: reads the graph, never mutates it.

import { InputError } from '../errors.js';
import type { HeapGraph } from '../parse/heap-graph.js';
import { aggregateClasses, type ClassAggregate } from './class-aggregates.js';
import { classifyNodes, computePlainObjectShapes, inferInterfaces } from './class-names.js';
import { buildDominatedNodes, buildEdgeSources, buildRetainers, type EdgeSources, type Retainers } from './csr.js';
import { computeDistances } from './distances.js';
import { effectiveNodeName, propagateDomState } from './dom-state.js';
import { computeDominators } from './dominators.js';
import { computeEssentialEdges } from './essential-edges.js';
import { hasUserRoots as findUserRoots, markPageObjects, ROOT_ORDINAL } from './flags.js';
import { treePreorder, type TreePreorder } from './group-retained.js';
import { computeRetainedSizes } from './retained-sizes.js';
import { computeShallowSizes } from './shallow-sizes.js';
import { computeStatistics, type Statistics } from './statistics.js';
import { WeakMapEdgeNames } from './weakmap-edge-names.js';

export type { ClassAggregate } from './class-aggregates.js';
export type { Statistics } from './statistics.js';

/** Problem-report lines kept at most (DevTools' `HeapSnapshotProblemReport` keeps ~100). */
export const MAX_PROBLEMS = 100;

export interface GraphAnalysis {
  /** DevTools' self size after the shallow-size transfer (docs/format.md#size-transfer), u32 as in DevTools; raw V8 value stays in graph.nodes. */
  selfSize: Uint32Array;
  /** Per ordinal; -5 unreachable; >= 100000000 system-only (docs/format.md#distances). */
  distance: Int32Array;
  /** idom ORDINAL per ordinal; root's is 0 (itself). */
  dominator: Uint32Array;
  /** Per ordinal. */
  retainedSize: Float64Array;
  /** Per edge ordinal: 1 if the edge counts for dominators (docs/format.md#essential-edges). */
  essentialEdge: Uint8Array;
  /** Per ordinal after DOM-state propagation (docs/format.md#dom-state); 0 if the field is absent. */
  detachedness: Uint8Array;
  /** Per ordinal → index into classKeys / classNames. */
  classIndex: Uint32Array;
  /** DevTools class key ("7,10,4,Point" or ",Foo") per class index. */
  classKeys: string[];
  /** DevTools className per class index ("Detached <div>", "{x, y}", "(system)", …). */
  classNames: string[];
  /** Summary rows (docs/format.md#summary) per class index; count 0 = not a row. */
  classes: ClassAggregate;
  /** docs/format.md#statistics, current shape. */
  statistics: Statistics;
  /** retained[root] + extraNativeBytes. */
  totalSize: number;
  hasUserRoots: boolean;
  /** Names of the inferred plain-object interfaces (docs/format.md#interfaces), in DevTools' order. */
  interfaces: string[];
  /** Capped (MAX_PROBLEMS) problem report, e.g. nodes unreachable from the root. */
  problems: string[];

  // By-products other features reuse (all ordinals / edge ordinals):
  /** Finds the source ordinal of an edge ordinal (csr.ts edgeSource). */
  edgeSources: EdgeSources;
  /** Incoming edges per node, DevTools' slot order. */
  retainers: Retainers;
  /** The dominator tree in preorder: every grouping's group retained sizes in one pass (group-retained.ts). */
  dominatorPreorder: TreePreorder;
}

export interface AnalyzeHooks {
  /**
   * Called as soon as the essential-edge flags exist, before the expensive phases (dominators,
   * distances, names): the store starts writing edges on another thread from here. `edgeSources`
   * gives each retainer edge its source (the store keeps an incoming edge as source and slot).
   */
  onEssentialEdges?: (essentialEdge: Uint8Array, retainers: Retainers, edgeSources: EdgeSources) => void;
  /**
   * Called when scratch arrays have become garbage: before the dominators (the earlier phases' stacks
   * and flags, several per-node arrays), right after them (their own, ~270 MB on 8 M nodes), and after
   * the preorder, the distances and the names (a per-node array or two each). A caller watching peak memory collects
   * them here, so that no phase's scratch is still resident when the next one allocates its own.
   */
  onScratchGarbage?: () => void;
}

export function analyzeGraph(graph: HeapGraph, onPhase?: (phase: string) => void, hooks: AnalyzeHooks = {}): GraphAnalysis {
  const phase = onPhase ?? ((): void => {});
  if (graph.nodeCount === 0) throw new InputError('the snapshot has no nodes (not even the root)');
  // V8 never writes root_index; DevTools also accepts the root last, heapdiff only first.
  const rootIndex = graph.header.root_index ?? 0;
  if (rootIndex !== 0) throw new InputError(`snapshot.root_index is ${rootIndex}; only a root at node index 0 is supported`);

  phase('Building retainers');
  const edgeSources = buildEdgeSources(graph);
  const retainers = buildRetainers(graph);

  phase('Propagating DOM state');
  const detachedness = propagateDomState(graph);

  phase('Calculating node flags');
  const pageObject = markPageObjects(graph);
  const weakMapNames = new WeakMapEdgeNames(graph.strings);
  const essentialEdge = computeEssentialEdges(graph, pageObject, weakMapNames);
  hooks.onEssentialEdges?.(essentialEdge, retainers, edgeSources);

  phase('Calculating shallow sizes');
  const userRoots = findUserRoots(graph);
  const adjustedSelf = computeShallowSizes(graph, detachedness, userRoots);

  hooks.onScratchGarbage?.();
  phase('Calculating dominators');
  const dom = computeDominators(graph, retainers, essentialEdge, ROOT_ORDINAL);
  hooks.onScratchGarbage?.();

  phase('Calculating retained sizes');
  const retainedSize = computeRetainedSizes(adjustedSelf, dom.idom, dom.order);
  // The children lists only serve to build the preorder, which every later walk of the tree uses
  // (PreorderWalker): they are garbage right after, 8 bytes a node less through the ingest's peak.
  const dominatorPreorder = treePreorder(buildDominatedNodes(dom.idom, ROOT_ORDINAL), ROOT_ORDINAL);
  const totalSize = retainedSize[ROOT_ORDINAL] + graph.extraNativeBytes;

  hooks.onScratchGarbage?.(); // the children lists the preorder was built from
  phase('Calculating distances');
  const distance = computeDistances(graph, weakMapNames);

  hooks.onScratchGarbage?.(); // the BFS queue and flags, before the names allocate theirs
  phase('Calculating object names');
  const shapes = computePlainObjectShapes(graph);
  const interfaceDefinitions = inferInterfaces(graph, shapes);
  const { classIndex, classKeys, classNames } = classifyNodes(graph, detachedness, interfaceDefinitions, shapes);

  hooks.onScratchGarbage?.(); // the shapes, the name caches and the location order
  phase('Aggregating classes');
  const classes = aggregateClasses(classIndex, classKeys.length, adjustedSelf, distance, retainedSize, dominatorPreorder);

  phase('Calculating statistics');
  const statistics = computeStatistics(graph, detachedness, adjustedSelf, retainers, totalSize);

  return {
    selfSize: adjustedSelf,
    distance,
    dominator: dom.idom,
    retainedSize,
    essentialEdge,
    detachedness,
    classIndex,
    classKeys,
    classNames,
    classes,
    statistics,
    totalSize,
    hasUserRoots: userRoots,
    interfaces: interfaceDefinitions.map((d) => d.name),
    problems: problemReport(graph, detachedness, dom.unreachableFromRoot, dom.orphanRoots, dom.leftovers),
    edgeSources,
    retainers,
    dominatorPreorder,
  };
}

/** DevTools' dominator problem report, one line per message or node, capped at MAX_PROBLEMS lines. */
function problemReport(graph: HeapGraph, domState: Uint8Array, unreachableFromRoot: number, orphanRoots: Uint32Array, leftovers: Uint32Array): string[] {
  const lines: string[] = [];
  const add = (line: string): void => {
    if (lines.length < MAX_PROBLEMS) lines.push(line);
  };
  const describe = (k: number): string => {
    const base = k * graph.layout.nodeFieldCount;
    const type = graph.layout.nodeTypes[graph.nodes[base + graph.layout.nodeTypeOffset]];
    return `${type} ${JSON.stringify(effectiveNodeName(graph, domState, k))} @${graph.nodes[base + graph.layout.nodeIdOffset]} (ordinal ${k})`;
  };
  if (unreachableFromRoot > 0) {
    add(`${unreachableFromRoot} nodes are unreachable from the root over essential edges.`);
    if (orphanRoots.length > 0) {
      add(`${orphanRoots.length} nodes have no essential retainer (only weak ones, or none); dominated by the root:`);
      for (let i = 0; i < orphanRoots.length && lines.length < MAX_PROBLEMS; i++) add(`  ${describe(orphanRoots[i])}`);
    }
  }
  if (leftovers.length > 0) {
    add(`${leftovers.length} nodes are still unreachable (retained only by each other; dominator set to the root):`);
    for (let i = 0; i < leftovers.length && lines.length < MAX_PROBLEMS; i++) add(`  ${describe(leftovers[i])}`);
  }
  return lines;
}
