// `heapdiff sql SNAP [SNAP…] "QUERY"`
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { checkFormat, renderTableAs, writeOut } from '../render/output.js';
import { progressBar } from '../render/progress.js';
import { formatOptions, type OutputArgs } from './options.js';

export const command = 'sql <args..>';
export const describe = 'Read-only SQL over heaps: SNAP [SNAP…] "QUERY"; several snapshots are ATTACHed as s1, s2, … (see docs/queries.md)';

export function builder(y: Argv) {
  return y
    // A query may start with an SQL comment (`-- …`): keep such words as positional arguments.
    .parserConfiguration({ 'unknown-options-as-args': true })
    .positional('args', { type: 'string', array: true, describe: 'one or more snapshots (or .db files), then the query' })
    .options(formatOptions)
    .option('timeout', { type: 'number', describe: 'stop the query after this many seconds (exit 2); it then runs in a child process' })
    .example('$0 sql app.heapsnapshot "SELECT class_name, count, retained_size FROM classes ORDER BY retained_size DESC LIMIT 10"', 'top classes by retained size')
    .example('$0 sql before.heapsnapshot after.heapsnapshot "SELECT n.class_name, count(*) FROM s2.nodes n WHERE n.id NOT IN (SELECT id FROM s1.nodes) GROUP BY 1 ORDER BY 2 DESC LIMIT 10"', 'objects new in after');
}

export async function handler(argv: OutputArgs & { args: (string | number)[]; timeout?: number }) {
  const format = checkFormat(argv.format);
  if (argv.timeout !== undefined && !(argv.timeout > 0 && argv.timeout <= 2_000_000)) throw new InputError(`--timeout: expected a number of seconds > 0 (got ${argv.timeout})`);
  const args = (argv.args ?? []).map(String);
  if (args.length < 2) throw new InputError('sql: give at least one snapshot (or .db) and a query: heapdiff sql SNAP [SNAP…] "QUERY"');
  const query = args[args.length - 1];
  const { openStore } = await import('../store/open.js');
  const { sqlQuery } = await import('../analyses/sql.js');
  const { sqlJson, sqlTable } = await import('../render/sql.js');
  const bar = progressBar(!argv.quiet);
  const stores = [];
  try {
    for (const a of args.slice(0, -1)) stores.push(await openStore(a, { onProgress: bar.update }));
    bar.done();
    let result;
    if (argv.timeout !== undefined) {
      const { runSqlWithTimeout } = await import('../store/queries/sql-timeout.js');
      result = await runSqlWithTimeout(stores, query, argv.timeout);
    } else result = sqlQuery(stores, query);
    if (result.columns.length > 0) writeOut(renderTableAs(format, sqlTable(result), { wide: argv.wide, json: sqlJson(result) }));
    else if (format === 'json') writeOut(renderTableAs(format, sqlTable(result), { json: sqlJson(result) }));
    return result;
  } finally {
    bar.done();
    for (const s of stores) s.db.close();
  }
}
