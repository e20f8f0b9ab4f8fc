// `heapdiff sql --timeout S`: better-sqlite3 exposes neither sqlite3_interrupt nor a progress handler,
// and a worker thread stuck in one long SQLite call cannot be stopped (terminate() waits for the call
// to return, and so does process.exit()). So a query with a time limit runs in a child process, which
// is killed when the time is up. Without a limit the query runs in this process, where SIGINT and
// SIGTERM keep their default action and end it at once (src/store/interrupt.ts).

import { fork } from 'node:child_process';
import { InputError } from '../../errors.js';
import { trackChild } from '../interrupt.js';
import type { OpenedStore } from '../open.js';
import type { SqlResult } from './sql.js';

interface Reply {
  result?: SqlResult;
  error?: { name?: string; message: string; code?: string };
}

export function runSqlWithTimeout(stores: readonly OpenedStore[], query: string, seconds: number): Promise<SqlResult> {
  return new Promise<SqlResult>((resolve, reject) => {
    const child = fork(new URL('./sql-child.js', import.meta.url), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    trackChild(child);
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new InputError(`sql: the query ran longer than --timeout ${seconds} s and was stopped`)));
    }, seconds * 1000);
    child.once('message', (m: Reply) => {
      finish(() => {
        if (m.result) resolve(m.result);
        else if (m.error?.name === 'InputError') reject(new InputError(m.error.message));
        else reject(Object.assign(new Error(m.error?.message ?? 'sql: the query process failed'), { code: m.error?.code }));
      });
    });
    child.once('error', (e) => finish(() => reject(e)));
    child.once('exit', (code, signal) => finish(() => reject(new Error(`sql: the query process ended (${signal ?? `status ${code}`}) without a result`))));
    child.send({ stores: stores.map((s) => ({ dbPath: s.dbPath, source: s.source, meta: s.meta })), query });
  });
}
