// `heapdiff record [--every 30s] [--on-signal SIGUSR2] [--max N] -o DIR -- node app.js [args]`: runs a
// Node program, snapshots it (src/capture/record.ts), and when it exits prints the diff of the first
// and last snapshots, and `leaks` over first/middle/last when there are three or more.
import { constants } from 'node:os';
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { formatOptions, topOption, wholeNumber, type OutputArgs } from './options.js';

export const command = 'record [program..]';
export const describe = 'Run a Node program and snapshot it (start-up, interval, signal, marks, exit); then diff first/last and find leaks';

/** Signals Node or heapdiff already give a meaning to. */
const RESERVED_SIGNALS = new Set([
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGKILL',
  'SIGSTOP',
  'SIGUSR1',
  'SIGPIPE',
  'SIGCHLD',
  'SIGSEGV',
  'SIGBUS',
  'SIGFPE',
  'SIGILL',
  'SIGABRT',
  'SIGTRAP',
  'SIGCONT',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
]);

export function builder(y: Argv) {
  return y
    .positional('program', { type: 'string', array: true, describe: 'after --: node [node options] script [args] (or a .js file)' })
    .option('out', {
      alias: 'o',
      type: 'string',
      demandOption: true,
      describe: 'directory for NN-label.heapsnapshot.gz and index.json (created; must be empty unless --force)',
    })
    .option('every', { type: 'string', describe: 'also snapshot at this interval (30s, 5m)' })
    .option('on-signal', { type: 'string', describe: 'also snapshot when heapdiff or the program receives this signal (e.g. SIGUSR2)' })
    .option('max', { type: 'number', describe: 'keep at most N snapshots: the first and the latest N-1' })
    .option('startup', {
      type: 'string',
      default: '1s',
      describe: 'take the start-up snapshot this long after the program starts (unless it marked one earlier)',
    })
    .option('gc', { type: 'boolean', default: false, describe: 'collect garbage before each snapshot' })
    .option('force', { type: 'boolean', default: false, describe: 'replace an earlier recording in the directory' })
    .option('report', { type: 'boolean', default: true, describe: 'print the diff (and leaks) when the program exits; --no-report to skip' })
    .option('top', topOption(10, 'diff rows shown'))
    .options(formatOptions)
    .example('$0 record -o rec -- node server.js', 'snapshots after start-up and at exit; Ctrl-C stops the server and prints the diff')
    .example('$0 record --every 30s --max 10 -o rec -- node --expose-gc app.js --port 8080', 'one snapshot every 30 s, keeping the first and the latest 9')
    .example('$0 record --on-signal SIGUSR2 -o rec -- node app.js', 'kill -USR2 <pid> (of heapdiff or the program) takes a snapshot')
    .example("$0 record -o rec -- node app.js   # app.js: await mark('after-load')", "snapshots where the program calls mark() from 'heapdiff/mark'");
}

interface Args extends OutputArgs {
  program?: (string | number)[];
  _: (string | number)[];
  out: string;
  every?: string;
  'on-signal'?: string;
  max?: number;
  startup: string;
  gc: boolean;
  force: boolean;
  report: boolean;
  top: number;
}

export function signalName(text: string): NodeJS.Signals {
  const name = String(text).trim().toUpperCase();
  const sig = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
  if (!(sig in constants.signals)) throw new InputError(`--on-signal: unknown signal ${JSON.stringify(text)}`);
  if (RESERVED_SIGNALS.has(sig)) throw new InputError(`--on-signal: ${sig} is taken (Node or heapdiff use it); try SIGUSR2`);
  return sig;
}

export async function handler(argv: Args) {
  const format = checkFormat(argv.format);
  const program = [...(argv.program ?? []), ...argv._.slice(1)].map(String);
  const { parseDuration } = await import('../capture/duration.js');
  const everyMs = argv.every !== undefined ? parseDuration('--every', argv.every) : undefined;
  const startupMs = parseDuration('--startup', argv.startup);
  const onSignal = argv['on-signal'] !== undefined ? signalName(argv['on-signal']) : undefined;
  wholeNumber('--max', argv.max, 2);
  wholeNumber('--top', argv.top, 1);
  const { record } = await import('../capture/record.js');
  const log = argv.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  if (log && onSignal) log(`heapdiff record: pid ${process.pid}; kill -${onSignal.slice(3)} ${process.pid} takes a snapshot`);
  const result = await record({ command: program, dir: argv.out, everyMs, onSignal, max: argv.max, startupMs, gc: argv.gc, force: argv.force, log });
  if (!argv.report) return result;

  const files = result.files;
  const api = await import('../api/index.js');
  const { progressBar } = await import('../render/progress.js');
  const { diffTable, diffText } = await import('../render/diff.js');
  const { leaksTable, leaksText } = await import('../render/leaks.js');
  const { renderJson } = await import('../render/table.js');
  if (files.length < 2) {
    if (format === 'json') writeOut(renderJson({ version: 1, record: result.index, diff: null, leaks: null }));
    else log?.('heapdiff record: one snapshot only: nothing to compare (a longer run, --every or mark() give more)');
    return result;
  }
  const first = files[0];
  const last = files[files.length - 1];
  const middle = files.length >= 3 ? files[Math.floor((files.length - 1) / 2)] : null;
  const bar = progressBar(!argv.quiet);
  const stores = await api.openAll(middle ? [first, middle, last] : [first, last], { onProgress: bar.update, onDone: bar.done });
  try {
    const a = stores[0];
    const b = stores[stores.length - 1];
    const diff = await api.diff(a, b, { suspects: 5, paths: 3 });
    const leaks = middle ? await api.leaks(stores[0], stores[1], stores[2], { groups: argv.top }) : null;
    const name = (f: string) => f.slice(result.dir.length + 1);
    if (format === 'json') {
      writeOut(renderJson({ version: 1, record: result.index, diff, leaks }));
    } else if (format === 'text') {
      writeOut(`== diff ${name(first)} → ${name(last)}\n`);
      writeOut(diffText(diff, argv.top, { wide: argv.wide }));
      if (leaks) {
        writeOut(`\n== leaks ${name(first)} → ${name(middle!)} → ${name(last)}\n`);
        writeOut(leaksText(leaks));
      }
    } else {
      writeOut(renderTableAs(format, diffTable(diff, diff.rows.length), { wide: argv.wide }));
      if (leaks) writeOut(`\n${renderTableAs(format, leaksTable(leaks), { wide: argv.wide })}`);
    }
    return result;
  } finally {
    for (const s of stores) s.close();
  }
}
