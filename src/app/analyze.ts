import type { GateReport } from '../gold/gates.js';
import type { CatalogSummary } from '../gold/summary.js';
import type { AnalyzeJobOptions } from '../jobs/options.js';
import type { Db } from '../store/catalog.js';
import type { JobScope } from '../store/jobs.js';
import { checkBaselineOptions, type BaselineOptions } from './baseline.js';
import type { StageHooks } from './events.js';
import { compareWithBaseline, type Regressions } from './regressions.js';
import { startStage, type StageRun } from './stage.js';

/** What an analyze job keeps as its summary. */
export interface AnalyzeJobSummary {
  rubricVersion: string;
  run: CatalogSummary;
  catalog: CatalogSummary;
  gates?: GateReport;
  duration_ms: number;
}

export interface AnalyzeRun extends StageRun {
  /** The gates of the options, and the regression gates of the baseline when one was given. */
  gates: GateReport;
  regressions?: Regressions;
}

/** Gold over a scope: an analyze job run to its end, then compared with the baseline when one is given. */
export async function runAnalyze(
  db: Db,
  scope: JobScope,
  options: AnalyzeJobOptions,
  baseline: BaselineOptions = {},
  hooks: StageHooks = {},
): Promise<AnalyzeRun> {
  checkBaselineOptions(baseline);
  const run = await startStage(db, 'analyze', scope, options, hooks);
  const judged = options.judge === 'catalog' ? undefined : run.job.id;
  const { gates, regressions } = compareWithBaseline(db, judged, run.summary as unknown as AnalyzeJobSummary, baseline, options.gates?.minScore);
  return regressions ? { ...run, gates, regressions } : { ...run, gates };
}
