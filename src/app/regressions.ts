import { createRegressionTracker, type Regression } from '../gold/baseline.js';
import type { GateReport } from '../gold/gates.js';
import type { CatalogSummary } from '../gold/summary.js';
import type { GoldResult } from '../gold/types.js';
import type { Db } from '../store/catalog.js';
import { scanGold } from '../store/gold.js';
import { readBaseline, regressionGates, type BaselineFlags } from './baseline.js';

export interface Regressions {
  count: number;
  products: Regression[];
}

/**
 * With --baseline: compares the job's results with the earlier run and adds the
 * regression gates to the gate report. Without it, the report is returned as it is.
 */
export function compareWithBaseline(db: Db, jobId: number, summary: { run: CatalogSummary; rubricVersion: string; gates?: GateReport }, flags: BaselineFlags, minScore: number | undefined): { gates: GateReport; regressions?: Regressions } {
  const gates = regressionGates(flags, minScore);
  const reported = summary.gates ?? { passed: true, gates: [] };
  if (!flags.baseline) return { gates: reported };
  const tracker = createRegressionTracker(readBaseline(flags.baseline), gates, summary.rubricVersion);
  for (const row of scanGold(db, jobId)) tracker.add(JSON.parse(row.result) as GoldResult);
  const { outcomes, regressions, regressionCount } = tracker.finish(summary.run.avgScore);
  const all = [...reported.gates, ...outcomes];
  return { gates: { passed: all.every((g) => g.passed), gates: all }, regressions: { count: regressionCount, products: regressions } };
}
