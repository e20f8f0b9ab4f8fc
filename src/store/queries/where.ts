// User-written SQL fragments: `--where` expressions over the `nodes` view and `--id-range A..B`.
// Connections are read-only, so a fragment can never write; these checks make sure it also stays one
// expression (no `;`, no comment that swallows the rest of heapdiff's query, balanced parentheses
// outside string literals) and compiles against the `nodes` view. Failures are InputErrors (exit 2).

import { InputError } from '../../errors.js';
import type { Db } from './common.js';

/** Scans an expression outside quoted literals; throws on what could escape the surrounding query. */
export function checkExpressionSyntax(expr: string, what = '--where'): void {
  if (expr.trim() === '') throw new InputError(`${what}: empty expression`);
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      let j = i + 1;
      for (;;) {
        if (j >= expr.length) throw new InputError(`${what}: unterminated ${ch === "'" ? 'string' : 'quoted name'} in ${JSON.stringify(expr)}`);
        if (expr[j] === close) {
          if (close !== ']' && expr[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      i = j;
      continue;
    }
    if (ch === ';') throw new InputError(`${what}: ';' is not allowed (give one SQL expression over the nodes view)`);
    if ((ch === '-' && expr[i + 1] === '-') || (ch === '/' && expr[i + 1] === '*')) throw new InputError(`${what}: SQL comments are not allowed`);
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) throw new InputError(`${what}: unbalanced ')' in ${JSON.stringify(expr)}`);
  }
  if (depth !== 0) throw new InputError(`${what}: unbalanced '(' in ${JSON.stringify(expr)}`);
}

/** Validates `--where` and returns it parenthesised; compiles it against the nodes view of `db`. */
export function validateWhere(db: Db, expr: string): string {
  checkExpressionSyntax(expr);
  const wrapped = `(${expr})`;
  try {
    db.prepare(`SELECT 1 FROM nodes WHERE ${wrapped} LIMIT 0`);
  } catch (e) {
    throw new InputError(`--where: invalid SQL expression over the nodes view: ${(e as Error).message}`);
  }
  return wrapped;
}

export interface IdRange {
  /** Exclusive lower bound (DevTools' `minId < id`), or undefined. */
  min?: number;
  /** Inclusive upper bound (`id <= maxId`), or undefined. */
  max?: number;
}

/** SQL condition for an id range over a `nodes` alias `n` (with its parameters). */
export function idRangeSql(range: IdRange | undefined): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (range?.min !== undefined) {
    parts.push('n.id > ?');
    params.push(range.min);
  }
  if (range?.max !== undefined) {
    parts.push('n.id <= ?');
    params.push(range.max);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}
