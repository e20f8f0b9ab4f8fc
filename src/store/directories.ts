// Creating the directories heapdiff writes into (the cache, an ingest's `--db` directory). A directory
// that cannot be created is the environment's fault, not heapdiff's: one line naming it, exit 2.

import { mkdirSync } from 'node:fs';
import { InputError } from '../errors.js';

const ENVIRONMENT_CODES = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'EEXIST', 'ENOSPC', 'EDQUOT', 'ELOOP', 'ENAMETOOLONG']);

/** `mkdir -p`; a failure the environment causes becomes an InputError (`hint` says what to change). */
export function ensureDirectory(dir: string, what: string, hint = ''): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!ENVIRONMENT_CODES.has(code)) throw e;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of the path is a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EROFS'
            ? 'read-only file system'
            : code;
    throw new InputError(`${dir}: cannot create the ${what} directory (${why}, ${code})${hint ? `; ${hint}` : ''}`);
  }
}
