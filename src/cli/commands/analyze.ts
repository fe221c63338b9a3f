import { runAnalyze } from '../../app/analyze.js';
import { createStageJob } from '../../app/stage.js';
import { ExitCode } from '../../errors.js';
import { renderAnalyze, writeAnalyzeJson } from '../../report/analyze.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { parseLimit } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';
import { analyzeOptions, baselineOptions, config, gatesFrom, type BaselineFlags, type GateFlags } from '../options.js';
import { parseScope, type ScopeFlags } from '../scope.js';
import { stageHooks } from '../stage-hooks.js';
import { detachJob } from './jobs.js';

export type AnalyzeCommandFlags = ScopeFlags &
  GateFlags &
  BaselineFlags & { weights?: string; wait?: boolean; detach?: boolean; limit?: string; allRows?: boolean };

export async function analyzeCommand(flags: AnalyzeCommandFlags, ctx: CliContext): Promise<number> {
  const scope = parseScope(flags, ctx.warn);
  const limit = flags.allRows ? Infinity : parseLimit(flags.limit, DEFAULT_LIMITS.analyze);
  const cfg = config(ctx);
  const options = { ...analyzeOptions(flags, cfg), gates: gatesFrom(flags, cfg) };
  const baseline = baselineOptions(flags);
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  const hooks = stageHooks(ctx, Boolean(flags.wait));
  try {
    if (flags.detach) return await detachJob(db, ctx, () => createStageJob(db, 'analyze', scope, options, hooks));
    const run = await runAnalyze(db, scope, options, baseline, hooks);
    if (ctx.json) writeAnalyzeJson(db, run, run.gates, run.regressions);
    else renderAnalyze(db, run, run.gates, ctx, { limit }, run.regressions);
    if (run.exitCode !== ExitCode.ok) return run.exitCode;
    return run.gates.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    hooks.dispose();
    db.close();
  }
}
