// Class names and class keys (docs/format.md#class-names, #interfaces, #summary; DevTools `calculateObjectNames`,
// `inferInterfaceDefinitions`, `applyInterfaceDefinitions`, `HeapSnapshotNode.classKeyInternal`,
// `classKeyFromClassKeyInternal`, `JSHeapSnapshotNode.formatPropertyName`).
//
// Per node type: hidden → `(system)`; code → `(compiled code)`; closure → `Function`; regexp →
// `RegExp`; object and native → the name after DOM renaming, with `<div id="a">` → `<div>` and
// `Detached <div id="a">` → `Detached <div>`; any other type → `(<type>)`. Plain objects (type object
// named `Object`) take the best matching inferred interface name (`{x, y}`) or stay `Object`.
//
// Class key: `<scriptId>,<line>,<column>,<className>` for `object` nodes with a location, else
// `,<className>`. Class indexes are numbered in order of first appearance by ordinal. Derived names
// live here, never in graph.strings.
//
// One deliberate divergence: DevTools aggregates by an internal key (the class name's string index)
// and only then maps it to the public ",<name>"; when an object/native's raw name equals a name DevTools
// synthesizes (e.g. an object named "Function" next to closures), both internal classes map to one
// public key and the later one overwrites the other's Summary row. heapdiff keys classes by the public
// key and keeps all instances in one row. No real fixture has such a collision (see graph-oracle test).
//
// Two entry points, because DevTools' Comparison applies the NEWER snapshot's definitions to both
// snapshots (docs/format.md#comparison): `inferInterfaces(graph)` and `classifyNodes(graph, domState, definitions)`.

import type { HeapGraph } from '../parse/heap-graph.js';
import { DETACHED_PREFIX, DOM_DETACHED } from './dom-state.js';
import { U32TupleInterner } from './u32-tuple-interner.js';
import { recordsByKey } from '../util/record-order.js';
import { bigInt32, sharedUint32 } from '../util/typed-arrays.js';
import { TextInterner } from '../util/interner.js';

/** Interfaces must match at least this many objects (`MIN_OBJECT_COUNT_PER_INTERFACE`)… */
const MIN_OBJECT_COUNT_PER_INTERFACE = 2;
/** …and at least 1 in this many plain objects (`MIN_OBJECT_PROPORTION_PER_INTERFACE`). */
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;
/** Inference stops adding properties past this name length (`MAX_INTERFACE_NAME_LENGTH`)… */
const MAX_INTERFACE_NAME_LENGTH = 120;
/** …once the name holds at least one property (`'{'.length` = MIN_INTERFACE_PROPERTY_COUNT). */
const MIN_INTERFACE_PROPERTY_COUNT = 1;

const PLAIN_OBJECT_NAME = 'Object';

/** One inferred plain-object shape, JSON-compatible with DevTools' `interfaceDefinitions()`. */
export interface InterfaceDefinition {
  /** Class name, e.g. `{x, y}`. */
  name: string;
  /** Property names in the order of the first object seen. */
  properties: string[];
  /** Number of plain objects whose leading properties spelled `name` (inference only). */
  count: number;
}

export interface NodeClasses {
  /** Class index per ordinal. */
  classIndex: Uint32Array;
  /** DevTools class key per class index. */
  classKeys: string[];
  /** DevTools class name per class index. */
  classNames: string[];
}

/** DevTools `formatPropertyName`: names with `,'"{}` become JSON string literals. */
export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/**
 * Plain objects (type `object`, name `Object`) grouped by *shape*: the sequence of their property
 * edges' name string indexes, in edge order. Interface inference and matching depend on nothing
 * else, so both run once per shape instead of once per object.
 */
export interface PlainObjectShapes {
  /** Shape id per ordinal, -1 for nodes that are not plain objects. */
  shapeOf: Int32Array;
  /** Property names (all property edges, `__proto__` included) per shape id, in edge order. */
  properties: string[][];
  /** Number of plain objects. */
  plainObjectCount: number;
}

export function computePlainObjectShapes(graph: HeapGraph): PlainObjectShapes {
  const { nodeCount, nodes, edgeTypes, edgeNames, firstEdge, layout, strings } = graph;
  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nameOffset = layout.nodeNameOffset;
  const objectType = layout.nodeTypeObject;
  const propertyEdge = layout.edgeTypeProperty;
  const shapeOf = bigInt32(nodeCount).fill(-1);
  const properties: string[][] = [];
  const shapes = new U32TupleInterner();
  let nameIndexes = new Uint32Array(64);
  // Plain objects are recognised by name string index; V8 de-duplicates strings, but stay exact if not.
  const isPlainName = new Uint8Array(strings.length);
  for (let i = 0; i < strings.length; i++) if (strings.equals(i, PLAIN_OBJECT_NAME)) isPlainName[i] = 1;
  let plainObjectCount = 0;
  for (let k = 0; k < nodeCount; k++) {
    if (nodes[k * F + typeOffset] !== objectType || !isPlainName[nodes[k * F + nameOffset]]) continue;
    plainObjectCount++;
    const begin = firstEdge[k];
    const end = firstEdge[k + 1];
    if (end - begin > nameIndexes.length) nameIndexes = new Uint32Array(end - begin);
    let n = 0;
    for (let e = begin; e < end; e++) {
      if (edgeTypes[e] === propertyEdge) nameIndexes[n++] = edgeNames[e];
    }
    const shape = shapes.intern(nameIndexes, n);
    if (shapes.isNew()) {
      const names: string[] = [];
      for (let i = 0; i < n; i++) names.push(String(strings.get(nameIndexes[i])));
      properties.push(names);
    }
    shapeOf[k] = shape;
  }
  return { shapeOf, properties, plainObjectCount };
}

/**
 * DevTools `inferInterfaceDefinitions`: per plain object, its property edges in edge order (skipping
 * `__proto__`) spell a name `{a, b, …}` (cut before passing 120 characters once one property is in);
 * names shared by at least max(2, plainObjectCount / 1000) objects become definitions, most common
 * first (stable). No cap on the number of definitions in the current engine.
 */
export function inferInterfaces(graph: HeapGraph, shapes: PlainObjectShapes = computePlainObjectShapes(graph)): InterfaceDefinition[] {
  const { shapeOf, properties: shapeProperties, plainObjectCount } = shapes;
  // Candidate per shape: its interface name and properties, or null when it has no property.
  const shapeCandidate: ({ name: string; properties: string[] } | null)[] = shapeProperties.map((all) => {
    let name = '{';
    const properties: string[] = [];
    for (const edgeName of all) {
      if (edgeName === '__proto__') continue;
      const formatted = formatPropertyName(edgeName);
      if (name.length > MIN_INTERFACE_PROPERTY_COUNT && name.length + formatted.length > MAX_INTERFACE_NAME_LENGTH) break;
      if (name.length !== 1) name += ', ';
      name += formatted;
      properties.push(edgeName);
    }
    return properties.length === 0 ? null : { name: `${name}}`, properties };
  });
  // Count per candidate name in node order, so ties keep DevTools' first-seen order.
  const candidates = new Map<string, InterfaceDefinition>();
  for (let k = 0; k < shapeOf.length; k++) {
    const shape = shapeOf[k];
    if (shape < 0) continue;
    const c = shapeCandidate[shape];
    if (c === null) continue;
    const candidate = candidates.get(c.name);
    if (candidate) candidate.count++;
    else candidates.set(c.name, { name: c.name, properties: c.properties, count: 1 });
  }
  const sorted = Array.from(candidates.values()).sort((a, b) => b.count - a.count);
  const minCount = Math.max(MIN_OBJECT_COUNT_PER_INTERFACE, plainObjectCount / MIN_OBJECT_PROPORTION_PER_INTERFACE);
  const result: InterfaceDefinition[] = [];
  for (const c of sorted) {
    if (c.count < minCount) break;
    result.push(c);
  }
  return result;
}

interface MatchInfo {
  name: string;
  propertyCount: number;
  index: number;
}
/** A node of DevTools' property trie (`buildPropertyTrie`); the root stands for the whole trie. */
export interface PropertyTrie {
  next: Map<string, PropertyTrie>;
  matchInfo: MatchInfo | null;
  greatestNext: string | null;
}

function betterMatch(a: MatchInfo, b: MatchInfo | null): MatchInfo {
  if (!b || a.propertyCount > b.propertyCount) return a;
  if (b.propertyCount > a.propertyCount) return b;
  return a.index <= b.index ? a : b;
}

/**
 * DevTools' property trie over each definition's sorted properties; first definition wins a node.
 * Pure (strings in, trie out): the Comparison reuses it with the newer snapshot's definitions
 * (analyses/diff-interfaces.ts).
 */
export function buildPropertyTrie(definitions: readonly Pick<InterfaceDefinition, 'name' | 'properties'>[]): PropertyTrie {
  const root: PropertyTrie = { next: new Map(), matchInfo: null, greatestNext: null };
  for (let index = 0; index < definitions.length; index++) {
    const properties = [...definitions[index].properties].sort();
    let node = root;
    for (const p of properties) {
      let child = node.next.get(p);
      if (!child) {
        child = { next: new Map(), matchInfo: null, greatestNext: null };
        node.next.set(p, child);
        if (node.greatestNext === null || node.greatestNext < p) node.greatestNext = p;
      }
      node = child;
    }
    if (!node.matchInfo) node.matchInfo = { name: definitions[index].name, propertyCount: properties.length, index };
  }
  return root;
}

const NO_MATCH: MatchInfo = { name: PLAIN_OBJECT_NAME, propertyCount: 0, index: Infinity };

/**
 * DevTools `applyInterfaceDefinitions` for one object: among definitions whose properties all occur
 * in `sortedProperties` (all property edges, `__proto__` included, sorted), the one with the most
 * properties, ties to the earlier definition. Returns the class name.
 */
export function matchInterface(trie: PropertyTrie, sortedProperties: readonly string[]): string {
  const states = new Set<PropertyTrie>([trie]);
  let match = betterMatch(NO_MATCH, trie.matchInfo);
  for (const p of sortedProperties) {
    for (const state of Array.from(states)) {
      if (state.greatestNext === null || p >= state.greatestNext) states.delete(state);
      const next = state.next.get(p);
      if (next) {
        states.add(next);
        match = betterMatch(match, next.matchInfo);
      }
    }
  }
  return match.name;
}

/** DevTools' shortening of tag-like names: `<div id="a">` → `<div>`, `Detached <p class="x">` → `Detached <p>`. */
function objectClassName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  return name;
}

/**
 * Class index, key and name of every node, given the DOM state (dom-state.ts) and the interface
 * definitions to apply (normally `inferInterfaces(graph)`; for a Comparison, the newer snapshot's).
 */
export function classifyNodes(
  graph: HeapGraph,
  domState: Uint8Array,
  definitions: readonly Pick<InterfaceDefinition, 'name' | 'properties'>[],
  shapes: PlainObjectShapes = computePlainObjectShapes(graph),
): NodeClasses {
  const { nodeCount, nodes, layout, strings } = graph;
  const F = layout.nodeFieldCount;
  const typeOffset = layout.nodeTypeOffset;
  const nameOffset = layout.nodeNameOffset;
  const objectType = layout.nodeTypeObject;
  const nativeType = layout.nodeTypeNative;

  // Classes by key, numbered in order of first appearance by ordinal.
  const classKeys = new TextInterner();
  const classNames: string[] = [];
  const classOf = (key: string, name: string): number => {
    const n = classKeys.size;
    const c = classKeys.id(key);
    if (c === n) classNames.push(name);
    return c;
  };
  // Distinct class-name strings get a name id; unlocated nodes map name id → class ",<name>".
  const nameIds = new TextInterner();
  const names = nameIds.texts;
  const unlocatedClass: number[] = [];
  const nameIdOf = (name: string): number => {
    const n = nameIds.size;
    const id = nameIds.id(name);
    if (id === n) unlocatedClass.push(-1);
    return id;
  };
  const unlocatedClassOf = (nameId: number): number => {
    let c = unlocatedClass[nameId];
    if (c < 0) c = unlocatedClass[nameId] = classOf(`,${names[nameId]}`, names[nameId]);
    return c;
  };

  // Name id per node type code for the fixed-name types (-1: object and native).
  const typeNameId = layout.nodeTypes.map((t, code) => {
    if (code === objectType || code === nativeType) return -1;
    if (code === layout.nodeTypeHidden) return nameIdOf('(system)');
    if (code === layout.nodeTypeCode) return nameIdOf('(compiled code)');
    if (code === layout.nodeTypeClosure) return nameIdOf('Function');
    if (code === layout.nodeTypeRegExp) return nameIdOf('RegExp');
    return nameIdOf(`(${t})`);
  });
  // Object/native name ids cached per name string index, plain and "Detached "-renamed; per shape for plain objects.
  const nameIdByString = new Int32Array(strings.length).fill(-1);
  const detachedNameIdByString = new Int32Array(strings.length).fill(-1);
  const nameIdByShape = new Int32Array(shapes.properties.length).fill(-1);
  const trie = buildPropertyTrie(definitions);

  // Locations (graph.locations: 4 values per record, node ordinal first, checked by the parser): only
  // `object` nodes use them, a node's last record wins as in DevTools' Map. The records sorted by node
  // (stable) are read along with the ordinals below, instead of a record offset per node (4 bytes a
  // node, 33 MB at 8.4 M nodes, at the analysis' memory peak). DevTools reads no locations when the
  // meta has no `location_fields`.
  const locations = graph.locations;
  const byNode = layout.locationFields.length > 0 ? recordsByKey(locations, 4, 0, locations.length >>> 2) : new Uint32Array(0);
  let nextLocation = 0;
  // Located classes: (script, line, column, name id) → class index.
  const locatedKeys = new U32TupleInterner();
  const locatedClass: number[] = [];
  const tuple = new Uint32Array(4);

  const shapeOf = shapes.shapeOf;
  const classIndex = sharedUint32(nodeCount);
  for (let k = 0; k < nodeCount; k++) {
    const base = k * F;
    const type = nodes[base + typeOffset];
    let nameId: number;
    if (type !== objectType && type !== nativeType) {
      nameId = type < typeNameId.length ? typeNameId[type] : nameIdOf('(undefined)');
      const c = unlocatedClass[nameId];
      classIndex[k] = c >= 0 ? c : unlocatedClassOf(nameId);
      continue;
    }
    const shape = shapeOf[k];
    if (shape >= 0) {
      nameId = nameIdByShape[shape];
      if (nameId < 0) nameId = nameIdByShape[shape] = nameIdOf(matchInterface(trie, [...shapes.properties[shape]].sort()));
    } else {
      const nameIndex = nodes[base + nameOffset];
      const detached = type === nativeType && domState[k] === DOM_DETACHED;
      const cache = detached ? detachedNameIdByString : nameIdByString;
      nameId = cache[nameIndex];
      if (nameId < 0) {
        const raw = String(strings.get(nameIndex));
        nameId = cache[nameIndex] = nameIdOf(objectClassName(detached ? DETACHED_PREFIX + raw : raw));
      }
    }
    let loc = -1;
    if (type === objectType) {
      while (nextLocation < byNode.length && locations[byNode[nextLocation] * 4] < k) nextLocation++;
      while (nextLocation < byNode.length && locations[byNode[nextLocation] * 4] === k) loc = byNode[nextLocation++] * 4;
    }
    if (loc < 0) {
      const c = unlocatedClass[nameId];
      classIndex[k] = c >= 0 ? c : unlocatedClassOf(nameId);
      continue;
    }
    tuple[0] = locations[loc + 1];
    tuple[1] = locations[loc + 2];
    tuple[2] = locations[loc + 3];
    tuple[3] = nameId;
    const id = locatedKeys.intern(tuple, 4);
    if (locatedKeys.isNew()) locatedClass.push(classOf(`${tuple[0]},${tuple[1]},${tuple[2]},${names[nameId]}`, names[nameId]));
    classIndex[k] = locatedClass[id];
  }
  return { classIndex, classKeys: classKeys.texts, classNames };
}
