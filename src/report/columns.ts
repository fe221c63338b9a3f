import type { Output } from './output.js';
import type { ColumnReport } from '../silver/column-report.js';

/** The column report as a table: the command's output, on stdout. */
export function renderColumns(report: ColumnReport, source: string, ctx: Output): void {
  const { paint } = ctx;
  const out = ctx.out;
  const preset = report.preset === undefined ? 'no preset (aliases only)' : `preset ${report.preset}`;
  out(`${paint.bold('Columns')} of ${source}: ${report.columns.length} columns, ${preset}`);
  const fields = report.columns.map((c) => (c.role === undefined ? c.target : `${c.target} (${c.role})`));
  const width = Math.min(48, Math.max(6, ...report.columns.map((c) => c.source.length)));
  const targetWidth = Math.max(5, ...fields.map((f) => f.length));
  const viaWidth = Math.max(3, ...report.columns.map((c) => c.via.length));
  out(paint.dim(`  ${'column'.padEnd(width)}  ${'field'.padEnd(targetWidth)}  ${'via'.padEnd(viaWidth)}  sample`));
  report.columns.forEach((column, i) => {
    const field = fields[i].padEnd(targetWidth);
    const target = column.via === 'attributes' || column.via === 'ignored' ? paint.dim(field) : field;
    // A name longer than the column is printed whole, and the rest of the line starts under it.
    const name = column.source.length > width ? `${column.source}\n  ${''.padEnd(width)}` : column.source.padEnd(width);
    out(`  ${name}  ${target}  ${column.via.padEnd(viaWidth)}  ${paint.dim(column.sample ?? '')}`);
  });
  if (report.unfed.length > 0) out(`\n${paint.bold('Not fed')} by any column: ${report.unfed.join(', ')}`);
  else out(`\nEvery field the rubric grades is fed by a column.`);
  if (report.suggestions.length === 0) return;
  out(`\n${paint.bold('Suggestions')} (paste into a --mapping file):`);
  for (const s of report.suggestions) {
    out(`  ${s.source} → ${s.target}: ${s.evidence}`);
    out(`    ${JSON.stringify(s.rule)}`);
  }
}
