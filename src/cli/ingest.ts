// `heapdiff ingest FILE [--db OUT.db] [--force]`
import type { Argv } from 'yargs';
import { ingestSummary, progressBar } from '../render/progress.js';

export const command = 'ingest <file>';
export const describe = 'Stream a .heapsnapshot/.heaptimeline (plain or gzip) into one SQLite file';

export function builder(y: Argv) {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'snapshot file (.heapsnapshot, .heaptimeline, optionally gzip-compressed)' })
    .option('db', { type: 'string', describe: 'output database (default: FILE.db)' })
    .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing database' })
    .example('$0 ingest app.heapsnapshot', 'writes app.heapsnapshot.db')
    .example('$0 ingest oom.heapsnapshot.gz --db oom.db --force', 'gzip input, explicit output');
}

export async function handler(argv: { file: string; db?: string; force: boolean; quiet: boolean }) {
  const { ingest } = await import('../api/index.js');
  const bar = progressBar(!argv.quiet);
  try {
    const r = await ingest(argv.file, { db: argv.db, force: argv.force, onProgress: bar.update });
    bar.done();
    if (!argv.quiet && process.stderr.isTTY) process.stderr.write(ingestSummary(r));
    process.stdout.write(`${r.dbPath}\n`);
  } finally {
    bar.done();
  }
}
