import type { Output } from './output.js';
import type { LoadSummary } from '../ingest/load.js';
import { print } from './print.js';
import { formatCount, formatDuration } from './color.js';
import { visible } from './visible.js';

const SHOWN_ERRORS = 20;

export function renderLoad(summary: LoadSummary, ctx: Output): void {
  const { paint } = ctx;
  const files = summary.files.length === 1 ? visible(summary.files[0]) : `${summary.files.length} files`;
  const counts = `${formatCount(summary.rows)} rows, ${formatCount(summary.total)} products`;
  if (summary.notReadSince === undefined) print(ctx, `${paint.bold('Loaded')} ${files} in ${formatDuration(summary.duration_ms)}: ${counts}`);
  else {
    const since = summary.notReadSince.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    print(ctx, `${paint.bold('Unchanged')} ${files}: ${counts}, as loaded at ${since}`);
    print(ctx, paint.dim('  the same bytes, read the same way, and the catalog has not changed since: not read again'));
  }
  const rows: [string, number, (s: string) => string][] = [
    ['created', summary.created, paint.green],
    ['updated', summary.updated, paint.yellow],
    ['unchanged', summary.unchanged, paint.dim],
    ['errors', summary.errors.length, summary.errors.length > 0 ? paint.red : paint.dim],
  ];
  for (const [label, n, color] of rows) print(ctx, `  ${label.padEnd(10)} ${color(formatCount(n).padStart(10))}`);
  for (const error of summary.errors.slice(0, SHOWN_ERRORS))
    print(ctx, `  ${paint.red('✗')} ${visible(error.file)} line ${error.line}: ${visible(error.reason)}`);
  if (summary.errors.length > SHOWN_ERRORS)
    print(ctx, paint.dim(`  ... and ${formatCount(summary.errors.length - SHOWN_ERRORS)} more (--json or --rejects FILE lists them all)`));
  for (const warning of summary.warnings) ctx.warn(`${warning.file}: ${warning.message}`);
}
