// `heapdiff suspects SNAP`: Eclipse MAT's Leak Suspects on one snapshot (src/analyses/suspects.ts),
// rendered by src/render/suspects.ts.
import type { Argv } from 'yargs';
import type { SuspectsResult } from '../analyses/suspects.js';
import { OptionError } from '../errors.js';
import { suspectsTable, suspectsText } from '../render/suspects.js';
import { ignoreOption, ignorePatterns, rawPathsOption } from './leak-options.js';
import { handlerOf, type Renderer } from './runner.js';
import { formatOptions, instancesOption, maxDepthOption, pathsOption, wholeNumber, type OutputArgs } from './options.js';
import type { SuspectsOptions } from '../analyses/suspects.js';

export const command = 'suspects <snapshot>';
export const describe = "Leak suspects in one snapshot (Eclipse MAT's report): what retains more than a share of the heap, and where it accumulates";

export function builder(y: Argv) {
  return y
    .positional('snapshot', { type: 'string', demandOption: true, describe: 'snapshot file (e.g. from --heapsnapshot-near-heap-limit) or .db' })
    .option('threshold', { type: 'number', default: 10, describe: 'percent of the heap a suspect retains at least' })
    .option('big-drop', { type: 'number', default: 0.7, describe: 'accumulation point: where the biggest child keeps less than this share of its parent' })
    .option('children', { type: 'number', default: 5, describe: 'biggest children (and classes of children) listed per accumulation point' })
    .option('paths', pathsOption('path patterns shown per class suspect'))
    .option('instances', instancesOption('per class suspect, trace the paths of this many biggest instances'))
    .option('max-depth', maxDepthOption)
    .option('raw-paths', rawPathsOption)
    .option('ignore', ignoreOption)
    .options(formatOptions)
    .example('$0 suspects oom.heapsnapshot', 'what fills the heap')
    .example('$0 suspects app.db --threshold 5 -f json', 'suspects retaining 5 % or more, as JSON');
}

interface Args extends OutputArgs {
  snapshot: string;
  threshold: number;
  'big-drop': number;
  children: number;
  paths: number;
  instances: number;
  'max-depth': number;
  'raw-paths': boolean;
  ignore?: string[];
}

export function options(argv: Args): SuspectsOptions & { snapshot: string; rawPaths: boolean } {
  if (!(argv.threshold > 0 && argv.threshold <= 100)) throw new OptionError(`--threshold: expected a percentage in (0, 100] (got ${argv.threshold})`);
  if (!(argv['big-drop'] > 0 && argv['big-drop'] <= 1)) throw new OptionError(`--big-drop: expected a ratio in (0, 1] (got ${argv['big-drop']})`);
  wholeNumber('--children', argv.children, 1);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  return {
    snapshot: argv.snapshot,
    threshold: argv.threshold,
    bigDrop: argv['big-drop'],
    children: argv.children,
    paths: argv.paths,
    pathSample: argv.instances,
    maxDepth: argv['max-depth'],
    rawPaths: argv['raw-paths'],
    ignore: ignorePatterns(argv.ignore),
  };
}

export function renderer(o: { rawPaths: boolean }): Renderer<SuspectsResult> {
  return {
    text: (r, v) => suspectsText(r, { manners: v.manners, rawPaths: o.rawPaths }),
    table: (r) => suspectsTable(r),
    json: (r) => r,
  };
}

export const handler = handlerOf(options, ({ snapshot, rawPaths, ...o }) => ({
  inputs: [snapshot],
  run: ([s]) => s.suspects(o),
  render: renderer({ rawPaths }),
}));
