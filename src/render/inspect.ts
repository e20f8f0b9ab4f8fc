// Renders `heapdiff inspect`: the object's facts as aligned lines, then its edges and retainers as tables.

import type { InspectEdge, InspectResult } from '../analyses/inspect.js';
import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';
import { detachednessKind, edgeLabel } from '../store/queries/labels.js';
import { safeText, safeTextMiddle } from './escape.js';
import { renderHeapyTable } from './heapy.js';
import { describeNode } from './retainers.js';
import type { Column, Row, Table } from './table.js';

const EDGE_COLUMNS: Column[] = [
  { key: 'edge', title: 'Edge', type: 'text', maxWidth: 30 },
  { key: 'edge_type', title: 'Edge type', type: 'text' },
  { key: 'id', title: 'Id', type: 'text' },
  { key: 'distance', title: 'Dist', type: 'number', width: 4 },
  { key: 'self_size', title: 'Self', type: 'bytes', width: 6 },
  { key: 'retained_size', title: 'Retained', type: 'bytes', width: 9 },
  { key: 'node', title: 'Class / name', type: 'kind' },
];

function edgeRows(edges: readonly InspectEdge[]): Row[] {
  return edges.map((e) => ({
    edge: edgeLabel(e.edge_type, e.edge_name),
    edge_type: e.edge_type,
    id: `@${e.node.id}`,
    distance: e.node.distance,
    self_size: e.node.self_size,
    retained_size: e.node.retained_size,
    node: describeNode(e.node),
  }));
}

export function inspectText(r: InspectResult, options: { wide?: boolean } = {}): string {
  const o = r.object;
  const max = options.wide ? 0 : 200;
  const t = (s: string) => safeText(s, max);
  const lines: string[] = [];
  lines.push(t(`Object @${o.id}: ${describeNode(o)} (${o.type})`));
  const fact = (k: string, v: string) => lines.push(`  ${k.padEnd(11)}${t(v)}`);
  fact('class', `${o.class_name}   (key ${o.class_key})`);
  if (o.name !== o.class_name) fact('name', o.name);
  fact('self size', `${o.self_size} bytes${o.raw_self_size !== o.self_size ? ` (V8 wrote ${o.raw_self_size}; DevTools' size transfer moved the rest)` : ''}`);
  fact('retained', `${o.retained_size} bytes`);
  fact('distance', o.distance < 0 ? `${o.distance} (unreachable)` : o.distance >= BASE_SYSTEM_DISTANCE ? `${o.distance} (reachable only from GC roots)` : String(o.distance));
  if (o.detachedness !== 0) fact('DOM state', detachednessKind(o.detachedness));
  if (r.dominator) fact('dominator', `${describeNode(r.dominator)} @${r.dominator.id} (retained ${r.dominator.retained_size} bytes)`);
  if (o.location) fact('location', `${o.location.script ?? `script #${o.location.script_id}`}:${o.location.line + 1}:${o.location.column + 1}`);
  if (o.allocation) fact('allocated', `${o.allocation.function || '(anonymous)'} ${o.allocation.script}:${o.allocation.line}:${o.allocation.column}`);
  lines.push(`  ${'path'.padEnd(11)}${safeTextMiddle(r.path, options.wide ? 0 : 400)} (${r.path_hops} hop${r.path_hops === 1 ? '' : 's'})`);

  const section = (title: string, edges: readonly InspectEdge[], total: number, what: string) => {
    lines.push('', title);
    if (edges.length === 0) {
      lines.push('  (none)');
      return;
    }
    const table: Table = { columns: EDGE_COLUMNS, rows: edgeRows(edges), moreRows: total - edges.length, moreHint: 'Use --limit N to see them.' };
    const text = renderHeapyTable(table, options).trimEnd();
    lines.push(text.replace(/^<(\d+) more rows\./m, `<$1 more ${what}.`));
  };
  section(`Edges (${r.edges.total}, biggest retained first):`, r.edges.shown, r.edges.total, 'edges');
  section(
    `Retainers (${r.retainers.total} listed in DevTools' order${r.retainers.weak > 0 ? `; ${r.retainers.weak} weak not listed` : ''}):`,
    r.retainers.shown,
    r.retainers.total,
    'retainers',
  );
  return lines.join('\n') + '\n';
}

/** `{version, object, dominator, path, path_hops, edges: {total, shown}, retainers: {total, weak, shown}}` */
export function inspectJson(r: InspectResult): object {
  return { version: 1, ...r };
}

/** CSV / Markdown: one row per listed edge and retainer (`direction` = out / in). */
export function inspectTable(r: InspectResult): Table {
  const rows: Row[] = [];
  const add = (direction: string, e: InspectEdge) =>
    rows.push({ direction, edge_type: e.edge_type, edge_name: e.edge_name, id: e.node.id, class_name: e.node.class_name, name: e.node.name, distance: e.node.distance, self_size: e.node.self_size, retained_size: e.node.retained_size });
  r.edges.shown.forEach((e) => add('out', e));
  r.retainers.shown.forEach((e) => add('in', e));
  return {
    columns: [
      { key: 'direction', title: 'Direction', type: 'text' },
      { key: 'edge_type', title: 'Edge type', type: 'text' },
      { key: 'edge_name', title: 'Edge', type: 'text' },
      { key: 'id', title: 'Id', type: 'number' },
      { key: 'class_name', title: 'Class', type: 'text' },
      { key: 'name', title: 'Name', type: 'text' },
      { key: 'distance', title: 'Distance', type: 'number' },
      { key: 'self_size', title: 'Self', type: 'bytes' },
      { key: 'retained_size', title: 'Retained', type: 'bytes' },
    ],
    rows,
  };
}
