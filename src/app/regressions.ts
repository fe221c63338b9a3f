import { createRegressionTracker, type Regression } from '../gold/baseline.js';
import type { GateReport } from '../gold/gates.js';
import type { CatalogSummary } from '../gold/summary.js';
import type { Db } from '../store/catalog.js';
import { scanGold } from '../store/gold.js';
import { checkBaselineOptions, readBaseline, type BaselineOptions } from './baseline.js';

export interface Regressions {
  count: number;
  products: Regression[];
}

/**
 * With a baseline: compares the job's results (`jobId`), or the whole catalog's (undefined),
 * with the earlier run and adds the regression gates to the gate report. Without one, the
 * report is returned as it is.
 */
export function compareWithBaseline(
  db: Db,
  jobId: number | undefined,
  summary: { run: CatalogSummary; catalog: CatalogSummary; rubricVersion: string; gates?: GateReport },
  options: BaselineOptions,
  minScore: number | undefined,
): { gates: GateReport; regressions?: Regressions } {
  checkBaselineOptions(options);
  const reported = summary.gates ?? { passed: true, gates: [] };
  if (!options.baseline) return { gates: reported };
  const gates = { maxAvgDrop: options.maxAvgDrop, maxProductDrop: options.maxProductDrop, noNewFailures: Boolean(options.noNewFailures), minScore };
  const tracker = createRegressionTracker(readBaseline(options.baseline), gates, summary.rubricVersion);
  for (const row of scanGold(db, jobId, true)) tracker.add(row.result);
  const { outcomes, regressions, regressionCount } = tracker.finish((jobId === undefined ? summary.catalog : summary.run).avgScore);
  const all = [...reported.gates, ...outcomes];
  return { gates: { passed: all.every((g) => g.passed), gates: all }, regressions: { count: regressionCount, products: regressions } };
}
