// Renders the dominator tree as an indented list: retained size, % of the heap, then the node.

import type { DominatorNode, DominatorsResult } from '../analyses/dominators.js';
import { safeText } from './escape.js';
import { describeNode } from './retainers.js';
import { formatFixed, percentOf, type Row, type Table } from './table.js';
import { countOf, fitLine, PLAIN, size, wrapText, type Manners } from './terminal.js';

/** The tree, one node a line: retained size, % of the heap, the node indented by level; lines fit the width. */
export function dominatorsText(r: DominatorsResult, options: { wide?: boolean; manners?: Manners } = {}): string {
  const m = options.manners ?? PLAIN;
  const width = options.wide ? Infinity : m.width;
  const lines = wrapText(
    `Dominator tree: ${countOf(r.top, 'biggest child', 'biggest children')} per node, ${countOf(r.depth, 'level')}; retained size, % of the heap (${size(r.total_size, m)}).`,
    width,
    '  ',
  );
  const sizes: number[] = [];
  const collect = (n: DominatorNode) => {
    sizes.push(n.retained_size);
    n.children.forEach(collect);
  };
  collect(r.root);
  const sizeWidth = Math.max(9, ...sizes.map((b) => size(b, m).length));
  const walk = (n: DominatorNode, level: number) => {
    const label = n.ordinal === 0 ? '(root)' : describeNode(n);
    const head = `${size(n.retained_size, m).padStart(sizeWidth)} ${formatFixed(percentOf(n.retained_size, r.total_size)).padStart(3)}% ${'  '.repeat(level)}`;
    const id = ` @${n.id}`;
    lines.push(head + fitLine(safeText(label), Math.max(8, width - head.length - id.length)) + id);
    for (const c of n.children) walk(c, level + 1);
    if (n.more_children !== null && n.more_children > 0 && level < r.depth) {
      lines.push(`${' '.repeat(sizeWidth + 6)}${'  '.repeat(level + 1)}<${countOf(n.more_children, 'more child', 'more children')}>`);
    }
  };
  walk(r.root, 0);
  return `${lines.join('\n')}\n`;
}

/** `{version, total_size, top, depth, root: {id, class_name, name, retained_size, …, children: […]}}` */
export function dominatorsJson(r: DominatorsResult): object {
  return { version: 1, ...r };
}

/** CSV / Markdown: the tree flattened in display order, with depth and parent id. */
export function dominatorsTable(r: DominatorsResult): Table {
  const rows: Row[] = [];
  const walk = (n: DominatorNode, level: number, parent: number | null) => {
    rows.push({
      depth: level,
      id: n.id,
      parent_id: parent,
      class_name: n.class_name,
      name: n.name,
      self_size: n.self_size,
      retained_size: n.retained_size,
      percent: percentOf(n.retained_size, r.total_size),
      child_count: n.child_count,
    });
    for (const c of n.children) walk(c, level + 1, n.id);
  };
  walk(r.root, 0, null);
  return {
    columns: [
      { key: 'depth', title: 'Depth', type: 'number' },
      { key: 'id', title: 'Id', type: 'number' },
      { key: 'parent_id', title: 'Parent id', type: 'number' },
      { key: 'class_name', title: 'Class', type: 'text' },
      { key: 'name', title: 'Name', type: 'text' },
      { key: 'self_size', title: 'Self', type: 'bytes' },
      { key: 'retained_size', title: 'Retained', type: 'bytes' },
      { key: 'percent', title: '%', type: 'percent' },
      { key: 'child_count', title: 'Children', type: 'count' },
    ],
    rows,
  };
}
