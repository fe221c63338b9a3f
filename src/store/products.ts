import type { SilverProduct, SilverResult } from '../silver/product.js';
import type { Db } from './catalog.js';
import { GOLD_SELECT, storedGold, type GoldColumns, type StoredGold } from './gold.js';
import { recordOf, resultOf, SILVER_SELECT, type SilverColumns } from './silver-columns.js';

/** The layer a product has reached: the highest one current for it. */
export const PRODUCT_STAGES = ['bronze', 'silver', 'gold'] as const;
export const PRODUCT_SORTS = ['score', '-score', 'id', 'loaded'] as const;
export const DEFAULT_PRODUCT_SORT = 'loaded' satisfies (typeof PRODUCT_SORTS)[number];

export interface ProductFilters {
  stage?: (typeof PRODUCT_STAGES)[number];
  band?: string;
  minScore?: number;
  maxScore?: number;
  gap?: string;
  /** A reason code one of the product's gaps gives (`title.all_caps`). */
  gapReason?: string;
  duplicates?: boolean;
  notFeedReady?: boolean;
  brand?: string;
  sort?: (typeof PRODUCT_SORTS)[number];
  limit?: number;
}

export interface ProductListRow {
  seq: number;
  id: string;
  stage: string;
  title: string | null;
  brand: string | null;
  duplicateOf: string | null;
  duplicateReason: string | null;
  brokenUrls: number;
  score: number | null;
  band: string | null;
  feedReady: number | null;
  topGap: string | null;
  rubricVersion: string | null;
}

/** A listed product with its Silver and Gold layers, as exports write it. */
export interface ProductSilverRow extends ProductListRow {
  /** The Silver record: the cleaned product. */
  record: SilverProduct | null;
  silver: SilverResult | null;
  gold: StoredGold | null;
}

/** Valid silver made from the product's current bronze, and not marked stale since. */
const SILVER_CURRENT = `s.status = 'success' AND s.bronze_hash = p.bronze_hash AND NOT EXISTS (SELECT 1 FROM silver_stale m WHERE m.seq = p.seq)`;

/**
 * How far a product got, derived from its layers rather than stored (keeping a column up to
 * date cost every normalize and analyze a rewrite of each product's bronze row): gold when
 * its score was computed from its current silver, silver when that is current and valid.
 * Needs `products p`, `silver s` and `gold g` joined.
 */
export const STAGE_SQL = `CASE
    WHEN ${SILVER_CURRENT} AND g.status = 'success' AND g.silver_hash = s.silver_hash THEN 'gold'
    WHEN ${SILVER_CURRENT} THEN 'silver'
    ELSE 'bronze' END`;

const ORDER: Record<NonNullable<ProductFilters['sort']>, string> = {
  score: 'g.score IS NULL, g.score, p.seq',
  '-score': 'g.score IS NULL, g.score DESC, p.seq',
  id: 'p.id',
  loaded: 'p.seq',
};

/** Products matching the filters, streamed, as `assay products` lists them. */
export function queryProducts(db: Db, filters: ProductFilters): IterableIterator<ProductListRow> {
  const { sql, params } = productsSql(filters, '');
  return db.prepare(sql).iterate(...params) as IterableIterator<ProductListRow>;
}

/** Products matching the filters with their Silver and Gold layers, streamed, as `assay export` writes them. */
export function* queryProductsWithSilver(db: Db, filters: ProductFilters): Generator<ProductSilverRow> {
  const { sql, params } = productsSql(filters, `, s.seq AS silverSeq, ${SILVER_SELECT}, ${GOLD_SELECT}`);
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<ProductListRow & SilverColumns & GoldColumns & { silverSeq: number | null }>) {
    const hasSilver = row.silverSeq !== null;
    yield {
      seq: row.seq,
      id: row.id,
      stage: row.stage,
      title: row.title,
      brand: row.brand,
      duplicateOf: row.duplicateOf,
      duplicateReason: row.duplicateReason,
      brokenUrls: row.brokenUrls,
      score: row.score,
      band: row.band,
      feedReady: row.feedReady,
      topGap: row.topGap,
      rubricVersion: row.rubricVersion,
      record: hasSilver ? recordOf(row.id, row) : null,
      silver: hasSilver ? resultOf(row.id, row) : null,
      gold: storedGold(row, row.id),
    };
  }
}

function productsSql(filters: ProductFilters, extraColumns: string): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filters.stage) add(`(${STAGE_SQL}) = ?`, filters.stage);
  if (filters.band) add('g.band = ?', filters.band);
  if (filters.minScore !== undefined) add('g.score >= ?', filters.minScore);
  if (filters.maxScore !== undefined) add('g.score <= ?', filters.maxScore);
  if (filters.gap) add("EXISTS (SELECT 1 FROM json_each(g.gaps) WHERE json_extract(value, '$.field') = ?)", filters.gap);
  if (filters.gapReason)
    add("EXISTS (SELECT 1 FROM json_each(g.gaps) gap, json_each(gap.value, '$.reasons') reason WHERE reason.value = ?)", filters.gapReason);
  if (filters.duplicates) add('s.duplicate_of IS NOT NULL');
  if (filters.notFeedReady) add('coalesce(g.feed_ready, 0) = 0');
  if (filters.brand) add('s.brand = ? COLLATE NOCASE', filters.brand);
  const sql = `SELECT p.seq, p.id, ${STAGE_SQL} AS stage, s.title, s.brand,
      s.duplicate_of AS duplicateOf, s.duplicate_reason AS duplicateReason, coalesce(s.broken_urls, 0) AS brokenUrls, g.score, g.band, g.feed_ready AS feedReady,
      g.top_gap AS topGap, g.rubric_version AS rubricVersion${extraColumns}
    FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${ORDER[filters.sort ?? DEFAULT_PRODUCT_SORT]}
    ${filters.limit !== undefined ? 'LIMIT ?' : ''}`;
  if (filters.limit !== undefined) params.push(filters.limit);
  return { sql, params };
}
