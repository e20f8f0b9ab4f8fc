// The per-phase comparison of one cold ingest with DevTools' engine loading the same file in the same run:
//
//   phase     heapdiff   DevTools engine         ratio
//   parse     …          … (JSON loader)         0.52×
//   analysis  …          … (initialize)          0.40×
//   write     …          —                       heapdiff only
//   …
//   total     …          …                       0.61×  ≤ 0.5× MISS
//   peak RSS  …          …                       0.45×  ≤ 0.5× OK
//
// heapdiff's phases are the ones its ingest reports (`phases` of ingestSnapshot's result); DevTools' are
// the two halves of heap-snapshot-toolkit's `parse` timed by measure.ts: `load` (the JSON loader, up to
// parsingComplete: reading the text, nodes, edges, strings) and `init` (JSHeapSnapshot.initialize: edge
// indexes, retainers, flags, dominators, retained sizes, distances, names, statistics). parse ↔ load and
// analysis ↔ init do the same work; heapdiff's later phases (writing the database) have no counterpart,
// DevTools keeps everything in memory. "other" is the rest of the wall time (thread start, module loading).
// With --runs N every figure is the median of the runs.

import type { Step, TaskResult } from './measure.js';

/** heapdiff phase → the DevTools engine phase doing the same work. */
export const COUNTERPART: Record<string, { phase: string; what: string }> = {
  parse: { phase: 'load', what: 'JSON loader' },
  analysis: { phase: 'init', what: 'initialize' },
};
/** The issue's bar: cold ingest ≤ half of DevTools' load time and ≤ half of its peak RSS. */
export const RATIO_TARGET = 0.5;

export interface PhaseRow {
  phase: string;
  heapdiff?: number;
  devtools?: number;
  ratio?: number;
  /** What the DevTools counterpart is (shown next to its time). */
  what?: string;
  note?: string;
}

export interface PhaseTable {
  rows: PhaseRow[];
  total: { heapdiff?: number; devtools?: number; ratio?: number; ok?: boolean };
  rss: { heapdiffMB?: number; devtoolsMB?: number; ratio?: number; ok?: boolean };
  heapdiffSteps?: Step[];
  devtoolsLoadSteps?: Step[];
  devtoolsInitSteps?: Step[];
}

function median(xs: number[]): number | undefined {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1]! + v[m]!) / 2;
}

/** Median of each named number in `key` over the runs. */
function medianRecord(runs: TaskResult[], key: string): Record<string, number> {
  const names = new Set<string>();
  for (const r of runs) for (const k of Object.keys((r[key] as Record<string, unknown> | undefined) ?? {})) names.add(k);
  const out: Record<string, number> = {};
  for (const k of names) {
    const m = median(runs.map((r) => Number((r[key] as Record<string, unknown> | undefined)?.[k])));
    if (m !== undefined) out[k] = m;
  }
  return out;
}

const ratioOf = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

export function phaseTable(ingestRuns: TaskResult[], toolkitRuns: TaskResult[]): PhaseTable {
  const hd = ingestRuns.filter((r) => !r.error);
  const tk = toolkitRuns.filter((r) => !r.error);
  const hPhases = medianRecord(hd, 'phases');
  const tPhases = medianRecord(tk, 'phases');
  const hTotal = median(hd.map((r) => r.seconds ?? NaN));
  const tTotal = median(tk.map((r) => r.seconds ?? NaN));
  const rows: PhaseRow[] = [];
  const used = new Set<string>();
  for (const [name, secs] of Object.entries(hPhases)) {
    const c = COUNTERPART[name];
    if (c && tPhases[c.phase] !== undefined) {
      used.add(c.phase);
      rows.push({ phase: name, heapdiff: secs, devtools: tPhases[c.phase], ratio: ratioOf(secs, tPhases[c.phase]), what: c.what });
    } else rows.push({ phase: name, heapdiff: secs, note: c ? undefined : 'heapdiff only' });
  }
  for (const [name, secs] of Object.entries(tPhases)) if (!used.has(name)) rows.push({ phase: `(${name})`, devtools: secs, note: 'DevTools only' });
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const hOther = hTotal !== undefined && hd.length ? hTotal - sum(hPhases) : undefined;
  const tOther = tTotal !== undefined && tk.length && Object.keys(tPhases).length ? tTotal - sum(tPhases) : undefined;
  if ((hOther ?? 0) > 0.0005 || (tOther ?? 0) > 0.0005) rows.push({ phase: 'other', heapdiff: hOther, devtools: tOther, note: 'thread start, loading code' });
  const totalRatio = ratioOf(hTotal, tTotal);
  const hRss = median(hd.map((r) => r.maxRssMB ?? NaN));
  const tRss = median(tk.map((r) => r.maxRssMB ?? NaN));
  const rssRatio = ratioOf(hRss, tRss);
  const last = <T>(runs: TaskResult[], key: string) => runs[runs.length - 1]?.[key] as T | undefined;
  return {
    rows,
    total: { heapdiff: hTotal, devtools: tTotal, ratio: totalRatio, ok: totalRatio === undefined ? undefined : totalRatio <= RATIO_TARGET },
    rss: { heapdiffMB: hRss, devtoolsMB: tRss, ratio: rssRatio, ok: rssRatio === undefined ? undefined : rssRatio <= RATIO_TARGET },
    heapdiffSteps: last<Step[]>(hd, 'steps'),
    devtoolsLoadSteps: last<Step[]>(tk, 'loadSteps'),
    devtoolsInitSteps: last<Step[]>(tk, 'initSteps'),
  };
}

function fmtS(s: number | undefined): string {
  return s === undefined ? '—' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}
function fmtMB(mb: number | undefined): string {
  return mb === undefined ? '—' : mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}
const fmtRatio = (r: number | undefined) => (r === undefined ? '' : `${r.toFixed(2)}×`);
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : `≤ ${RATIO_TARGET}× ${ok ? 'OK' : 'MISS'}`);

/**
 * DevTools' status messages name the step that starts; some of them only prepare work for its second
 * thread, which the toolkit runs in line during the second "Calculating retained sizes…" (see measure.ts).
 */
function devtoolsStepLabel(name: string, seen: Map<string, number>): string {
  const base = name.replace(/\s*\{PH1\}%/, '').replace(/…$/, '');
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  if (base === 'Building retainers') return 'edge targets (for retainers)';
  if (base === 'Building dominated nodes') return 'essential edges (for dominators)';
  if (base === 'Calculating retained sizes') return n === 1 ? 'self sizes (for retained sizes)' : 'retainers + dominators + retained sizes';
  return base;
}

function stepLine(title: string, steps: Step[] | undefined, label: (name: string) => string, min = 0.01): string | undefined {
  if (!steps?.length) return undefined;
  // Label every step (labels may depend on order), then leave out the negligible ones.
  const parts = steps.map((s) => ({ name: label(s.name), seconds: s.seconds })).filter((s) => s.seconds >= min);
  return `  ${title}: ${parts.map((s) => `${s.name} ${fmtS(s.seconds)}`).join(' · ')}`;
}

export function renderPhaseTable(t: PhaseTable, heading: string): string {
  const cells: string[][] = [['phase', 'heapdiff', 'DevTools engine', 'ratio', '']];
  for (const r of t.rows) {
    const dt = r.devtools === undefined ? '—' : `${fmtS(r.devtools)}${r.what ? ` (${r.what})` : ''}`;
    cells.push([r.phase, fmtS(r.heapdiff), dt, fmtRatio(r.ratio), r.note ?? '']);
  }
  cells.push(['total', fmtS(t.total.heapdiff), fmtS(t.total.devtools), fmtRatio(t.total.ratio), verdict(t.total.ok)]);
  cells.push(['peak RSS', fmtMB(t.rss.heapdiffMB), fmtMB(t.rss.devtoolsMB), fmtRatio(t.rss.ratio), verdict(t.rss.ok)]);
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const lines = [heading];
  for (const c of cells)
    lines.push(
      c
        .map((x, i) => (i === 1 || i === 3 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  const seen = new Map<string, number>();
  for (const l of [
    stepLine('heapdiff steps', t.heapdiffSteps, (n) => n.replace(/^analysis: /, '')),
    stepLine('DevTools load steps', t.devtoolsLoadSteps, (n) => devtoolsStepLabel(n, seen)),
    stepLine('DevTools init steps', t.devtoolsInitSteps, (n) => devtoolsStepLabel(n, seen)),
  ])
    if (l) lines.push(l);
  return lines.join('\n');
}
