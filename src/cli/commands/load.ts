import { runLoad, type LoadOptions } from '../../app/load.js';
import { loadedNothing } from '../../app/run.js';
import { ExitCode, UserError } from '../../errors.js';
import { parseEncoding } from '../../ingest/decode.js';
import { megabytes } from '../../ingest/limits.js';
import { DEFAULT_DOWNLOAD, type LoadSummary } from '../../ingest/load.js';
import { checkRejectsPath } from '../../ingest/rejects.js';
import type { RepeatPolicy } from '../../ingest/repeats.js';
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
  sheet?: string;
  maxDownloadMb?: string;
  allowPrivateHosts?: boolean;
  strict?: boolean;
  rejects?: string;
  onRepeat?: RepeatPolicy;
}

export async function loadCommand(flags: LoadFlags, ctx: CliContext): Promise<number> {
  const summary = await loadWithSpinner(flags, ctx);
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
  if (!loadedNothing(summary)) return ExitCode.ok;
  const first = summary.errors[0];
  // The load panel has just shown the error; JSON output shows no panel, so the line says it all.
  const why = !first ? 'every row was refused' : ctx.json ? `${first.file === '-' ? 'stdin' : first.file}: ${first.reason}` : 'see the error above';
  ctx.log(`${ctx.paint.red('✗')} no product loaded from ${summary.rows} row${summary.rows === 1 ? '' : 's'}: ${why}`);
  return ExitCode.usage;
}

/** The load options the flags give; checked before anything is opened, so a typo costs nothing. */
export function loadOptions(flags: LoadFlags, dbPath: string): LoadOptions {
  const files = flags.args[0];
  const encoding = flags.encoding ? parseEncoding(flags.encoding) : undefined;
  const delimiter = flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) throw new UserError('bad_delimiter', `--delimiter takes one character, got '${flags.delimiter}'`);
  const maxFieldBytes = flags.maxFieldMb === undefined ? undefined : megabytes(positiveNumber(flags.maxFieldMb, '--max-field-mb'));
  const rules = flags.mapping ? readMappingFile(flags.mapping) : [];
  if (flags.rejects) checkRejectsPath(flags.rejects, files, dbPath);
  return {
    format: flags.format,
    encoding,
    delimiter,
    sheet: flags.sheet,
    download: { allowPrivateHosts: flags.allowPrivateHosts === true, maxBytes: downloadLimit(flags.maxDownloadMb) },
    idColumn: flags.idColumn,
    onRepeat: flags.onRepeat,
    rules,
    maxFieldBytes,
    strict: flags.strict,
    rejects: flags.rejects,
  };
}

/** Loads the files named on the command line, with a spinner while rows stream in. */
export async function loadWithSpinner(flags: LoadFlags, ctx: CliContext): Promise<LoadSummary> {
  const options = loadOptions(flags, ctx.dbPath);
  const db = openCatalog(ctx.dbPath);
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading', ctx.paint.enabled) : undefined;
  try {
    return await runLoad(db, flags.args[0], {
      ...options,
      onProgress: (event) => event.type === 'rows' && spinner?.update(`Loading: ${event.rows.toLocaleString('en-US')} rows`),
    });
  } finally {
    spinner?.stop();
    db.close();
  }
}

function downloadLimit(value?: string): number {
  if (value === undefined) return DEFAULT_DOWNLOAD.maxBytes;
  const mb = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(mb > 0))
    throw new UserError('bad_max_download', `--max-download-mb takes a positive number of megabytes, got '${value}'`);
  return Math.round(mb * 1024 * 1024);
}
