// `heapdiff report SNAP | A B | BASELINE TARGET FINAL`: one self-contained HTML page with the answer of
// `suspects`, `diff` or `leaks` on top, the dominator tree as a treemap, the tables and object details
// (src/render/html/). Writes the file (or stdout with `-o -`) and says where on stderr.
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError, OptionError } from '../errors.js';
import { maxDepthOption, wholeNumber } from './options.js';

export const command = 'report <snapshots..>';
export const describe = 'One self-contained HTML page to look at a heap (1 snapshot), a diff (2) or a leak (3): answer, treemap, tables, object details';

export function builder(y: Argv) {
  return y
    .positional('snapshots', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'SNAP (leak suspects), A B (diff) or BASELINE TARGET FINAL (leaks); files or .db',
    })
    .option('output', {
      alias: 'o',
      type: 'string',
      describe: 'the HTML file to write (default: <last snapshot>-report.html in the current directory; - for stdout)',
    })
    .option('open', { type: 'boolean', default: false, describe: 'open the page in the default browser (xdg-open, open or start)' })
    .option('children', { type: 'number', default: 10, describe: 'treemap: biggest children drawn per node (the rest fold into "others")' })
    .option('depth', { type: 'number', default: 8, describe: 'treemap: levels of the dominator tree at most' })
    .option('objects', { type: 'number', default: 400, describe: 'objects whose edges and retainers the page embeds (the first ones it shows)' })
    .option('rows', { type: 'number', default: 400, describe: 'rows per table (the rest are summed in a last row)' })
    .option('threshold', { type: 'number', default: 10, describe: 'one snapshot: percent of the heap a suspect retains at least' })
    .option('max-depth', maxDepthOption)
    .example('$0 report oom.heapsnapshot', 'what fills the heap, as a page')
    .example('$0 report before.heapsnapshot after.heapsnapshot -o leak.html --open', 'a diff with its leak suspects, opened in the browser')
    .example('$0 report base.heapsnapshot target.heapsnapshot final.heapsnapshot', "memlab's three-snapshot leak detection");
}

interface Args {
  snapshots: string[];
  output?: string;
  open: boolean;
  children: number;
  depth: number;
  objects: number;
  rows: number;
  threshold: number;
  'max-depth': number;
  quiet: boolean;
}

/** `<name>-report.html` from the last snapshot argument (`app.heapsnapshot.gz` → `app-report.html`). */
export function defaultReportName(snapshot: string): string {
  const base = snapshot.split(/[/\\]/).pop() || 'heapdiff';
  const stem = base.replace(/\.gz$/i, '').replace(/\.(heapsnapshot|heaptimeline|db|json)$/i, '') || 'heapdiff';
  return `${stem}-report.html`;
}

export async function handler(argv: Args): Promise<void> {
  const paths = argv.snapshots.map(String);
  if (paths.length < 1 || paths.length > 3) throw new OptionError(`report: give 1 snapshot (suspects), 2 (diff) or 3 (leaks); got ${paths.length}`);
  wholeNumber('--children', argv.children, 1);
  wholeNumber('--depth', argv.depth, 1);
  wholeNumber('--objects', argv.objects, 0);
  wholeNumber('--rows', argv.rows, 1);
  wholeNumber('--max-depth', argv['max-depth'], 1);
  if (!(argv.threshold > 0 && argv.threshold <= 100)) throw new OptionError(`--threshold: expected a percentage in (0, 100] (got ${argv.threshold})`);
  const output = argv.output ?? defaultReportName(paths[paths.length - 1]);
  const toStdout = output === '-';
  const target = toStdout ? '-' : resolve(output);
  if (!toStdout) {
    const dir = resolve(target, '..');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new OptionError(`-o ${output}: no such directory ${dir}`);
    if (existsSync(target) && statSync(target).isDirectory()) throw new OptionError(`-o ${output}: is a directory`);
  }

  const api = await import('../api/index.js');
  const { progressBar } = await import('../render/progress.js');
  const { gatherReport } = await import('../render/html/payload.js');
  const { renderPage } = await import('../render/html/page.js');
  const bar = progressBar(!argv.quiet);
  let snapshots: Awaited<ReturnType<typeof api.openAll>> = [];
  let html: string;
  try {
    snapshots =
      paths.length === 1
        ? [await api.open(paths[0], { onProgress: bar.update }).finally(bar.done)]
        : await api.openAll(paths, { onProgress: bar.update, onDone: bar.done });
    const stores = snapshots.map((s) => s.store);
    const maxDepth = argv['max-depth'];
    let input: Parameters<typeof gatherReport>[0];
    if (snapshots.length === 1) input = { mode: 'snapshot', stores, result: api.suspects(snapshots[0], { threshold: argv.threshold, maxDepth }) };
    else if (snapshots.length === 2) input = { mode: 'diff', stores, result: await api.diff(snapshots[0], snapshots[1], { maxDepth }) };
    else input = { mode: 'leaks', stores, result: await api.leaks(snapshots[0], snapshots[1], snapshots[2], { maxDepth }) };
    html = renderPage(gatherReport(input, { children: argv.children, depth: argv.depth, objects: argv.objects, rows: argv.rows }));
  } finally {
    bar.done();
    for (const s of snapshots) s.close();
  }

  if (toStdout) {
    const { writeOut } = await import('../render/output.js');
    writeOut(html);
    return;
  }
  // Written beside the target and renamed, so a failed run leaves no half page behind.
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`-o ${output}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  process.stderr.write(`heapdiff: report written to ${target} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB)\n`);
  if (argv.open) openInBrowser(target);
}

/** Hands the file to the desktop's opener, detached; a machine without one gets a one-line note. */
function openInBrowser(file: string): void {
  const opener = process.platform === 'darwin' ? ['open', file] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', file] : ['xdg-open', file];
  if (!onPath(opener[0])) {
    process.stderr.write(`heapdiff: --open: no ${opener[0]} on this machine; open the file in a browser yourself\n`);
    return;
  }
  // Spawn errors (e.g. a broken opener) are reported, not thrown: the page is written either way.
  const child = spawn(opener[0], opener.slice(1), { detached: true, stdio: 'ignore' });
  child.on('error', (e) => process.stderr.write(`heapdiff: --open: ${opener[0]} failed (${e.message})\n`));
  child.unref();
}

function onPath(cmd: string): boolean {
  if (process.platform === 'win32') return true;
  return (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, cmd)));
}
