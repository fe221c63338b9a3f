import { readFileSync } from 'node:fs';
import { ExitCode, UserError } from '../../errors.js';
import { parseEncoding } from '../../ingest/decode.js';
import { loadFiles } from '../../ingest/load.js';
import { createRejectsWriter } from '../../ingest/rejects.js';
import type { Format } from '../../ingest/types.js';
import { renderLoad } from '../../report/load.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { startSpinner } from '../progress.js';

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
}

export async function loadCommand(flags: LoadFlags, ctx: CliContext): Promise<number> {
  const files = flags.args[0];
  const encoding = flags.encoding ? parseEncoding(flags.encoding) : undefined;
  const delimiter = flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) throw new UserError('bad_delimiter', `--delimiter takes one character, got '${flags.delimiter}'`);
  const mapped = flags.mapping ? mappedColumns(flags.mapping) : {};
  const db = openCatalog(ctx.dbPath);
  const rejects = flags.rejects ? createRejectsWriter(flags.rejects, flags.format === 'json' || flags.format === 'jsonl' || /\.(json|jsonl|ndjson)$/i.test(flags.rejects) ? 'jsonl' : 'csv', delimiter ?? ',') : undefined;
  const spinner = ctx.interactive && !ctx.json ? startSpinner('Loading') : undefined;
  try {
    const summary = await loadFiles(db, files, {
      format: flags.format,
      encoding,
      delimiter,
      idColumn: flags.idColumn,
      ...mapped,
      strict: flags.strict,
      onRows: (rows) => spinner?.update(`Loading: ${rows.toLocaleString('en-US')} rows`),
      onHeader: (_file, columns) => rejects?.header(columns),
      onReject: (file, error) => rejects?.write(file, error),
    });
    spinner?.stop();
    if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, ...summary }));
    else renderLoad(summary, ctx);
    return ExitCode.ok;
  } finally {
    spinner?.stop();
    await rejects?.close();
    db.close();
  }
}

/** The source columns a mapping file sends to id and title: load needs them before normalize runs. */
function mappedColumns(path: string): { mappedId?: string; mappedTitle?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('mapping_unreadable', `${path}: cannot read the mapping file: ${(error as Error).message}`);
  }
  const rules = (Array.isArray(parsed) ? parsed : (parsed as { rules?: unknown }).rules) as { sourceField?: string; targetField?: string }[] | undefined;
  if (!Array.isArray(rules)) throw new UserError('mapping_invalid', `${path}: expected an array of {sourceField, targetField} rules, or {"rules": [...]}`);
  const find = (target: string) => rules.find((r) => r.targetField === target)?.sourceField;
  return { mappedId: find('id'), mappedTitle: find('title') };
}
