// `heapdiff partition SNAP [--by CLASSIFIER] [--where SQL] [--id-range A..B] [--sort …] [--top N|--all] [--retained]`
import type { Argv } from 'yargs';
import { CLASSIFIERS } from '../store/queries/partition.js';
import { partitionJson, partitionTable, type PartitionView } from '../render/partition.js';
import { allOption, DEFAULT_TOP, formatOptions, idRange, snapshotPositional, topOption, wholeNumber, type OutputArgs } from './options.js';
import { handlerOf, type Renderer } from './runner.js';
import type { PartitionOptions, PartitionResult } from '../analyses/partition.js';

export const command = 'partition <snapshot>';
export const describe = "The heap as heapy's partition table: count, size, cumulative and retained bytes per kind";

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .option('by', {
      choices: CLASSIFIERS as unknown as string[],
      default: 'class',
      describe:
        'classifier: DevTools class, V8 type, referrer classes (rcs), edge names (via), individual size, allocation site, script, detachedness, distance',
    })
    .option('where', { type: 'string', describe: 'SQL expression over the nodes view narrowing the set, e.g. "id > 40000"' })
    .option('id-range', { type: 'string', describe: 'objects with A < id <= B ("allocated between"); A.. or ..B' })
    .option('sort', { choices: ['size', 'count', 'retained'], default: 'size', describe: 'row order (descending; ties by kind)' })
    .option('top', topOption(DEFAULT_TOP, 'rows shown'))
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

export interface PartitionCliOptions {
  snapshot: string;
  query: PartitionOptions;
  view: PartitionView;
}

export function options(argv: Args): PartitionCliOptions {
  wholeNumber('--top', argv.top, 0);
  return {
    snapshot: argv.snapshot,
    query: {
      by: argv.by as never,
      where: argv.where,
      idRange: argv['id-range'] !== undefined ? idRange(argv['id-range']) : undefined,
      sort: argv.sort as never,
    },
    view: { top: argv.top, all: argv.all, retained: argv.retained },
  };
}

export function renderer(view: PartitionView): Renderer<PartitionResult> {
  return { table: (r) => partitionTable(r, view), json: (r) => partitionJson(r, view) };
}

export const handler = handlerOf(options, (o) => ({ inputs: [o.snapshot], run: ([s]) => s.partition(o.query), render: renderer(o.view) }));
