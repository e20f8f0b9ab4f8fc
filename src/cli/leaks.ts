// `heapdiff leaks BASELINE TARGET FINAL`: objects allocated between BASELINE and TARGET that are still
// alive in FINAL, grouped by retainer-path pattern (src/analyses/leaks.ts).
import type { Argv } from 'yargs';
import type { LeaksResult } from '../analyses/leaks.js';
import { safeText } from '../render/escape.js';
import { formatOptions } from '../render/output.js';
import type { Table } from '../render/table.js';
import { fmt, openStores, percent, suspectPathLines, wholeNumber } from './diff.js';

export const command = 'leaks <baseline> <target> <final>';
export const describe = "Three-snapshot leak detection (memlab's method): what TARGET added that FINAL still holds";

export function builder(y: Argv) {
  return y
    .positional('baseline', { type: 'string', demandOption: true, describe: 'snapshot before the action (file or .db)' })
    .positional('target', { type: 'string', demandOption: true, describe: 'snapshot after the action' })
    .positional('final', { type: 'string', demandOption: true, describe: 'snapshot after undoing the action (everything TARGET added should be gone)' })
    .option('top', { type: 'number', default: 10, describe: 'leak groups shown (most retained first)' })
    .option('instances', { type: 'number', default: 10000, describe: 'trace the paths of this many biggest leaked objects' })
    .option('max-depth', { type: 'number', default: 100, describe: 'cut retainer paths after this many hops' })
    .option('assume-same-process', { type: 'boolean', default: false, describe: 'trust the object ids without checking that the snapshots come from one process' })
    .options(formatOptions)
    .example('$0 leaks before.heapsnapshot after.heapsnapshot final.heapsnapshot', 'objects the action leaked, grouped by retainer path');
}

interface Args {
  baseline: string;
  target: string;
  final: string;
  top: number;
  instances: number;
  'max-depth': number;
  'assume-same-process': boolean;
  format: string;
  wide: boolean;
  quiet: boolean;
}

export async function handler(argv: Args): Promise<LeaksResult> {
  const { checkFormat, writeOut, renderTableAs } = await import('../render/output.js');
  const format = checkFormat(argv.format);
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { findLeaks } = await import('../analyses/leaks.js');
  const { renderJson } = await import('../render/table.js');
  const opened = await openStores([argv.baseline, argv.target, argv.final], argv.quiet);
  try {
    const result = await findLeaks(opened[0], opened[1], opened[2], {
      groups: argv.top,
      pathSample: argv.instances,
      maxDepth: argv['max-depth'],
      assumeSameProcess: argv['assume-same-process'],
    });
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(leaksText(result));
    else writeOut(renderTableAs(format, leaksTable(result), { wide: argv.wide }));
    return result;
  } finally {
    for (const s of opened) s.db.close();
  }
}

function baseName(p: string): string {
  return p.split(/[/\\]/).pop() || p;
}

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

export function leaksText(r: LeaksResult): string {
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
        `${String(i + 1).padStart(2)}. ${g.kind}${g.detached ? ' [detached DOM]' : ''}: ${fmt(g.count)} object${g.count === 1 ? ' retains' : 's retain'} ${fmt(g.retained)} bytes (${percent(g.retained_percent)}% of final)`,
      ),
    );
    out.push(...suspectPathLines(g.paths, 1, 1, 1));
  });
  const notes: string[] = [];
  if (t.patterns > r.suspects.length) notes.push(`${fmt(t.patterns - r.suspects.length)} more pattern${t.patterns - r.suspects.length === 1 ? '' : 's'} (--top)`);
  if (t.traced < t.top_level) notes.push(`paths of the ${fmt(t.traced)} biggest of ${fmt(t.top_level)} objects traced (--instances)`);
  if (notes.length > 0) out.push(safeText(`(${notes.join('; ')})`));
  return out.join('\n') + '\n';
}
