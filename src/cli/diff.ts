// `heapdiff A B` / `heapdiff diff A B`: DevTools' Comparison view plus leak suspects (src/analyses/diff.ts),
// rendered by src/render/diff.ts.
import type { Argv } from 'yargs';
import type { DiffOptions, DiffResult } from '../analyses/diff.js';
import { EXIT_GROWTH, ExitError, OptionError } from '../errors.js';
import { CLASSIFIERS } from '../store/queries/partition.js';
import { diffCsvTable, diffMarkdown, diffTable, diffText, growthExceededMessage } from '../render/diff.js';
import { ignoreOption, ignorePatterns, rawPathsOption } from './leak-options.js';
import {
  allOption,
  bytesOf,
  DEFAULT_TOP,
  formatOptions,
  instancesOption,
  maxDepthOption,
  pathsOption,
  sizeOrShare,
  topOption,
  wholeNumber,
  type OutputArgs,
  type SizeOrShare,
} from './options.js';
import { handlerOf, type Renderer } from './runner.js';

// `[a] [b]` rather than `<a> <b>`: bare `heapdiff` (the default command without arguments) gets a
// helpful line instead of yargs' "Not enough non-option arguments".
export const command = ['diff [a] [b]', '$0 [a] [b]'];
export const describe = 'Compare two snapshots (DevTools Comparison: new/deleted per class) and name the leak suspects';

export function builder(y: Argv) {
  return y
    .positional('a', { type: 'string', describe: 'the earlier snapshot (file or .db)' })
    .positional('b', { type: 'string', describe: 'the later snapshot of the same process (file or .db)' })
    .option('by', {
      choices: CLASSIFIERS as unknown as string[],
      default: 'class',
      describe:
        'group the new and deleted objects by (as in partition): class, V8 type, referrer classes (rcs), edge names (via), individual size, allocation site, script, detachedness, distance',
    })
    .option('top', topOption(DEFAULT_TOP, 'rows shown (biggest size change first)'))
    .option('all', allOption())
    .option('suspects', { type: 'number', default: 5, describe: 'leak suspects shown at most (0: none)' })
    .option('paths', pathsOption('path patterns shown per suspect'))
    .option('instances', instancesOption('per suspect, trace the paths of this many biggest new instances'))
    .option('max-depth', maxDepthOption)
    .option('min-retained', { type: 'string', default: '1%', describe: 'a suspect class retains at least SIZE (bytes, 64KB, or % of B)' })
    .option('fail-on-growth', { type: 'string', describe: "exit 3 when B's total size grew by more than SIZE (bytes, 10MB, 5MiB, or 5% of A)" })
    .option('ignore', ignoreOption)
    .option('raw-paths', rawPathsOption)
    .option('assume-same-process', {
      type: 'boolean',
      default: false,
      describe: 'trust the object ids without checking that both snapshots come from one process',
    })
    .options(formatOptions)
    .example('$0 before.heapsnapshot after.heapsnapshot', 'what grew, and what keeps the new objects alive')
    .example('$0 diff a.db b.db --by type --all', 'every node type, from ingested stores')
    .example('$0 before.heapsnapshot after.heapsnapshot --by rcs', 'new and deleted objects grouped by the classes that reference them')
    .example('$0 base.heapsnapshot.gz ci.heapsnapshot.gz --fail-on-growth 5% -q', 'CI: exit 3 when the heap grew by more than 5 %');
}

interface Args extends OutputArgs {
  a?: string;
  b?: string;
  by: string;
  top: number;
  all: boolean;
  suspects: number;
  paths: number;
  instances: number;
  'max-depth': number;
  'min-retained': string;
  'fail-on-growth'?: string;
  'assume-same-process': boolean;
  ignore?: string[];
  'raw-paths': boolean;
}

export interface DiffCliOptions {
  a: string;
  b: string;
  query: Omit<DiffOptions, 'minRetained'>;
  /** A suspect retains at least this (a share: of B's total). */
  minRetained: SizeOrShare;
  /** `--fail-on-growth`: its text (quoted in the message) and value (a share: of A's total). */
  failOnGrowth?: { text: string; limit: SizeOrShare };
  /** Text: rows shown. */
  top: number;
  all: boolean;
  rawPaths: boolean;
}

export function options(argv: Args): DiffCliOptions {
  if (argv.a === undefined || argv.b === undefined) {
    throw new OptionError(
      argv.a === undefined ? 'give a command, or two snapshots to compare (heapdiff A B); see heapdiff --help' : 'give two snapshots to compare (heapdiff A B)',
    );
  }
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--suspects', argv.suspects, 0);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const fail = argv['fail-on-growth'];
  return {
    a: argv.a,
    b: argv.b,
    query: {
      by: argv.by as never,
      suspects: argv.suspects,
      paths: argv.paths,
      pathSample: argv.instances,
      maxDepth: argv['max-depth'],
      assumeSameProcess: argv['assume-same-process'],
      ignore: ignorePatterns(argv.ignore),
    },
    minRetained: sizeOrShare('--min-retained', argv['min-retained'], 'B'),
    failOnGrowth: fail !== undefined ? { text: fail, limit: sizeOrShare('--fail-on-growth', fail, 'A') } : undefined,
    top: argv.top,
    all: argv.all,
    rawPaths: argv['raw-paths'],
  };
}

export function renderer(o: Pick<DiffCliOptions, 'top' | 'all' | 'rawPaths'>): Renderer<DiffResult> {
  const shown = (r: DiffResult) => (o.all ? r.rows.length : o.top);
  return {
    text: (r, v) => diffText(r, shown(r), { wide: v.wide, manners: v.manners, rawPaths: o.rawPaths }),
    table: (r) => diffTable(r, r.rows.length),
    markdown: (r, v) => diffMarkdown(r, shown(r), v),
    csv: (r) => diffCsvTable(r),
    json: (r) => r,
  };
}

export const handler = handlerOf(options, (o) => ({
  inputs: [o.a, o.b],
  columnReaders: 1,
  run: async ([a, b]) => (await import('../api/index.js')).diff(a, b, { ...o.query, minRetained: bytesOf(o.minRetained, b.meta.totalSize) }),
  render: renderer(o),
  after: (r) => {
    if (!o.failOnGrowth) return;
    const limit = bytesOf(o.failOnGrowth.limit, r.totals.total_a);
    if (r.totals.total_delta > limit) throw new ExitError(EXIT_GROWTH, growthExceededMessage(r, limit, o.failOnGrowth.text));
  },
}));
