import type { Db } from './catalog.js';
import { GOLD_SELECT, storedGold, type GoldColumns } from './gold.js';
import { STAGE_SQL } from './products.js';
import { contextOf, recordOf, resultOf, SILVER_SELECT, type SilverColumns } from './silver-columns.js';
import { isSilverStale } from './stale-silver.js';

export interface ProductLayers {
  seq: number;
  id: string;
  stage: string;
  bronze: Record<string, string>;
  source: { file: string; line: number; hash: string; loadedAt: number; updatedAt: number };
  silver: { record: unknown; result: unknown; context: unknown; current: boolean; normalizedAt: number } | null;
  gold: { result: unknown; rubricVersion: string; current: boolean; analyzedAt: number } | null;
  brand: { canonical: string; aliases: string[]; source: string } | null;
  /** Products that are linked to this one as their canonical product. */
  duplicates: string[];
}

interface Row extends SilverColumns, GoldColumns {
  seq: number;
  id: string;
  stage: string;
  bronze: string;
  bronze_hash: string;
  source_file: string;
  source_line: number;
  loaded_at: number;
  updated_at: number;
  s_seq: number | null;
  s_bronze_hash: string | null;
  silver_hash: string | null;
  normalized_at: number | null;
  g_silver_hash: string | null;
  rubric_version: string | null;
  analyzed_at: number | null;
  brand_key: string | null;
}

/** One product with its three layers, its brand entry and the products that duplicate it. */
export function readProduct(db: Db, id: string): ProductLayers | undefined {
  const row = db
    .prepare(
      `SELECT p.seq, p.id, p.bronze, p.bronze_hash, p.source_file, p.source_line, p.loaded_at, p.updated_at, ${STAGE_SQL} AS stage, s.seq AS s_seq, ${SILVER_SELECT}, s.bronze_hash AS s_bronze_hash, s.silver_hash, s.normalized_at,
              ${GOLD_SELECT}, g.silver_hash AS g_silver_hash, g.rubric_version, g.analyzed_at, k.brand_key
       FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq LEFT JOIN product_keys k ON k.seq = p.seq
       WHERE p.id = ?`,
    )
    .get(id) as Row | undefined;
  if (!row) return undefined;
  const brand = row.brand_key
    ? (db.prepare('SELECT canonical, aliases, source FROM brands WHERE key = ?').get(row.brand_key) as
        | { canonical: string; aliases: string; source: string }
        | undefined)
    : undefined;
  const duplicates = db
    .prepare('SELECT p.id FROM silver s JOIN products p ON p.seq = s.seq WHERE s.duplicate_of = ? ORDER BY p.seq LIMIT 100')
    .pluck()
    .all(id) as string[];
  return {
    seq: row.seq,
    id: row.id,
    stage: row.stage,
    bronze: JSON.parse(row.bronze) as Record<string, string>,
    source: { file: row.source_file, line: row.source_line, hash: row.bronze_hash, loadedAt: row.loaded_at, updatedAt: row.updated_at },
    silver:
      row.s_seq !== null
        ? {
            record: recordOf(row.id, row),
            result: resultOf(row.id, row),
            context: contextOf(row),
            current: row.s_bronze_hash === row.bronze_hash && !isSilverStale(db, row.seq),
            normalizedAt: row.normalized_at!,
          }
        : null,
    gold: row.g_status
      ? { result: storedGold(row, row.id), rubricVersion: row.rubric_version!, current: row.g_silver_hash === row.silver_hash, analyzedAt: row.analyzed_at! }
      : null,
    brand: brand ? { canonical: brand.canonical, aliases: JSON.parse(brand.aliases) as string[], source: brand.source } : null,
    duplicates,
  };
}
