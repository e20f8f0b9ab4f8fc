// `heapdiff sql SNAP [SNAP…] "QUERY"`
import type { Argv } from 'yargs';
import { OptionError } from '../errors.js';
import { sqlJson, sqlTable } from '../render/sql.js';
import { handlerOf, type Renderer } from './runner.js';
import { formatOptions, type OutputArgs } from './options.js';
import type { SqlResult } from '../analyses/sql.js';

export const command = 'sql <args..>';
export const describe = 'Read-only SQL over heaps: SNAP [SNAP…] "QUERY"; several snapshots are ATTACHed as s1, s2, … (see docs/queries.md)';

export function builder(y: Argv) {
  return (
    y
      // A query may start with an SQL comment (`-- …`): keep such words as positional arguments.
      .parserConfiguration({ 'unknown-options-as-args': true })
      .positional('args', { type: 'string', array: true, describe: 'one or more snapshots (or .db files), then the query' })
      .options(formatOptions)
      .option('timeout', { type: 'number', describe: 'stop the query after this many seconds (exit 2); it then runs in a child process' })
      .example(
        '$0 sql app.heapsnapshot "SELECT class_name, count, retained_size FROM classes ORDER BY retained_size DESC LIMIT 10"',
        'top classes by retained size',
      )
      .example(
        '$0 sql before.heapsnapshot after.heapsnapshot "SELECT n.class_name, count(*) FROM s2.nodes n WHERE n.id NOT IN (SELECT id FROM s1.nodes) GROUP BY 1 ORDER BY 2 DESC LIMIT 10"',
        'objects new in after',
      )
  );
}

export interface SqlCliOptions {
  snapshots: string[];
  query: string;
  /** `--timeout`: seconds before the query is stopped (it then runs in a child process that can be killed). */
  timeout?: number;
}

export function options(argv: OutputArgs & { args: (string | number)[]; timeout?: number }): SqlCliOptions {
  if (argv.timeout !== undefined && !(argv.timeout > 0 && argv.timeout <= 2_000_000))
    throw new OptionError(`--timeout: expected a number of seconds > 0 (got ${argv.timeout})`);
  const args = (argv.args ?? []).map(String);
  if (args.length < 2) throw new OptionError('sql: give at least one snapshot (or .db) and a query: heapdiff sql SNAP [SNAP…] "QUERY"');
  return { snapshots: args.slice(0, -1), query: args[args.length - 1], timeout: argv.timeout };
}

/** A statement that returns no rows prints nothing (JSON: the empty shape). */
export const renderer: Renderer<SqlResult> = {
  table: (r) => sqlTable(r),
  json: (r) => sqlJson(r),
};

export const handler = handlerOf(options, (o) => ({
  inputs: o.snapshots,
  run: async (snapshots) => {
    if (o.timeout === undefined) return (await import('../api/index.js')).sql(snapshots, o.query);
    const { runSqlWithTimeout } = await import('../store/queries/sql-timeout.js');
    return runSqlWithTimeout(
      snapshots.map((s) => s.store),
      o.query,
      o.timeout,
    );
  },
  render: renderer,
}));
