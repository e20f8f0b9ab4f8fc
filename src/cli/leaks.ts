// `heapdiff leaks BASELINE TARGET FINAL`: objects allocated between BASELINE and TARGET that are still
// alive in FINAL, grouped by retainer-path pattern (src/analyses/leaks.ts), rendered by src/render/leaks.ts.
import type { Argv } from 'yargs';
import type { LeaksResult } from '../analyses/leaks.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { formatOptions, maxDepthOption, topOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'leaks <baseline> <target> <final>';
export const describe = "Three-snapshot leak detection (memlab's method): what TARGET added that FINAL still holds";

export function builder(y: Argv) {
  return y
    .positional('baseline', { type: 'string', demandOption: true, describe: 'snapshot before the action (file or .db)' })
    .positional('target', { type: 'string', demandOption: true, describe: 'snapshot after the action' })
    .positional('final', { type: 'string', demandOption: true, describe: 'snapshot after undoing the action (everything TARGET added should be gone)' })
    .option('top', topOption(10, 'leak groups shown (most retained first)'))
    .option('instances', { type: 'number', default: 10000, describe: 'trace the paths of this many biggest leaked objects' })
    .option('max-depth', maxDepthOption)
    .option('assume-same-process', { type: 'boolean', default: false, describe: 'trust the object ids without checking that the snapshots come from one process' })
    .options(formatOptions)
    .example('$0 leaks before.heapsnapshot after.heapsnapshot final.heapsnapshot', 'objects the action leaked, grouped by retainer path');
}

interface Args extends OutputArgs {
  baseline: string;
  target: string;
  final: string;
  top: number;
  instances: number;
  'max-depth': number;
  'assume-same-process': boolean;
}

export async function handler(argv: Args): Promise<LeaksResult> {
  const format = checkFormat(argv.format);
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { findLeaks } = await import('../analyses/leaks.js');
  const { leaksTable, leaksText } = await import('../render/leaks.js');
  const { renderJson } = await import('../render/table.js');
  const { openStores } = await import('../store/open.js');
  const { progressBar } = await import('../render/progress.js');
  const opened = await openStores([argv.baseline, argv.target, argv.final], progressBar(!argv.quiet));
  try {
    const result = await findLeaks(opened[0], opened[1], opened[2], {
      groups: argv.top,
      pathSample: argv.instances,
      maxDepth: argv['max-depth'],
      assumeSameProcess: argv['assume-same-process'],
    });
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(leaksText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, leaksTable(result), { wide: argv.wide }));
    return result;
  } finally {
    for (const s of opened) s.db.close();
  }
}
