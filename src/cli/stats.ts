// `heapdiff stats SNAP`
import type { Argv } from 'yargs';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { formatOptions, snapshotPositional, type OutputArgs } from './options.js';

export const command = 'stats <snapshot>';
export const describe = "DevTools' Statistics breakdown (code, strings, arrays, typed arrays, system, native) plus node/edge counts";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .options(formatOptions)
    .example('$0 stats app.heapsnapshot', 'the Statistics pie as a table')
    .example('$0 stats app.heapsnapshot --format json', 'including DevTools\' getStatistics() shape');
}

export async function handler(argv: OutputArgs & { snapshot: string }) {
  const format = checkFormat(argv.format);
  const { openStore } = await import('../store/open.js');
  const { stats } = await import('../analyses/stats.js');
  const { statsJson, statsTable } = await import('../render/stats.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = stats(store);
    writeOut(renderTableAs(format, statsTable(result, format === 'text'), { wide: argv.wide, json: statsJson(result) }));
    return result;
  } finally {
    store.db.close();
  }
}
