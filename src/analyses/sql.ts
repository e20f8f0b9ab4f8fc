// `heapdiff sql`: run user SQL over one or several stores (read-only; see store/queries/sql.ts).

import type { OpenedStore } from '../store/open.js';
import { attachStores, runSql, type SqlResult } from '../store/queries/sql.js';

export type { SqlResult } from '../store/queries/sql.js';

export function sqlQuery(stores: readonly OpenedStore[], query: string): SqlResult {
  attachStores(stores);
  return runSql(stores, query);
}
