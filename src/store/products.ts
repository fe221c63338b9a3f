import type { Db } from './catalog.js';
import { GOLD_SELECT, storedGold, type GoldColumns, type StoredGold } from './gold.js';

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
  /** The Silver record (the cleaned product) as JSON. */
  silverRecord: string | null;
  silverResult: string | null;
  /** The stored gold result; read only when `queryProducts` is asked for it. */
  goldResult: StoredGold | null;
  rubricVersion: string | null;
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

/** Products matching the filters, streamed; shared by `assay products` and `assay export` (which reads the gold results too). */
export function* queryProducts(db: Db, filters: ProductFilters, options: { withGold?: boolean } = {}): Generator<ProductListRow> {
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
  if (filters.brand) add("json_extract(s.record, '$.brand') = ? COLLATE NOCASE", filters.brand);
  const sql = `SELECT p.seq, p.id, ${STAGE_SQL} AS stage, json_extract(s.record, '$.title') AS title, json_extract(s.record, '$.brand') AS brand,
      s.duplicate_of AS duplicateOf, json_extract(s.result, '$.duplicateReason') AS duplicateReason, coalesce(s.broken_urls, 0) AS brokenUrls, g.score, g.band, g.feed_ready AS feedReady,
      g.top_gap AS topGap, s.record AS silverRecord, s.result AS silverResult, ${options.withGold ? GOLD_SELECT : 'g.status AS g_status'}, g.rubric_version AS rubricVersion
    FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${ORDER[filters.sort ?? DEFAULT_PRODUCT_SORT]}
    ${filters.limit !== undefined ? 'LIMIT ?' : ''}`;
  if (filters.limit !== undefined) params.push(filters.limit);
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<Omit<ProductListRow, 'goldResult'> & GoldColumns>) {
    yield { ...row, goldResult: options.withGold ? storedGold(row, row.id) : null };
  }
}
