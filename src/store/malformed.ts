// SQLite's own verdict on a damaged file (`database disk image is malformed`, `file is not a database`)
// can surface from any query of any command. It is the input's fault, so it ends as one line naming the
// store(s) in use and exit 2 (src/cli/main.ts asks `malformedStoreError`). Kept free of heavy imports:
// the launcher loads it for every command.

import { InputError } from '../errors.js';

const opened = new Set<string>();

/** Notes a store opened by this process (named when SQLite later reports it malformed). */
export function noteOpenedStore(path: string): void {
  opened.add(path);
}

const MALFORMED_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/** An InputError naming the open stores when `e` is SQLite reporting a malformed database, else null. */
export function malformedStoreError(e: unknown): InputError | null {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !MALFORMED_CODES.test(code)) return null;
  const names = opened.size > 0 ? [...opened].join(', ') : 'database';
  return new InputError(`${names}: malformed database (${(e as Error).message}); re-ingest the snapshot`);
}
