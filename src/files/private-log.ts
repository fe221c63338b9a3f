import { closeSync, constants, fstatSync, lstatSync, openSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { UserError } from '../errors.js';

const STICKY = 0o1000;
const ROOT_UID = 0;
// Not on Windows, where there are no symlink plants of this kind to guard against.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Refuses a folder where another user could plant a link or a file at a log's name before
 * assay opens it: one anyone may write to without the sticky bit, or one owned by someone
 * other than this user or root.
 */
export function checkLogFolder(folder: string, what: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  let stat: Stats;
  try {
    stat = statSync(folder);
  } catch (error) {
    throw new UserError(
      'log_folder_missing',
      `${what}: cannot keep its log in ${folder} (${(error as NodeJS.ErrnoException).code}): put the catalog in a folder you own`,
    );
  }
  if ((stat.mode & 0o002) !== 0 && (stat.mode & STICKY) === 0) {
    throw new UserError(
      'log_folder_unsafe',
      `${what}: will not write its log in ${folder}: the folder is world-writable without the sticky bit, so anyone could plant a link there; put the catalog in a folder you own, or run: chmod o-w ${folder}`,
    );
  }
  if (stat.uid !== uid && stat.uid !== ROOT_UID) {
    throw new UserError(
      'log_folder_unsafe',
      `${what}: will not write its log in ${folder}: the folder is owned by another user (uid ${stat.uid}); put the catalog in a folder you own`,
    );
  }
}

/**
 * Opens a log for appending without ever following a link: whatever sits at `path` that is not
 * this user's own plain file (a symlink, a hard link to another file, someone else's file) is
 * removed first, and the open itself refuses a link planted in between (O_NOFOLLOW).
 * Returns the file descriptor.
 */
export function openLogFile(path: string, what: string): number {
  const uid = process.getuid?.();
  const isOwnPlainFile = (stat: Stats) => stat.isFile() && stat.nlink === 1 && (uid === undefined || stat.uid === uid);
  const existing = lstatOf(path);
  if (existing && !isOwnPlainFile(existing)) {
    try {
      unlinkSync(path);
    } catch (error) {
      throw new UserError(
        'log_unsafe',
        `${what}: its log ${path} is not a plain file of yours and cannot be replaced (${(error as NodeJS.ErrnoException).code}): remove it and try again`,
      );
    }
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o644);
  } catch (error) {
    throw new UserError(
      'log_unsafe',
      `${what}: cannot open its log ${path} (${(error as NodeJS.ErrnoException).code}): remove whatever is there and try again`,
    );
  }
  if (!isOwnPlainFile(fstatSync(fd))) {
    closeSync(fd);
    throw new UserError('log_unsafe', `${what}: its log ${path} changed while being opened: remove it and try again`);
  }
  return fd;
}

function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
