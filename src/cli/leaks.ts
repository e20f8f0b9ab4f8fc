// `heapdiff leaks BASELINE TARGET FINAL`: objects allocated between BASELINE and TARGET that are still
// alive in FINAL, grouped by retainer-path pattern (src/analyses/leaks.ts), rendered by src/render/leaks.ts.
import type { Argv } from 'yargs';
import type { LeaksResult } from '../analyses/leaks.js';
import { leaksMarkdown, leaksTable, leaksText } from '../render/leaks.js';
import { ignoreOption, ignorePatterns, rawPathsOption } from './leak-options.js';
import { handlerOf, type Renderer } from './runner.js';
import { DEFAULT_TOP, formatOptions, instancesOption, maxDepthOption, topOption, wholeNumber, type OutputArgs } from './options.js';
import type { LeaksOptions } from '../analyses/leaks.js';

export const command = 'leaks <baseline> <target> <final>';
export const describe = "Three-snapshot leak detection (memlab's method): what TARGET added that FINAL still holds";

export function builder(y: Argv) {
  return (
    y
      .positional('baseline', { type: 'string', demandOption: true, describe: 'snapshot before the action (file or .db)' })
      .positional('target', { type: 'string', demandOption: true, describe: 'snapshot after the action' })
      .positional('final', { type: 'string', demandOption: true, describe: 'snapshot after undoing the action (everything TARGET added should be gone)' })
      .option('top', topOption(DEFAULT_TOP, 'leak groups shown (most retained first)'))
      // Unlike diff's and suspects' --instances (per suspect), this sample is shared by all groups, so its
      // default stays 10,000 until group counts are exact beyond the traced sample (1000 splits a 1,000-object group).
      .option('instances', { ...instancesOption('trace the paths of this many biggest leaked objects (all groups together)'), default: 10000 })
      .option('max-depth', maxDepthOption)
      .option('ignore', ignoreOption)
      .option('raw-paths', rawPathsOption)
      .option('assume-same-process', {
        type: 'boolean',
        default: false,
        describe: 'trust the object ids without checking that the snapshots come from one process',
      })
      .options(formatOptions)
      .example('$0 leaks before.heapsnapshot after.heapsnapshot final.heapsnapshot', 'objects the action leaked, grouped by retainer path')
  );
}

interface Args extends OutputArgs {
  baseline: string;
  target: string;
  final: string;
  top: number;
  instances: number;
  'max-depth': number;
  'assume-same-process': boolean;
  ignore?: string[];
  'raw-paths': boolean;
}

export function options(argv: Args): LeaksOptions & { snapshots: [string, string, string]; rawPaths: boolean } {
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  return {
    snapshots: [argv.baseline, argv.target, argv.final],
    groups: argv.top,
    pathSample: argv.instances,
    maxDepth: argv['max-depth'],
    assumeSameProcess: argv['assume-same-process'],
    ignore: ignorePatterns(argv.ignore),
    rawPaths: argv['raw-paths'],
  };
}

export function renderer(o: { rawPaths: boolean }): Renderer<LeaksResult> {
  return {
    text: (r, v) => leaksText(r, { manners: v.manners, rawPaths: o.rawPaths }),
    table: (r) => leaksTable(r),
    markdown: (r, v) => leaksMarkdown(r, v),
    json: (r) => r,
  };
}

export const handler = handlerOf(options, ({ snapshots, rawPaths, ...o }) => ({
  inputs: snapshots,
  columnReaders: 2,
  run: async ([a, b, c]) => {
    const r = await (await import('../api/index.js')).leaks(a, b, c, o);
    // Snapshots out of order still get a report (it may be what was meant), with one warning line.
    if (r.same_process && r.note) process.stderr.write(`heapdiff: warning: ${r.note}\n`);
    return r;
  },
  render: renderer({ rawPaths }),
}));
