import type { MigrationProgress } from '../store/catalog.js';
import type { Output } from '../report/output.js';

/** Quiet for a migration shorter than this; then a line at most this often. */
const SILENT_MS = 1000;
const EVERY_MS = 5000;

/**
 * Reports on stderr a migration that copies rows once it takes more than a second: opening a
 * large old catalog otherwise looks like a hang.
 */
export function migrationNotice(ctx: Pick<Output, 'log'>, now: () => number = Date.now): (progress: MigrationProgress) => void {
  let started: number | undefined;
  let shown = Number.NEGATIVE_INFINITY;
  let version = 0;
  return (progress) => {
    const time = now();
    if (progress.version !== version) {
      version = progress.version;
      started = time;
      shown = Number.NEGATIVE_INFINITY;
    }
    const finished = progress.done >= progress.total;
    if (time - started! < SILENT_MS || (!finished && time - shown < EVERY_MS)) return;
    const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
    const what = `migrating ${progress.path} to catalog schema ${progress.version} (${progress.name})`;
    ctx.log(finished ? `${what}: copied, finishing` : `${what}: ${percent}%`);
    shown = time;
  };
}
