// Renders `heapdiff leaks` (analyses/leaks.ts): a summary of what TARGET added and FINAL still holds,
// then one entry per retainer-path group with its path lines. CSV and Markdown get one row per group;
// JSON is the result itself (it carries `version`).

import type { LeaksResult } from '../analyses/leaks.js';
import { safeText } from './escape.js';
import { baseName, fmt, percent, shortName, suspectPathLines } from './report.js';
import type { Table } from './table.js';

/** The groups as a table (CSV, Markdown): one row per group. */
export function leaksTable(r: LeaksResult): Table {
  return {
    columns: [
      { key: 'index', title: 'Index', type: 'index', width: 5 },
      { key: 'count', title: 'Count', type: 'count', width: 6 },
      { key: 'retained', title: 'Retained', type: 'bytes', width: 9 },
      { key: 'kind', title: 'Kind', type: 'text' },
      { key: 'detached', title: 'Detached', type: 'text' },
      { key: 'pattern', title: 'Retainer path pattern', type: 'kind' },
    ],
    rows: r.suspects.map((g, index) => ({ index, count: g.count, retained: g.retained, kind: g.kind, detached: g.detached ? 'yes' : 'no', pattern: g.pattern })),
  };
}

export function leaksText(r: LeaksResult, options: { wide?: boolean } = {}): string {
  const wide = options.wide ?? false;
  const out: string[] = [];
  out.push(safeText(`Leaks: ${baseName(r.baseline.source)} → ${baseName(r.target.source)} → ${baseName(r.final.source)}`));
  if (!r.same_process) {
    out.push(safeText(`Note: ${r.note}.`), 'No leak detection is possible without comparable object ids.');
    return out.join('\n') + '\n';
  }
  const t = r.totals;
  out.push(
    safeText(
      `${fmt(t.allocated)} objects allocated between baseline and target; ${fmt(t.leaked)} (${fmt(t.leaked_size)} bytes) still alive in final` +
        (t.detached_dom > 0 ? `, ${fmt(t.detached_dom)} of them detached DOM nodes` : '') +
        (t.vm_internal > 0 ? `, ${fmt(t.vm_internal)} V8 metadata (code, maps; not grouped)` : '') +
        '.',
    ),
  );
  if (t.leaked - t.vm_internal === 0) {
    out.push('No leaks: nothing allocated between baseline and target survives in final.');
    return out.join('\n') + '\n';
  }
  out.push(
    safeText(
      `${fmt(t.top_level)} of them are held by no other leaked object; they retain ${fmt(t.retained)} bytes (${percent(t.retained_percent)}% of final), in ${fmt(t.patterns)} retainer path pattern${t.patterns === 1 ? '' : 's'}:`,
    ),
  );
  out.push('');
  r.suspects.forEach((g, i) => {
    out.push(
      safeText(
        `${String(i + 1).padStart(2)}. ${shortName(g.kind, wide)}${g.detached ? ' [detached DOM]' : ''}: ${fmt(g.count)} object${g.count === 1 ? ' retains' : 's retain'} ${fmt(g.retained)} bytes (${percent(g.retained_percent)}% of final)`,
      ),
    );
    out.push(...suspectPathLines(g.paths, 1, 1, 1, wide));
  });
  const notes: string[] = [];
  if (t.patterns > r.suspects.length) notes.push(`${fmt(t.patterns - r.suspects.length)} more pattern${t.patterns - r.suspects.length === 1 ? '' : 's'} (--top)`);
  if (t.traced < t.top_level) notes.push(`paths of the ${fmt(t.traced)} biggest of ${fmt(t.top_level)} objects traced (--instances)`);
  if (notes.length > 0) out.push(safeText(`(${notes.join('; ')})`));
  return out.join('\n') + '\n';
}
