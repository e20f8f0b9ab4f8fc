// `heapdiff retainers SNAP @ID|CLASSNAME [--paths N] [--max-depth D] [--instances K]`
import type { Argv } from 'yargs';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { formatOptions, snapshotPositional, wholeNumber, type OutputArgs } from './options.js';

export const command = 'retainers <snapshot> <target>';
export const describe = 'Why is it alive: shortest retainer paths (DevTools rule) of an object, or of a class merged by pattern';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .positional('target', { type: 'string', demandOption: true, describe: '@ID (an object) or a class name (its biggest instances)' })
    .option('paths', { type: 'number', describe: 'paths to show: an object 1 (alternatives via its other retainers), a class 5 patterns' })
    .option('max-depth', { type: 'number', default: 1000, describe: 'cut paths after this many hops' })
    .option('instances', { type: 'number', default: 1000, describe: 'class: follow this many of the biggest-retained instances' })
    .options(formatOptions)
    .example('$0 retainers app.heapsnapshot @48211', 'the shortest path from a root to object @48211')
    .example('$0 retainers app.heapsnapshot @48211 --paths 3', 'and two alternatives')
    .example('$0 retainers app.heapsnapshot Session', 'paths of the biggest Sessions, merged by pattern');
}

interface Args extends OutputArgs {
  snapshot: string;
  target: string;
  paths?: number;
  'max-depth': number;
  instances: number;
}

export async function handler(argv: Args) {
  const format = checkFormat(argv.format);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  wholeNumber('--instances', argv.instances, 1);
  const { openStore } = await import('../store/open.js');
  const { retainers } = await import('../analyses/retainers.js');
  const { retainersJson, retainersTable, retainersText } = await import('../render/retainers.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = retainers(store, String(argv.target), { paths: argv.paths, maxDepth: argv['max-depth'], instances: argv.instances });
    if (format === 'json') writeOut(renderJson(retainersJson(result)));
    else if (format === 'text') writeOut(retainersText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, retainersTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}
