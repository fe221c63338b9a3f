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

/**
 * load, then normalize, then analyze: what a CI or nightly job runs. The catalog it leaves is the
 * one `normalize --all` and `analyze --all` would leave, but only the products whose result can
 * have changed are worked on: silver is current when neither its bronze, the settings nor a
 * product it links to changed (offline: online, every product is normalized again, so image
 * URLs answer as they do today), and gold when its silver and the rubric did not change. Gates
 * and baseline comparisons judge the whole catalog, whatever was scored this time.
 */
export async function runAll(db: Db, files: string[], options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  checkBaselineOptions(options.baseline ?? {});
  const load = await runLoad(db, files, { ...options.load, onProgress: hooks.onProgress });
  hooks.onStep?.({ step: 'load', summary: load });
  if (loadedNothing(load)) return { load };
  const normalize = await runNormalize(db, { kind: options.normalize.offline ? 'stale' : 'all' }, options.normalize, hooks);
  hooks.onStep?.({ step: 'normalize', run: normalize });
  if (normalize.exitCode !== ExitCode.ok) return { load, normalize };
  const analyze = await runAnalyze(db, { kind: 'stale' }, { ...options.analyze, judge: 'catalog' }, options.baseline, hooks);
  hooks.onStep?.({ step: 'analyze', run: analyze });
  return { load, normalize, analyze };
}
