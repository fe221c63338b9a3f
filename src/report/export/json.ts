import type { CatalogSummary } from '../../gold/summary.js';
import type { ExportRecord } from './record.js';
import type { Sink } from './sink.js';

export interface ExportMeta {
  exportedAt: string;
}

/** `{schemaVersion, exportedAt, catalogSummary, products}`, one product a line inside the array. */
export async function writeJson(records: Iterable<ExportRecord>, summary: CatalogSummary, sink: Sink, meta: ExportMeta): Promise<number> {
  const head = JSON.stringify({ schemaVersion: 1, exportedAt: meta.exportedAt, catalogSummary: summary });
  await sink.write(`${head.slice(0, -1)},"products":[`);
  let count = 0;
  for (const record of records) {
    await sink.write(`${count === 0 ? '' : ','}\n${JSON.stringify(record)}`);
    count++;
  }
  await sink.write(count === 0 ? ']}\n' : '\n]}\n');
  return count;
}

/** One product record per line, nothing else, for pipelines that read line by line. */
export async function writeJsonl(records: Iterable<ExportRecord>, _summary: CatalogSummary, sink: Sink): Promise<number> {
  let count = 0;
  for (const record of records) {
    await sink.write(`${JSON.stringify(record)}\n`);
    count++;
  }
  return count;
}
