// Renders `heapdiff A B` (analyses/diff.ts), the answer first: one sentence (how the heap changed, how
// many suspects), the leak suspects named in the program's words (what holds each, what each keeps),
// then DevTools' Comparison table (10 rows, then a "more rows" line). Markdown is made to paste into a
// pull-request comment; CSV is one table with a `kind` column (suspects, then classes); JSON is the
// result itself (it carries `version`).

import type { DiffResult, DiffRow, DiffSuspect } from '../analyses/diff.js';
import { mdCell } from './escape.js';
import { CLASSIFIER_DEFINITIONS } from '../store/classifiers.js';
import { renderHeapyTable } from './heapy.js';
import { DETAIL, keepsLines, keptByLines, keptText, mdPath, namedLine, wrapText, type DetailView } from './leak-report.js';
import { baseName, fmt, fmtSigned, percent } from './report.js';
import { renderMarkdown, type Row, type Table } from './table.js';
import { count, countOf, fitEnd, paint, PLAIN, signedCount, signedSize, size, type Manners } from './terminal.js';

/** The comparison as a table model (text, CSV, Markdown): DevTools' columns, or A/B counts when class-level only. */
export function diffTable(r: DiffResult, shown: number): Table {
  const rows = r.rows.slice(0, shown).map((row: DiffRow, index) => ({ index, ...row }));
  const kind = { key: 'kind', title: CLASSIFIER_DEFINITIONS[r.by]?.diffTitle ?? 'Kind', type: 'kind' as const };
  const columns = r.same_process
    ? [
        { key: 'index', title: 'Index', type: 'index' as const, width: 6 },
        { key: 'new', title: 'New', type: 'count' as const, width: 7 },
        { key: 'deleted', title: 'Deleted', type: 'count' as const, width: 7 },
        { key: 'delta', title: 'Delta', type: 'delta' as const, width: 7 },
        { key: 'alloc_size', title: 'Alloc Size', type: 'bytes' as const, width: 10 },
        { key: 'freed_size', title: 'Freed Size', type: 'bytes' as const, width: 10 },
        { key: 'size_delta', title: 'Size Delta', type: 'bytes-delta' as const, width: 10 },
        kind,
      ]
    : [
        { key: 'index', title: 'Index', type: 'index' as const, width: 6 },
        { key: 'count_a', title: 'Count A', type: 'count' as const, width: 7 },
        { key: 'count_b', title: 'Count B', type: 'count' as const, width: 7 },
        { key: 'delta', title: 'Delta', type: 'delta' as const, width: 7 },
        { key: 'size_a', title: 'Size A', type: 'bytes' as const, width: 10 },
        { key: 'size_b', title: 'Size B', type: 'bytes' as const, width: 10 },
        { key: 'size_delta', title: 'Size Delta', type: 'bytes-delta' as const, width: 10 },
        kind,
      ];
  return { columns, rows, moreRows: r.rows.length - rows.length, moreHint: 'Use --top N or --all to see them.' };
}

/** `Diff of a → b: N objects (+X bytes) new, M deleted (-Y bytes); total …` (unescaped; the table's caption in --raw form). */
export function diffHeading(r: DiffResult): string {
  const names = `${baseName(r.a.source)} → ${baseName(r.b.source)}`;
  const t = r.totals;
  const total = `total ${fmt(t.total_a)} → ${fmt(t.total_b)} bytes (${fmtSigned(t.total_delta)})`;
  if (!r.same_process) return `Diff of ${names}: ${fmtSigned(t.delta)} objects (${fmtSigned(t.size_delta)} bytes), class level only; ${total}`;
  return `Diff of ${names}: ${fmt(t.new ?? 0)} objects (+${fmt(t.alloc_size ?? 0)} bytes) new, ${fmt(t.deleted ?? 0)} deleted (-${fmt(t.freed_size ?? 0)} bytes); ${total}`;
}

/** The answer in one sentence: how the heap changed and how many suspects (unescaped). */
export function diffVerdict(r: DiffResult, m: Pick<Manners, 'rawBytes'>): string {
  const t = r.totals;
  const names = `${baseName(r.a.source)} → ${baseName(r.b.source)}`;
  const pct = t.total_a > 0 ? ` ${t.total_delta >= 0 ? '+' : '−'}${percent((100 * Math.abs(t.total_delta)) / t.total_a)}%,` : '';
  const change =
    t.total_delta === 0
      ? `the heap stayed at ${size(t.total_b, m)}`
      : `the heap ${t.total_delta > 0 ? 'grew' : 'shrank'} by ${size(Math.abs(t.total_delta), m)} (${size(t.total_a, m)} → ${size(t.total_b, m)},${pct.replace(/,$/, '')})`;
  if (!r.same_process) return `${names}: ${change}. Different processes: objects cannot be matched, so there are no leak suspects.`;
  if (r.suspect_limit === 0) return `${names}: ${change}.`;
  const n = r.suspects.length;
  const engine = n > 0 && r.suspects.every((s) => s.engine);
  const what = n === 0 ? 'no leak suspect' : `${countOf(n, engine ? 'suspect' : 'leak suspect')}${engine ? ', all V8 bookkeeping' : ''}`;
  return `${names}: ${change}; ${what}.`;
}

/** The text report: the verdict, the suspects (what holds them, what they keep), then the class table. */
export function diffText(r: DiffResult, shown: number, view: { wide?: boolean; manners?: Manners; rawPaths?: boolean } = {}): string {
  const m = view.manners ?? { ...PLAIN, width: view.wide ? Infinity : PLAIN.width };
  const out: string[] = [...wrapText(diffVerdict(r, m), m.width).map((l, i) => (i === 0 ? paint(l, 'bold', m) : l))];
  if (r.same_process && r.note) out.push(...wrapText(`Note: ${r.note}`, m.width));
  if (r.same_process && r.suspect_limit > 0) {
    out.push('');
    out.push(...diffSuspectLines(r, { manners: m, rawPaths: view.rawPaths }));
  }
  out.push('');
  const t = r.totals;
  out.push(
    ...wrapText(
      r.same_process
        ? `What changed, by ${BY_NAMES[r.by] ?? r.by} (DevTools Comparison): ${count(t.new ?? 0)} new objects (${size(t.alloc_size ?? 0, m)}), ${count(t.deleted ?? 0)} deleted (${size(t.freed_size ?? 0, m)}).`
        : `What changed, by ${BY_NAMES[r.by] ?? r.by}, class level only: ${signedCount(t.delta)} objects (${signedSize(t.size_delta, m)}).`,
      m.width,
    ),
  );
  if (r.rows.length === 0) out.push(r.same_process ? 'No class has new or deleted objects.' : 'No class changed.');
  else
    out.push(
      renderHeapyTable(diffTable(r, shown), { wide: view.wide })
        .trimEnd()
        .split('\n')
        .map((l) => fitEnd(l, m.width))
        .join('\n'),
    );
  return `${out.join('\n')}\n`;
}

const BY_NAMES: Record<string, string> = {
  class: 'class',
  type: 'V8 type',
  rcs: 'referrer classes',
  via: 'edge name',
  size: 'individual size',
  alloc: 'allocation site',
  script: 'script',
  distance: 'distance',
  detachedness: 'detachedness',
};

/**
 * What a suspect is, counted: `300 × Session (server.js:5:1)`; closures by their functions, the main
 * one first: `3,000 × onRefresh (index.html:6:70) and 73 other functions`.
 */
export function suspectWhat(s: Pick<DiffSuspect, 'count' | 'label' | 'functions' | 'functions_of'>): string {
  if (s.functions.length === 0) return `${count(s.count)} × ${s.label}`;
  const shown = s.functions.slice(0, 2);
  const named = shown.map((f) => `${count(f.count)} × ${f.label}`).join(', ');
  const rest = s.functions_of - shown.reduce((n, f) => n + f.count, 0);
  const sampled = s.functions_of < s.count ? ` (of the first ${count(s.functions_of)} of ${count(s.count)})` : '';
  return `${named}${rest > 0 ? ` and ${countOf(rest, 'other function')}` : ''}${sampled}`;
}

/** A suspect's numbered headline: `300 × Session (server.js:5:1): 254 kB retained (5.3% of B)`. */
function suspectHeadline(s: DiffSuspect, i: number, m: Manners): string {
  const what = suspectWhat(s);
  const engine = s.engine ? ' [V8 bookkeeping]' : '';
  return `${String(i + 1).padStart(2)}. ${what}${engine}: ${size(s.retained, m)} retained (${percent(s.retained_percent)}% of B)`;
}

function diffSuspectLines(r: DiffResult, v: DetailView): string[] {
  const m = v.manners;
  const share = r.b.total_size > 0 ? (100 * r.suspect_threshold) / r.b.total_size : 0;
  const criterion = `objects allocated after A that B still holds, retaining at least ${size(r.suspect_threshold, m)} (${percent(share)}% of B)`;
  const ignored =
    r.ignored.engine + r.ignored.user > 0
      ? ` Left out: ${[r.ignored.engine ? `${count(r.ignored.engine)} V8 bookkeeping` : '', r.ignored.user ? `${count(r.ignored.user)} by your ignore rules` : ''].filter(Boolean).join(', ')}.`
      : '';
  if (r.suspects.length === 0) return wrapText(`Leak suspects: none (no class of ${criterion}).${ignored}`, m.width);
  const out = wrapText(`Leak suspects: ${criterion}, most retained first.${ignored}`, m.width);
  r.suspects.forEach((s, i) => {
    out.push('');
    out.push(...wrapText(suspectHeadline(s, i, m), m.width, DETAIL).map((l, j) => (j === 0 ? paint(l, 'bold', m) : l)));
    out.push(...keptByLines(s.paths, s.traced, s.counted, s.patterns, v));
    out.push(...keepsLines(s.keeps, v));
  });
  return out;
}

/** Markdown for a pull-request comment: the verdict, the suspects as a table, the class table folded. */
export function diffMarkdown(r: DiffResult, shown: number, view: { wide?: boolean; manners: Manners }): string {
  const m = { ...view.manners, width: Infinity };
  const out = [`**heapdiff** ${mdCell(diffVerdict(r, m))}`, ''];
  if (r.suspects.length > 0) {
    out.push('| # | Suspect | New objects | Retained | Kept by | Keeps |', '|---:|:---|---:|---:|:---|:---|');
    r.suspects.forEach((s, i) => {
      const path = s.paths[0] ? mdPath(s.paths[0].named) : '';
      out.push(
        `| ${i + 1} | ${mdCell(s.label)}${s.engine ? ' (V8 bookkeeping)' : ''} | ${count(s.count)} | ${size(s.retained, m)} (${percent(s.retained_percent)}%) | ${path} | ${s.keeps ? mdCell(keptText(s.keeps, m)) : ''} |`,
      );
    });
    out.push('');
  }
  const table = renderMarkdown(diffTable(r, shown), { wide: view.wide }).trimEnd();
  out.push('<details><summary>What changed, by class</summary>', '', table, '', '</details>');
  return `${out.join('\n')}\n`;
}

/** CSV: one table with a `kind` column — `suspect` rows first, then `class` rows (the comparison). */
export function diffCsvTable(r: DiffResult): Table {
  const rows: Row[] = r.suspects.map((s, index) => ({
    kind: 'suspect',
    index,
    name: s.label,
    class_name: s.kind,
    new: s.count,
    alloc_size: s.size,
    retained: s.retained,
    retained_percent: s.retained_percent,
    path: s.paths[0] ? namedLine(s.paths[0].named) : null,
    keeps: s.keeps ? keptText(s.keeps, { rawBytes: true }) : null,
  }));
  r.rows.forEach((row: DiffRow, index) =>
    rows.push({
      kind: 'class',
      index,
      name: row.kind,
      new: row.new,
      deleted: row.deleted,
      delta: row.delta,
      alloc_size: row.alloc_size,
      freed_size: row.freed_size,
      size_delta: row.size_delta,
    }),
  );
  return {
    columns: [
      { key: 'kind', title: 'Kind', type: 'text' },
      { key: 'index', title: 'Index', type: 'index' },
      { key: 'name', title: 'Name', type: 'text' },
      { key: 'class_name', title: 'Class', type: 'text' },
      { key: 'new', title: 'New', type: 'count' },
      { key: 'deleted', title: 'Deleted', type: 'count' },
      { key: 'delta', title: 'Delta', type: 'delta' },
      { key: 'alloc_size', title: 'Alloc Size', type: 'bytes' },
      { key: 'freed_size', title: 'Freed Size', type: 'bytes' },
      { key: 'size_delta', title: 'Size Delta', type: 'bytes-delta' },
      { key: 'retained', title: 'Retained', type: 'bytes' },
      { key: 'retained_percent', title: 'Retained %', type: 'percent' },
      { key: 'path', title: 'Kept by', type: 'text' },
      { key: 'keeps', title: 'Keeps', type: 'text' },
    ],
    rows,
  };
}

/** `--fail-on-growth`'s explanation when the heap grew by more than `limit` bytes (`limitText` as given). */
export function growthExceededMessage(r: DiffResult, limit: number, limitText: string): string {
  const t = r.totals;
  return `heap grew by ${fmt(t.total_delta)} bytes (${fmt(t.total_a)} → ${fmt(t.total_b)}), more than --fail-on-growth ${limitText} (${fmt(Math.round(limit))} bytes)`;
}
