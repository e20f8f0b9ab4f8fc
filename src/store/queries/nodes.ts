// Point lookups of single nodes and their edges: by ordinal, by V8 id, outgoing edges (a rowid range of
// `edge_rows`), incoming edges (the `retainer_rows` view over `retainer_index`), and DevTools' display name of a node.
// All cost microseconds on any store size: nothing here scans a table.

import { formatPropertyName } from '../../graph/class-names.js';
import { stmt, storeCodes, type Db } from './common.js';
import { closest } from '../../similar.js';

/** One node with the columns of the public `nodes` view (name = the file's raw name). */
export interface NodeRow {
  ordinal: number;
  id: number;
  type: string;
  name: string;
  class_name: string;
  class_key: string;
  class_id: number;
  self_size: number;
  raw_self_size: number;
  retained_size: number;
  distance: number;
  dominator: number;
  edge_count: number;
  first_edge: number;
  trace_node_id: number;
  detachedness: number;
}

const NODE_SQL = `SELECT n.ordinal, n.id, t.name AS type, s.value AS name, c.class_name, c.class_key, n.class_id,
  n.self_size, n.raw_self_size, n.retained_size, n.distance, n.dominator, n.edge_count, n.first_edge,
  n.trace_node_id, n.detachedness
FROM node_rows n JOIN node_types t ON t.code = n.type JOIN strings s ON s.id = n.name_sid
JOIN classes c ON c.class_id = n.class_id`;

export function nodeByOrdinal(db: Db, ordinal: number): NodeRow | undefined {
  return stmt(db, `${NODE_SQL} WHERE n.ordinal = ?`).get(ordinal) as NodeRow | undefined;
}

/** `nodeByOrdinal` of many nodes (one query per 10 000 ordinals), with `displayName` of each. */
export function nodeRowsOf(db: Db, ordinals: readonly number[]): Map<number, NodeRow & { display: string }> {
  const c = storeCodes(db);
  const out = new Map<number, NodeRow & { display: string }>();
  const q = stmt(
    db,
    `${NODE_SQL.replace('SELECT ', 'SELECT n.type AS type_code, ').replace('FROM node_rows n', 'FROM json_each(?) j JOIN node_rows n ON n.ordinal = j.value')}`,
  );
  for (let i = 0; i < ordinals.length; i += 10000) {
    for (const r of q.all(JSON.stringify(ordinals.slice(i, i + 10000))) as (NodeRow & { type_code: number })[]) {
      const { type_code, ...row } = r;
      const display =
        type_code === c.nodeConsString
          ? consStringName(db, r.ordinal)
          : type_code === c.nodeObject && r.name === 'Object'
            ? plainObjectName(db, r.ordinal)
            : effectiveName(db, type_code, r.name, r.detachedness);
      out.set(r.ordinal, { ...row, display });
    }
  }
  return out;
}

/**
 * `listedRetainers` of many nodes (one query per 10 000 ordinals), by target. With `belowDistance`
 * (one per ordinal), only the retainers a path can step to: distance >= 0 and below that node's (a
 * Chromium node can have thousands of retainers at its own distance or further, all useless to a path).
 */
export function listedRetainersMany(db: Db, ordinals: readonly number[], belowDistance?: readonly number[]): Map<number, RetainerRow[]> {
  const c = storeCodes(db);
  const out = new Map<number, RetainerRow[]>();
  const columns = `SELECT e.edge_ordinal, r.from_node, e.to_node, e.type AS type_code, e.name_or_index, s.value AS sname,
            n.distance AS from_distance, n.type AS from_type_code, ns.value AS from_name, n.detachedness AS from_detachedness`;
  const joins = `JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
     JOIN node_rows n ON n.ordinal = r.from_node JOIN strings ns ON ns.id = n.name_sid
     LEFT JOIN strings s ON s.id = e.name_or_index`;
  const q = belowDistance
    ? stmt(
        db,
        `${columns}
     FROM json_each(?) j JOIN retainer_rows r ON r.to_node = j.value ->> 0 ${joins}
     WHERE e.type != ? AND r.from_node != 0 AND n.distance >= 0 AND n.distance < j.value ->> 1`,
      )
    : stmt(
        db,
        `${columns}
     FROM json_each(?) j JOIN retainer_rows r ON r.to_node = j.value ${joins}
     WHERE e.type != ? AND r.from_node != 0`,
      );
  for (let i = 0; i < ordinals.length; i += 10000) {
    const part = ordinals.slice(i, i + 10000);
    const arg = belowDistance ? part.map((k, j) => [k, belowDistance[i + j]]) : part;
    const rows = q.all(JSON.stringify(arg), c.edgeWeak) as (RawEdge & {
      from_distance: number;
      from_type_code: number;
      from_name: string;
      from_detachedness: number;
    })[];
    for (const r of rows) {
      let list = out.get(r.to_node);
      if (!list) out.set(r.to_node, (list = []));
      list.push({
        ...toEdgeRow(db, r),
        from_distance: r.from_distance,
        from_type_code: r.from_type_code,
        from_name: r.from_name,
        from_detachedness: r.from_detachedness,
      });
    }
  }
  return out;
}

/** Ordinal of the node with this V8 id (`@123`), or undefined. Uses the `node_by_id` index. */
export function ordinalById(db: Db, id: number): number | undefined {
  const r = stmt(db, 'SELECT ordinal FROM node_rows WHERE id = ? ORDER BY ordinal LIMIT 1').get(id) as { ordinal: number } | undefined;
  return r?.ordinal;
}

/** An edge between two nodes, with the edge's display name (element/hidden indexes as decimal text). */
export interface EdgeRow {
  edge_ordinal: number;
  from_node: number;
  to_node: number;
  type: string;
  type_code: number;
  name: string;
}

function edgeName(db: Db, typeCode: number, nameOrIndex: number, sname: string | null): string {
  const c = storeCodes(db);
  return typeCode === c.edgeElement || typeCode === c.edgeHidden ? String(nameOrIndex) : (sname ?? '');
}

export interface RawEdge {
  edge_ordinal: number;
  from_node: number;
  to_node: number;
  type_code: number;
  name_or_index: number;
  sname: string | null;
}

export function toEdgeRow(db: Db, r: RawEdge): EdgeRow {
  const c = storeCodes(db);
  return {
    edge_ordinal: r.edge_ordinal,
    from_node: r.from_node,
    to_node: r.to_node,
    type: c.edgeTypes[r.type_code] ?? String(r.type_code),
    type_code: r.type_code,
    name: edgeName(db, r.type_code, r.name_or_index, r.sname),
  };
}

/** A node's outgoing edges in file order (the first `limit` of them). */
export function outgoingEdges(db: Db, ordinal: number, limit = Infinity): EdgeRow[] {
  const n = stmt(db, 'SELECT first_edge, edge_count FROM node_rows WHERE ordinal = ?').get(ordinal) as { first_edge: number; edge_count: number } | undefined;
  if (!n || n.edge_count === 0) return [];
  const rows = stmt(
    db,
    `SELECT e.edge_ordinal, ? AS from_node, e.to_node, e.type AS type_code, e.name_or_index, s.value AS sname
     FROM edge_rows e LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE e.edge_ordinal >= ? AND e.edge_ordinal < ? ORDER BY e.edge_ordinal`,
  ).all(ordinal, n.first_edge, n.first_edge + Math.min(n.edge_count, limit)) as RawEdge[];
  return rows.map((r) => toEdgeRow(db, r));
}

/** One incoming edge with what DevTools' Retainers view sorts by. */
export interface RetainerRow extends EdgeRow {
  /** The retaining node's distance (DevTools `!edgeDistance`). */
  from_distance: number;
  from_type_code: number;
  from_name: string;
  from_detachedness: number;
}

/**
 * DevTools' listed retainers of a node (docs/format.md#retainers): every incoming edge except weak ones and edges from
 * the root (V8 never writes DevTools' `invisible` edges). Unsorted; see analyses/paths.ts for the order.
 */
export function listedRetainers(db: Db, ordinal: number): RetainerRow[] {
  const c = storeCodes(db);
  const rows = stmt(
    db,
    `SELECT e.edge_ordinal, r.from_node, e.to_node, e.type AS type_code, e.name_or_index, s.value AS sname,
            n.distance AS from_distance, n.type AS from_type_code, ns.value AS from_name, n.detachedness AS from_detachedness
     FROM retainer_rows r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
     JOIN node_rows n ON n.ordinal = r.from_node JOIN strings ns ON ns.id = n.name_sid
     LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE r.to_node = ? AND e.type != ? AND r.from_node != 0`,
  ).all(ordinal, c.edgeWeak) as (RawEdge & { from_distance: number; from_type_code: number; from_name: string; from_detachedness: number })[];
  return rows.map((r) => ({
    ...toEdgeRow(db, r),
    from_distance: r.from_distance,
    from_type_code: r.from_type_code,
    from_name: r.from_name,
    from_detachedness: r.from_detachedness,
  }));
}

/** The root's edges into a node (the user-root shortcut or GC-roots element edge), lowest edge ordinal first. */
export function rootEdgesInto(db: Db, ordinal: number): EdgeRow[] {
  const rows = stmt(
    db,
    `SELECT e.edge_ordinal, r.from_node, e.to_node, e.type AS type_code, e.name_or_index, s.value AS sname
     FROM retainer_rows r JOIN edge_rows e ON e.edge_ordinal = r.edge_ordinal
     LEFT JOIN strings s ON s.id = e.name_or_index
     WHERE r.to_node = ? AND r.from_node = 0 ORDER BY e.edge_ordinal`,
  ).all(ordinal) as RawEdge[];
  return rows.map((r) => toEdgeRow(db, r));
}

/** DevTools' `rawName()` after DOM propagation: a detached native node is named "Detached " + its name. */
export function effectiveName(db: Db, typeCode: number, rawName: string, detachedness: number): string {
  return detachedness === 2 && typeCode === storeCodes(db).nodeNative ? `Detached ${rawName}` : rawName;
}

const MAX_CONS_NAME = 1024;

/**
 * DevTools' `JSHeapSnapshotNode.name()`: a concatenated string's text (leaves joined through its
 * `first`/`second` internal edges, until at least 1024 characters), a plain `Object`'s property summary
 * (`{a, b, …, y, z}`, about 100 characters), otherwise the effective raw name.
 */
export function displayName(db: Db, ordinal: number): string {
  const c = storeCodes(db);
  const n = stmt(db, 'SELECT n.type, s.value AS name, n.detachedness FROM node_rows n JOIN strings s ON s.id = n.name_sid WHERE n.ordinal = ?').get(ordinal) as
    | { type: number; name: string; detachedness: number }
    | undefined;
  if (!n) return '';
  if (n.type === c.nodeConsString) return consStringName(db, ordinal);
  if (n.type === c.nodeObject && n.name === 'Object') return plainObjectName(db, ordinal);
  return effectiveName(db, n.type, n.name, n.detachedness);
}

/** Names of a node's internal `first`/`second` children (0 when absent, as in DevTools). */
function consParts(db: Db, ordinal: number): [number, number] {
  const c = storeCodes(db);
  let first = 0;
  let second = 0;
  for (const e of outgoingEdges(db, ordinal)) {
    if (e.type_code !== c.edgeInternal) continue;
    if (e.name === 'first' && !first) first = e.to_node;
    else if (e.name === 'second' && !second) second = e.to_node;
    if (first && second) break;
  }
  return [first, second];
}

export function consStringName(db: Db, ordinal: number): string {
  const c = storeCodes(db);
  const typeOf = stmt(db, 'SELECT n.type, s.value AS name FROM node_rows n JOIN strings s ON s.id = n.name_sid WHERE n.ordinal = ?');
  const stack = [ordinal];
  let name = '';
  // Bounded: V8 never writes a cycle of string parts, but a damaged file can.
  for (let steps = 0; stack.length > 0 && name.length < MAX_CONS_NAME && steps < 100_000; steps++) {
    const k = stack.pop()!;
    const n = typeOf.get(k) as { type: number; name: string } | undefined;
    if (!n) continue;
    if (n.type !== c.nodeConsString) {
      name += n.name;
      continue;
    }
    const [first, second] = consParts(db, k);
    stack.push(second, first);
  }
  return name;
}

/** DevTools `#plainObjectName`: property names alternately from the start and the end, ≈100 characters. */
export function plainObjectName(db: Db, ordinal: number): string {
  const c = storeCodes(db);
  const edges = outgoingEdges(db, ordinal);
  let start = '{';
  let end = '}';
  let i = 0;
  let j = edges.length - 1;
  let fromEnd = false;
  while (i <= j) {
    const e = edges[fromEnd ? j : i];
    if (e.type_code !== c.edgeProperty || e.name === '__proto__') {
      if (fromEnd) j--;
      else i++;
      continue;
    }
    const formatted = formatPropertyName(e.name);
    if (start.length > 1 && start.length + end.length + formatted.length > 100) break;
    if (fromEnd) {
      j--;
      if (end.length > 1) end = `, ${end}`;
      end = formatted + end;
    } else {
      i++;
      if (start.length > 1) start += ', ';
      start += formatted;
    }
    fromEnd = !fromEnd;
  }
  if (i <= j) start += ', …';
  if (end.length > 1) start += ', ';
  return start + end;
}

/** Classes whose name (or class key) is exactly `name`, biggest retained first. */
export function classesNamed(
  db: Db,
  name: string,
): { class_id: number; class_key: string; class_name: string; count: number; self_size: number; retained_size: number }[] {
  return stmt(
    db,
    'SELECT class_id, class_key, class_name, count, self_size, retained_size FROM classes WHERE (class_name = ? OR class_key = ?) AND count > 0 ORDER BY retained_size DESC',
  ).all(name, name) as never;
}

/**
 * Up to `limit` class names resembling `name`, for "did you mean": the same but for case, then names
 * containing it (or contained in it), then names a few typing mistakes away (Damerau–Levenshtein, see
 * src/similar.ts); ties biggest retained first.
 */
export function similarClassNames(db: Db, name: string, limit = 3): string[] {
  const names = (
    stmt(db, 'SELECT class_name FROM classes WHERE count > 0 GROUP BY class_name ORDER BY max(retained_size) DESC').all() as { class_name: string }[]
  ).map((r) => r.class_name);
  return closest(name, names, limit);
}

/**
 * The `limit` biggest-retained instances (self size > 0) of a class, DevTools' instance order
 * (retained descending, then id). Reads summary_class_top when it covers the request, else scans.
 */
export function classInstances(db: Db, classId: number, limit: number): number[] {
  const stored = stmt(db, "SELECT value FROM meta WHERE key = 'summary_class_top'").get() as { value: number } | undefined;
  if (stored && Number(stored.value) >= limit) {
    return (stmt(db, 'SELECT ordinal FROM summary_class_top WHERE class_id = ? ORDER BY rank LIMIT ?').all(classId, limit) as { ordinal: number }[]).map(
      (r) => r.ordinal,
    );
  }
  return (
    stmt(db, 'SELECT ordinal FROM node_rows WHERE class_id = ? AND self_size > 0 ORDER BY retained_size DESC, id ASC LIMIT ?').all(classId, limit) as {
      ordinal: number;
    }[]
  ).map((r) => r.ordinal);
}

/** The immediate dominator (ordinal) of a node. */
export function dominatorOf(db: Db, ordinal: number): number {
  return (stmt(db, 'SELECT dominator FROM node_rows WHERE ordinal = ?').get(ordinal) as { dominator: number } | undefined)?.dominator ?? 0;
}

/** The location of a node (last record wins, as in DevTools), with its script's name when known. */
export function nodeLocation(db: Db, ordinal: number): { script_id: number; script: string | null; line: number; column: number } | null {
  const r = stmt(db, 'SELECT script_id, line, "column" AS col FROM locations WHERE node_ordinal = ? ORDER BY rowid DESC LIMIT 1').get(ordinal) as
    | { script_id: number; line: number; col: number }
    | undefined;
  if (!r) return null;
  const hasScripts = stmt(db, "SELECT 1 FROM sqlite_master WHERE name = 'scripts'").get() !== undefined;
  const s = hasScripts ? (stmt(db, 'SELECT name FROM scripts WHERE script_id = ?').get(r.script_id) as { name: string } | undefined) : undefined;
  return { script_id: r.script_id, script: s?.name ?? null, line: r.line, column: r.col };
}

/** The allocation frame of a trace node id (allocation-tracking snapshots), or null. */
export function allocationFrame(db: Db, traceNodeId: number): { function: string; script: string; line: number; column: number } | null {
  if (traceNodeId === 0) return null;
  const r = stmt(
    db,
    `SELECT coalesce(sn.value, '') AS fn, coalesce(ss.value, '') AS script, f.line, f."column" AS col FROM trace_tree t
     JOIN trace_function_infos f ON f.function_info_index = t.function_info_index
     LEFT JOIN strings sn ON sn.id = f.name LEFT JOIN strings ss ON ss.id = f.script_name WHERE t.id = ?`,
  ).get(traceNodeId) as { fn: string; script: string; line: number; col: number } | undefined;
  return r ? { function: r.fn, script: r.script, line: r.line, column: r.col } : null;
}

/** Brief facts of many nodes at once (for edge and retainer lists). */
export function nodeBriefs(
  db: Db,
  ordinals: readonly number[],
): Map<number, { id: number; type: string; class_name: string; name: string; self_size: number; retained_size: number; distance: number }> {
  const c = storeCodes(db);
  const q = stmt(
    db,
    `SELECT n.ordinal, n.id, n.type, cl.class_name, s.value AS name, n.self_size, n.retained_size, n.distance, n.detachedness
     FROM node_rows n JOIN strings s ON s.id = n.name_sid JOIN classes cl ON cl.class_id = n.class_id WHERE n.ordinal = ?`,
  );
  const out = new Map<number, { id: number; type: string; class_name: string; name: string; self_size: number; retained_size: number; distance: number }>();
  for (const o of ordinals) {
    if (out.has(o)) continue;
    const r = q.get(o) as
      | {
          ordinal: number;
          id: number;
          type: number;
          class_name: string;
          name: string;
          self_size: number;
          retained_size: number;
          distance: number;
          detachedness: number;
        }
      | undefined;
    if (!r) continue;
    out.set(o, {
      id: r.id,
      type: c.nodeTypes[r.type] ?? String(r.type),
      class_name: r.class_name,
      name: effectiveName(db, r.type, r.name, r.detachedness),
      self_size: r.self_size,
      retained_size: r.retained_size,
      distance: r.distance,
    });
  }
  return out;
}
