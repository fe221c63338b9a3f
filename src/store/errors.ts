import { dirname } from 'node:path';
import { ExitCode, UserError } from '../errors.js';

/**
 * SQLite failures that come from where the catalog file lives, not from a bug in assay,
 * as user errors that say what happened and what to do. Branches on better-sqlite3's
 * stable `code` (SQLITE_FULL, SQLITE_IOERR_WRITE, ...), never on the message.
 * `whatNext` ends the advice after a failed write. Returns undefined for anything else.
 */
export function catalogErrorFrom(error: unknown, path: string, whatNext = 'run the command again'): UserError | undefined {
  if (error instanceof UserError) return error;
  const code = sqliteCode(error);
  if (!code) return undefined;
  const folder = dirname(path);
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_TRUNCATE') {
    return new UserError(
      'catalog_disk_full',
      `cannot write to catalog ${path}: the disk is full or a file-size limit was reached (${code}). Work committed before this is kept and the catalog is intact: free some space, then ${whatNext}.`,
      ExitCode.failed,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new UserError(
      'catalog_readonly',
      `cannot write to catalog ${path}: it is read-only (${code}). assay writes to the file and, next to it, to ${path}-wal and ${path}-shm: copy it to a writable folder, or name another catalog with --db.`,
      ExitCode.usage,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new UserError(
      'catalog_unopenable',
      `cannot open catalog ${path} (${code}): its folder ${folder} must exist and be writable, since assay keeps ${path}-wal and ${path}-shm next to it. Copy it to a writable folder, or name another catalog with --db.`,
      ExitCode.usage,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return new UserError(
      'catalog_corrupt',
      `catalog ${path} is damaged (${code}): restore it from a copy, or check it with: sqlite3 ${path} 'PRAGMA integrity_check'`,
      ExitCode.usage,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new UserError('catalog_locked', `catalog ${path} is locked by another process (${code}): try again when it is done`, ExitCode.busy);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new UserError('catalog_io', `cannot read or write catalog ${path}: the disk reported an error (${code})`, ExitCode.failed);
  }
  return undefined;
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
