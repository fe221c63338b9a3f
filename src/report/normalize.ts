import type { Output } from './output.js';
import type { StageRun } from '../app/stage.js';
import type { MappingSummary } from '../jobs/columns.js';
import type { Db } from '../store/catalog.js';
import { jobSilverResultTexts } from '../store/job-results.js';
import { print } from './print.js';
import { formatCount, formatDuration } from './color.js';
import { jobBrief } from './jobs.js';
import { writeJsonDocument } from './json-stream.js';
import type { NormalizeJson, NormalizeSummary, SilverResultJson } from './schemas.js';
import { visible } from './visible.js';

/** The results panel after a normalize run, with what the mapping understood of the columns. */
export function renderNormalize(run: StageRun & { similarTitlesOff?: boolean }, ctx: Output, mapping?: MappingSummary): void {
  const s = run.summary as unknown as NormalizeSummary;
  const { paint } = ctx;
  const presets = Object.entries(s.presetsDetected ?? {});
  for (const [preset, n] of presets)
    print(ctx, paint.dim(`preset '${visible(preset)}' detected from the header (${formatCount(n)} products); pass --preset to choose another`));
  print(ctx, `${paint.bold(`Normalize job ${run.job.id}`)} ${run.job.status} in ${formatDuration(s.duration_ms)}`);
  const rows: [string, number, (t: string) => string][] = [
    ['products processed', s.processed, paint.bold],
    ['fields normalized', s.fieldsNormalized, paint.cyan],
    ['duplicates detected', s.duplicates, s.duplicates > 0 ? paint.yellow : paint.dim],
    ['image URLs checked', s.urlsValidated, paint.dim],
    ['broken image URLs', s.brokenUrls, s.brokenUrls > 0 ? paint.red : paint.dim],
    ['errors', s.errors, s.errors > 0 ? paint.red : paint.dim],
  ];
  for (const [label, n, color] of rows) {
    print(ctx, `  ${label.padEnd(20)} ${color(formatCount(n).padStart(10))}`);
    if (label === 'duplicates detected') {
      for (const [reason, count] of Object.entries(s.duplicatesByReason ?? {}))
        print(ctx, paint.dim(`    by ${reason.padEnd(17)} ${formatCount(count).padStart(10)}`));
      // Across shops, exact keys find few matches: say once where the rest are.
      if (run.similarTitlesOff)
        print(
          ctx,
          paint.dim('    similar titles off: this catalog holds several files; --similar-titles also links near-identical titles (docs/duplicates.md)'),
        );
    }
  }
  for (const id of s.notFound.slice(0, 10)) print(ctx, `  ${paint.red('✗')} product not found: '${visible(id)}'`);
  if (mapping !== undefined) renderMapping(mapping, ctx);
}

function renderMapping(m: MappingSummary, ctx: Output): void {
  const { paint } = ctx;
  print(
    ctx,
    `  ${'columns'.padEnd(20)} ${formatCount(m.columns).padStart(10)}  ${formatCount(m.mapped)} mapped, ${formatCount(m.toAttributes)} to attributes (assay columns shows each)`,
  );
  if (m.unfed.length > 0) print(ctx, `  ${paint.dim(`not fed by any column: ${m.unfed.map(visible).join(', ')}`)}`);
  for (const s of m.suggestions)
    print(ctx, `  ${paint.yellow('suggestion')} ${visible(s.source)} → ${s.target} (${visible(s.evidence)}): ${visible(JSON.stringify(s.rule))}`);
}

/** `{job, results, processed, duration_ms, summary}` on stdout, results streamed from the catalog. */
export function writeNormalizeJson(db: Db, run: StageRun, mapping?: MappingSummary): void {
  const s = run.summary as unknown as NormalizeSummary;
  const results = function* () {
    yield* jobSilverResultTexts(db, run.job.id);
    for (const id of run.missing) {
      const notFound: SilverResultJson = {
        productId: id,
        status: 'error',
        fieldsNormalized: 0,
        duplicateOf: null,
        urlsValidated: 0,
        brokenUrls: [],
        error: `product not found: '${id}'`,
      };
      yield JSON.stringify(notFound);
    }
  };
  const head: Pick<NormalizeJson, 'schemaVersion' | 'job'> = { schemaVersion: 1, job: jobBrief(run.job) };
  const tail: Omit<NormalizeJson, keyof typeof head | 'results'> = {
    processed: s.processed,
    duration_ms: s.duration_ms,
    summary: s,
    ...(mapping ? { mapping } : {}),
  };
  writeJsonDocument(head, 'results', results(), tail);
}
