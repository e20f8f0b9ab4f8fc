// `heapdiff retainers SNAP @ID|CLASSNAME [--paths N] [--max-depth D] [--instances K]`
import type { Argv } from 'yargs';
import { OptionError } from '../errors.js';
import { retainersJson, retainersTable, retainersText } from '../render/retainers.js';
import { handlerOf, type Renderer } from './runner.js';
import { rawPathsOption } from './leak-options.js';
import { DEFAULT_PATHS, formatOptions, instancesOption, maxDepthOption, snapshotPositional, wholeNumber, type OutputArgs } from './options.js';
import type { RetainersOptions, RetainersResult } from '../analyses/retainers.js';

export const command = 'retainers <snapshot> <target>';
export const describe = 'Why is it alive: shortest retainer paths (DevTools rule) of an object, or of a class merged by pattern';

export function builder(y: Argv) {
  return y
    .positional('snapshot', snapshotPositional)
    .positional('target', { type: 'string', demandOption: true, describe: '@ID (an object) or a class name (its biggest instances)' })
    .option('paths', { type: 'number', describe: `paths shown: an object 1 (more: alternatives via its other retainers), a class ${DEFAULT_PATHS} patterns` })
    .option('max-depth', maxDepthOption)
    .option('instances', instancesOption('class: trace the paths of this many biggest-retained instances'))
    .option('raw-paths', rawPathsOption)
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
  'raw-paths': boolean;
}

export function options(argv: Args): RetainersOptions & { snapshot: string; target: string; rawPaths: boolean } {
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  wholeNumber('--instances', argv.instances, 1);
  const target = String(argv.target);
  if (target.trim() === '') throw new OptionError('give an object id (@123) or a class name');
  // A class shows as many patterns as the other commands' groups do; an object its one shortest path.
  const paths = argv.paths ?? (/^@?\d+$/.test(target.trim()) ? 1 : DEFAULT_PATHS);
  return { snapshot: argv.snapshot, target, paths, maxDepth: argv['max-depth'], instances: argv.instances, rawPaths: argv['raw-paths'] };
}

export function renderer(rawPaths: boolean): Renderer<RetainersResult> {
  return {
    text: (r, v) => retainersText(r, { wide: v.wide, manners: v.manners, rawPaths }),
    table: (r) => retainersTable(r),
    json: (r) => retainersJson(r),
  };
}

export const handler = handlerOf(options, ({ snapshot, target, rawPaths, ...o }) => ({
  inputs: [snapshot],
  run: ([s]) => s.retainers(target, o),
  render: renderer(rawPaths),
}));
