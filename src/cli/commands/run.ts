import type { AssayEvent } from '../../app/events.js';
import { loadedNothing, runAll, type RunStep } from '../../app/run.js';
import { ExitCode, UserError } from '../../errors.js';
import { checkOutputs } from '../../files/output-guard.js';
import { isStdoutPath } from '../../files/same-file.js';
import { DEFAULT_THRESHOLD, EXPORT_FORMATS, exportCatalog, type ExportFormat } from '../../report/export/index.js';
import { renderAnalyze } from '../../report/analyze.js';
import { jobRecord } from '../../report/jobs.js';
import { renderLoad } from '../../report/load.js';
import { renderNormalize } from '../../report/normalize.js';
import { openCatalog } from '../../store/catalog.js';
import type { AnalyzeSummary, RunJson } from '../../report/schemas.js';
import type { CliContext } from '../context.js';
import { parseLimit } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';
import { analyzeOptions, baselineOptions, config, gatesFrom, normalizeOptions, type BaselineFlags, type GateFlags, type NormalizeFlags } from '../options.js';
import { startSpinner } from '../progress.js';
import { stageHooks } from '../stage-hooks.js';
import { loadOptions, requireProducts, type LoadFlags } from './load.js';

export type RunFlags = LoadFlags &
  NormalizeFlags &
  GateFlags &
  BaselineFlags & { weights?: string; wait?: boolean; limit?: string; allRows?: boolean; export?: string[] };

interface ExportTarget {
  format: ExportFormat;
  out: string;
}

/** `--export html:report.html`: checked before anything runs, so a typo costs nothing. */
function parseExports(values: string[] = []): ExportTarget[] {
  return values.map((value) => {
    const at = value.indexOf(':');
    const format = value.slice(0, at) as ExportFormat;
    const out = value.slice(at + 1);
    if (at < 1 || !EXPORT_FORMATS.includes(format) || out === '') {
      throw new UserError('bad_export', `--export takes FORMAT:PATH with FORMAT one of ${EXPORT_FORMATS.join(', ')}, got '${value}'`);
    }
    return { format, out };
  });
}

/** load, then normalize and analyze what changed, judging the whole catalog: the command a CI or nightly job calls. */
export async function runCommand(flags: RunFlags, ctx: CliContext): Promise<number> {
  const limit = flags.allRows ? Infinity : parseLimit(flags.limit, DEFAULT_LIMITS.run);
  const cfg = config(ctx);
  const exports = parseExports(flags.export);
  const piped = exports.find((target) => isStdoutPath(target.out));
  // stdout holds the run's JSON document alone: a pipeline reading it with jq must not find an export glued to it.
  if (ctx.json && piped)
    throw new UserError(
      'export_over_json',
      `--export ${piped.format}:${piped.out} writes to stdout, where --json prints the run's document: export to a file, or drop --json`,
    );
  // An export to stdout is the run's data there: its panels go to stderr, as progress does.
  if (piped) ctx = { ...ctx, out: ctx.log };
  const outputs = exports.map((target) => ({ flag: `--export ${target.format}:`, path: target.out }));
  checkOutputs(flags.rejects ? [{ flag: '--rejects ', path: flags.rejects }, ...outputs] : outputs, { catalog: ctx.dbPath, inputs: flags.args[0] });
  const normalize = normalizeOptions(flags, cfg);
  const analyze = { ...analyzeOptions(flags, cfg), gates: gatesFrom(flags, cfg) };
  const baseline = baselineOptions(flags);
  const load = loadOptions(flags, ctx.dbPath);
  const db = openCatalog(ctx.dbPath);
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading', ctx.paint.enabled) : undefined;
  const hooks = stageHooks(ctx, Boolean(flags.wait));
  const onProgress = (event: AssayEvent) =>
    event.type === 'rows' ? spinner?.update(`Loading: ${event.rows.toLocaleString('en-US')} rows`) : hooks.onProgress?.(event);
  // Each step is shown as it ends, before the next one starts.
  const onStep = (step: RunStep) => {
    if (step.step === 'load') {
      spinner?.stop();
      if (!ctx.json) renderLoad(step.summary, ctx);
    } else if (step.step === 'normalize' && !ctx.json) renderNormalize(step.run, ctx, step.run.mapping);
  };
  try {
    const result = await runAll(db, flags.args[0], { load, normalize, analyze, baseline }, { ...hooks, onProgress, onStep });
    const loaded = result.load;
    if (loadedNothing(loaded)) return requireProducts(loaded, ctx);
    const silver = result.normalize!;
    if (silver.exitCode !== ExitCode.ok) return silver.exitCode;
    const gold = result.analyze!;
    const written: RunJson['exports'] = [];
    const exportedAt = new Date().toISOString();
    for (const target of exports) {
      const products = await exportCatalog(db, target.format, target.out, {}, { threshold: analyze.gates.minScore ?? DEFAULT_THRESHOLD, exportedAt });
      written.push({ ...target, products });
      ctx.log(`wrote ${products} products as ${target.format} to ${target.out === '-' ? 'stdout' : target.out}`);
    }
    if (ctx.json) {
      const summary = gold.summary as AnalyzeSummary;
      const doc: RunJson = {
        schemaVersion: 1,
        load: loaded,
        normalize: { job: jobRecord(silver.job) },
        analyze: { job: jobRecord(gold.job), rubricVersion: summary.rubricVersion },
        catalogSummary: summary.catalog,
        gates: gold.gates,
        exports: written,
        ...(gold.regressions ? { regressions: gold.regressions } : {}),
      };
      ctx.out(JSON.stringify(doc));
    } else renderAnalyze(db, gold, gold.gates, ctx, { limit, catalog: true }, gold.regressions);
    if (gold.exitCode !== ExitCode.ok) return gold.exitCode;
    return gold.gates.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    spinner?.stop();
    hooks.dispose();
    db.close();
  }
}
