import { parseEncoding } from '../../ingest/decode.js';
import { headerOf, sampleFile } from '../../ingest/sample.js';
import type { Format } from '../../ingest/types.js';
import { renderColumns } from '../../report/columns.js';
import { COLUMN_SAMPLE, describeColumns } from '../../silver/column-report.js';
import { sampleBronze } from '../../store/bronze.js';
import { openCatalog } from '../../store/catalog.js';
import type { CliContext } from '../context.js';
import { config, positiveInt, readMappingFile } from '../options.js';

export interface ColumnsFlags {
  args: string[];
  format?: Format;
  encoding?: string;
  delimiter?: string;
  mapping?: string;
  preset?: string;
  sample?: string;
}

export async function columnsCommand(flags: ColumnsFlags, ctx: CliContext): Promise<number> {
  const cfg = config(ctx);
  const limit = positiveInt(flags.sample, '--sample') ?? COLUMN_SAMPLE;
  const file = flags.args[0];
  let header: string[];
  let rows: Record<string, string>[];
  if (file !== undefined) {
    const encoding = flags.encoding === undefined ? undefined : parseEncoding(flags.encoding);
    ({ header, rows } = await sampleFile(file, { format: flags.format, encoding, delimiter: flags.delimiter }, limit));
  } else {
    const db = openCatalog(ctx.dbPath, { mustExist: true });
    try {
      rows = sampleBronze(db, limit);
      header = headerOf(rows);
    } finally {
      db.close();
    }
  }
  const rules = flags.mapping ? readMappingFile(flags.mapping) : (cfg.mapping ?? []);
  const report = describeColumns(header, rows, { preset: flags.preset ?? cfg.preset, rules });
  if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, source: file ?? ctx.dbPath, sampled: rows.length, ...report }));
  else renderColumns(report, file ?? ctx.dbPath, ctx);
  return 0;
}
