// `heapdiff strings SNAP --duplicates [--top N|--all] [--min-count K]`
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { allOption, formatOptions, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'strings <snapshot>';
export const describe = "Duplicated strings (DevTools' rule): value, copies, bytes, bytes wasted";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('duplicates', { type: 'boolean', default: true, describe: "list duplicated strings (the only listing; DevTools' Duplicated strings filter)" })
    .option('top', topOption(20, 'groups shown'))
    .option('all', allOption('show every group'))
    .option('min-count', { type: 'number', default: 2, describe: 'only groups with at least this many copies of self size > 0 (1 = every group DevTools marks)' })
    .options(formatOptions)
    .example('$0 strings app.heapsnapshot --duplicates', 'the 20 strings wasting most bytes');
}

export async function handler(argv: OutputArgs & { snapshot: string; duplicates: boolean; top: number; all: boolean; 'min-count': number }) {
  const format = checkFormat(argv.format);
  if (!argv.duplicates) throw new InputError('strings: only --duplicates is available');
  wholeNumber('--top', argv.top, 0);
  wholeNumber('--min-count', argv['min-count'], 1);
  const { openStore } = await import('../store/open.js');
  const { duplicateStrings } = await import('../analyses/strings.js');
  const { stringsJson, stringsTable } = await import('../render/strings.js');
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
