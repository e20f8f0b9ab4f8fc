// Renders `heapdiff A B` (analyses/diff.ts): a heading line, the heapy-aligned comparison table (10
// rows, then a "more rows" line), then the leak suspects with their grouped retainer paths. CSV and
// Markdown get the table of every row; JSON is the result itself (it carries `version`).

import type { DiffResult, DiffRow } from '../analyses/diff.js';
import { CLASSIFIER_DEFINITIONS } from '../store/classifiers.js';
import { safeText } from './escape.js';
import { renderHeapyTable } from './heapy.js';
import { baseName, fmt, fmtSigned, percent, suspectPathLines } from './report.js';
import type { RenderOptions, Table } from './table.js';

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

/** `Diff of a → b: N objects (+X bytes) new, M deleted (-Y bytes); total …` (unescaped). */
export function diffHeading(r: DiffResult): string {
  const names = `${baseName(r.a.source)} → ${baseName(r.b.source)}`;
  const t = r.totals;
  const total = `total ${fmt(t.total_a)} → ${fmt(t.total_b)} bytes (${fmtSigned(t.total_delta)})`;
  if (!r.same_process) return `Diff of ${names}: ${fmtSigned(t.delta)} objects (${fmtSigned(t.size_delta)} bytes), class level only; ${total}`;
  return `Diff of ${names}: ${fmt(t.new ?? 0)} objects (+${fmt(t.alloc_size ?? 0)} bytes) new, ${fmt(t.deleted ?? 0)} deleted (-${fmt(t.freed_size ?? 0)} bytes); ${total}`;
}

/** The text report: heading, note, the first `shown` rows, then the leak suspects. */
export function diffText(r: DiffResult, shown: number, options: RenderOptions = {}): string {
  const out: string[] = [safeText(diffHeading(r))];
  if (!r.same_process) out.push(safeText(`Note: ${r.note ?? 'different processes'}. Objects cannot be matched, so there are no new/deleted counts and no leak suspects.`));
  else if (r.note) out.push(safeText(`Note: ${r.note}`));
  out.push('');
  if (r.rows.length === 0) out.push(r.same_process ? 'No class has new or deleted objects.' : 'No class changed.');
  else out.push(renderHeapyTable(diffTable(r, shown), options).trimEnd());
  if (r.same_process && r.suspect_limit > 0) {
    out.push('');
    out.push(...diffSuspectLines(r));
  }
  return out.join('\n') + '\n';
}

function diffSuspectLines(r: DiffResult): string[] {
  const share = r.b.total_size > 0 ? (100 * r.suspect_threshold) / r.b.total_size : 0;
  const criterion = `objects allocated after A (id > ${r.a.max_js_object_id}) retaining at least ${fmt(r.suspect_threshold)} bytes (${percent(share)}% of B)`;
  if (r.suspects.length === 0) return [safeText(`Leak suspects: none (no class of ${criterion}).`)];
  const out = [safeText(`Leak suspects: classes of ${criterion}, most retained first`)];
  r.suspects.forEach((s, i) => {
    out.push(
      safeText(
        `${String(i + 1).padStart(2)}. ${s.kind}: ${fmt(s.count)} new object${s.count === 1 ? '' : 's'} (${fmt(s.size)} bytes) retain ${fmt(s.retained)} bytes (${percent(s.retained_percent)}% of B)`,
      ),
    );
    out.push(...suspectPathLines(s.paths, s.patterns, s.traced, s.counted));
  });
  return out;
}

/** `--fail-on-growth`'s explanation when the heap grew by more than `limit` bytes (`limitText` as given). */
export function growthExceededMessage(r: DiffResult, limit: number, limitText: string): string {
  const t = r.totals;
  return `heap grew by ${fmt(t.total_delta)} bytes (${fmt(t.total_a)} → ${fmt(t.total_b)}), more than --fail-on-growth ${limitText} (${fmt(Math.round(limit))} bytes)`;
}
