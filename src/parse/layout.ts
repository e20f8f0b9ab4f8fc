// The field layout of one snapshot, read once from `snapshot.meta` by name (never hard-coded):
// V8 has written 6 and 7 node fields, and its node/edge type enums only ever grow.
// Hot loops compare the integer codes resolved here.

import { InputError } from '../errors.js';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: unknown[];
  edge_fields: string[];
  edge_types: unknown[];
  trace_function_info_fields?: string[];
  trace_node_fields?: string[];
  sample_fields?: string[];
  location_fields?: string[];
  [extra: string]: unknown;
}

export interface SnapshotHeader {
  meta: SnapshotMeta;
  node_count: number;
  edge_count: number;
  trace_function_count?: number;
  root_index?: number;
  extra_native_bytes?: number;
  [extra: string]: unknown;
}

/** Offsets and enum codes. A code is -1 when this snapshot's enum has no such entry. */
export interface SnapshotLayout {
  readonly nodeFieldCount: number;
  readonly nodeTypeOffset: number;
  readonly nodeNameOffset: number;
  readonly nodeIdOffset: number;
  readonly nodeSelfSizeOffset: number;
  readonly nodeEdgeCountOffset: number;
  /** -1 when the file has no `trace_node_id` field. */
  readonly nodeTraceNodeIdOffset: number;
  /** -1 when the file has no `detachedness` field (older V8). */
  readonly nodeDetachednessOffset: number;

  readonly edgeFieldCount: number;
  readonly edgeTypeOffset: number;
  readonly edgeNameOffset: number;
  readonly edgeToNodeOffset: number;

  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];

  readonly nodeTypeHidden: number;
  readonly nodeTypeArray: number;
  readonly nodeTypeString: number;
  readonly nodeTypeObject: number;
  readonly nodeTypeCode: number;
  readonly nodeTypeClosure: number;
  readonly nodeTypeRegExp: number;
  readonly nodeTypeNumber: number;
  readonly nodeTypeNative: number;
  readonly nodeTypeSynthetic: number;
  readonly nodeTypeConsString: number;
  readonly nodeTypeSlicedString: number;

  readonly edgeTypeContext: number;
  readonly edgeTypeElement: number;
  readonly edgeTypeProperty: number;
  readonly edgeTypeInternal: number;
  readonly edgeTypeHidden: number;
  readonly edgeTypeShortcut: number;
  readonly edgeTypeWeak: number;

  /** Field lists of the optional sections (empty when absent from meta). */
  readonly traceFunctionInfoFields: readonly string[];
  readonly traceNodeFields: readonly string[];
  readonly sampleFields: readonly string[];
  readonly locationFields: readonly string[];
}

/** The node fields the parser keeps per node in memory, in this order (HeapGraph.nodes). */
export const GRAPH_NODE_FIELDS = ['type', 'name', 'id', 'self_size'] as const;

/**
 * The layout of the in-memory graph (HeapGraph.layout): the file's, except that a node is the
 * GRAPH_NODE_FIELDS, 4 values. The offsets of the fields not kept there are absent, so that code reading
 * them from `nodes` does not compile (HeapGraph has edge counts, detachedness and trace node ids elsewhere).
 */
export type GraphLayout = Omit<SnapshotLayout, 'nodeEdgeCountOffset' | 'nodeTraceNodeIdOffset' | 'nodeDetachednessOffset'>;

/** The in-memory layout for a file's layout. */
export function graphLayoutOf(file: SnapshotLayout): GraphLayout {
  const { nodeEdgeCountOffset: _edgeCount, nodeTraceNodeIdOffset: _traceNodeId, nodeDetachednessOffset: _detachedness, ...kept } = file;
  const at = (f: (typeof GRAPH_NODE_FIELDS)[number]) => GRAPH_NODE_FIELDS.indexOf(f);
  return {
    ...kept,
    nodeFieldCount: GRAPH_NODE_FIELDS.length,
    nodeTypeOffset: at('type'),
    nodeNameOffset: at('name'),
    nodeIdOffset: at('id'),
    nodeSelfSizeOffset: at('self_size'),
  };
}

/** A value for a one-line error: JSON, at most 60 characters, anything but printable ASCII escaped. */
export function describeJson(v: unknown): string {
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  t = t.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

const MAX_FIELDS = 64;

/**
 * A list of field names: strings, unique (case-insensitively: some become SQLite column names), at most
 * 64. Optional lists may be absent or empty (the store then uses V8's default fields).
 */
function fieldList(meta: SnapshotMeta, name: string, required: boolean): string[] {
  const v = meta[name];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || (required && v.length === 0) || v.length > MAX_FIELDS || !v.every((f) => typeof f === 'string' && f.length > 0 && f.length <= 128)) {
    throw new InputError(`snapshot.meta.${name} is not a list of ${required ? 1 : 0} to ${MAX_FIELDS} field names (found ${describeJson(v)})`);
  }
  const lower = v.map((f: string) => f.toLowerCase());
  const dup = lower.find((f, i) => lower.indexOf(f) !== i);
  if (dup !== undefined) throw new InputError(`snapshot.meta.${name} names the field ${describeJson(dup)} twice`);
  return v as string[];
}

/**
 * `node_types`/`edge_types`: one entry per field, the `type` field's being the enum (a list of names);
 * the others are descriptions ("string", "number", …) or lists. DevTools reads the enum at the index of
 * the `type` field.
 */
function enumList(meta: SnapshotMeta, what: 'node_types' | 'edge_types', typeOffset: number): string[] {
  const types = meta[what];
  if (!Array.isArray(types)) throw new InputError(`snapshot.meta.${what} is not a list (found ${describeJson(types)})`);
  const isNames = (x: unknown) => Array.isArray(x) && x.every((t) => typeof t === 'string');
  types.forEach((t, i) => {
    if (typeof t !== 'string' && !isNames(t))
      throw new InputError(`snapshot.meta.${what}[${i}] is neither a type description nor a list of type names (found ${describeJson(t)})`);
  });
  const names = types[typeOffset] as unknown;
  if (!isNames(names) || (names as string[]).length === 0)
    throw new InputError(`snapshot.meta.${what}[${typeOffset}] (the "type" field's) is not a list of type names`);
  if ((names as string[]).length > 255) throw new InputError(`snapshot.meta.${what}[${typeOffset}] lists more than 255 types`);
  return names as string[];
}

export function layoutFromMeta(meta: SnapshotMeta): SnapshotLayout {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new InputError(`snapshot.meta is not an object (found ${describeJson(meta)})`);
  const nf = fieldList(meta, 'node_fields', true);
  const ef = fieldList(meta, 'edge_fields', true);
  const need = (fields: string[], name: string, what: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) throw new InputError(`snapshot.meta.${what} has no "${name}" field`);
    return i;
  };
  const nodeTypes = enumList(meta, 'node_types', need(nf, 'type', 'node_fields'));
  const edgeTypes = enumList(meta, 'edge_types', need(ef, 'type', 'edge_fields'));
  const traceFunctionInfoFields = fieldList(meta, 'trace_function_info_fields', false);
  const traceNodeFields = fieldList(meta, 'trace_node_fields', false);
  const sampleFields = fieldList(meta, 'sample_fields', false);
  const locationFields = fieldList(meta, 'location_fields', false);
  // The store adds a column of these names next to the file's fields.
  if (locationFields.some((f) => f.toLowerCase() === 'node_ordinal')) throw new InputError('snapshot.meta.location_fields may not name a field "node_ordinal"');
  if (traceFunctionInfoFields.some((f) => f.toLowerCase() === 'function_info_index'))
    throw new InputError('snapshot.meta.trace_function_info_fields may not name a field "function_info_index"');
  const nt = (n: string) => nodeTypes.indexOf(n);
  const et = (n: string) => edgeTypes.indexOf(n);
  return {
    nodeFieldCount: nf.length,
    nodeTypeOffset: need(nf, 'type', 'node_fields'),
    nodeNameOffset: need(nf, 'name', 'node_fields'),
    nodeIdOffset: need(nf, 'id', 'node_fields'),
    nodeSelfSizeOffset: need(nf, 'self_size', 'node_fields'),
    nodeEdgeCountOffset: need(nf, 'edge_count', 'node_fields'),
    nodeTraceNodeIdOffset: nf.indexOf('trace_node_id'),
    nodeDetachednessOffset: nf.indexOf('detachedness'),
    edgeFieldCount: ef.length,
    edgeTypeOffset: need(ef, 'type', 'edge_fields'),
    edgeNameOffset: need(ef, 'name_or_index', 'edge_fields'),
    edgeToNodeOffset: need(ef, 'to_node', 'edge_fields'),
    nodeTypes,
    edgeTypes,
    nodeTypeHidden: nt('hidden'),
    nodeTypeArray: nt('array'),
    nodeTypeString: nt('string'),
    nodeTypeObject: nt('object'),
    nodeTypeCode: nt('code'),
    nodeTypeClosure: nt('closure'),
    nodeTypeRegExp: nt('regexp'),
    nodeTypeNumber: nt('number'),
    nodeTypeNative: nt('native'),
    nodeTypeSynthetic: nt('synthetic'),
    nodeTypeConsString: nt('concatenated string'),
    nodeTypeSlicedString: nt('sliced string'),
    edgeTypeContext: et('context'),
    edgeTypeElement: et('element'),
    edgeTypeProperty: et('property'),
    edgeTypeInternal: et('internal'),
    edgeTypeHidden: et('hidden'),
    edgeTypeShortcut: et('shortcut'),
    edgeTypeWeak: et('weak'),
    traceFunctionInfoFields,
    traceNodeFields,
    sampleFields,
    locationFields,
  };
}
