import { ExitCode, UserError } from '../../errors.js';
import { parseEncoding } from '../../ingest/decode.js';
import { loadFiles, type LoadSummary } from '../../ingest/load.js';
import { checkRejectsPath, createRejectsWriter } from '../../ingest/rejects.js';
import type { RepeatPolicy } from '../../ingest/repeats.js';
import type { Format } from '../../ingest/types.js';
import { renderLoad } from '../../report/load.js';
import { openCatalog } from '../../store/catalog.js';
import type { LoadJson } from '../../report/schemas.js';
import type { CliContext } from '../context.js';
import { startSpinner } from '../progress.js';
import { readMappingFile } from '../options.js';

export interface LoadFlags {
  args: [string[]];
  format?: Format;
  mapping?: string;
  preset?: string;
  idColumn?: string;
  encoding?: string;
  delimiter?: string;
  strict?: boolean;
  rejects?: string;
  onRepeat?: RepeatPolicy;
}

export async function loadCommand(flags: LoadFlags, ctx: CliContext): Promise<number> {
  const summary = await runLoad(flags, ctx);
  const doc: LoadJson = { schemaVersion: 1, ...summary };
  if (ctx.json) ctx.out(JSON.stringify(doc));
  else renderLoad(summary, ctx);
  return ExitCode.ok;
}

/** Loads the files named on the command line, with a spinner while rows stream in. */
export async function runLoad(flags: LoadFlags, ctx: CliContext): Promise<LoadSummary> {
  const files = flags.args[0];
  const encoding = flags.encoding ? parseEncoding(flags.encoding) : undefined;
  const delimiter = flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) throw new UserError('bad_delimiter', `--delimiter takes one character, got '${flags.delimiter}'`);
  const rules = flags.mapping ? readMappingFile(flags.mapping) : [];
  const mapped = { mappedId: rules.find((r) => r.targetField === 'id')?.sourceField, mappedTitle: rules.find((r) => r.targetField === 'title')?.sourceField };
  if (flags.rejects) checkRejectsPath(flags.rejects, files);
  const db = openCatalog(ctx.dbPath);
  const rejects = flags.rejects ? createRejectsWriter(flags.rejects, flags.format === 'json' || flags.format === 'jsonl' || /\.(json|jsonl|ndjson)$/i.test(flags.rejects) ? 'jsonl' : 'csv', delimiter ?? ',') : undefined;
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading', ctx.paint.enabled) : undefined;
  try {
    const summary = await loadFiles(db, files, {
      format: flags.format,
      encoding,
      delimiter,
      idColumn: flags.idColumn,
      onRepeat: flags.onRepeat,
      ...mapped,
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
