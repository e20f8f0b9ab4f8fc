// `heapdiff strings SNAP --duplicates [--top N|--all] [--min-count K]`
import type { Argv } from 'yargs';
import { checkFormat, formatOptions, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';

export const command = 'strings <snapshot>';
export const describe = "Duplicated strings (DevTools' rule): value, copies, bytes, bytes wasted";

export function builder(y: Argv) {
  return y
    .positional('snapshot', { type: 'string', demandOption: true, describe: 'snapshot file (ingested through the cache) or .db' })
    .option('duplicates', { type: 'boolean', default: true, describe: "list duplicated strings (the only listing; DevTools' Duplicated strings filter)" })
    .option('top', { type: 'number', default: 20, describe: 'groups shown' })
    .option('all', { type: 'boolean', default: false, describe: 'show every group' })
    .option('min-count', { type: 'number', default: 2, describe: 'only groups with at least this many copies of self size > 0 (1 = every group DevTools marks)' })
    .options(formatOptions)
    .example('$0 strings app.heapsnapshot --duplicates', 'the 20 strings wasting most bytes');
}

export async function handler(argv: { snapshot: string; duplicates: boolean; top: number; all: boolean; 'min-count': number; format: string; wide: boolean; quiet: boolean }) {
  const { InputError } = await import('../errors.js');
  const format = checkFormat(argv.format);
  if (!argv.duplicates) throw new InputError('strings: only --duplicates is available');
  if (!Number.isInteger(argv.top) || argv.top < 0) throw new InputError(`--top: expected a whole number >= 0 (got ${argv.top})`);
  if (!Number.isInteger(argv['min-count']) || argv['min-count'] < 1) throw new InputError(`--min-count: expected a whole number >= 1 (got ${argv['min-count']})`);
  const { openStore } = await import('../store/open.js');
  const { duplicateStrings } = await import('../analyses/strings.js');
  const { stringsJson, stringsTable } = await import('../render/strings.js');
  const { renderTableAs } = await import('../render/output.js');
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = duplicateStrings(store, { top: argv.all ? Infinity : argv.top, minCount: argv['min-count'] });
    writeOut(renderTableAs(format, stringsTable(result, format === 'text'), { wide: argv.wide, json: stringsJson(result) }));
    return result;
  } finally {
    store.db.close();
  }
}
