// Renders `heapdiff suspects` (analyses/suspects.ts), Eclipse MAT's Leak Suspects report: per suspect
// the object (or class) and what it retains, its path, where the memory accumulates and the biggest
// children there; then the biggest top-level objects. CSV and Markdown get one row per suspect; JSON is
// the result itself (it carries `version`).

import type { LeakSuspect, SuspectObject, SuspectsResult } from '../analyses/suspects.js';
import { nodeLabel } from '../store/queries/labels.js';
import { safeText } from './escape.js';
import { baseName, fmt, percent, shortName, shownPath, suspectPathLines } from './report.js';
import type { Table } from './table.js';

/** An object's label: as in path lines, plus its (shortened) name: `Function BuiltinModule @50343`, `(string) "abc" @7`. */
function label(o: SuspectObject, wide = false): string {
  const base = nodeLabel(shortName(o.class_name, wide), o.name, o.type);
  if (base !== o.class_name || !o.name || o.name === o.class_name) return `${base} @${o.id}`;
  const short = wide ? o.name : o.name.length > 40 ? `${o.name.slice(0, 39)}…` : o.name;
  return `${base} ${o.type.includes('string') ? JSON.stringify(short) : short} @${o.id}`;
}

/** One object in prose: `Map @91843 (retains 351,544 bytes, 7.4%)`. */
function obj(o: SuspectObject, wide = false): string {
  return `${label(o, wide)} (retains ${fmt(o.retained_size)} bytes, ${percent(o.retained_percent)}%)`;
}

export function suspectsTable(r: SuspectsResult): Table {
  return {
    columns: [
      { key: 'index', title: 'Index', type: 'index', width: 5 },
      { key: 'suspect', title: 'Suspect', type: 'text' },
      { key: 'count', title: 'Count', type: 'count', width: 6 },
      { key: 'retained', title: 'Retained', type: 'bytes', width: 9 },
      { key: 'retained_percent', title: '%', type: 'percent', width: 3 },
      { key: 'kind', title: 'Kind', type: 'kind' },
    ],
    rows: r.suspects.map((s, index) => ({ index, suspect: s.suspect, count: s.count, retained: s.retained, retained_percent: s.retained_percent, kind: s.kind })),
  };
}

function suspectLines(s: LeakSuspect, i: number, wide: boolean): string[] {
  const out: string[] = [];
  const n = `${String(i + 1).padStart(2)}. `;
  if (s.suspect === 'object' && s.object) {
    out.push(safeText(`${n}${label(s.object, wide)} retains ${fmt(s.retained)} bytes (${percent(s.retained_percent)}% of the heap)`));
    if (s.path) out.push(safeText(`    path: ${shownPath(s.path, false, wide)}`));
    const a = s.accumulation;
    if (a) {
      if (a.depth === 0) out.push(safeText(`    The memory accumulates in the object itself: ${fmt(a.child_count)} dominated children.`));
      else {
        const owner = a.owner.ordinal !== a.object.ordinal ? `, owned by ${obj(a.owner, wide)}` : '';
        out.push(safeText(`    The memory accumulates ${a.depth} step${a.depth === 1 ? '' : 's'} down in ${obj(a.object, wide)}${owner}: ${fmt(a.child_count)} dominated children.`));
        out.push(safeText(`    path: ${shownPath(a.path, false, wide)}`));
      }
      if (a.children_by_class.length > 0) {
        out.push('    children by class:');
        for (const c of a.children_by_class) out.push(safeText(`      ${fmt(c.count)} × ${shortName(c.class_name, wide)}  ${fmt(c.retained)} bytes (${percent(c.retained_percent)}%)`));
      }
      if (a.children.length > 0) {
        out.push('    biggest children:');
        for (const c of a.children) out.push(safeText(`      ${obj(c, wide)}`));
      }
    }
  } else {
    out.push(safeText(`${n}${fmt(s.count)} top-level ${shortName(s.kind, wide)} objects retain ${fmt(s.retained)} bytes together (${percent(s.retained_percent)}% of the heap)`));
    out.push(...suspectPathLines(s.paths, s.patterns, Math.min(s.count, 1000), s.count, wide));
    if (s.instances.length > 0) {
      out.push('    biggest:');
      for (const c of s.instances) out.push(safeText(`      ${obj(c, wide)}`));
    }
  }
  return out;
}

/** The text report; names longer than REPORT_NAME_MAX are shortened unless `wide`. */
export function suspectsText(r: SuspectsResult, options: { wide?: boolean } = {}): string {
  const wide = options.wide ?? false;
  const out: string[] = [];
  out.push(
    safeText(
      `Leak suspects in ${baseName(r.snapshot.source)}: total ${fmt(r.snapshot.total_size)} bytes; threshold ${percent(r.threshold_percent)}% = ${fmt(r.threshold)} bytes; ${fmt(r.top_level)} top-level objects`,
    ),
  );
  out.push('');
  if (r.suspects.length === 0) {
    out.push(safeText(`No leak suspects: no top-level object or class retains more than ${percent(r.threshold_percent)}% of the heap.`));
  } else r.suspects.forEach((s, i) => out.push(...suspectLines(s, i, wide), ''));
  if (r.top_objects.length > 0) {
    if (r.suspects.length === 0) out.push('');
    out.push('Biggest top-level objects:');
    for (const o of r.top_objects) out.push(safeText(`  ${obj(o, wide)}`));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
