// Child-process entry of `runSqlWithTimeout` (sql-timeout.ts): runs one `heapdiff sql` script over
// stores the parent has already opened and verified, and sends the result back.
import Database from 'better-sqlite3';
import { noteOpenedStore } from '../malformed.js';
import type { OpenedStore } from '../open.js';
import { attachStores, runSql } from './sql.js';

interface Job {
  stores: { dbPath: string; source: string; meta: Record<string, string | number> }[];
  query: string;
}

process.once('message', (job: Job) => {
  let stores: OpenedStore[] = [];
  try {
    for (const s of job.stores) noteOpenedStore(s.source === s.dbPath ? s.dbPath : `${s.source} (cached as ${s.dbPath})`);
    stores = job.stores.map((s) => ({ ...s, db: new Database(s.dbPath, { readonly: true, fileMustExist: true }) }));
    attachStores(stores);
    const result = runSql(stores, job.query);
    process.send!({ result }, () => process.exit(0));
  } catch (e) {
    const err = e as Error & { code?: string };
    process.send!({ error: { name: err?.name, message: err?.message ?? String(e), code: err?.code } }, () => process.exit(0));
  } finally {
    for (const s of stores) s.db.close();
  }
});
