// `heapdiff dominators SNAP [--top N] [--depth D] [--from @ID] [--min-percent P]`
import type { Argv } from 'yargs';
import { OptionError } from '../errors.js';
import { dominatorsJson, dominatorsTable, dominatorsText } from '../render/dominators.js';
import { handlerOf, type Renderer } from './runner.js';
import { DEFAULT_TOP, formatOptions, objectId, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';
import type { DominatorOptions, DominatorsResult } from '../analyses/dominators.js';

export const command = 'dominators <snapshot>';
export const describe = 'The top of the dominator tree: the objects that retain most, as an indented tree';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('top', topOption(DEFAULT_TOP, 'children shown per node'))
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

export function options(argv: Args): DominatorOptions & { snapshot: string } {
  wholeNumber('--top', argv.top, 1);
  if (!Number.isInteger(argv.depth) || argv.depth < 0 || argv.depth > 100)
    throw new OptionError(`--depth: expected a whole number from 0 to 100 (got ${argv.depth})`);
  if (!(argv['min-percent'] >= 0 && argv['min-percent'] <= 100)) throw new OptionError(`--min-percent: expected 0..100 (got ${argv['min-percent']})`);
  const fromId = argv.from !== undefined ? objectId('--from', argv.from) : undefined;
  return { snapshot: argv.snapshot, top: argv.top, depth: argv.depth, fromId, minShare: argv['min-percent'] / 100 };
}

export const renderer: Renderer<DominatorsResult> = {
  text: (r, v) => dominatorsText(r, { wide: v.wide, manners: v.manners }),
  table: (r) => dominatorsTable(r),
  json: (r) => dominatorsJson(r),
};

export const handler = handlerOf(options, ({ snapshot, ...o }) => ({ inputs: [snapshot], run: ([s]) => s.dominators(o), render: renderer }));
