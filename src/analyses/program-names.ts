// Names in the program's own words. A heap snapshot spells a leak in V8's terms — `Function`,
// `system / Context`, `(GC roots)`, `script_context_table` — while the developer thinks in functions,
// variables and files. This module translates, using only what the snapshot records:
//
// - A closure is named by its function name and source position: `onRefresh (index.html:6:70)`. The
//   position comes from the snapshot's `locations` section (0-based line and column there, shown
//   1-based as DevTools and editors do) and the script's URL from the `scripts` table.
// - A variable is a `context` edge of a `system / Context` (V8's scope objects: a `let`, `const` or
//   captured variable) or a property of the global object (`window.x`, `globalThis.x`). Its scope is
//   described from the Context's own edges: a module scope has a module record as its `extension`; a
//   classic script's top-level scope is held by the native context's script context table; any other
//   Context is the scope of a function call, and that function is found as the closure, defined in the
//   enclosing scope and in the same script, whose source position comes last before the closures
//   created in the scope. When the snapshot does not tell, the label says less rather than guess.
// - A retainer path is shown from its last variable on (`bus.handlers[] → onRefresh (…)`), with the
//   variable's scope as the path's root label (`script scope of index.html`); the engine's hops above it
//   (GC roots, handles, native context, script context table, chains of Contexts) fold into that label.
//   A path with no variable on it starts at a readable root label instead (`stack`, `global handles`).

import type { Db } from '../store/queries/common.js';
import { stmt } from '../store/queries/common.js';
import { nodeLabel, WEAKMAP_PAIR } from '../store/queries/labels.js';
import { listedRetainers, nodeByOrdinal, outgoingEdges } from '../store/queries/nodes.js';
import type { PathHop } from './paths.js';

/** A source position: the script's short name and 1-based line and column. */
export interface SourcePosition {
  script: string;
  line: number;
  column: number;
}

/** `index.html:6:70`. */
export function positionText(p: SourcePosition): string {
  return `${p.script}:${p.line}:${p.column}`;
}

/**
 * A script URL as a developer names it: the file name of a `file://`, `http(s)://` or plain path
 * (`index.html`, `server.js`); Node's built-ins keep their `node:` name; an empty URL is `(no script)`.
 */
export function scriptShortName(url: string): string {
  if (url === '') return '(no script)';
  if (url.startsWith('node:')) return url;
  const noQuery = url.replace(/[?#].*$/, '');
  const tail = noQuery
    .split(/[/\\]/)
    .filter((s) => s !== '')
    .pop();
  return tail && tail.length > 0 ? tail : url;
}

/** A function's display label: `onRefresh (index.html:6:70)`, `(anonymous) server.js:41:12`, `onRefresh`. */
export function functionText(name: string, at: SourcePosition | null): string {
  if (name === '') return at ? `(anonymous) ${positionText(at)}` : '(anonymous)';
  return at ? `${name} (${positionText(at)})` : name;
}

/** What kind of scope a Context is, and the label of the place a variable in it lives. */
export interface ScopeDescription {
  kind: 'module' | 'script' | 'function' | 'unknown';
  /** `module oom.js`, `script scope of index.html`, `closure scope of createServer (server.js:12)`, `a closure scope`. */
  text: string;
}

/** One hop of a named path: the edge into it as an accessor (`.handlers`, `[]`) and the object reached. */
export interface NamedStep {
  /** `.name`, `[3]` (pattern: `[]`), `["odd name"]`, `[Map entry]`, `[WeakMap entry]`; `×N` appended when repeated. */
  edge: string;
  /** The object's label (`Object`, `Array`, `onRefresh (index.html:6:70)`, `Detached <li>`). */
  node: string;
  /** True for containers shown only through their accessors (plain objects, arrays, backing stores). */
  plain: boolean;
  /** How many times this (edge, node) step repeats in a row (`._idlePrev ×12`). */
  repeat: number;
}

/** A retainer path in the program's words. */
export interface NamedPath {
  /** Where it starts: the variable's scope, or a root (`window`, `global`, `stack`, `global handles`). */
  root: string;
  /** The variable the path goes through last (`bus`), or null when none is on the path. */
  variable: string | null;
  /** The hops after the variable (or after the root), root side first. */
  steps: NamedStep[];
  /** Index in the original hops of the variable's value (the first hop shown). */
  from: number;
}

const CONTEXT = /^system \/ Context\b/;
const NATIVE_CONTEXT = /^system \/ NativeContext\b/;
const GLOBAL_OBJECT = /^(?:Window|global)(?:$|[\s/])|\[JSGlobalObject\]/;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^\d+$/;
/** Containers a reader sees through: the accessor says enough. */
const PLAIN_NODES = new Set([
  'Object',
  'Array',
  '(internal array)',
  '(object elements)',
  '(object properties)',
  'system / PropertyArray',
  'system / FixedArray',
]);
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
/** How many hops above a closure the variable holding it may be to extend a path through the closure's scope. */
const CLOSURE_REACH = 4;

/** A variable edge: a context slot of a scope, or a property of a global object. */
export function isVariableEdge(fromLabel: string, fromClass: string, edgeType: string | null): boolean {
  if (edgeType === 'context') return CONTEXT.test(fromLabel) || CONTEXT.test(fromClass);
  return edgeType === 'property' && GLOBAL_OBJECT.test(fromClass);
}

/** The accessor spelling of an edge in a named path (`.handlers`, `[]`/`[3]`, `["a b"]`). */
function accessor(type: string | null, name: string | null, pattern: boolean): string {
  if (type === null || name === null) return '';
  if (type === 'element' || type === 'hidden' || INDEX.test(name)) return pattern ? '[]' : `[${name}]`;
  if (IDENT.test(name)) return `.${name}`;
  if (WEAKMAP_PAIR.test(name)) return '[WeakMap entry]';
  return `[${JSON.stringify(name)}]`;
}

/** Labels of the roots a path without a variable starts at, by the synthetic root's name. */
function rootLabelOf(hops: readonly PathHop[]): string {
  for (const h of hops) {
    const label = nodeLabel(h.class_name, h.name, h.type);
    if (label === '(GC roots)' || label === '(root)') continue;
    if (/^\(Stack roots\)/.test(label)) return 'stack';
    if (/^\(Handle scope\)/.test(label)) return 'handle scope';
    if (/^\(Global handles\)/.test(label)) return 'global handles';
    if (/^\(Internalized strings\)/.test(label)) return 'string table';
    if (
      /^\((Builtins|Bootstrapper|Strong roots|Smi roots|Extensions|Code flusher|Compilation cache|Debugger|Eternal handles|Relocatable|Thread manager|Startup object cache|Read-only roots|Partial snapshot cache|Weak collections|Unknown)\b/.test(
        label,
      )
    ) {
      return label.replace(/^\(|\)$/g, '').toLowerCase();
    }
    if (GLOBAL_OBJECT.test(h.class_name)) return /^Window/.test(h.class_name) ? 'window' : 'global';
    return label;
  }
  return '(root)';
}

/**
 * Names functions and scopes of one store, memoising every lookup: a report names the same few
 * scopes and functions for thousands of paths.
 */
export class ProgramNamer {
  readonly db: Db;
  private readonly scripts = new Map<number, string>();
  private readonly positions = new Map<number, SourcePosition | null>();
  private readonly scopes = new Map<number, ScopeDescription>();
  private readonly functions = new Map<number, string>();
  private readonly hasScripts: boolean;

  constructor(db: Db) {
    this.db = db;
    this.hasScripts = stmt(db, "SELECT 1 FROM sqlite_master WHERE name = 'scripts'").get() !== undefined;
  }

  private scriptName(scriptId: number): string {
    let s = this.scripts.get(scriptId);
    if (s === undefined) {
      const row = this.hasScripts ? (stmt(this.db, 'SELECT name FROM scripts WHERE script_id = ?').get(scriptId) as { name: string } | undefined) : undefined;
      s = row ? scriptShortName(row.name) : `script #${scriptId}`;
      this.scripts.set(scriptId, s);
    }
    return s;
  }

  /** Where a closure (or any object with a location) was defined, 1-based, or null. */
  position(ordinal: number): SourcePosition | null {
    let p = this.positions.get(ordinal);
    if (p === undefined) {
      const r = stmt(this.db, 'SELECT script_id, line, "column" AS col FROM locations WHERE node_ordinal = ? ORDER BY rowid DESC LIMIT 1').get(ordinal) as
        | { script_id: number; line: number; col: number }
        | undefined;
      p = r ? { script: this.scriptName(r.script_id), line: r.line + 1, column: r.col + 1 } : null;
      this.positions.set(ordinal, p);
    }
    return p;
  }

  /** `position` of many nodes at once (one query per 10 000 ordinals), memoised for the calls that follow. */
  prefetchPositions(ordinals: readonly number[]): void {
    const missing = [...new Set(ordinals.filter((k) => !this.positions.has(k)))];
    const q = stmt(
      this.db,
      'SELECT l.node_ordinal, l.script_id, l.line, l."column" FROM json_each(?) j JOIN locations l ON l.node_ordinal = j.value ORDER BY l.rowid',
    ).raw();
    for (let i = 0; i < missing.length; i += 10000) {
      const part = missing.slice(i, i + 10000);
      // rowid order: a node's last location wins, as `position` takes it
      const found = new Map<number, [number, number, number]>();
      for (const [k, script, line, col] of q.all(JSON.stringify(part)) as [number, number, number, number][]) found.set(k, [script, line, col]);
      for (const k of part) {
        const r = found.get(k);
        this.positions.set(k, r ? { script: this.scriptName(r[0]), line: r[1] + 1, column: r[2] + 1 } : null);
      }
    }
  }

  /** A closure's label, `onRefresh (index.html:6:70)`; other objects: their path label. */
  functionLabel(ordinal: number, name?: string): string {
    let s = this.functions.get(ordinal);
    if (s === undefined) {
      const n = name ?? nodeByOrdinal(this.db, ordinal)?.name ?? '';
      s = functionText(n, this.position(ordinal));
      this.functions.set(ordinal, s);
    }
    return s;
  }

  /** A node's label in a named path: closures by function and position, everything else as in path lines. */
  nodeText(h: Pick<PathHop, 'ordinal' | 'type' | 'class_name' | 'name'>): string {
    if (h.type === 'closure') return this.functionLabel(h.ordinal, h.name);
    return nodeLabel(h.class_name, h.name, h.type);
  }

  /**
   * Where the constructor of an object's class is defined: the instance's prototype (`__proto__`, else its
   * map's `prototype`) has a `constructor` property that is a closure named like the class. Null when
   * the snapshot does not link them (objects made by the engine, plain objects).
   */
  constructorPosition(instance: number, className: string): SourcePosition | null {
    const protoEdge = outgoingEdges(this.db, instance).find((e) => e.name === '__proto__');
    let proto = protoEdge?.to_node;
    if (proto === undefined) {
      const map = outgoingEdges(this.db, instance).find((e) => e.type === 'internal' && e.name === 'map');
      proto = map ? outgoingEdges(this.db, map.to_node).find((e) => e.name === 'prototype')?.to_node : undefined;
    }
    if (proto === undefined) return null;
    const ctor = outgoingEdges(this.db, proto).find((e) => e.type === 'property' && e.name === 'constructor');
    if (!ctor) return null;
    const fn = nodeByOrdinal(this.db, ctor.to_node);
    if (fn?.type !== 'closure' || fn.name !== className) return null;
    return this.position(ctor.to_node);
  }

  /**
   * The name of the function whose call made `context`, from its ScopeInfo: the strings the ScopeInfo
   * holds, in order, are the context's variable names and then the function's name. Null when that
   * cannot be told apart (no ScopeInfo, or the last name is one of the scope's own variables).
   */
  private scopeFunctionName(edges: { type: string; name: string; to_node: number }[]): string | null {
    const info = edges.find((e) => e.type === 'internal' && e.name === 'scope_info');
    if (!info) return null;
    const names: string[] = [];
    for (const e of outgoingEdges(this.db, info.to_node)) {
      if (e.type !== 'hidden') continue;
      const n = nodeByOrdinal(this.db, e.to_node);
      if (n?.type !== 'string') break;
      names.push(n.name);
    }
    if (names.length === 0) return null;
    const last = names[names.length - 1];
    const variables = new Set(edges.filter((e) => e.type === 'context').map((e) => e.name));
    if (last !== '' && (variables.has(last) || !IDENT.test(last))) return null;
    return last;
  }

  /** The closures whose scope is `context` (their `context` edge points at it), with positions. */
  private closuresIn(
    context: number,
  ): { ordinal: number; name: string; at: SourcePosition | null; raw: { script_id: number; line: number; col: number } | null }[] {
    const rows = stmt(
      this.db,
      `SELECT r.from_node AS ordinal, s.value AS name, l.script_id, l.line, l."column" AS col
       FROM retainer_rows r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
       JOIN node_rows n ON n.ordinal = r.from_node JOIN node_types t ON t.code = n.type AND t.name = 'closure'
       JOIN strings s ON s.id = n.name_sid
       JOIN strings en ON en.id = e.name_or_index AND en.value = 'context'
       LEFT JOIN locations l ON l.node_ordinal = r.from_node
       WHERE r.to_node = ?
       LIMIT 5000`,
    ).all(context) as { ordinal: number; name: string; script_id: number | null; line: number | null; col: number | null }[];
    return rows.map((r) => ({
      ordinal: r.ordinal,
      name: r.name,
      at: r.script_id === null ? null : { script: this.scriptName(r.script_id), line: (r.line ?? 0) + 1, column: (r.col ?? 0) + 1 },
      raw: r.script_id === null ? null : { script_id: r.script_id, line: r.line ?? 0, col: r.col ?? 0 },
    }));
  }

  /** The script most closures of a scope come from (its file), or null. */
  private scopeFile(inner: ReturnType<ProgramNamer['closuresIn']>): string | null {
    const counts = new Map<string, number>();
    for (const c of inner) if (c.at) counts.set(c.at.script, (counts.get(c.at.script) ?? 0) + 1);
    let best: string | null = null;
    let most = 0;
    for (const [s, n] of counts) if (n > most) [best, most] = [s, n];
    return best;
  }

  /** What scope a `system / Context` is (see the file comment). */
  scopeOf(context: number): ScopeDescription {
    let d = this.scopes.get(context);
    if (d) return d;
    d = this.describeScope(context);
    this.scopes.set(context, d);
    return d;
  }

  private describeScope(context: number): ScopeDescription {
    const edges = outgoingEdges(this.db, context);
    const inner = this.closuresIn(context);
    const file = this.scopeFile(inner);
    const extension = edges.find((e) => e.type === 'internal' && e.name === 'extension');
    if (extension && /SourceTextModule|Module\b/.test(nodeByOrdinal(this.db, extension.to_node)?.name ?? '')) {
      return { kind: 'module', text: file ? `module ${file}` : 'a module scope' };
    }
    const previous = edges.find((e) => e.type === 'internal' && e.name === 'previous');
    const outer = previous ? nodeByOrdinal(this.db, previous.to_node) : undefined;
    const heldByScriptTable = listedRetainers(this.db, context).some((r) => /ScriptContextTable/.test(r.from_name));
    if (heldByScriptTable) return { kind: 'script', text: file ? `script scope of ${file}` : 'a script scope' };
    if (!previous || !outer) return { kind: 'unknown', text: file ? `a scope in ${file}` : 'a scope' };
    // A function's scope: V8's ScopeInfo lists the scope's variable names and then the function's name
    // (empty for a module or script); its owner's position is that of the closure of that name in the
    // enclosing scope, when the function is still alive.
    const owner = this.scopeFunctionName(edges);
    if (owner !== null) {
      const fn = this.closuresIn(previous.to_node).find((c) => c.name === owner && c.at);
      if (owner === '') {
        if (NATIVE_CONTEXT.test(outer.name) && file && !file.startsWith('node:')) return { kind: 'module', text: `module ${file}` };
      } else {
        const where = fn?.at ? ` (${fn.at.script}:${fn.at.line})` : file ? ` (${file})` : '';
        return { kind: 'function', text: `closure scope of ${owner}${where}` };
      }
    }
    const first = inner.filter((c) => c.raw !== null).sort((x, y) => x.raw!.line - y.raw!.line || x.raw!.col - y.raw!.col)[0];
    if (first?.raw) {
      const candidates = this.closuresIn(previous.to_node).filter(
        (c) =>
          c.raw !== null &&
          c.raw.script_id === first.raw!.script_id &&
          (c.raw.line < first.raw!.line || (c.raw.line === first.raw!.line && c.raw.col < first.raw!.col)),
      );
      candidates.sort((x, y) => y.raw!.line - x.raw!.line || y.raw!.col - x.raw!.col);
      const owner = candidates[0];
      if (owner?.at) {
        // Node's CommonJS wrapper: the function around a whole file, at its very start.
        if (NATIVE_CONTEXT.test(outer.name) && owner.raw!.line === 0 && owner.raw!.col <= 1 && owner.name === '') {
          return { kind: 'module', text: `module ${owner.at.script}` };
        }
        return { kind: 'function', text: `closure scope of ${owner.name === '' ? '(anonymous)' : owner.name} (${owner.at.script}:${owner.at.line})` };
      }
    }
    if (NATIVE_CONTEXT.test(outer.name) && file && !file.startsWith('node:')) return { kind: 'module', text: `module ${file}` };
    return { kind: 'function', text: file ? `a closure scope in ${file}` : 'a closure scope' };
  }

  /**
   * A real strong path from a program variable down to `ordinal`, for objects whose shortest path has
   * none (held by a stack slot, a deoptimization literal or a handle, and also by a variable): a
   * breadth-first walk up the retainers (weak edges never), stopping at the first variable edge, at
   * most `limit` objects visited. Root side first, as PathFinder's hops; null when none is found.
   */
  variablePath(ordinal: number, limit = 2000): PathHop[] | null {
    const start = nodeByOrdinal(this.db, ordinal);
    if (!start || start.distance < 0) return null;
    const via = new Map<number, { to: number; type: string; name: string; edge: number }>();
    const queue = [ordinal];
    const seen = new Set<number>([ordinal]);
    for (let head = 0; head < queue.length && seen.size < limit; head++) {
      const u = queue[head];
      for (const r of listedRetainers(this.db, u)) {
        if (r.from_distance < 0 || seen.has(r.from_node)) continue;
        const from = nodeByOrdinal(this.db, r.from_node);
        if (!from || from.type === 'synthetic') continue;
        seen.add(r.from_node);
        via.set(r.from_node, { to: u, type: r.type, name: r.name, edge: r.edge_ordinal });
        if (isVariableEdge(nodeLabel(from.class_name, from.name, from.type), from.class_name, r.type)) {
          const hops: PathHop[] = [];
          let cur: number | undefined = r.from_node;
          let into: { type: string; name: string; edge: number } | null = null;
          while (cur !== undefined) {
            const n = cur === r.from_node ? from : nodeByOrdinal(this.db, cur)!;
            hops.push({
              ordinal: n.ordinal,
              id: n.id,
              type: n.type,
              class_name: n.class_name,
              name: n.name,
              retained_size: n.retained_size,
              self_size: n.self_size,
              distance: n.distance,
              edge_type: into?.type ?? null,
              edge_name: into?.name ?? null,
              edge_ordinal: into?.edge ?? null,
            });
            const next = via.get(cur);
            if (cur === ordinal || !next) break;
            into = next;
            cur = next.to;
          }
          return hops;
        }
        queue.push(r.from_node);
      }
    }
    return null;
  }

  /**
   * A DevTools retainer path (root side first) in the program's words: from its last variable on, the
   * engine's hops above folded into the root label; repeated steps collapsed (`._idlePrev ×12`).
   * With `pattern`, indexes read `[]` so paths of many objects compare equal.
   */
  namePath(hops: readonly PathHop[], pattern = false): NamedPath {
    let from = -1;
    let root = '';
    let variable: string | null = null;
    for (let i = hops.length - 1; i >= 1; i--) {
      const h = hops[i];
      const prev = hops[i - 1];
      const prevLabel = nodeLabel(prev.class_name, prev.name, prev.type);
      if (isVariableEdge(prevLabel, prev.class_name, h.edge_type)) {
        from = i;
        variable = h.edge_name ?? '';
        root = h.edge_type === 'context' ? this.scopeOf(prev.ordinal).text : /^Window/.test(prev.class_name) ? 'window' : 'global';
        break;
      }
    }
    // A variable of a closure's scope (`li` captured by onRefresh) says more with the closure and the
    // variable that holds the closure, when that one is a few hops up: `bus.handlers[] →
    // onRefresh (…).[[Scopes]].li`. A far one (a timer list holding a server) would only add noise.
    // Module and script variables are anchors of their own.
    if (
      from >= 3 &&
      hops[from].edge_type === 'context' &&
      hops[from - 1].edge_name === 'context' &&
      hops[from - 2].type === 'closure' &&
      !['module', 'script'].includes(this.scopeOf(hops[from - 1].ordinal).kind)
    ) {
      for (let j = from - 2; j >= Math.max(1, from - 2 - CLOSURE_REACH); j--) {
        const prev = hops[j - 1];
        if (isVariableEdge(nodeLabel(prev.class_name, prev.name, prev.type), prev.class_name, hops[j].edge_type)) {
          from = j;
          variable = hops[j].edge_name ?? '';
          root = hops[j].edge_type === 'context' ? this.scopeOf(prev.ordinal).text : /^Window/.test(prev.class_name) ? 'window' : 'global';
          break;
        }
      }
    }
    if (from < 0) {
      // No variable: start below the synthetic roots, at the first real object.
      root = rootLabelOf(hops);
      from = hops.findIndex((h) => h.type !== 'synthetic');
      if (from < 0) from = hops.length - 1;
    }
    const steps: NamedStep[] = [];
    for (let i = from; i < hops.length; i++) {
      let h = hops[i];
      let edge = i === from ? '' : accessor(h.edge_type, h.edge_name, pattern);
      // A closure's scope, as DevTools' object inspector calls it.
      if (h.edge_type === 'internal' && h.edge_name === 'context' && hops[i - 1]?.type === 'closure') edge = '.[[Scopes]]';
      const prev = steps[steps.length - 1];
      // A collection's backing table and its slot read as one entry: `sessions → Map[entry] → Session`.
      if (prev && COLLECTIONS.has(prev.node) && h.edge_name === 'table' && i + 1 < hops.length) {
        h = hops[++i];
        edge = '[entry]';
      }
      const node = this.nodeText(h);
      const last = steps[steps.length - 1];
      if (last && edge !== '' && last.edge === edge && last.node === node) {
        last.repeat++;
        continue;
      }
      steps.push({ edge, node, plain: PLAIN_NODES.has(node) || CONTEXT.test(node), repeat: 1 });
    }
    return { root, variable, steps, from };
  }
}

/**
 * A named path as text: `bus.handlers[] → onRefresh (index.html:6:70)`. Plain containers show only
 * through their accessors; other objects are written out (` → Map`); the last object always is. With
 * `pattern`, repeat counts read `×N` so paths differing only in a chain's length merge.
 */
export function namedPathText(p: NamedPath, pattern = false): string {
  let out = p.variable === null ? '' : IDENT.test(p.variable) ? p.variable : `[${JSON.stringify(p.variable)}]`;
  p.steps.forEach((s, i) => {
    const isLast = i === p.steps.length - 1;
    if (i === 0 && p.variable === null) {
      out += s.node;
      return;
    }
    if (i > 0) out += s.edge + (s.repeat > 1 ? ` ×${pattern ? 'N' : s.repeat.toLocaleString('en-US')}` : '');
    if (isLast || !s.plain) out += ` → ${s.node}`;
  });
  return out;
}
