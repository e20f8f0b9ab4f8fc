// `heapdiff inspect SNAP @ID [--limit N]`
import type { Argv } from 'yargs';
import { checkFormat, formatOptions, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';

export const command = 'inspect <snapshot> <id>';
export const describe = 'One object: type, name, class, sizes, distance, dominator, its edges (biggest retained first) and its retainers';

export function builder(y: Argv) {
  return y
    .positional('snapshot', { type: 'string', demandOption: true, describe: 'snapshot file (ingested through the cache) or .db' })
    .positional('id', { type: 'string', demandOption: true, describe: 'object id, @123 or 123' })
    .option('limit', { type: 'number', default: 20, describe: 'edges and retainers listed' })
    .options(formatOptions)
    .example('$0 inspect app.heapsnapshot @48211', 'what @48211 is, holds and is held by');
}

export async function handler(argv: { snapshot: string; id: string; limit: number; format: string; wide: boolean; quiet: boolean }) {
  const { InputError } = await import('../errors.js');
  const format = checkFormat(argv.format);
  const m = /^@?(\d+)$/.exec(String(argv.id).trim());
  if (!m) throw new InputError(`inspect: expected an object id like @123 (got ${JSON.stringify(String(argv.id))})`);
  if (!Number.isInteger(argv.limit) || argv.limit < 0) throw new InputError(`--limit: expected a whole number >= 0 (got ${argv.limit})`);
  const { openStore } = await import('../store/open.js');
  const { inspect } = await import('../analyses/inspect.js');
  const { inspectJson, inspectTable, inspectText } = await import('../render/inspect.js');
  const { renderTableAs } = await import('../render/output.js');
  const { renderJson } = await import('../render/table.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = inspect(store, Number(m[1]), { limit: argv.limit });
    if (format === 'json') writeOut(renderJson(inspectJson(result)));
    else if (format === 'text') writeOut(inspectText(result, { wide: argv.wide }));
    else writeOut(renderTableAs(format, inspectTable(result), { wide: argv.wide }));
    return result;
  } finally {
    store.db.close();
  }
}
