import { UserError } from '../../errors.js';
import { checkOutputs } from '../../files/output-guard.js';
import { isStdoutPath } from '../../files/same-file.js';
import { DEFAULT_THRESHOLD, exportCatalog, type ExportFormat } from '../../report/export/index.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { parseFilters, type FilterFlags } from '../filters.js';
import { config } from '../options.js';

export interface ExportFlags extends FilterFlags {
  format: ExportFormat;
  out: string;
  threshold?: string;
}

/** --threshold, else the config file's min-score gate (--min-score is a filter here), else 65. */
function threshold(flags: ExportFlags, ctx: CliContext): number {
  if (flags.threshold === undefined) return config(ctx).gates?.minScore ?? DEFAULT_THRESHOLD;
  const n = Number(flags.threshold);
  if (flags.threshold.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new UserError('bad_flag', `--threshold takes a score from 0 to 100, got '${flags.threshold}'`);
  return n;
}

export async function exportCommand(flags: ExportFlags, ctx: CliContext): Promise<number> {
  const filters = parseFilters(flags);
  const options = { threshold: threshold(flags, ctx), exportedAt: new Date().toISOString() };
  checkOutputs([{ flag: '--out ', path: flags.out }], { catalog: ctx.dbPath });
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const count = await exportCatalog(db, flags.format, flags.out, filters, options);
    const toStdout = isStdoutPath(flags.out);
    ctx.log(`wrote ${count} product${count === 1 ? '' : 's'} as ${flags.format} to ${flags.out === '-' ? 'stdout' : flags.out}`);
    if (ctx.json && !toStdout) ctx.out(JSON.stringify({ schemaVersion: 1, format: flags.format, out: flags.out, products: count }));
    return 0;
  } finally {
    db.close();
  }
}
