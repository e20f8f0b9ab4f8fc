// The pieces every leak report prints the same way (`heapdiff A B`, `leaks`, `suspects`, the HTML
// report): a suspect's headline, what holds it (its retainer path in the program's words, from the
// variable on), what it keeps by class, and the notes on what was sampled. Text is escaped, fits the
// terminal's width (paths wrap between hops, never inside a name) and uses the view's size style.

import type { NamedPath } from '../analyses/program-names.js';
import { namedPathText } from '../analyses/program-names.js';
import type { Kept, PathGroupResult } from '../analyses/suspects-tree.js';
import { safeText } from './escape.js';
import { shownPath } from './report.js';
import { count, countOf, paint, size, wrapHops, wrapText as wrapWords, type Manners } from './terminal.js';

/** Indentation of a suspect's detail lines under its numbered headline. */
export const DETAIL = '    ';
/** Indentation of a detail line's continuation (after `kept by  `). */
const CONTINUATION = `${DETAIL}         `;

/**
 * A group's path as hops for wrapping, without the suspect itself (its headline names it):
 * `sessionCache`, `Map[entry]`; a global's property reads `window.detachedCache[]`.
 */
export function keptByHops(p: NamedPath): string[] {
  const last = p.steps[p.steps.length - 1];
  const whole = namedPathText(p);
  const suffix = last ? ` → ${last.node}` : '';
  if (p.variable === null && p.steps.length <= 1) return [p.root];
  let text = suffix && whole.endsWith(suffix) ? whole.slice(0, -suffix.length) : whole;
  if (p.variable !== null && (p.root === 'window' || p.root === 'global')) text = `${p.root}${text.startsWith('[') ? '' : '.'}${text}`;
  else if (p.variable === null) text = `${p.root} › ${text}`;
  return text.split(' → ');
}

/** ` (bus: script scope of index.html)` for a variable in a scope; nothing for globals and roots. */
export function scopeNote(p: NamedPath): string {
  if (p.variable === null || p.root === 'window' || p.root === 'global') return '';
  return `${p.variable}: ${p.root}`;
}

/** The whole path in the program's words as one line (JSON, Markdown, CSV): `bus.handlers[] → onRefresh (…)`. */
export function namedLine(p: NamedPath): string {
  const text = namedPathText(p);
  if (p.variable === null) return `${p.root} › ${text}`;
  if (p.root === 'window' || p.root === 'global') return `${p.root}${text.startsWith('[') ? '' : '.'}${text}`;
  return `${text}  (${p.variable}: ${p.root})`;
}

/** `300 × system / JSArrayBufferData 154 kB, 300 × Float64Array 28.8 kB, …` */
export function keptText(k: Kept, m: Pick<Manners, 'rawBytes'>): string {
  return keptParts(k, m).join(', ');
}

/** The `keeps` entries: `300 × Float64Array 28.8 kB`, …, `1,892 more (120 kB)`. */
export function keptParts(k: Kept, m: Pick<Manners, 'rawBytes'>): string[] {
  // Objects of no size (numbers stored inline, empty arrays) are not what memory is kept by.
  const sized = k.classes.filter((c) => c.size > 0);
  const parts = sized.map((c) => `${count(c.count)} × ${c.class_name} ${size(c.size, m)}`);
  const shownSize = sized.reduce((n, c) => n + c.size, 0);
  const rest = (k.sized ?? k.count) - sized.reduce((n, c) => n + c.count, 0);
  if (k.size > shownSize && rest > 0) parts.push(`${count(rest)} more (${size(k.size - shownSize, m)})`);
  return parts;
}

/** Options of the detail lines. */
export interface DetailView {
  manners: Manners;
  /** `--raw-paths`: every hop as DevTools lists it, instead of the program's words. */
  rawPaths?: boolean;
}

/**
 * The `kept by` lines of a suspect's path groups: one group (all traced objects share it) reads as
 * the path; several get a count and the bytes each holds. Then what was not traced.
 */
export function keptByLines(groups: readonly PathGroupResult[], traced: number, total: number, patterns: number, v: DetailView): string[] {
  const m = v.manners;
  const out: string[] = [];
  const label = paint('kept by', 'dim', m);
  groups.forEach((g, i) => {
    const lead = i === 0 ? `${DETAIL}${label}  ` : `${DETAIL}         `;
    const counted = groups.length > 1 || g.count < traced ? `${count(g.count)} × ` : '';
    const tail = groups.length > 1 || g.count < traced ? `  ${size(g.retained, m)}` : '';
    if (v.rawPaths) {
      out.push(
        ...wrapHops(lead + counted, safeText(shownPath(g.hops, true)).split(' → '), m.width, CONTINUATION).map((l, j, a) =>
          j === a.length - 1 ? l + tail : l,
        ),
      );
      return;
    }
    const hops = keptByHops(g.named).map((h) => safeText(h));
    const lines = wrapHops(lead + counted, hops, m.width, CONTINUATION);
    const note = scopeNote(g.named);
    const extra = `${note ? `  (${safeText(note)})` : ''}${g.via_variable ? ' [not the shortest path]' : ''}${tail}`;
    const last = lines.length - 1;
    if (extra && lines[last].length + extra.length <= m.width) lines[last] += extra;
    else if (extra) lines.push(...wrapWords(CONTINUATION + extra.trimStart(), m.width, CONTINUATION));
    out.push(...lines);
  });
  const notes: string[] = [];
  if (patterns > groups.length) notes.push(`${countOf(patterns - groups.length, 'more path')} (--paths)`);
  if (traced < total) notes.push(`paths traced for the ${count(traced)} biggest of ${count(total)} (--instances)`);
  if (notes.length > 0) out.push(...wrapWords(`${CONTINUATION}(${safeText(notes.join('; '))})`, m.width, CONTINUATION).map((l) => paint(l, 'dim', m)));
  return out;
}

/** The `keeps` line: what the suspect's objects keep alive, by class. */
export function keepsLines(k: Kept | null, v: DetailView): string[] {
  if (!k || k.classes.length === 0) return [];
  const m = v.manners;
  const parts = keptParts(k, m).map((p, i, a) => safeText(i < a.length - 1 ? `${p},` : p));
  return wrapHops(`${DETAIL}${paint('keeps', 'dim', m)}    `, parts, m.width, CONTINUATION, ' ');
}

/** Prose (escaped here) wrapped at word boundaries to the width, a size's unit kept with its number. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  return wrapWords(safeText(text), width, indent);
}

/** Markdown cell text of a path: the named line in code style. */
export function mdPath(p: NamedPath): string {
  // Inside a code span Markdown escapes nothing: only backticks and the table's pipes need care.
  return `\`${safeText(namedLine(p)).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}
