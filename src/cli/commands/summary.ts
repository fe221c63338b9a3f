import { summarizeCatalog } from '../../jobs/analyze.js';
import { renderSummary } from '../../report/analyze.js';
import { openCatalog } from '../../store/catalog.js';
import type { SummaryJson } from '../../report/schemas.js';
import type { CliContext } from '../context.js';

export async function summaryCommand(_flags: unknown, ctx: CliContext): Promise<number> {
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const summary = summarizeCatalog(db);
    const doc: SummaryJson = { schemaVersion: 1, catalogSummary: summary };
    if (ctx.json) ctx.out(JSON.stringify(doc));
    else if (summary.products + summary.errors === 0) ctx.log('nothing is scored yet: run assay analyze --all');
    else renderSummary(summary, ctx, 'Catalog');
    return 0;
  } finally {
    db.close();
  }
}
