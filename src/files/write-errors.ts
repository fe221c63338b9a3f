import { ExitCode, UserError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a directory',
};

// Where the bytes could not go, not a bug: the user frees space or raises the limit and tries again.
const NO_ROOM = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

/** What an errno code from opening or writing a file means to the user. */
export function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (NO_ROOM.has(code)) return 'the disk is full or a file-size limit was reached';
  return REASONS[code] ?? 'the system reported an error';
}

/**
 * A write that failed half-way (a full disk, `ulimit -f`, an I/O error) as a user error with
 * exit 3 and the cause; anything without an errno code is left as it is (a bug).
 */
export function writeFailure(error: unknown, shown: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !/^E[A-Z]+$/.test(code)) return error;
  return new UserError(
    'write_failed',
    `cannot write ${shown}: ${reasonFor(error)} (${code}); free some space or pick another place, then try again`,
    ExitCode.failed,
  );
}
