// `heapdiff partition SNAP [--by CLASSIFIER] [--where SQL] [--id-range A..B] [--sort …] [--top N|--all] [--retained]`
import type { Argv } from 'yargs';
import { CLASSIFIERS } from '../store/queries/partition.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { allOption, formatOptions, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'partition <snapshot>';
export const describe = "The heap as heapy's partition table: count, size, cumulative and retained bytes per kind";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('by', { choices: CLASSIFIERS as unknown as string[], default: 'class', describe: 'classifier: DevTools class, V8 type, referrer classes (rcs), edge names (via), individual size, allocation site, script, detachedness, distance' })
    .option('where', { type: 'string', describe: 'SQL expression over the nodes view narrowing the set, e.g. "id > 40000"' })
    .option('id-range', { type: 'string', describe: 'objects with A < id <= B ("allocated between"); A.. or ..B' })
    .option('sort', { choices: ['size', 'count', 'retained'], default: 'size', describe: 'row order (descending; ties by kind)' })
    .option('top', topOption(10, 'rows shown'))
    .option('all', allOption())
    .option('retained', { type: 'boolean', default: false, describe: 'add a Retained column (DevTools class retained rule)' })
    .options(formatOptions)
    .example('$0 partition app.heapsnapshot', 'biggest classes, heapy style')
    .example('$0 partition app.heapsnapshot --by rcs --top 20', 'grouped by the classes of the referrers')
    .example('$0 partition after.heapsnapshot --id-range 121129.. --retained', 'objects allocated after id 121129')
    .example('$0 partition app.heapsnapshot --where "class_name = \'Session\'" --by via', 'how Sessions are referenced');
}

interface Args extends OutputArgs {
  snapshot: string;
  by: string;
  where?: string;
  'id-range'?: string;
  sort: string;
  top: number;
  all: boolean;
  retained: boolean;
}

export async function handler(argv: Args) {
  const { openStore } = await import('../store/open.js');
  const { partition } = await import('../analyses/partition.js');
  const { parseIdRange } = await import('../store/queries/where.js');
  const { partitionJson, partitionTable } = await import('../render/partition.js');
  const format = checkFormat(argv.format);
  wholeNumber('--top', argv.top, 0);
  const idRange = argv['id-range'] !== undefined ? parseIdRange(argv['id-range']) : undefined;
  const bar = progressBar(!argv.quiet);
  const store = await openStore(argv.snapshot, { onProgress: bar.update }).finally(bar.done);
  try {
    const result = partition(store, { by: argv.by as never, where: argv.where, idRange, sort: argv.sort as never });
    const view = { top: argv.top, all: argv.all, retained: argv.retained };
    writeOut(renderTableAs(format, partitionTable(result, view), { wide: argv.wide, json: partitionJson(result, view) }));
    return result;
  } finally {
    store.db.close();
  }
}
