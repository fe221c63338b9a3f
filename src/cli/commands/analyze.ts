import { ExitCode } from '../../errors.js';
import { gateRun } from '../../jobs/analyze.js';
import { renderAnalyze, writeAnalyzeJson } from '../../report/analyze.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { analyzeOptions, config, gatesFrom, type GateFlags } from '../options.js';
import { parseScope, type ScopeFlags } from '../scope.js';
import { createStageJob, startStage } from '../stage.js';
import { detachJob } from './jobs.js';

export type AnalyzeCommandFlags = ScopeFlags & GateFlags & { weights?: string; wait?: boolean; detach?: boolean; limit?: string; allRows?: boolean };

export async function analyzeCommand(flags: AnalyzeCommandFlags, ctx: CliContext): Promise<number> {
  const scope = parseScope(flags, ctx.warn);
  const cfg = config(ctx);
  const options = analyzeOptions(flags, cfg);
  const gates = gatesFrom(flags, cfg);
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    if (flags.detach) return detachJob(db, ctx, await createStageJob(db, ctx, 'analyze', scope, options, Boolean(flags.wait)));
    const run = await startStage(db, ctx, 'analyze', scope, options, Boolean(flags.wait));
    const gated = gateRun(db, run.job.id, gates);
    if (ctx.json) writeAnalyzeJson(db, run, gated.gates);
    else renderAnalyze(db, run, gated.gates, ctx, { limit: flags.allRows ? Infinity : Number(flags.limit ?? 20) });
    if (run.exitCode !== ExitCode.ok) return run.exitCode;
    return gated.gates.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    db.close();
  }
}
