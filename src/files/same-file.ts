import { fstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** How far a chain of symbolic links is followed by hand, as the kernel's own limit. */
const MAX_LINKS = 40;

/**
 * The absolute path a write to `path` would land on: symbolic links followed, also a dangling
 * one (writing through it would create its target), and for a file that does not exist yet,
 * its folder resolved.
 */
export function resolveTarget(path: string, depth = 0): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    // Missing, or a link to something missing: resolve the folder, then follow the link by hand.
  }
  const folder = realFolder(dirname(abs));
  let link: string | undefined;
  try {
    link = readlinkSync(abs);
  } catch {
    link = undefined;
  }
  if (link !== undefined && depth < MAX_LINKS) return resolveTarget(resolve(folder, link), depth + 1);
  return join(folder, basename(abs));
}

function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

/** What identifies a file: device and inode when it exists, else where it would be created. */
export interface FileIdentity {
  target: string;
  stat?: Stats;
}

/** `-` is stdout, whatever it was redirected to. */
export function identify(path: string): FileIdentity {
  if (path === '-') return { target: '-', stat: statOf(() => fstatSync(1)) };
  return { target: resolveTarget(path), stat: statOf(() => statSync(path)) };
}

/** Same device and inode (hard links, symlinks, bind mounts), or the same place for files not there yet. */
export function isSameFile(a: FileIdentity, b: FileIdentity): boolean {
  if (a.stat && b.stat) return a.stat.dev === b.stat.dev && a.stat.ino === b.stat.ino;
  return !a.stat && !b.stat && a.target === b.target;
}

/** `-`, or a path that is stdout: `/dev/stdout`, a link to `/proc/self/fd/1`, the file stdout was redirected to. */
export function isStdoutPath(path: string): boolean {
  if (path === '-') return true;
  const stdout = identify('-').stat;
  const stat = statOf(() => statSync(path));
  return stdout !== undefined && stat !== undefined && stdout.dev === stat.dev && stdout.ino === stat.ino;
}

function statOf(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
