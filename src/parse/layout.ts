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

function enumList(types: unknown[] | undefined, what: string): string[] {
  const first = types?.[0];
  if (!Array.isArray(first) || !first.every((t) => typeof t === 'string')) {
    throw new InputError(`snapshot.meta.${what}[0] is not a list of type names`);
  }
  return first as string[];
}

export function layoutFromMeta(meta: SnapshotMeta): SnapshotLayout {
  if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields)) {
    throw new InputError('snapshot.meta lacks node_fields or edge_fields');
  }
  const nf = meta.node_fields;
  const ef = meta.edge_fields;
  const need = (fields: string[], name: string, what: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) throw new InputError(`snapshot.meta.${what} has no "${name}" field`);
    return i;
  };
  const nodeTypes = enumList(meta.node_types, 'node_types');
  const edgeTypes = enumList(meta.edge_types, 'edge_types');
  if (nodeTypes.length > 255 || edgeTypes.length > 255) throw new InputError('snapshot.meta has more than 255 node or edge types');
  const nt = (n: string) => nodeTypes.indexOf(n);
  const et = (n: string) => edgeTypes.indexOf(n);
  const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
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
    traceFunctionInfoFields: list(meta.trace_function_info_fields),
    traceNodeFields: list(meta.trace_node_fields),
    sampleFields: list(meta.sample_fields),
    locationFields: list(meta.location_fields),
  };
}
