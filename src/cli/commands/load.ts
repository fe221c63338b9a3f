import { ExitCode, UserError } from '../../errors.js';
import { parseEncoding } from '../../ingest/decode.js';
import { megabytes } from '../../ingest/limits.js';
import { DEFAULT_DOWNLOAD, loadFiles, type LoadSummary } from '../../ingest/load.js';
import { checkRejectsPath, createRejectsWriter } from '../../ingest/rejects.js';
import type { RepeatPolicy } from '../../ingest/repeats.js';
import type { Format } from '../../ingest/types.js';
import { formatNamed } from '../../ingest/formats.js';
import { formatOf } from '../../ingest/source.js';
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
  sheet?: string;
  maxDownloadMb?: string;
  allowPrivateHosts?: boolean;
  strict?: boolean;
  rejects?: string;
  onRepeat?: RepeatPolicy;
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
  const rejects = flags.rejects ? createRejectsWriter(flags.rejects, rejectsKind(flags.rejects, files, flags.format), delimiter ?? ',') : undefined;
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading', ctx.paint.enabled) : undefined;
  try {
    const summary = await loadFiles(db, files, {
      format: flags.format,
      encoding,
      delimiter,
      sheet: flags.sheet,
      download: { ...DEFAULT_DOWNLOAD, allowPrivateHosts: flags.allowPrivateHosts === true, maxBytes: downloadLimit(flags.maxDownloadMb) },
      idColumn: flags.idColumn,
      onRepeat: flags.onRepeat,
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

/** The rejects file takes the form the first input's format gives it, unless its own name says JSON Lines. */
function rejectsKind(path: string, files: string[], format?: Format): 'csv' | 'jsonl' {
  if (/\.(json|jsonl|ndjson)$/i.test(path)) return 'jsonl';
  try {
    return formatNamed(formatOf(files[0], format)).rejects;
  } catch {
    return 'csv';
  }
}

function downloadLimit(value?: string): number {
  if (value === undefined) return DEFAULT_DOWNLOAD.maxBytes;
  const mb = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(mb > 0)) throw new UserError('bad_max_download', `--max-download-mb takes a positive number of megabytes, got '${value}'`);
  return Math.round(mb * 1024 * 1024);
}
