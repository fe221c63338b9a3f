import { lstatSync, readdirSync, rmSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// `.report.html.assay-4242.tmp`: the word assay keeps other tools' temporary files out of the sweep.
const TEMP_NAME = /^\..+\.assay-(\d+)\.tmp$/;
// `assay-spool-4242-Ab12Cd`: mkdtemp's six characters after the prefix spoolPrefix gives.
const SPOOL_NAME = /^assay-spool-(\d+)-[A-Za-z0-9]{6}$/;

/** Where a file is written before it is renamed over `target`: hidden, beside it, named after the writing process. */
export function tempPathFor(target: string, pid: number = process.pid): string {
  return join(dirname(target), `.${basename(target)}.assay-${pid}.tmp`);
}

/** The mkdtemp prefix of a folder for parts of an export, in `folder` (the system's temporary folder). */
export function spoolPrefix(folder: string): string {
  return join(folder, `assay-spool-${process.pid}-`);
}

/**
 * Removes the temporary files a killed assay left in `folder` (kill -9 gives it no chance to):
 * only regular files of this user named as tempPathFor names them, whose process is gone.
 * A folder that cannot be read is left alone; the write that follows reports it.
 */
export function sweepStaleTemps(folder: string): void {
  sweep(folder, TEMP_NAME, (stat) => stat.isFile(), unlinkSync);
}

/** The same for the spool folders spoolPrefix names. */
export function sweepStaleSpools(folder: string): void {
  sweep(
    folder,
    SPOOL_NAME,
    (stat) => stat.isDirectory(),
    (path) => rmSync(path, { recursive: true, force: true }),
  );
}

function sweep(folder: string, pattern: RegExp, isKind: (stat: Stats) => boolean, remove: (path: string) => void): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || pidExists(pid)) continue;
    const path = join(folder, name);
    try {
      const stat = lstatSync(path);
      if (isKind(stat) && stat.uid === process.getuid?.()) remove(path);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** Whether a process with this pid exists (one we may not signal exists too). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
