// heapdiff's small error vocabulary. Only the launcher (src/cli/main.ts) maps these to exit codes;
// library code never calls process.exit.

/** Bad input from the user: a missing file, a corrupt snapshot, a bad option. One line, exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** An expected, already explained stop with a chosen status (e.g. 3 for `--fail-on-growth`). */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INPUT = 2;
export const EXIT_GROWTH = 3;
