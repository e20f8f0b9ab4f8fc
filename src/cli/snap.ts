// `heapdiff snap TARGET [-o FILE] [--gc] [--ingest]`: one heap snapshot of a running Node process or
// browser page, streamed to disk through the DevTools protocol (src/capture/).
import type { Argv } from 'yargs';

export const command = 'snap <target>';
export const describe = 'Take a heap snapshot of a running Node process (PID or inspector address) or Chrome page, streamed to disk';

export function builder(y: Argv) {
  return y
    .positional('target', {
      type: 'string',
      demandOption: true,
      describe: 'Node process id (gets SIGUSR1), inspector host:port or ws://…, or Chrome endpoint http://127.0.0.1:9222',
    })
    .option('out', { alias: 'o', type: 'string', describe: 'output file (default: <target>-<date>-<time>.heapsnapshot.gz; gzip when the name ends in .gz)' })
    .option('gc', { type: 'boolean', default: false, describe: 'collect garbage in the target first' })
    .option('ingest', { type: 'boolean', default: false, describe: 'ingest the snapshot right away (into the cache other commands use)' })
    .option('page', { type: 'string', describe: 'Chrome endpoint: the page whose URL or title contains this text' })
    .option('allow-remote', { type: 'boolean', default: false, describe: 'allow an inspector host that is not loopback' })
    .option('timeout', { type: 'string', default: '10s', describe: 'how long to wait for the target to open its inspector and connect' })
    .example('$0 snap 12345', 'SIGUSR1 to Node process 12345, snapshot to pid12345-<date>-<time>.heapsnapshot.gz')
    .example('$0 snap 127.0.0.1:9229 -o before.heapsnapshot.gz --gc', 'a process started with --inspect')
    .example('$0 snap http://127.0.0.1:9222 --page localhost:3000 -o page.heapsnapshot.gz', 'a Chrome tab (chrome --remote-debugging-port=9222)');
}

interface Args {
  target: string;
  out?: string;
  gc: boolean;
  ingest: boolean;
  page?: string;
  'allow-remote': boolean;
  timeout: string;
  quiet: boolean;
}

export async function handler(argv: Args) {
  const { parseDuration } = await import('../capture/duration.js');
  const { resolveTarget } = await import('../capture/target.js');
  const { CdpClient } = await import('../capture/cdp.js');
  const { defaultSnapName, removeTemps, takeSnapshot } = await import('../capture/snap.js');
  const { progressBar } = await import('../render/progress.js');
  const timeoutMs = parseDuration('--timeout', argv.timeout);
  const onSignal = (sig: NodeJS.Signals) => {
    removeTemps();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const target = await resolveTarget(argv.target, { page: argv.page, allowRemote: argv['allow-remote'], timeoutMs });
  const out = argv.out ?? defaultSnapName(target.stem);
  const client = await CdpClient.connect(target.url, target.description, timeoutMs);
  const bar = progressBar(!argv.quiet);
  let result: Awaited<ReturnType<typeof takeSnapshot>>;
  try {
    result = await takeSnapshot(client, out, { gc: argv.gc, onProgress: bar.update });
  } finally {
    bar.done();
    await client.close();
  }
  if (!argv.quiet && process.stderr.isTTY) {
    process.stderr.write(
      `heapdiff: ${target.description}: ${(result.bytes / 1e6).toFixed(1)} MB snapshot, ${(result.fileBytes / 1e6).toFixed(1)} MB written in ${result.seconds.toFixed(1)} s\n`,
    );
  }
  if (argv.ingest) {
    const { openStore } = await import('../store/open.js');
    const ingestBar = progressBar(!argv.quiet);
    const store = await openStore(result.path, { onProgress: ingestBar.update }).finally(ingestBar.done);
    store.db.close();
  }
  process.stdout.write(`${result.path}\n`);
  return result;
}
