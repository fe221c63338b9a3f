import { catalogColumns, summarizeMapping, type MappingSummary } from '../jobs/columns.js';
import type { NormalizeJobOptions } from '../jobs/options.js';
import { loadedFileCount } from '../store/bronze.js';
import type { Db } from '../store/catalog.js';
import type { JobScope } from '../store/jobs.js';
import type { StageHooks } from './events.js';
import { startStage, type StageRun } from './stage.js';

export interface NormalizeRun extends StageRun {
  /** How the catalog's columns map: counts, the fields no column feeds, suggestions. */
  mapping?: MappingSummary;
  /** Duplicates were linked without similar titles over a catalog loaded from several files, where they find most matches. */
  similarTitlesOff?: boolean;
}

/** Silver over a scope: a normalize job run to its end. */
export async function runNormalize(db: Db, scope: JobScope, options: NormalizeJobOptions, hooks: StageHooks = {}): Promise<NormalizeRun> {
  const run = await startStage(db, 'normalize', scope, options, hooks);
  // Only after a run that linked something: a re-run that found nothing to do has nothing to point at.
  const similarTitlesOff = !options.similarTitles && run.job.done > 0 && loadedFileCount(db) > 1;
  return { ...run, mapping: summarizeMapping(catalogColumns(db, options)), similarTitlesOff };
}
