// `heapdiff suspects SNAP`: Eclipse MAT's Leak Suspects on one snapshot (src/analyses/suspects.ts).
import type { Argv } from 'yargs';
import type { LeakSuspect, SuspectObject, SuspectsResult } from '../analyses/suspects.js';
import { InputError } from '../errors.js';
import { nodeLabel } from '../store/queries/labels.js';
import { safeText } from '../render/escape.js';
import { formatOptions } from '../render/output.js';
import type { Table } from '../render/table.js';
import { fmt, percent, shownPath, suspectPathLines, wholeNumber } from './diff.js';

export const command = 'suspects <snapshot>';
export const describe = "Leak suspects in one snapshot (Eclipse MAT's report): what retains more than a share of the heap, and where it accumulates";

export function builder(y: Argv) {
  return y
    .positional('snapshot', { type: 'string', demandOption: true, describe: 'snapshot file (e.g. from --heapsnapshot-near-heap-limit) or .db' })
    .option('threshold', { type: 'number', default: 10, describe: 'percent of the heap a suspect retains at least' })
    .option('big-drop', { type: 'number', default: 0.7, describe: 'accumulation point: where the biggest child keeps less than this share of its parent' })
    .option('children', { type: 'number', default: 5, describe: 'biggest children (and classes of children) listed per accumulation point' })
    .option('paths', { type: 'number', default: 3, describe: 'path patterns per class suspect' })
    .option('max-depth', { type: 'number', default: 100, describe: 'cut retainer paths after this many hops' })
    .options(formatOptions)
    .example('$0 suspects oom.heapsnapshot', 'what fills the heap')
    .example('$0 suspects app.db --threshold 5 -f json', 'suspects retaining 5 % or more, as JSON');
}

interface Args {
  snapshot: string;
  threshold: number;
  'big-drop': number;
  children: number;
  paths: number;
  'max-depth': number;
  format: string;
  wide: boolean;
  quiet: boolean;
}

export async function handler(argv: Args): Promise<SuspectsResult> {
  const { checkFormat, writeOut, renderTableAs } = await import('../render/output.js');
  const format = checkFormat(argv.format);
  if (!(argv.threshold > 0 && argv.threshold <= 100)) throw new InputError(`--threshold: expected a percentage in (0, 100] (got ${argv.threshold})`);
  if (!(argv['big-drop'] > 0 && argv['big-drop'] <= 1)) throw new InputError(`--big-drop: expected a ratio in (0, 1] (got ${argv['big-drop']})`);
  wholeNumber('--children', argv.children, 1);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { openStore } = await import('../store/open.js');
  const { findSuspects } = await import('../analyses/suspects.js');
  const { progressBar } = await import('../render/progress.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = findSuspects(store, { threshold: argv.threshold, bigDrop: argv['big-drop'], children: argv.children, paths: argv.paths, maxDepth: argv['max-depth'] });
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(suspectsText(result));
    else writeOut(renderTableAs(format, suspectsTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}

function baseName(p: string): string {
  return p.split(/[/\\]/).pop() || p;
}

/** An object's label: as in path lines, plus its (shortened) name: `Function BuiltinModule @50343`, `(string) "abc" @7`. */
function label(o: SuspectObject): string {
  const base = nodeLabel(o.class_name, o.name, o.type);
  if (base !== o.class_name || !o.name || o.name === o.class_name) return `${base} @${o.id}`;
  const short = o.name.length > 40 ? `${o.name.slice(0, 39)}…` : o.name;
  return `${base} ${o.type.includes('string') ? JSON.stringify(short) : short} @${o.id}`;
}

/** One object in prose: `Map @91843 (retains 351,544 bytes, 7.4%)`. */
function obj(o: SuspectObject): string {
  return `${label(o)} (retains ${fmt(o.retained_size)} bytes, ${percent(o.retained_percent)}%)`;
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

function suspectLines(s: LeakSuspect, i: number): string[] {
  const out: string[] = [];
  const n = `${String(i + 1).padStart(2)}. `;
  if (s.suspect === 'object' && s.object) {
    out.push(safeText(`${n}${label(s.object)} retains ${fmt(s.retained)} bytes (${percent(s.retained_percent)}% of the heap)`));
    if (s.path) out.push(safeText(`    path: ${shownPath(s.path, false)}`));
    const a = s.accumulation;
    if (a) {
      if (a.depth === 0) out.push(safeText(`    The memory accumulates in the object itself: ${fmt(a.child_count)} dominated children.`));
      else {
        const owner = a.owner.ordinal !== a.object.ordinal ? `, owned by ${obj(a.owner)}` : '';
        out.push(safeText(`    The memory accumulates ${a.depth} step${a.depth === 1 ? '' : 's'} down in ${obj(a.object)}${owner}: ${fmt(a.child_count)} dominated children.`));
        out.push(safeText(`    path: ${shownPath(a.path, false)}`));
      }
      if (a.children_by_class.length > 0) {
        out.push('    children by class:');
        for (const c of a.children_by_class) out.push(safeText(`      ${fmt(c.count)} × ${c.class_name}  ${fmt(c.retained)} bytes (${percent(c.retained_percent)}%)`));
      }
      if (a.children.length > 0) {
        out.push('    biggest children:');
        for (const c of a.children) out.push(safeText(`      ${obj(c)}`));
      }
    }
  } else {
    out.push(safeText(`${n}${fmt(s.count)} top-level ${s.kind} objects retain ${fmt(s.retained)} bytes together (${percent(s.retained_percent)}% of the heap)`));
    out.push(...suspectPathLines(s.paths, s.patterns, Math.min(s.count, 1000), s.count));
    if (s.instances.length > 0) {
      out.push('    biggest:');
      for (const c of s.instances) out.push(safeText(`      ${obj(c)}`));
    }
  }
  return out;
}

export function suspectsText(r: SuspectsResult): string {
  const out: string[] = [];
  out.push(
    safeText(
      `Leak suspects in ${baseName(r.snapshot.source)}: total ${fmt(r.snapshot.total_size)} bytes; threshold ${percent(r.threshold_percent)}% = ${fmt(r.threshold)} bytes; ${fmt(r.top_level)} top-level objects`,
    ),
  );
  out.push('');
  if (r.suspects.length === 0) {
    out.push(safeText(`No leak suspects: no top-level object or class retains more than ${percent(r.threshold_percent)}% of the heap.`));
  } else r.suspects.forEach((s, i) => out.push(...suspectLines(s, i), ''));
  if (r.top_objects.length > 0) {
    if (r.suspects.length === 0) out.push('');
    out.push('Biggest top-level objects:');
    for (const o of r.top_objects) out.push(safeText(`  ${obj(o)}`));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
