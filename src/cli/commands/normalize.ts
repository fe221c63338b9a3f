import { ExitCode } from '../../errors.js';
import { catalogColumns, summarizeMapping } from '../../jobs/columns.js';
import { renderNormalize, writeNormalizeJson } from '../../report/normalize.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { config, normalizeOptions, type NormalizeFlags } from '../options.js';
import { parseScope, type ScopeFlags } from '../scope.js';
import { createStageJob, startStage } from '../stage.js';
import { detachJob } from './jobs.js';

export type NormalizeCommandFlags = NormalizeFlags & ScopeFlags & { wait?: boolean; detach?: boolean };

export async function normalizeCommand(flags: NormalizeCommandFlags, ctx: CliContext): Promise<number> {
  const scope = parseScope(flags, ctx.warn);
  const options = normalizeOptions(flags, config(ctx));
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    if (flags.detach) return await detachJob(db, ctx, () => createStageJob(db, ctx, 'normalize', scope, options, Boolean(flags.wait)));
    const run = await startStage(db, ctx, 'normalize', scope, options, Boolean(flags.wait));
    const mapping = summarizeMapping(catalogColumns(db, options));
    if (ctx.json) writeNormalizeJson(db, run, mapping);
    else renderNormalize(run, ctx, mapping);
    return run.exitCode === ExitCode.ok ? ExitCode.ok : run.exitCode;
  } finally {
    db.close();
  }
}
