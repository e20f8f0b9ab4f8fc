// Renders `heapdiff suspects` (analyses/suspects.ts), Eclipse MAT's Leak Suspects report: per suspect
// the object (or class) and what it retains, its path, where the memory accumulates and the biggest
// children there; then the biggest top-level objects. CSV and Markdown get one row per suspect; JSON is
// the result itself (it carries `version`).

import type { LeakSuspect, SuspectObject, SuspectsResult } from '../analyses/suspects.js';
import { nodeLabel } from '../store/queries/labels.js';
import { safeText } from './escape.js';
import { DETAIL, keepsLines, keptByLines, namedLine, wrapText, type DetailView } from './leak-report.js';
import { baseName, percent, shortName, shownPath } from './report.js';
import type { Table } from './table.js';
import { count, countOf, fitLine, paint, plural, PLAIN, size, wrapHops, type Manners } from './terminal.js';

/** An object's label: as in path lines, plus its (shortened) name: `Function BuiltinModule @50343`, `(string) "abc" @7`. */
function label(o: SuspectObject, wide = false): string {
  const base = nodeLabel(shortName(o.class_name, wide), o.name, o.type);
  if (base !== o.class_name || !o.name || o.name === o.class_name) return `${base} @${o.id}`;
  const short = wide ? o.name : o.name.length > 40 ? `${o.name.slice(0, 39)}…` : o.name;
  return `${base} ${o.type.includes('string') ? JSON.stringify(short) : short} @${o.id}`;
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
    rows: r.suspects.map((s, index) => ({
      index,
      suspect: s.suspect,
      count: s.count,
      retained: s.retained,
      retained_percent: s.retained_percent,
      kind: s.label,
    })),
  };
}

function suspectLines(s: LeakSuspect, i: number, v: DetailView): string[] {
  const m = v.manners;
  const out: string[] = [];
  const n = `${String(i + 1).padStart(2)}. `;
  const head = (text: string) => out.push(...wrapText(text, m.width, DETAIL).map((l, j) => (j === 0 ? paint(l, 'bold', m) : l)));
  if (s.suspect === 'object' && s.object) {
    head(
      `${n}${s.label}${s.label === s.object.class_name && !s.named?.variable ? ` @${s.object.id}` : ''}: ${size(s.retained, m)} retained (${percent(s.retained_percent)}% of the heap)`,
    );
    if (v.rawPaths || !s.named) {
      if (s.path) out.push(...wrapHops(`${DETAIL}path     `, safeText(shownPath(s.path, false)).split(' → '), m.width, `${DETAIL}         `));
    } else {
      const group = {
        class_name: s.kind,
        count: 1,
        retained: s.retained,
        pattern: '',
        line: s.line ?? '',
        hops: s.path ?? [],
        root: s.named.root,
        text: '',
        named: s.named,
        via_variable: s.via_variable,
      };
      out.push(...keptByLines([group], 1, 1, 1, v));
    }
    out.push(...keepsLines(s.keeps, v));
    const a = s.accumulation;
    if (a && a.depth > 0) {
      const owner = a.owner.ordinal !== a.object.ordinal ? `, owned by ${obj(a.owner, m)}` : '';
      const where = a.named.variable !== null ? ` (${namedLine(a.named)})` : '';
      out.push(
        ...wrapHops(
          DETAIL,
          safeText(
            `The memory accumulates ${a.depth} ${plural(a.depth, 'step')} down in ${obj(a.object, m)}${owner}${where}: ${countOf(a.child_count, 'dominated child', 'dominated children')}.`,
          ).split(' '),
          m.width,
          DETAIL,
          ' ',
        ),
      );
      if (a.children_by_class.length > 0) {
        const parts = a.children_by_class.map((c, j, all) =>
          safeText(`${count(c.count)} × ${c.class_name} ${size(c.retained, m)}${j < all.length - 1 ? ',' : ''}`),
        );
        out.push(...wrapHops(`${DETAIL}there    `, parts, m.width, `${DETAIL}         `, ' '));
      }
    }
  } else {
    head(`${n}${count(s.count)} × ${s.label}: ${size(s.retained, m)} retained together (${percent(s.retained_percent)}% of the heap)`);
    out.push(...keptByLines(s.paths, Math.min(s.count, 1000), s.count, s.patterns, v));
    out.push(...keepsLines(s.keeps, v));
  }
  return out;
}

/** One object in prose: `Map @91843 (351 kB, 7.4%)`. */
function obj(o: SuspectObject, m: Manners): string {
  return `${label(o)} (${size(o.retained_size, m)}, ${percent(o.retained_percent)}%)`;
}

/** The answer in one sentence (unescaped). */
export function suspectsVerdict(r: SuspectsResult, m: Pick<Manners, 'rawBytes'>): string {
  const heap = `${baseName(r.snapshot.source)}: ${size(r.snapshot.total_size, m)} heap`;
  if (r.suspects.length === 0) return `${heap}; no leak suspect (nothing retains ${percent(r.threshold_percent)}% or more of it).`;
  const first = r.suspects[0];
  const holder = first.named?.variable && !first.label.startsWith(first.named.variable) ? ` held by ${first.named.variable}` : '';
  return `${heap}; ${countOf(r.suspects.length, 'leak suspect')} retaining ${percent(r.threshold_percent)}% or more. The biggest, ${first.suspect === 'class' ? `${count(first.count)} × ` : ''}${first.label}${holder}, retains ${size(first.retained, m)} (${percent(first.retained_percent)}%).`;
}

export function suspectsText(r: SuspectsResult, view: { manners?: Manners; rawPaths?: boolean } = {}): string {
  const m = view.manners ?? PLAIN;
  const v: DetailView = { manners: m, rawPaths: view.rawPaths };
  const out: string[] = wrapText(suspectsVerdict(r, m), m.width).map((l, i) => (i === 0 ? paint(l, 'bold', m) : l));
  r.suspects.forEach((s, i) => out.push('', ...suspectLines(s, i, v)));
  if (r.top_objects.length > 0) {
    out.push('', 'Biggest top-level objects:');
    for (const o of r.top_objects) out.push(fitLine(safeText(`  ${obj(o, m)}`), m.width));
  }
  return `${out.join('\n')}\n`;
}
