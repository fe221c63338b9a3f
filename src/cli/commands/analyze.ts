import { ExitCode } from '../../errors.js';
import type { AnalyzeSummary } from '../../report/schemas.js';
import { regressionGates, type BaselineFlags } from '../baseline.js';
import { compareWithBaseline } from '../regressions.js';
import { renderAnalyze, writeAnalyzeJson } from '../../report/analyze.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { parseLimit } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';
import { analyzeOptions, config, gatesFrom, type GateFlags } from '../options.js';
import { parseScope, type ScopeFlags } from '../scope.js';
import { createStageJob, startStage } from '../stage.js';
import { detachJob } from './jobs.js';

export type AnalyzeCommandFlags = ScopeFlags & GateFlags & BaselineFlags & { weights?: string; wait?: boolean; detach?: boolean; limit?: string; allRows?: boolean };

export async function analyzeCommand(flags: AnalyzeCommandFlags, ctx: CliContext): Promise<number> {
  const scope = parseScope(flags, ctx.warn);
  const limit = flags.allRows ? Infinity : parseLimit(flags.limit, DEFAULT_LIMITS.analyze);
  const cfg = config(ctx);
  const options = { ...analyzeOptions(flags, cfg), gates: gatesFrom(flags, cfg) };
  regressionGates(flags, options.gates.minScore);
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    if (flags.detach) return await detachJob(db, ctx, () => createStageJob(db, ctx, 'analyze', scope, options, Boolean(flags.wait)));
    const run = await startStage(db, ctx, 'analyze', scope, options, Boolean(flags.wait));
    const { gates, regressions } = compareWithBaseline(db, run.job.id, run.summary as unknown as AnalyzeSummary, flags, options.gates.minScore);
    if (ctx.json) writeAnalyzeJson(db, run, gates, regressions);
    else renderAnalyze(db, run, gates, ctx, { limit }, regressions);
    if (run.exitCode !== ExitCode.ok) return run.exitCode;
    return gates.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    db.close();
  }
}
