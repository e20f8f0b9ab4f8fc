// Renders retainer paths (analyses/retainers.ts): a readable path line per path, then one hop per line
// (edge, edge kind, id, retained size, class and name) for an object; pattern lines with counts and
// bytes for a class. JSON keeps every hop.

import type { RetainersResult } from '../analyses/retainers.js';
import type { PathHop } from '../analyses/paths.js';
import { edgeLabel, nodeLabel } from '../store/queries/labels.js';
import { safeText, safeTextMiddle } from './escape.js';
import { renderHeapyTable } from './heapy.js';
import type { Column, Row, Table } from './table.js';

/** `Function "onTick"`, `(string) "sess-1"`, `system / Context`, `Session`: label plus the name when it adds something. */
export function describeNode(h: Pick<PathHop, 'class_name' | 'name' | 'type'>): string {
  const label = nodeLabel(h.class_name, h.name, h.type);
  return h.name !== '' && h.name !== label && h.name !== h.class_name ? `${label} "${h.name}"` : label;
}

const HOP_COLUMNS: Column[] = [
  { key: 'hop', title: 'Hop', type: 'number', width: 3 },
  { key: 'edge', title: 'Edge', type: 'text', maxWidth: 30 },
  { key: 'edge_type', title: 'Edge type', type: 'text' },
  { key: 'id', title: 'Id', type: 'text' },
  { key: 'distance', title: 'Dist', type: 'number', width: 4 },
  { key: 'retained', title: 'Retained', type: 'bytes', width: 9 },
  { key: 'node', title: 'Class / name', type: 'kind' },
];

function hopRows(hops: readonly PathHop[]): Row[] {
  return hops.map((h, i) => ({
    hop: i + 1,
    edge: h.edge_type === null ? '' : edgeLabel(h.edge_type, h.edge_name),
    edge_type: h.edge_type ?? '',
    id: `@${h.id}`,
    distance: h.distance,
    retained: h.retained_size,
    node: describeNode(h),
  }));
}

export function retainersText(r: RetainersResult, options: { wide?: boolean } = {}): string {
  const max = options.wide ? 0 : 2000;
  const out: string[] = [];
  if (r.target === 'object' && r.object) {
    const o = r.object;
    out.push(
      safeText(`Retainers of ${describeNode(o)} @${o.id}: distance ${o.distance}, self ${o.self_size} bytes, retained ${o.retained_size} bytes`, max),
    );
    if (o.ordinal === 0) out.push('This is the root: nothing retains it.');
    else if (r.paths.length === 0 || (r.paths[0].hops.length <= 1 && r.paths[0].hops[0]?.edge_type === null)) {
      out.push(o.distance < 0 ? 'Unreachable: no path from a root (DevTools distance -5).' : 'No path to a root: no listed retainer is closer to a root.');
    }
    r.paths.forEach((p, i) => {
      out.push('', `Path ${i + 1}${p.truncated ? ' (cut at --max-depth)' : ''}: ${p.hops.length} hop${p.hops.length === 1 ? '' : 's'}`);
      out.push(`  ${safeTextMiddle(p.line, max)}`);
      out.push(renderHeapyTable({ columns: HOP_COLUMNS, rows: hopRows(p.hops) }, options).trimEnd());
    });
    return out.join('\n') + '\n';
  }
  const classes = r.classes.length > 1 ? ` (${r.classes.length} classes of that name)` : '';
  out.push(
    safeText(
      `Retainers of ${r.query}${classes}: ${r.instances} instance${r.instances === 1 ? '' : 's'}, ${r.sampled} biggest followed, ${r.patterns} path pattern${r.patterns === 1 ? '' : 's'}`,
      max,
    ),
  );
  r.paths.forEach((p, i) => {
    out.push('', `Pattern ${i + 1}: ${p.count} instance${p.count === 1 ? '' : 's'}, ${p.retained} bytes retained${p.truncated ? ' (cut at --max-depth)' : ''}`);
    out.push(`  ${safeTextMiddle(p.line, max)}`);
    const last = p.hops[p.hops.length - 1];
    if (last) out.push(safeText(`  example: ${describeNode(last)} @${last.id}, ${p.hops.length} hops, retained ${last.retained_size} bytes`, max));
  });
  if (r.patterns > r.paths.length) out.push('', `<${r.patterns - r.paths.length} more patterns. Use --paths N to see them.>`);
  return out.join('\n') + '\n';
}

/** `{version, target, query, object, classes, instances, sampled, patterns, paths: [{count, retained, line, pattern, truncated, hops: [...]}]}` */
export function retainersJson(r: RetainersResult): object {
  return {
    version: 1,
    target: r.target,
    query: r.query,
    object: r.object,
    classes: r.classes,
    instances: r.instances,
    sampled: r.sampled,
    patterns: r.patterns,
    paths: r.paths.map((p) => ({
      count: p.count,
      retained: p.retained,
      line: p.line,
      pattern: p.pattern,
      truncated: p.truncated,
      hops: p.hops.map((h) => ({
        id: h.id,
        ordinal: h.ordinal,
        type: h.type,
        class_name: h.class_name,
        name: h.name,
        self_size: h.self_size,
        retained_size: h.retained_size,
        distance: h.distance,
        edge_type: h.edge_type,
        edge_name: h.edge_name,
      })),
    })),
  };
}

/** CSV / Markdown: one row per hop, with its path's number, count and bytes. */
export function retainersTable(r: RetainersResult): Table {
  const rows: Row[] = [];
  r.paths.forEach((p, i) =>
    p.hops.forEach((h, j) =>
      rows.push({
        path: i + 1,
        count: p.count,
        path_retained: p.retained,
        hop: j + 1,
        edge_type: h.edge_type,
        edge_name: h.edge_name,
        id: h.id,
        class_name: h.class_name,
        name: h.name,
        distance: h.distance,
        retained_size: h.retained_size,
      }),
    ),
  );
  return {
    columns: [
      { key: 'path', title: 'Path', type: 'number' },
      { key: 'count', title: 'Count', type: 'count' },
      { key: 'path_retained', title: 'Path retained', type: 'bytes' },
      { key: 'hop', title: 'Hop', type: 'number' },
      { key: 'edge_type', title: 'Edge type', type: 'text' },
      { key: 'edge_name', title: 'Edge', type: 'text' },
      { key: 'id', title: 'Id', type: 'number' },
      { key: 'class_name', title: 'Class', type: 'text' },
      { key: 'name', title: 'Name', type: 'text' },
      { key: 'distance', title: 'Distance', type: 'number' },
      { key: 'retained_size', title: 'Retained', type: 'bytes' },
    ],
    rows,
  };
}
