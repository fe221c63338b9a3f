import { ExitCode, UserError } from '../../errors.js';
import { checkOutputs } from '../../files/output-guard.js';
import { isStdoutPath } from '../../files/same-file.js';
import { catalogColumns, summarizeMapping } from '../../jobs/columns.js';
import { DEFAULT_THRESHOLD, EXPORT_FORMATS, exportCatalog, type ExportFormat } from '../../report/export/index.js';
import { regressionGates, type BaselineFlags } from '../baseline.js';
import { compareWithBaseline } from '../regressions.js';
import { renderAnalyze } from '../../report/analyze.js';
import { jobRecord } from '../../report/jobs.js';
import { renderLoad } from '../../report/load.js';
import { renderNormalize } from '../../report/normalize.js';
import { openCatalog } from '../../store/catalog.js';
import type { AnalyzeSummary, RunJson } from '../../report/schemas.js';
import type { CliContext } from '../context.js';
import { parseLimit } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';
import { analyzeOptions, config, gatesFrom, normalizeOptions, type GateFlags, type NormalizeFlags } from '../options.js';
import { startStage } from '../stage.js';
import { requireProducts, runLoad, type LoadFlags } from './load.js';

export type RunFlags = LoadFlags & NormalizeFlags & GateFlags & BaselineFlags & { weights?: string; wait?: boolean; limit?: string; allRows?: boolean; export?: string[] };

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

/** load, then normalize --all, then analyze --all: the command a CI job calls. */
export async function runCommand(flags: RunFlags, ctx: CliContext): Promise<number> {
  const limit = flags.allRows ? Infinity : parseLimit(flags.limit, DEFAULT_LIMITS.run);
  const cfg = config(ctx);
  const exports = parseExports(flags.export);
  const piped = exports.find((target) => isStdoutPath(target.out));
  // stdout holds the run's JSON document alone: a pipeline reading it with jq must not find an export glued to it.
  if (ctx.json && piped) throw new UserError('export_over_json', `--export ${piped.format}:${piped.out} writes to stdout, where --json prints the run's document: export to a file, or drop --json`);
  // An export to stdout is the run's data there: its panels go to stderr, as progress does.
  if (piped) ctx = { ...ctx, out: ctx.log };
  const outputs = exports.map((target) => ({ flag: `--export ${target.format}:`, path: target.out }));
  checkOutputs(flags.rejects ? [{ flag: '--rejects ', path: flags.rejects }, ...outputs] : outputs, { catalog: ctx.dbPath, inputs: flags.args[0] });
  const normalize = normalizeOptions(flags, cfg);
  const analyze = { ...analyzeOptions(flags, cfg), gates: gatesFrom(flags, cfg) };
  regressionGates(flags, analyze.gates.minScore);
  const loaded = await runLoad(flags, ctx);
  if (!ctx.json) renderLoad(loaded, ctx);
  const empty = requireProducts(loaded, ctx);
  if (empty !== ExitCode.ok) return empty;
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const silver = await startStage(db, ctx, 'normalize', { kind: 'all' }, normalize, Boolean(flags.wait));
    if (!ctx.json) renderNormalize(silver, ctx, summarizeMapping(catalogColumns(db, normalize)));
    if (silver.exitCode !== ExitCode.ok) return silver.exitCode;
    const gold = await startStage(db, ctx, 'analyze', { kind: 'all' }, analyze, Boolean(flags.wait));
    const gated = compareWithBaseline(db, gold.job.id, gold.summary as unknown as AnalyzeSummary, flags, analyze.gates.minScore);
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
        gates: gated.gates,
        exports: written,
        ...(gated.regressions ? { regressions: gated.regressions } : {}),
      };
      ctx.out(JSON.stringify(doc));
    } else renderAnalyze(db, gold, gated.gates, ctx, { limit }, gated.regressions);
    if (gold.exitCode !== ExitCode.ok) return gold.exitCode;
    return gated.gates.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    db.close();
  }
}
