// heapdiff's small error vocabulary. Library code throws these; only the CLI launcher (src/cli/main.ts)
// maps them to exit codes, and library code never calls process.exit. Every error a caller can act on
// carries a stable `code`, so API users branch on it instead of parsing messages.

/** The codes of the errors heapdiff throws on purpose (anything else is a bug). */
export type ErrorCode =
  /** A missing, unreadable, truncated or corrupt snapshot or database. */
  | 'BAD_INPUT'
  /** An option or argument out of range or malformed. */
  | 'BAD_OPTION'
  /** A run that stopped with a chosen exit status (e.g. `--fail-on-growth`). */
  | 'EXIT';

/** The base of every error heapdiff throws on purpose. */
export class HeapdiffError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'HeapdiffError';
  }
}

/** Bad input from the user: a missing file, a corrupt snapshot, a bad option. CLI: one line, exit 2. */
export class InputError extends HeapdiffError {
  constructor(message: string, code: 'BAD_INPUT' | 'BAD_OPTION' = 'BAD_INPUT') {
    super(message, code);
    this.name = 'InputError';
  }
}

/** An option value that is out of range or malformed (a kind of InputError: exit 2). */
export class OptionError extends InputError {
  constructor(message: string) {
    super(message, 'BAD_OPTION');
    this.name = 'OptionError';
  }
}

/** An expected, already explained stop with a chosen status (e.g. 3 for `--fail-on-growth`). */
export class ExitError extends HeapdiffError {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message, 'EXIT');
    this.name = 'ExitError';
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INPUT = 2;
export const EXIT_GROWTH = 3;
