// DevTools' Comparison classifies the plain objects of BOTH snapshots with the NEWER snapshot's
// interface definitions (docs/format.md#comparison; `HeapSnapshotDiffDataGrid.populateChildren` passes
// `this.snapshot.interfaceDefinitions()` to the base's `aggregatesForDiff`). The base store was
// classified at ingest with its own definitions, so its plain objects are re-derived here from their
// property edge names (read by store/queries/node-columns.ts) — DevTools' `applyInterfaceDefinitions` rule:
// among the definitions whose properties are all present (all property edges, `__proto__` included),
// the one with the most properties wins, ties to the earlier definition; none → `Object`.
//
// The matching itself is the graph's (src/graph/class-names.ts: `buildPropertyTrie`, `matchInterface`,
// the functions ingest classifies with), so both snapshots follow one implementation of the rule.
//
// The store keeps each definition as its name (`{a, b, "x,y"}`): inference builds the name from exactly
// the definition's property list, JSON-quoting names that contain `,'"{}` (`formatPropertyName`), so the
// list parses back.

import { buildPropertyTrie, matchInterface, type InterfaceDefinition as InferredInterface, type PropertyTrie } from '../graph/class-names.js';

/** A definition as the Comparison needs it: its name and property list (no count). */
export type InterfaceDefinition = Pick<InferredInterface, 'name' | 'properties'>;

/** Parses an interface name `{a, b, "c,d"}` back into its property list (inverse of the graph's `formatPropertyName` join). */
export function parseInterfaceName(name: string): string[] {
  if (!name.startsWith('{') || !name.endsWith('}')) return [];
  const body = name.slice(1, -1);
  const out: string[] = [];
  if (body === '') return out;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      // A JSON string literal: find its closing quote (skipping escapes).
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      out.push(JSON.parse(body.slice(i, j + 1)) as string);
      i = j + 1;
    } else {
      const j = body.indexOf(', ', i);
      const end = j === -1 ? body.length : j;
      out.push(body.slice(i, end));
      i = end;
    }
    if (body.startsWith(', ', i)) i += 2;
    else break;
  }
  return out;
}

export function definitionsFromNames(names: readonly string[]): InterfaceDefinition[] {
  return names.map((name) => ({ name, properties: parseInterfaceName(name) }));
}

/** DevTools' matcher over one list of definitions (the graph's property trie, built once). */
export class InterfaceMatcher {
  private readonly trie: PropertyTrie;

  constructor(definitions: readonly InterfaceDefinition[]) {
    this.trie = buildPropertyTrie(definitions);
  }

  /** Class name of a plain object with these property names (any order; sorted here, in place). */
  match(propertyNames: string[]): string {
    return matchInterface(this.trie, propertyNames.sort());
  }
}

/** True when two definition lists are identical (then re-deriving changes nothing). */
export function sameDefinitions(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
