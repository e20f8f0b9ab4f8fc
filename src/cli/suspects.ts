// `heapdiff suspects SNAP`: Eclipse MAT's Leak Suspects on one snapshot (src/analyses/suspects.ts),
// rendered by src/render/suspects.ts.
import type { Argv } from 'yargs';
import type { SuspectsResult } from '../analyses/suspects.js';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { formatOptions, maxDepthOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'suspects <snapshot>';
export const describe = "Leak suspects in one snapshot (Eclipse MAT's report): what retains more than a share of the heap, and where it accumulates";

export function builder(y: Argv) {
  return y
    .positional('snapshot', { type: 'string', demandOption: true, describe: 'snapshot file (e.g. from --heapsnapshot-near-heap-limit) or .db' })
    .option('threshold', { type: 'number', default: 10, describe: 'percent of the heap a suspect retains at least' })
    .option('big-drop', { type: 'number', default: 0.7, describe: 'accumulation point: where the biggest child keeps less than this share of its parent' })
    .option('children', { type: 'number', default: 5, describe: 'biggest children (and classes of children) listed per accumulation point' })
    .option('paths', { type: 'number', default: 3, describe: 'path patterns per class suspect' })
    .option('max-depth', maxDepthOption)
    .options(formatOptions)
    .example('$0 suspects oom.heapsnapshot', 'what fills the heap')
    .example('$0 suspects app.db --threshold 5 -f json', 'suspects retaining 5 % or more, as JSON');
}

interface Args extends OutputArgs {
  snapshot: string;
  threshold: number;
  'big-drop': number;
  children: number;
  paths: number;
  'max-depth': number;
}

export async function handler(argv: Args): Promise<SuspectsResult> {
  const format = checkFormat(argv.format);
  if (!(argv.threshold > 0 && argv.threshold <= 100)) throw new InputError(`--threshold: expected a percentage in (0, 100] (got ${argv.threshold})`);
  if (!(argv['big-drop'] > 0 && argv['big-drop'] <= 1)) throw new InputError(`--big-drop: expected a ratio in (0, 1] (got ${argv['big-drop']})`);
  wholeNumber('--children', argv.children, 1);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { openStore } = await import('../store/open.js');
  const { findSuspects } = await import('../analyses/suspects.js');
  const { suspectsTable, suspectsText } = await import('../render/suspects.js');
  const { progressBar } = await import('../render/progress.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = findSuspects(store, { threshold: argv.threshold, bigDrop: argv['big-drop'], children: argv.children, paths: argv.paths, maxDepth: argv['max-depth'] });
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(suspectsText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, suspectsTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}
