// DevTools' Comparison classifies the plain objects of BOTH snapshots with the NEWER snapshot's
// interface definitions (spec §13.1; `HeapSnapshotDiffDataGrid.populateChildren` passes
// `this.snapshot.interfaceDefinitions()` to the base's `aggregatesForDiff`). The base store was
// classified at ingest with its own definitions, so its plain objects are re-derived here from their
// property edge names (read by store/queries/diff.ts) — DevTools' `applyInterfaceDefinitions` rule:
// among the definitions whose properties are all present (all property edges, `__proto__` included),
// the one with the most properties wins, ties to the earlier definition; none → `Object`.
//
// The store keeps each definition as its name (`{a, b, "x,y"}`): inference builds the name from exactly
// the definition's property list, JSON-quoting names that contain `,'"{}`, so the list parses back.

const PLAIN_OBJECT = 'Object';

export interface InterfaceDefinition {
  name: string;
  properties: string[];
}

/** Parses an interface name `{a, b, "c,d"}` back into its property list. */
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

interface MatchInfo {
  name: string;
  propertyCount: number;
  index: number;
}
interface TrieNode {
  next: Map<string, TrieNode>;
  matchInfo: MatchInfo | null;
  greatestNext: string | null;
}

function better(a: MatchInfo, b: MatchInfo | null): MatchInfo {
  if (!b || a.propertyCount > b.propertyCount) return a;
  if (b.propertyCount > a.propertyCount) return b;
  return a.index <= b.index ? a : b;
}

/** DevTools' matcher: a trie over each definition's sorted properties, walked with an object's sorted properties. */
export class InterfaceMatcher {
  private readonly root: TrieNode = { next: new Map(), matchInfo: null, greatestNext: null };

  constructor(definitions: readonly InterfaceDefinition[]) {
    definitions.forEach((d, index) => {
      const properties = [...d.properties].sort();
      let node = this.root;
      for (const p of properties) {
        let child = node.next.get(p);
        if (!child) {
          child = { next: new Map(), matchInfo: null, greatestNext: null };
          node.next.set(p, child);
          if (node.greatestNext === null || node.greatestNext < p) node.greatestNext = p;
        }
        node = child;
      }
      if (!node.matchInfo) node.matchInfo = { name: d.name, propertyCount: properties.length, index };
    });
  }

  /** Class name of a plain object with these property names (any order; sorted here). */
  match(propertyNames: string[]): string {
    propertyNames.sort();
    const states = new Set<TrieNode>([this.root]);
    let m = better({ name: PLAIN_OBJECT, propertyCount: 0, index: Infinity }, this.root.matchInfo);
    for (const p of propertyNames) {
      for (const state of Array.from(states)) {
        if (state.greatestNext === null || p >= state.greatestNext) states.delete(state);
        const next = state.next.get(p);
        if (next) {
          states.add(next);
          if (next.matchInfo) m = better(m, next.matchInfo);
        }
      }
    }
    return m.name;
  }
}

/** True when two definition lists are identical (then re-deriving changes nothing). */
export function sameDefinitions(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
