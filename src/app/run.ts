import { ExitCode } from '../errors.js';
import type { LoadSummary } from '../ingest/load.js';
import type { AnalyzeJobOptions, NormalizeJobOptions } from '../jobs/options.js';
import type { Db } from '../store/catalog.js';
import { runAnalyze, type AnalyzeRun } from './analyze.js';
import { checkBaselineOptions, type BaselineOptions } from './baseline.js';
import type { StageHooks } from './events.js';
import { runLoad, type LoadOptions } from './load.js';
import { runNormalize, type NormalizeRun } from './normalize.js';

export interface RunOptions {
  load: Omit<LoadOptions, 'onProgress'>;
  normalize: NormalizeJobOptions;
  analyze: AnalyzeJobOptions;
  baseline?: BaselineOptions;
}

/** Each step's result as soon as it is there, so that a caller can show it before the next starts. */
export type RunStep = { step: 'load'; summary: LoadSummary } | { step: 'normalize'; run: NormalizeRun } | { step: 'analyze'; run: AnalyzeRun };

export interface RunHooks extends StageHooks {
  onStep?: (step: RunStep) => void;
}

/** What ran: a run stops after a load that loaded nothing, and after a normalize job that did not succeed. */
export interface RunResult {
  load: LoadSummary;
  normalize?: NormalizeRun;
  analyze?: AnalyzeRun;
}

/** Rows read but no product loaded: later stages would score nothing and gates would have nothing to judge. */
export function loadedNothing(summary: LoadSummary): boolean {
  return summary.rows > 0 && summary.total === 0;
}

/** load, then normalize over the whole catalog, then analyze over it: what a CI job runs. */
export async function runAll(db: Db, files: string[], options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  checkBaselineOptions(options.baseline ?? {});
  const load = await runLoad(db, files, { ...options.load, onProgress: hooks.onProgress });
  hooks.onStep?.({ step: 'load', summary: load });
  if (loadedNothing(load)) return { load };
  const normalize = await runNormalize(db, { kind: 'all' }, options.normalize, hooks);
  hooks.onStep?.({ step: 'normalize', run: normalize });
  if (normalize.exitCode !== ExitCode.ok) return { load, normalize };
  const analyze = await runAnalyze(db, { kind: 'all' }, options.analyze, options.baseline, hooks);
  hooks.onStep?.({ step: 'analyze', run: analyze });
  return { load, normalize, analyze };
}
