// Renders `heapdiff inspect`: the object's facts as aligned lines, then its edges and retainers as tables.

import type { InspectEdge, InspectResult } from '../analyses/inspect.js';
import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';
import { detachednessKind, edgeLabel } from '../store/queries/labels.js';
import { safeText } from './escape.js';
import { renderHeapyTable } from './heapy.js';
import { keptByHops, scopeNote } from './leak-report.js';
import { describeNode } from './retainers.js';
import type { Column, Row, Table } from './table.js';
import { count, countOf, displayWidth, paint, PLAIN, size, wrapHops, wrapText, type Manners } from './terminal.js';

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

/** The object's facts, one per line (wrapped to the width), then its edges and retainers as tables. */
export function inspectText(r: InspectResult, options: { wide?: boolean; manners?: Manners } = {}): string {
  const o = r.object;
  const m = options.manners ?? PLAIN;
  const width = options.wide ? Infinity : m.width;
  const lines: string[] = [];
  lines.push(...wrapText(safeText(`Object @${o.id}: ${describeNode(o)} (${o.type})`), width, '  ').map((l) => paint(l, 'bold', m)));
  const label = (k: string) => `  ${k.padEnd(11)}`;
  const fact = (k: string, v: string) => wrapText(safeText(v), width - 13).forEach((l, i) => lines.push((i === 0 ? label(k) : ' '.repeat(13)) + l));
  const bytes = (n: number) => (m.rawBytes || n < 1000 ? size(n, m) : `${size(n, m)} (${size(n, { rawBytes: true })})`);
  if (r.label !== o.class_name) fact('is', r.label);
  fact('class', `${o.class_name}   (key ${o.class_key})`);
  if (o.name !== o.class_name) fact('name', o.name);
  fact(
    'self size',
    `${bytes(o.self_size)}${o.raw_self_size !== o.self_size ? ` (V8 wrote ${size(o.raw_self_size, { rawBytes: true })}; DevTools' size transfer moved the rest)` : ''}`,
  );
  fact('retained', bytes(o.retained_size));
  fact(
    'distance',
    o.distance < 0 ? `${o.distance} (unreachable)` : o.distance >= BASE_SYSTEM_DISTANCE ? `${o.distance} (reachable only from GC roots)` : String(o.distance),
  );
  if (o.detachedness !== 0) fact('DOM state', detachednessKind(o.detachedness));
  if (r.dominator) fact('dominator', `${describeNode(r.dominator)} @${r.dominator.id} (retained ${size(r.dominator.retained_size, m)})`);
  if (o.location) fact('location', `${o.location.script ?? `script #${o.location.script_id}`}:${o.location.line + 1}:${o.location.column + 1}`);
  if (o.allocation) fact('allocated', `${o.allocation.function || '(anonymous)'} ${o.allocation.script}:${o.allocation.line}:${o.allocation.column}`);
  if (o.ordinal !== 0) {
    const kept = wrapHops(
      label('kept by'),
      keptByHops(r.named).map((h) => safeText(h)),
      width,
      13,
    );
    const note = scopeNote(r.named);
    if (note) {
      const extra = `  (${safeText(note)})`;
      if (displayWidth(kept[kept.length - 1] + extra) <= width) kept[kept.length - 1] += extra;
      else kept.push(...wrapText(' '.repeat(13) + extra.trimStart(), width, ' '.repeat(13)));
    }
    lines.push(...kept);
  }
  // The path wraps between hops (a heap name holding " → " may split there; the text stays the same).
  // A run of identical hops (a linked list's `ListNode.next` a million times) is one hop with `×N`;
  // JSON keeps every hop.
  const hops = collapseRuns(safeText(r.path).split(' → '));
  if (r.path_truncated) hops.unshift('…');
  hops[hops.length - 1] += r.path_truncated ? ` (the last ${countOf(r.path_hops, 'hop')}; the path goes on)` : ` (${countOf(r.path_hops, 'hop')})`;
  lines.push(...wrapHops(label('path'), hops, width, 13));

  const section = (title: string, edges: readonly InspectEdge[], total: number, what: [string, string]) => {
    lines.push('', title);
    if (edges.length === 0) {
      lines.push('  (none)');
      return;
    }
    const table: Table = { columns: EDGE_COLUMNS, rows: edgeRows(edges), moreRows: total - edges.length, moreHint: 'Use --limit N to see them.', human: true };
    const text = renderHeapyTable(table, { ...options, manners: m }).trimEnd();
    const more = total - edges.length;
    lines.push(text.replace(/^<[\d,]+ more rows?\./m, `<${countOf(more, `more ${what[0]}`, `more ${what[1]}`)}.`));
  };
  section(`Edges (${count(r.edges.total)}, biggest retained first):`, r.edges.shown, r.edges.total, ['edge', 'edges']);
  section(
    `Retainers (${count(r.retainers.total)} listed in DevTools' order${r.retainers.weak > 0 ? `; ${count(r.retainers.weak)} weak not listed` : ''}):`,
    r.retainers.shown,
    r.retainers.total,
    ['retainer', 'retainers'],
  );
  return `${lines.join('\n')}\n`;
}

/** `{version, object, dominator, path, path_hops, edges: {total, shown}, retainers: {total, weak, shown}}` */
export function inspectJson(r: InspectResult): object {
  return { version: 1, ...r };
}

/** CSV / Markdown: one row per listed edge and retainer (`direction` = out / in). */
export function inspectTable(r: InspectResult): Table {
  const rows: Row[] = [];
  const add = (direction: string, e: InspectEdge) =>
    rows.push({
      direction,
      edge_type: e.edge_type,
      edge_name: e.edge_name,
      id: e.node.id,
      class_name: e.node.class_name,
      name: e.node.name,
      distance: e.node.distance,
      self_size: e.node.self_size,
      retained_size: e.node.retained_size,
    });
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

/** Consecutive equal hops as one, `×N` appended (N ≥ 2). */
function collapseRuns(hops: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < hops.length; ) {
    let j = i + 1;
    while (j < hops.length && hops[j] === hops[i]) j++;
    out.push(j - i > 1 ? `${hops[i]} ×${(j - i).toLocaleString('en-US')}` : hops[i]);
    i = j;
  }
  return out;
}
