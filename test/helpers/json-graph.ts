// A deliberately simple HeapGraph builder for tests: JSON.parse the whole file, copy the flat
// arrays into typed arrays (the nodes' kept fields, heap-graph.ts), derive firstEdge / edgeTo. It is the independent reference the
// streaming parser (src/parse/read-snapshot.ts) is checked against, so it stays obviously right
// rather than fast. Only for files well below V8's 512 MiB string limit.

import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { GRAPH_NODE_FIELDS, graphLayoutOf, layoutFromMeta, type SnapshotHeader } from '../../src/parse/layout.js';
import type { HeapGraph } from '../../src/parse/heap-graph.js';
import { StringTable } from '../../src/parse/string-table.js';

interface SnapshotJson {
  snapshot: SnapshotHeader;
  nodes: number[];
  edges: number[];
  locations?: number[];
  strings: string[];
  [section: string]: unknown;
}

/** Sections HeapGraph represents itself; everything else goes to `extraSections` as JSON text. */
const KNOWN_SECTIONS = new Set(['snapshot', 'nodes', 'edges', 'trace_function_infos', 'trace_tree', 'samples', 'locations', 'strings']);

export function graphFromJson(text: string): HeapGraph {
  const obj = JSON.parse(text) as SnapshotJson;
  const header = obj.snapshot;
  const fileLayout = layoutFromMeta(header.meta);
  const layout = graphLayoutOf(fileLayout);
  const F = fileLayout.nodeFieldCount;
  const E = layout.edgeFieldCount;
  const fileNodes = obj.nodes;
  const edges = Uint32Array.from(obj.edges);
  if (fileNodes.length % F !== 0) throw new Error(`nodes.length ${fileNodes.length} is not a multiple of ${F}`);
  if (edges.length % E !== 0) throw new Error(`edges.length ${edges.length} is not a multiple of ${E}`);
  const nodeCount = fileNodes.length / F;
  const edgeCount = edges.length / E;

  // Per node: the kept fields by name; edge_count into firstEdge[k] = Σ_{j<k} edge_count[j] (edge ordinals,
  // with an end sentinel); detachedness and trace_node_id (when any is nonzero) into arrays of their own.
  const offsets = new Map(header.meta.node_fields.map((name, i) => [name, i]));
  const field = (k: number, name: string) => fileNodes[k * F + (offsets.get(name) as number)];
  const W = GRAPH_NODE_FIELDS.length;
  const nodes = Uint32Array.from({ length: nodeCount * W }, (_, i) => field(Math.floor(i / W), GRAPH_NODE_FIELDS[i % W]));
  const has = (name: string) => header.meta.node_fields.includes(name);
  const detachedness = has('detachedness') ? Uint8Array.from({ length: nodeCount }, (_, k) => field(k, 'detachedness')) : null;
  const traceNodeIds = has('trace_node_id') ? Uint32Array.from({ length: nodeCount }, (_, k) => field(k, 'trace_node_id')) : null;
  const firstEdge = new Uint32Array(nodeCount + 1);
  let e = 0;
  for (let k = 0; k < nodeCount; k++) {
    firstEdge[k] = e;
    e += field(k, 'edge_count');
  }
  firstEdge[nodeCount] = e;
  if (e !== edgeCount) throw new Error(`edge_count fields sum to ${e}, edges hold ${edgeCount}`);

  // One array per edge field; to_node is a node index (ordinal × F).
  const edgeTypes = new Uint8Array(edgeCount);
  const edgeNames = new Uint32Array(edgeCount);
  const edgeTo = new Uint32Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    const toNodeIndex = edges[i * E + layout.edgeToNodeOffset];
    if (toNodeIndex % F !== 0 || toNodeIndex / F >= nodeCount) throw new Error(`bad to_node ${toNodeIndex} at edge ${i}`);
    edgeTo[i] = toNodeIndex / F;
    edgeTypes[i] = edges[i * E + layout.edgeTypeOffset];
    edgeNames[i] = edges[i * E + layout.edgeNameOffset];
  }

  // locations: as written (rawLocations) and normalised to (node ordinal, script id, line, column).
  const rawLocations = Uint32Array.from(obj.locations ?? []);
  const lf = layout.locationFields.length > 0 ? layout.locationFields : ['object_index', 'script_id', 'line', 'column'];
  const lo = ['object_index', 'script_id', 'line', 'column'].map((name) => lf.indexOf(name));
  if (lo.some((o) => o < 0)) throw new Error(`unsupported location_fields ${JSON.stringify(lf)}`);
  const locationCount = Math.floor(rawLocations.length / lf.length);
  const locations = new Uint32Array(locationCount * 4);
  for (let i = 0; i < locationCount; i++) {
    for (let j = 0; j < 4; j++) locations[i * 4 + j] = rawLocations[i * lf.length + lo[j]];
    if (locations[i * 4] % F !== 0 || locations[i * 4] / F >= nodeCount) throw new Error(`bad object_index at location ${i}`);
    locations[i * 4] /= F;
  }

  const extraSections: Record<string, string | null> = {};
  for (const key of Object.keys(obj)) if (!KNOWN_SECTIONS.has(key)) extraSections[key] = JSON.stringify(obj[key]);

  return {
    header,
    layout,
    fileLayout,
    nodeCount,
    edgeCount,
    nodes,
    detachedness,
    traceNodeIds: traceNodeIds?.some((t) => t !== 0) ? traceNodeIds : null,
    edgeTypes,
    edgeNames,
    firstEdge,
    edgeTo,
    strings: StringTable.from(obj.strings),
    locations,
    rawLocations,
    extraSections,
    trace: null,
    extraNativeBytes: header.extra_native_bytes ?? 0,
    sections: Object.keys(obj),
  };
}

/**
 * The file's node records (`fileLayout`, F values per node) rebuilt from what the graph keeps: the kept
 * fields, edge counts from firstEdge, detachedness and trace node ids (0 where the graph has none).
 */
export function fileNodeRecords(g: HeapGraph): Uint32Array {
  const fl = g.fileLayout;
  const F = fl.nodeFieldCount;
  const W = g.layout.nodeFieldCount;
  const out = new Uint32Array(g.nodeCount * F);
  for (let k = 0; k < g.nodeCount; k++) {
    const at = k * F;
    out[at + fl.nodeTypeOffset] = g.nodes[k * W + g.layout.nodeTypeOffset];
    out[at + fl.nodeNameOffset] = g.nodes[k * W + g.layout.nodeNameOffset];
    out[at + fl.nodeIdOffset] = g.nodes[k * W + g.layout.nodeIdOffset];
    out[at + fl.nodeSelfSizeOffset] = g.nodes[k * W + g.layout.nodeSelfSizeOffset];
    out[at + fl.nodeEdgeCountOffset] = g.firstEdge[k + 1] - g.firstEdge[k];
    if (fl.nodeDetachednessOffset >= 0) out[at + fl.nodeDetachednessOffset] = g.detachedness?.[k] ?? 0;
    if (fl.nodeTraceNodeIdOffset >= 0) out[at + fl.nodeTraceNodeIdOffset] = g.traceNodeIds?.[k] ?? 0;
  }
  return out;
}

/** Reads a `.heapsnapshot` (gunzipping when it starts with the gzip magic 0x1f 0x8b). */
export async function loadFixture(path: string): Promise<{ text: string; graph: HeapGraph }> {
  let bytes: Buffer = await readFile(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = bytes.toString('utf8');
  return { text, graph: graphFromJson(text) };
}
