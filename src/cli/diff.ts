// `heapdiff A B` / `heapdiff diff A B`: DevTools' Comparison view plus leak suspects (src/analyses/diff.ts),
// rendered by src/render/diff.ts.
import type { Argv } from 'yargs';
import type { DiffResult } from '../analyses/diff.js';
import { EXIT_GROWTH, ExitError, InputError } from '../errors.js';
import { CLASSIFIERS } from '../store/queries/partition.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { allOption, formatOptions, maxDepthOption, topOption, wholeNumber, type OutputArgs } from './options.js';

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
      describe: 'group the new and deleted objects by (as in partition): class, V8 type, referrer classes (rcs), edge names (via), individual size, allocation site, script, detachedness, distance',
    })
    .option('top', topOption(10, 'rows shown (biggest size change first)'))
    .option('all', allOption())
    .option('suspects', { type: 'number', default: 5, describe: 'leak suspects shown at most (0: none)' })
    .option('paths', { type: 'number', default: 3, describe: 'path patterns shown per suspect' })
    .option('instances', { type: 'number', default: 1000, describe: 'per suspect, trace the paths of this many biggest new instances' })
    .option('max-depth', maxDepthOption)
    .option('min-retained', { type: 'string', default: '1%', describe: 'a suspect class retains at least SIZE (bytes, 64KB, or % of B)' })
    .option('fail-on-growth', { type: 'string', describe: "exit 3 when B's total size grew by more than SIZE (bytes, 10MB, 5MiB, or 5% of A)" })
    .option('assume-same-process', { type: 'boolean', default: false, describe: 'trust the object ids without checking that both snapshots come from one process' })
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
}

export async function handler(argv: Args): Promise<DiffResult> {
  const format = checkFormat(argv.format);
  if (argv.a === undefined || argv.b === undefined) {
    throw new InputError(argv.a === undefined ? 'give a command, or two snapshots to compare (heapdiff A B); see heapdiff --help' : 'give two snapshots to compare (heapdiff A B)');
  }
  wholeNumber('--top', argv.top, 1);
  wholeNumber('--suspects', argv.suspects, 0);
  wholeNumber('--paths', argv.paths, 1);
  wholeNumber('--instances', argv.instances, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  const { diffStores, parseGrowthLimit } = await import('../analyses/diff.js');
  const { diffTable, diffText, growthExceededMessage } = await import('../render/diff.js');
  const { renderJson } = await import('../render/table.js');
  // Option values are checked before any snapshot is ingested.
  if (argv['fail-on-growth'] !== undefined) parseGrowthLimit(argv['fail-on-growth'], 0);
  parseSizeOrShare('--min-retained', argv['min-retained'], 0, parseGrowthLimit);
  const { openStores } = await import('../store/open.js');
  const { progressBar } = await import('../render/progress.js');
  const [a, b] = await openStores([argv.a, argv.b!], progressBar(!argv.quiet));
  try {
    const totalA = Number(a.meta.total_size ?? 0);
    const totalB = Number(b.meta.total_size ?? 0);
    const limit = argv['fail-on-growth'] !== undefined ? parseGrowthLimit(argv['fail-on-growth'], totalA) : undefined;
    const minRetained = parseSizeOrShare('--min-retained', argv['min-retained'], totalB, parseGrowthLimit);
    const result = await diffStores(a, b, {
      by: argv.by as never,
      suspects: argv.suspects,
      paths: argv.paths,
      pathSample: argv.instances,
      maxDepth: argv['max-depth'],
      minRetained,
      assumeSameProcess: argv['assume-same-process'],
    });
    const shown = argv.all ? result.rows.length : argv.top;
    if (format === 'json') writeOut(renderJson(result));
    else if (format === 'text') writeOut(diffText(result, shown, { wide: argv.wide }));
    else writeOut(renderTableAs(format, diffTable(result, result.rows.length), { wide: argv.wide }));
    if (limit !== undefined && result.totals.total_delta > limit) throw new ExitError(EXIT_GROWTH, growthExceededMessage(result, limit, argv['fail-on-growth']!));
    return result;
  } finally {
    a.db.close();
    b.db.close();
  }
}

/** `parse` (the lazily loaded parseGrowthLimit) with the option's name in its error. */
function parseSizeOrShare(name: string, text: string, base: number, parse: (t: string, base: number) => number): number {
  try {
    return parse(text, base);
  } catch {
    throw new InputError(`${name}: expected bytes (65536), a size (64KB, 1MiB) or a percentage (1%) (got ${JSON.stringify(text)})`);
  }
}
