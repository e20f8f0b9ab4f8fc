// Renders retainer paths (analyses/retainers.ts): a readable path line per path, then one hop per line
// (edge, edge kind, id, retained size, class and name) for an object; pattern lines with counts and
// bytes for a class. JSON keeps every hop.

import type { RetainersResult } from '../analyses/retainers.js';
import type { PathHop } from '../analyses/paths.js';
import { edgeLabel, nodeLabel } from '../store/queries/labels.js';
import { safeText } from './escape.js';
import { renderHeapyTable } from './heapy.js';
import { DETAIL, keptByLines, namedLine, wrapText } from './leak-report.js';
import { count, countOf, fitEnd, PLAIN, size, wrapHops, type Manners } from './terminal.js';
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

export function retainersText(r: RetainersResult, options: { wide?: boolean; manners?: Manners; rawPaths?: boolean } = {}): string {
  const m = options.manners ?? { ...PLAIN, width: options.wide ? Infinity : PLAIN.width };
  const max = options.wide ? 0 : 2000;
  const out: string[] = [];
  if (r.target === 'object' && r.object) {
    const o = r.object;
    out.push(
      ...wrapText(
        `Retainers of ${describeNode(o)} @${o.id}: distance ${o.distance}, self ${size(o.self_size, m)}, retained ${size(o.retained_size, m)}`,
        m.width,
      ),
    );
    if (o.ordinal === 0) out.push('This is the root: nothing retains it.');
    else if (r.paths.length === 0 || (r.paths[0].hops.length <= 1 && r.paths[0].hops[0]?.edge_type === null)) {
      out.push(o.distance < 0 ? 'Unreachable: no path from a root (DevTools distance -5).' : 'No path to a root: no listed retainer is closer to a root.');
    }
    if (r.paths[0] && !options.rawPaths && o.ordinal !== 0)
      out.push(...keptByLines([{ ...r.paths[0], class_name: o.class_name, root: r.paths[0].named.root, text: '' }], 1, 1, 1, { manners: m }));
    r.paths.forEach((p, i) => {
      out.push('', `Path ${i + 1}${p.truncated ? ' (cut at --max-depth)' : ''}: ${countOf(p.hops.length, 'hop')}`);
      out.push(...wrapHops('  ', safeText(p.line, max).split(' → '), m.width, '    '));
      out.push(
        ...renderHeapyTable({ columns: HOP_COLUMNS, rows: hopRows(p.hops) }, { wide: options.wide })
          .trimEnd()
          .split('\n')
          .map((l) => fitEnd(l, m.width)),
      );
    });
    return `${out.join('\n')}\n`;
  }
  const classes = r.classes.length > 1 ? ` (${r.classes.length} classes of that name)` : '';
  const sample =
    r.sampled < r.instances ? `paths traced for the ${count(r.sampled)} biggest of ${count(r.instances)}` : `paths traced for all ${count(r.instances)}`;
  out.push(
    ...wrapText(
      `${r.query}${classes}: ${countOf(r.instances, 'instance')} retaining ${size(r.retained, m)}; ${sample} (--instances), in ${countOf(r.patterns, 'path pattern')}:`,
      m.width,
    ),
  );
  r.paths.forEach((p, i) => {
    out.push('');
    const share =
      r.sampled < r.instances
        ? p.count === r.sampled
          ? `all ${count(p.count)} traced`
          : `${count(p.count)} of the ${count(r.sampled)} traced`
        : count(p.count);
    out.push(
      ...wrapText(`${String(i + 1).padStart(2)}. ${share}, ${size(p.retained, m)} retained${p.truncated ? ' (cut at --max-depth)' : ''}`, m.width, DETAIL),
    );
    if (options.rawPaths) out.push(...wrapHops(DETAIL, safeText(p.line, max).split(' → '), m.width, `${DETAIL}  `));
    else out.push(...keptByLines([{ ...p, class_name: r.query, root: p.named.root, text: '' }], p.count, p.count, 1, { manners: m }));
    const last = p.hops[p.hops.length - 1];
    if (last)
      out.push(
        ...wrapText(
          `${DETAIL}e.g. ${describeNode(last)} @${last.id} (${countOf(p.hops.length, 'hop')} from a root, ${size(last.retained_size, m)} retained)`,
          m.width,
          DETAIL,
        ),
      );
  });
  if (r.patterns > r.paths.length) out.push('', `<${countOf(r.patterns - r.paths.length, 'more pattern')}. Use --paths N to see them.>`);
  return `${out.join('\n')}\n`;
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
    retained: r.retained,
    sampled: r.sampled,
    patterns: r.patterns,
    paths: r.paths.map((p) => ({
      count: p.count,
      retained: p.retained,
      line: p.line,
      pattern: p.pattern,
      truncated: p.truncated,
      named: p.named,
      via_variable: p.via_variable,
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
        kept_by: namedLine(p.named),
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
      { key: 'kept_by', title: 'Kept by', type: 'text' },
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
