// `heapdiff inspect SNAP @ID [--limit N]`
import type { Argv } from 'yargs';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { formatOptions, objectId, snapshotPositional, wholeNumber, type OutputArgs } from './options.js';

export const command = 'inspect <snapshot> <id>';
export const describe = 'One object: type, name, class, sizes, distance, dominator, its edges (biggest retained first) and its retainers';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .positional('id', { type: 'string', demandOption: true, describe: 'object id, @123 or 123' })
    .option('limit', { type: 'number', default: 20, describe: 'edges and retainers listed' })
    .options(formatOptions)
    .example('$0 inspect app.heapsnapshot @48211', 'what @48211 is, holds and is held by');
}

export async function handler(argv: OutputArgs & { snapshot: string; id: string; limit: number }) {
  const format = checkFormat(argv.format);
  const id = objectId('inspect', argv.id);
  wholeNumber('--limit', argv.limit, 0);
  const { openStore } = await import('../store/open.js');
  const { inspect } = await import('../analyses/inspect.js');
  const { inspectJson, inspectTable, inspectText } = await import('../render/inspect.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = inspect(store, id, { limit: argv.limit });
    if (format === 'json') writeOut(renderJson(inspectJson(result)));
    else if (format === 'text') writeOut(inspectText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, inspectTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}
