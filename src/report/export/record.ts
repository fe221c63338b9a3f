import type { GoldSuccess } from '../../gold/types.js';
import type { SilverProduct, SilverResult } from '../../silver/product.js';
import type { StoredGold } from '../../store/gold.js';
import type { ProductSilverRow } from '../../store/products.js';

/** One exported product: the same record in every format. */
export interface ExportRecord {
  id: string;
  stage: string;
  title: string | null;
  brand: string | null;
  /** The cleaned product in the Silver schema, beside the results. */
  record: SilverProduct | null;
  silver: SilverResult | null;
  gold: StoredGold | null;
  /** The rubric the score was made under: a baseline is compared only with runs under the same one. */
  rubricVersion: string | null;
}

function toExportRecord(row: ProductSilverRow): ExportRecord {
  return {
    id: row.id,
    stage: row.stage,
    title: row.title,
    brand: row.brand,
    record: row.record,
    silver: row.silver,
    gold: row.gold,
    rubricVersion: row.rubricVersion,
  };
}

export function* mapRecords(rows: Iterable<ProductSilverRow>): Generator<ExportRecord> {
  for (const row of rows) yield toExportRecord(row);
}

export function scored(record: ExportRecord): Omit<GoldSuccess, 'checks'> | null {
  return record.gold?.status === 'success' ? record.gold : null;
}

/** Why a product has no score, for the junit and html writers. */
export function unscoredReason(record: ExportRecord): string {
  if (record.gold?.status === 'error') return record.gold.error;
  if (record.silver?.status === 'error') return `normalize failed: ${record.silver.error ?? 'unknown error'}`;
  return record.stage === 'bronze' ? 'not normalized yet: run assay normalize' : 'not analyzed yet: run assay analyze';
}

/** Points to two decimals at most, as the summary rounds them. */
export function points(value: number): string {
  return String(Math.round(value * 100) / 100);
}
