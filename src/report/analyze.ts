import type { Output } from './output.js';
import type { StageRun } from '../app/stage.js';
import type { GateReport } from '../gold/gates.js';
import type { CatalogSummary } from '../gold/summary.js';
import type { Band } from '../gold/types.js';
import { BANDS, STAGES } from '../gold/types.js';
import type { Db } from '../store/catalog.js';
import { jobResultTexts, worstOfJob } from '../store/job-results.js';
import { print } from './print.js';
import { formatCount, formatDuration, type Paint } from './color.js';
import { writeJsonDocument } from './json-stream.js';
import type { Regressions } from '../app/regressions.js';
import type { AnalyzeJson, AnalyzeSummary, GoldResultJson } from './schemas.js';
import { jobBrief } from './jobs.js';
import { visible } from './visible.js';
import { NOT_IN_SILVER } from '../jobs/tasks.js';

const BAR_WIDTH = 40;

function bandPaint(paint: Paint, band: string): (text: string) => string {
  return ({ excellent: paint.green, good: paint.cyan, warning: paint.yellow, poor: paint.red } as Record<string, (t: string) => string>)[band] ?? paint.dim;
}

/** A score badge coloured by band: ` 87 excellent`; a product without a score says why, it is not an error. */
export function badge(paint: Paint, score: number | null, band: string | null, unscored: 'not scored' | 'not normalized' = 'not scored'): string {
  if (score === null || band === null) return paint.dim(unscored.padEnd(13));
  return bandPaint(paint, band)(`${String(score).padStart(3)} ${band.padEnd(9)}`);
}

/**
 * The panel of an analyze job: its products worst first, the catalog summary, regressions and gates.
 * `catalog`: the job scored only what changed and answers for the whole catalog (`assay run`):
 * the list is the catalog's.
 */
export function renderAnalyze(
  db: Db,
  run: StageRun,
  gates: GateReport,
  ctx: Output,
  options: { limit: number; catalog?: boolean },
  regressions?: Regressions,
): void {
  const { paint } = ctx;
  const summary = run.summary as { run: CatalogSummary; catalog: CatalogSummary; duration_ms: number };
  const listed = options.catalog ? summary.catalog.products + summary.catalog.errors : run.job.done;
  const current = listed - run.job.done;
  print(
    ctx,
    `${paint.bold(`Analyze job ${run.job.id}`)} ${run.job.status} in ${formatDuration(summary.duration_ms)}: ${formatCount(run.job.done)} products` +
      (options.catalog && current > 0 ? paint.dim(` scored, ${formatCount(current)} current from earlier runs`) : ''),
  );
  const rows = worstOfJob(db, options.catalog ? undefined : run.job.id, options.limit);
  if (rows.length > 0) {
    // Ids are printed whole, so they can be pasted into `assay show`: the column is as wide as the longest.
    const idWidth = Math.max(7, ...rows.map((row) => visible(row.id).length));
    const gapWidth = Math.max(7, ...rows.map((row) => (row.error ? 0 : (row.top_gap ?? 'none').length)));
    print(ctx, '');
    print(ctx, paint.dim(`  ${'score'.padEnd(13)} ${'product'.padEnd(idWidth)} ${'top gap'.padEnd(gapWidth)} title`));
    for (const row of rows) {
      const gap = row.error ? paint.dim(visible(row.error)) : (row.top_gap ? visible(row.top_gap) : paint.dim('none')).padEnd(gapWidth);
      print(
        ctx,
        `  ${badge(paint, row.score, row.band, row.error === NOT_IN_SILVER ? 'not normalized' : 'not scored')} ${visible(row.id).padEnd(idWidth)} ${gap} ${row.error ? '' : visible(shortTitle(row.title))}${row.capped_by ? paint.yellow(`  capped by ${visible(row.capped_by)}`) : ''}`.trimEnd(),
      );
    }
    if (listed > rows.length) print(ctx, paint.dim(`  ... ${formatCount(listed - rows.length)} more (worst first; --limit N or --all-rows to see more)`));
  }
  renderSummary(summary.catalog, ctx, 'Catalog');
  if (regressions) renderRegressions(regressions, ctx);
  renderGates(gates, ctx);
  for (const id of run.missing.slice(0, 10)) print(ctx, `  ${paint.red('✗')} product not found: '${visible(id)}'`);
}

const TITLE_WIDTH = 50;

/** Titles may be cut (with an ellipsis, so the cut shows); ids never are. */
export function shortTitle(title: string | null): string {
  if (title === null) return '';
  return title.length > TITLE_WIDTH ? `${title.slice(0, TITLE_WIDTH - 1)}…` : title;
}

/** The catalog summary: average, distribution as a bar chart, stage averages, top gaps. */
export function renderSummary(s: CatalogSummary, ctx: Output, title: string): void {
  const { paint } = ctx;
  print(ctx, '');
  print(
    ctx,
    `${paint.bold(title)}: ${formatCount(s.products)} scored, average ${paint.bold(String(s.avgScore))}, ${formatCount(s.feedReady)} feed-ready, ${formatCount(s.duplicates)} duplicates, ${formatCount(s.brokenUrls)} broken URLs${s.errors ? `, ${paint.red(`${formatCount(s.errors)} not scored`)}` : ''}`,
  );
  const most = Math.max(1, ...BANDS.map((b) => s.scoreDistribution[b]));
  for (const band of BANDS) {
    const n = s.scoreDistribution[band];
    const width = Math.round((n / most) * BAR_WIDTH);
    print(ctx, `  ${band.padEnd(10)} ${bandPaint(paint, band as Band)('█'.repeat(width) || (n > 0 ? '▏' : ''))} ${formatCount(n)}`);
  }
  print(ctx, paint.dim(`  stages: ${STAGES.map((stage) => `${stage} ${s.stageAverages[stage]}`).join(' · ')}`));
  if (s.topGaps.length > 0) {
    print(ctx, `  ${paint.bold('top gaps')} (field, products, average gain if fixed everywhere)`);
    for (const gap of s.topGaps)
      print(ctx, `    ${visible(gap.field).padEnd(20)} ${formatCount(gap.count).padStart(8)} (${Math.round(gap.share * 100)}%)  +${gap.avgGain}`);
  }
}

function renderGates(gates: GateReport, ctx: Output): void {
  const { paint } = ctx;
  if (gates.gates.length === 0) return;
  print(ctx, '');
  for (const gate of gates.gates) {
    const mark = gate.passed ? paint.green('✓ pass') : paint.red('✗ FAIL');
    print(ctx, `  ${mark} --${gate.name}: ${visible(gate.message)}`);
    if (!gate.passed && gate.offenders.length > 0)
      print(
        ctx,
        paint.dim(
          `      ${gate.offenders.map(visible).join(', ')}${gate.offenderCount > gate.offenders.length ? `, ... (${formatCount(gate.offenderCount)} in all)` : ''}`,
        ),
      );
  }
}

/** `{job, results, catalogSummary, runSummary, gates}` on stdout, results streamed from the catalog. */
export function writeAnalyzeJson(db: Db, run: StageRun, gates: GateReport, regressions?: Regressions): void {
  const summary = run.summary as AnalyzeSummary;
  const results = function* () {
    yield* jobResultTexts(db, run.job.id);
    for (const id of run.missing) {
      const notFound: GoldResultJson = { productId: id, status: 'error', error: `product not found: '${id}'` };
      yield JSON.stringify(notFound);
    }
  };
  const head: Pick<AnalyzeJson, 'schemaVersion' | 'job' | 'rubricVersion'> = { schemaVersion: 1, job: jobBrief(run.job), rubricVersion: summary.rubricVersion };
  const tail: Omit<AnalyzeJson, keyof typeof head | 'results'> = {
    catalogSummary: summary.catalog,
    runSummary: summary.run,
    gates,
    ...(regressions ? { regressions } : {}),
    duration_ms: summary.duration_ms,
  };
  writeJsonDocument(head, 'results', results(), tail);
}

/** Products that scored lower than in the baseline, with the fields they now lose points on. */
function renderRegressions(regressions: Regressions, ctx: Output): void {
  const { paint } = ctx;
  print(ctx, '');
  if (regressions.count === 0) return print(ctx, `  ${paint.green('no product scores lower than in the baseline')}`);
  print(
    ctx,
    `  ${paint.bold(`${formatCount(regressions.count)} product(s) score lower than in the baseline`)}${regressions.count > regressions.products.length ? ` (first ${regressions.products.length})` : ''}:`,
  );
  for (const r of regressions.products) {
    print(
      ctx,
      `    ${visible(r.id).padEnd(24)} ${String(r.before ?? '--').padStart(3)} → ${paint.red(String(r.after ?? 'not scored'))}${r.newGaps.length ? `  now failing: ${r.newGaps.map(visible).join(', ')}` : ''}`,
    );
  }
}
