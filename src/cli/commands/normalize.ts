import { createStageJob } from '../../app/stage.js';
import { runNormalize } from '../../app/normalize.js';
import { ExitCode } from '../../errors.js';
import { renderNormalize, writeNormalizeJson } from '../../report/normalize.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { config, normalizeOptions, type NormalizeFlags } from '../options.js';
import { parseScope, type ScopeFlags } from '../scope.js';
import { stageHooks } from '../stage-hooks.js';
import { detachJob } from './jobs.js';

export type NormalizeCommandFlags = NormalizeFlags & ScopeFlags & { wait?: boolean; detach?: boolean };

export async function normalizeCommand(flags: NormalizeCommandFlags, ctx: CliContext): Promise<number> {
  const scope = parseScope(flags, ctx.warn);
  const options = normalizeOptions(flags, config(ctx));
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  const hooks = stageHooks(ctx, Boolean(flags.wait));
  try {
    if (flags.detach) return await detachJob(db, ctx, () => createStageJob(db, 'normalize', scope, options, hooks));
    const run = await runNormalize(db, scope, options, hooks);
    if (ctx.json) writeNormalizeJson(db, run, run.mapping);
    else renderNormalize(run, ctx, run.mapping);
    return run.exitCode === ExitCode.ok ? ExitCode.ok : run.exitCode;
  } finally {
    hooks.dispose();
    db.close();
  }
}
