import { ExitCode, UserError } from '../../errors.js';
import { parseEncoding } from '../../ingest/decode.js';
import { megabytes } from '../../ingest/limits.js';
import { loadFiles, type LoadSummary } from '../../ingest/load.js';
import { checkRejectsPath, createRejectsWriter } from '../../ingest/rejects.js';
import type { Format } from '../../ingest/types.js';
import { renderLoad } from '../../report/load.js';
import { openCatalog } from '../../store/catalog.js';
import type { LoadJson } from '../../report/schemas.js';
import type { CliContext } from '../context.js';
import { startSpinner } from '../progress.js';
import { positiveNumber, readMappingFile } from '../options.js';

export interface LoadFlags {
  args: [string[]];
  format?: Format;
  mapping?: string;
  preset?: string;
  idColumn?: string;
  encoding?: string;
  delimiter?: string;
  maxFieldMb?: string;
  strict?: boolean;
  rejects?: string;
}

export async function loadCommand(flags: LoadFlags, ctx: CliContext): Promise<number> {
  const summary = await runLoad(flags, ctx);
  const doc: LoadJson = { schemaVersion: 1, ...summary };
  if (ctx.json) ctx.out(JSON.stringify(doc));
  else renderLoad(summary, ctx);
  return requireProducts(summary, ctx);
}

/**
 * Rows read but no product loaded is a failed load, whatever the cause: later stages would
 * score nothing and gates would have nothing to judge. Says why once and exits 2.
 */
export function requireProducts(summary: LoadSummary, ctx: CliContext): number {
  if (summary.rows === 0 || summary.total > 0) return ExitCode.ok;
  const first = summary.errors[0];
  // The load panel has just shown the error; JSON output shows no panel, so the line says it all.
  const why = !first ? 'every row was refused' : ctx.json ? `${first.file === '-' ? 'stdin' : first.file}: ${first.reason}` : 'see the error above';
  ctx.log(`${ctx.paint.red('✗')} no product loaded from ${summary.rows} row${summary.rows === 1 ? '' : 's'}: ${why}`);
  return ExitCode.usage;
}

/** Loads the files named on the command line, with a spinner while rows stream in. */
export async function runLoad(flags: LoadFlags, ctx: CliContext): Promise<LoadSummary> {
  const files = flags.args[0];
  const encoding = flags.encoding ? parseEncoding(flags.encoding) : undefined;
  const delimiter = flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) throw new UserError('bad_delimiter', `--delimiter takes one character, got '${flags.delimiter}'`);
  const maxFieldBytes = flags.maxFieldMb === undefined ? undefined : megabytes(positiveNumber(flags.maxFieldMb, '--max-field-mb'));
  const rules = flags.mapping ? readMappingFile(flags.mapping) : [];
  const mapped = { mappedId: rules.find((r) => r.targetField === 'id')?.sourceField, mappedTitle: rules.find((r) => r.targetField === 'title')?.sourceField };
  if (flags.rejects) checkRejectsPath(flags.rejects, files, ctx.dbPath);
  const db = openCatalog(ctx.dbPath);
  const rejects = flags.rejects ? createRejectsWriter(flags.rejects, flags.format === 'json' || flags.format === 'jsonl' || /\.(json|jsonl|ndjson)$/i.test(flags.rejects) ? 'jsonl' : 'csv', delimiter ?? ',') : undefined;
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading', ctx.paint.enabled) : undefined;
  try {
    const summary = await loadFiles(db, files, {
      format: flags.format,
      encoding,
      delimiter,
      idColumn: flags.idColumn,
      ...mapped,
      maxFieldBytes,
      strict: flags.strict,
      onRows: (rows) => spinner?.update(`Loading: ${rows.toLocaleString('en-US')} rows`),
      onHeader: (_file, columns) => rejects?.header(columns),
      onReject: (file, error) => rejects?.write(file, error),
    });
    return summary;
  } finally {
    spinner?.stop();
    await rejects?.close();
    db.close();
  }
}
