// Builds small `.heapsnapshot` JSON texts in code (after DevTools' HeapSnapshot.test.ts builder):
//   const b = new SnapshotBuilder();
//   const root = b.node('synthetic', '', 0);
//   const win = b.node('object', 'Window', 100);
//   b.edge(root, 'shortcut', '2', win);
// The text goes through graphFromJson (and, in oracle tests, through DevTools' own loader).

/** Node and edge type lists of current V8 (docs/format.md#header). */
export const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
] as const;
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export type EdgeType = (typeof EDGE_TYPES)[number];

export function snapshotMeta(nodeFields: readonly string[]): Record<string, unknown> {
  return {
    node_fields: nodeFields,
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
}

export const NODE_FIELDS_7 = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'] as const;

interface NodeRec {
  type: NodeType;
  name: string;
  id: number;
  selfSize: number;
  detachedness: number;
  edges: { type: EdgeType; name: string | number; to: number }[];
}

export class SnapshotBuilder {
  private readonly nodes: NodeRec[] = [];
  private readonly locations: [number, number, number, number][] = [];
  private nextId = 1;

  constructor(private readonly options: { nodeFields?: readonly string[]; extraNativeBytes?: number } = {}) {}

  /** Adds a node; returns its ordinal. Ids default to 1, 3, 5, … in creation order. */
  node(type: NodeType, name: string, selfSize: number, opts: { id?: number; detachedness?: number } = {}): number {
    const id = opts.id ?? this.nextId;
    this.nextId = Math.max(this.nextId, id) + 2;
    this.nodes.push({ type, name, id, selfSize, detachedness: opts.detachedness ?? 0, edges: [] });
    return this.nodes.length - 1;
  }

  /** Adds an edge from → to; `element` and `hidden` names are integers, others strings. */
  edge(from: number, type: EdgeType, name: string | number, to: number): this {
    this.nodes[from].edges.push({ type, name, to });
    return this;
  }

  /** Adds a location record (0-based line and column) for a node. */
  location(ordinal: number, scriptId: number, line: number, column: number): this {
    this.locations.push([ordinal, scriptId, line, column]);
    return this;
  }

  id(ordinal: number): number {
    return this.nodes[ordinal].id;
  }

  toJson(): string {
    const fields = this.options.nodeFields ?? NODE_FIELDS_7;
    const F = fields.length;
    const strings = ['<dummy>'];
    const stringIndex = new Map<string, number>([['<dummy>', 0]]);
    const str = (s: string): number => {
      let i = stringIndex.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        stringIndex.set(s, i);
      }
      return i;
    };
    const nodes: number[] = [];
    const edges: number[] = [];
    for (const n of this.nodes) {
      const values: Record<string, number> = {
        type: NODE_TYPES.indexOf(n.type),
        name: str(n.name),
        id: n.id,
        self_size: n.selfSize,
        edge_count: n.edges.length,
        trace_node_id: 0,
        detachedness: n.detachedness,
      };
      for (const f of fields) nodes.push(values[f]);
      for (const e of n.edges) {
        const numeric = e.type === 'element' || e.type === 'hidden';
        if (numeric !== (typeof e.name === 'number')) throw new Error(`edge name ${e.name} does not fit type ${e.type}`);
        edges.push(EDGE_TYPES.indexOf(e.type), typeof e.name === 'number' ? e.name : str(e.name), e.to * F);
      }
    }
    const snapshot: Record<string, unknown> = {
      meta: snapshotMeta(fields),
      node_count: this.nodes.length,
      edge_count: edges.length / 3,
      trace_function_count: 0,
    };
    if (this.options.extraNativeBytes !== undefined) snapshot.extra_native_bytes = this.options.extraNativeBytes;
    return JSON.stringify({
      snapshot,
      nodes,
      edges,
      trace_function_infos: [],
      trace_tree: [],
      samples: [],
      locations: this.locations.flatMap(([k, s, l, c]) => [k * F, s, l, c]),
      strings,
    });
  }
}

/**
 * Rewrites a snapshot's JSON to drop one node field (e.g. `trace_node_id` or `detachedness`),
 * rescaling every `to_node` and location `object_index` to the new field count.
 */
export function dropNodeField(text: string, field: string): string {
  const obj = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; location_fields?: string[] } };
    nodes: number[];
    edges: number[];
    locations?: number[];
  };
  const meta = obj.snapshot.meta;
  const F = meta.node_fields.length;
  const drop = meta.node_fields.indexOf(field);
  if (drop < 0) throw new Error(`no node field ${field}`);
  const nodes: number[] = [];
  for (let i = 0; i < obj.nodes.length; i++) if (i % F !== drop) nodes.push(obj.nodes[i]);
  obj.nodes = nodes;
  const rescale = (nodeIndex: number): number => (nodeIndex / F) * (F - 1);
  for (let i = 2; i < obj.edges.length; i += 3) obj.edges[i] = rescale(obj.edges[i]);
  const lf = meta.location_fields ?? [];
  const li = lf.indexOf('object_index');
  if (obj.locations && lf.length > 0) {
    for (let i = li; i < obj.locations.length; i += lf.length) obj.locations[i] = rescale(obj.locations[i]);
  }
  meta.node_fields = meta.node_fields.filter((f) => f !== field);
  // node_types keeps one entry per node field.
  (meta as { node_types?: unknown[] }).node_types?.splice(drop, 1);
  return JSON.stringify(obj);
}
