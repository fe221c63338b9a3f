/** Exit codes: see docs/guarantees.md#exit-codes. The CLI entry point is the only place that turns them into process exit. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  failed: 3,
  busy: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem the user can fix: bad flags, a missing file, a malformed config.
 * `code` is stable (branch on it, never on the message); `message` says what to do.
 */
export class UserError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, exitCode: ExitCodeValue = ExitCode.usage) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
