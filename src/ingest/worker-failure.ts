import { UserError, type ExitCodeValue } from '../errors.js';

/** A thrown error as it crosses from the reader thread: a structured clone keeps only an error's message. */
export interface WorkerFailure {
  kind: 'failed';
  message: string;
  stack?: string;
  user?: { code: string; exitCode: number };
}

export function toFailure(error: unknown): WorkerFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  const failure: WorkerFailure = { kind: 'failed', message: e.message, stack: e.stack };
  if (error instanceof UserError) failure.user = { code: error.code, exitCode: error.exitCode };
  return failure;
}

export function fromFailure(failure: WorkerFailure): Error {
  const error = failure.user ? new UserError(failure.user.code, failure.message, failure.user.exitCode as ExitCodeValue) : new Error(failure.message);
  if (failure.stack) error.stack = failure.stack;
  return error;
}
