import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// `.report.html.assay-4242.tmp`: the word assay keeps other tools' temporary files out of the sweep.
const TEMP_NAME = /^\..+\.assay-(\d+)\.tmp$/;

/** Where a file is written before it is renamed over `target`: hidden, beside it, named after the writing process. */
export function tempPathFor(target: string, pid: number = process.pid): string {
  return join(dirname(target), `.${basename(target)}.assay-${pid}.tmp`);
}

/**
 * Removes the temporary files a killed assay left in `folder` (kill -9 gives it no chance to):
 * only regular files of this user named as tempPathFor names them, whose process is gone.
 * A folder that cannot be read is left alone; the write that follows reports it.
 */
export function sweepStaleTemps(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    const path = join(folder, name);
    try {
      const stat = lstatSync(path);
      if (stat.isFile() && stat.uid === process.getuid?.()) unlinkSync(path);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
