import type { CatalogSummary } from '../../gold/summary.js';
import { summarizeCatalog } from '../../jobs/analyze.js';
import type { Db } from '../../store/catalog.js';
import { queryProductsWithSilver, type ProductFilters } from '../../store/products.js';
import { writeCsv } from './csv.js';
import { writeHtml } from './html.js';
import { writeJson, writeJsonl } from './json.js';
import { writeJunit } from './junit.js';
import { writeMerchantTsv } from './merchant-tsv.js';
import { mapRecords, type ExportRecord } from './record.js';
import { openSink, type Sink } from './sink.js';

import { DEFAULT_THRESHOLD, EXPORT_FORMATS, type ExportFormat } from './formats.js';

export { DEFAULT_THRESHOLD, EXPORT_FORMATS, type ExportFormat };

export interface ExportOptions {
  /** junit: products scoring under this fail. */
  threshold: number;
  /** ISO time stamped into json, junit and html. */
  exportedAt: string;
}

type Writer = (records: Iterable<ExportRecord>, summary: CatalogSummary, sink: Sink, options: ExportOptions) => Promise<number>;

const WRITERS: Record<ExportFormat, Writer> = {
  csv: writeCsv,
  json: writeJson,
  jsonl: writeJsonl,
  junit: writeJunit,
  html: writeHtml,
  'merchant-tsv': writeMerchantTsv,
};

/** Writes the records to `out` (`-` is stdout) in one format; returns how many products it wrote. */
export async function writeExport(
  format: ExportFormat,
  out: string,
  records: Iterable<ExportRecord>,
  summary: CatalogSummary,
  options: ExportOptions,
): Promise<number> {
  const sink = await openSink(out);
  try {
    const count = await WRITERS[format](records, summary, sink, options);
    await sink.close();
    return count;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** The products matching the filters, with the whole catalog's summary, as `assay export` and `assay run --export` write them. */
export async function exportCatalog(db: Db, format: ExportFormat, out: string, filters: ProductFilters, options: ExportOptions): Promise<number> {
  // Read the summary first, and open the product cursor only when the writer starts reading:
  // better-sqlite3 runs no other statement, and cannot close, while a cursor is open.
  const summary = summarizeCatalog(db);
  function* records(): Generator<ExportRecord> {
    yield* mapRecords(queryProductsWithSilver(db, filters));
  }
  return writeExport(format, out, records(), summary, options);
}
