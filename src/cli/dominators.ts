// `heapdiff dominators SNAP [--top N] [--depth D] [--from @ID] [--min-percent P]`
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { formatOptions, objectId, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'dominators <snapshot>';
export const describe = 'The top of the dominator tree: the objects that retain most, as an indented tree';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('top', topOption(10, 'children shown per node'))
    .option('depth', { type: 'number', default: 3, describe: 'levels shown below the start' })
    .option('from', { type: 'string', describe: 'start at this object (@ID) instead of the root' })
    .option('min-percent', { type: 'number', default: 1, describe: 'hide nodes retaining less than this % of the heap (0 shows all)' })
    .options(formatOptions)
    .example('$0 dominators app.heapsnapshot', 'the 10 biggest dominators, 3 levels deep, those retaining >= 1 %')
    .example('$0 dominators app.heapsnapshot --from @1234 --depth 5 --min-percent 1', 'below one object');
}

interface Args extends OutputArgs {
  snapshot: string;
  top: number;
  depth: number;
  from?: string;
  'min-percent': number;
}

export async function handler(argv: Args) {
  const format = checkFormat(argv.format);
  wholeNumber('--top', argv.top, 1);
  if (!Number.isInteger(argv.depth) || argv.depth < 0 || argv.depth > 100) throw new InputError(`--depth: expected a whole number from 0 to 100 (got ${argv.depth})`);
  if (!(argv['min-percent'] >= 0 && argv['min-percent'] <= 100)) throw new InputError(`--min-percent: expected 0..100 (got ${argv['min-percent']})`);
  const fromId = argv.from !== undefined ? objectId('--from', argv.from) : undefined;
  const { openStore } = await import('../store/open.js');
  const { dominators } = await import('../analyses/dominators.js');
  const { dominatorsJson, dominatorsTable, dominatorsText } = await import('../render/dominators.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = dominators(store, { top: argv.top, depth: argv.depth, fromId, minShare: argv['min-percent'] / 100 });
    if (format === 'json') writeOut(renderJson(dominatorsJson(result)));
    else if (format === 'text') writeOut(dominatorsText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, dominatorsTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}
