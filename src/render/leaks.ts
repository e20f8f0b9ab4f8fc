// Renders `heapdiff leaks` (analyses/leaks.ts), the answer first: one sentence (what TARGET added that
// FINAL still holds), then one entry per leak — objects sharing a retainer path in the program's words —
// with what holds it and what it keeps. CSV gets one row per leak, Markdown a table to paste into a pull
// request; JSON is the result itself (it carries `version`).

import type { LeaksResult } from '../analyses/leaks.js';
import { suspectWhat } from './diff.js';
import { mdCell } from './escape.js';
import { DETAIL, keepsLines, keptByLines, keptText, mdPath, namedLine, wrapText, type DetailView } from './leak-report.js';
import { baseName, percent } from './report.js';
import type { Table } from './table.js';
import { count, countOf, paint, PLAIN, size, type Manners } from './terminal.js';

/** The groups as a table (CSV, Markdown): one row per group. */
export function leaksTable(r: LeaksResult): Table {
  return {
    columns: [
      { key: 'index', title: 'Index', type: 'index', width: 5 },
      { key: 'count', title: 'Count', type: 'count', width: 6 },
      { key: 'retained', title: 'Retained', type: 'bytes', width: 9 },
      { key: 'kind', title: 'Kind', type: 'text' },
      { key: 'name', title: 'Name', type: 'text' },
      { key: 'detached', title: 'Detached', type: 'text' },
      { key: 'path', title: 'Kept by', type: 'text' },
      { key: 'keeps', title: 'Keeps', type: 'text' },
      { key: 'pattern', title: 'Retainer path pattern', type: 'kind' },
    ],
    rows: r.suspects.map((g, index) => ({
      index,
      count: g.count,
      retained: g.retained,
      kind: g.kind,
      name: g.label,
      detached: g.detached ? 'yes' : 'no',
      path: g.paths[0] ? namedLine(g.paths[0].named) : null,
      keeps: g.keeps ? keptText(g.keeps, { rawBytes: true }) : null,
      pattern: g.pattern,
    })),
  };
}

/** The answer in one sentence (unescaped). */
export function leaksVerdict(r: LeaksResult, m: Pick<Manners, 'rawBytes'>): string {
  const names = `${baseName(r.baseline.source)} → ${baseName(r.target.source)} → ${baseName(r.final.source)}`;
  if (!r.same_process) return `${names}: different processes, so leaks cannot be found (object ids are not comparable).`;
  const t = r.totals;
  if (t.leaked - t.vm_internal === 0) return `${names}: no leak. Nothing allocated between baseline and target survives in final.`;
  const n = r.suspects.length;
  return `${names}: ${count(t.leaked)} objects allocated between baseline and target are still alive in final, retaining ${size(t.retained, m)} (${percent(t.retained_percent)}% of final); ${countOf(n, 'leak')} by retainer path.`;
}

export function leaksText(r: LeaksResult, view: { manners?: Manners; rawPaths?: boolean } = {}): string {
  const m = view.manners ?? PLAIN;
  const v: DetailView = { manners: m, rawPaths: view.rawPaths };
  const out: string[] = wrapText(leaksVerdict(r, m), m.width).map((l, i) => (i === 0 ? paint(l, 'bold', m) : l));
  if (r.note) out.push(...wrapText(`Note: ${r.note}.`, m.width));
  const t = r.totals;
  if (!r.same_process || t.leaked - t.vm_internal === 0) return `${out.join('\n')}\n`;
  const details = [
    t.detached_dom > 0 ? `${count(t.detached_dom)} detached DOM nodes` : '',
    t.vm_internal > 0 ? `${count(t.vm_internal)} V8 metadata objects (code, maps; not grouped)` : '',
    r.ignored.engine > 0 ? `${countOf(r.ignored.engine, 'group')} of V8 bookkeeping left out` : '',
    r.ignored.user > 0 ? `${countOf(r.ignored.user, 'group')} left out by your ignore rules` : '',
    r.ignored.small > 0 ? `${countOf(r.ignored.small, 'small group')} under 1% of the leaked bytes not shown` : '',
  ].filter(Boolean);
  if (details.length > 0) out.push(...wrapText(`Among them: ${details.join('; ')}.`, m.width));
  r.suspects.forEach((g, i) => {
    out.push('');
    const what = suspectWhat({ count: g.count, label: g.label, functions: g.functions, functions_of: g.functions.length > 0 ? g.count : 0 });
    out.push(
      ...wrapText(
        `${String(i + 1).padStart(2)}. ${what}${g.engine ? ' [V8 bookkeeping]' : ''}: ${size(g.retained, m)} retained (${percent(g.retained_percent)}% of final)`,
        m.width,
        DETAIL,
      ).map((l, j) => (j === 0 ? paint(l, 'bold', m) : l)),
    );
    out.push(...keptByLines(g.paths, g.count, g.count, 1, v));
    out.push(...keepsLines(g.keeps, v));
  });
  const notes: string[] = [];
  const more = r.ignored.more;
  if (more > 0) notes.push(`${countOf(more, 'more leak')} (--top)`);
  if (t.traced < t.top_level) notes.push(`paths traced for the ${count(t.traced)} biggest of ${count(t.top_level)} leaked objects (--instances)`);
  if (notes.length > 0) out.push('', ...wrapText(`(${notes.join('; ')})`, m.width));
  return `${out.join('\n')}\n`;
}

/** Markdown for a pull-request comment. */
export function leaksMarkdown(r: LeaksResult, view: { manners: Manners }): string {
  const m = { ...view.manners, width: Infinity };
  const out = [`**heapdiff leaks** ${mdCell(leaksVerdict(r, m))}`, ''];
  if (r.suspects.length > 0) {
    out.push('| # | Leaked | Retained | Kept by | Keeps |', '|---:|:---|---:|:---|:---|');
    r.suspects.forEach((g, i) => {
      out.push(
        `| ${i + 1} | ${count(g.count)} × ${mdCell(g.label)} | ${size(g.retained, m)} (${percent(g.retained_percent)}%) | ${g.paths[0] ? mdPath(g.paths[0].named) : ''} | ${g.keeps ? mdCell(keptText(g.keeps, m)) : ''} |`,
      );
    });
  }
  return `${out.join('\n')}\n`;
}
