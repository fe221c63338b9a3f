import type { Db } from './catalog.js';

export interface ResolvedScope {
  seqs: number[];
  /** Requested ids that are not in the catalog. */
  missing: string[];
}

const ID_CHUNK = 500;

export function allSeqs(db: Db): number[] {
  return db.prepare('SELECT seq FROM products ORDER BY seq').pluck().all() as number[];
}

export function seqsForIds(db: Db, ids: string[]): ResolvedScope {
  const found = new Map<string, number>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    const rows = db.prepare(`SELECT id, seq FROM products WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as { id: string; seq: number }[];
    for (const row of rows) found.set(row.id, row.seq);
  }
  const seqs = [...new Set(found.values())].sort((a, b) => a - b);
  return { seqs, missing: ids.filter((id) => !found.has(id)) };
}

/**
 * Products whose bronze changed since their last normalize, never normalized, normalized under
 * settings other than the `current` ones (silver keeping `alsoCurrent` counts as current too),
 * or marked stale since (a duplicate link or brand spelling they follow moved).
 */
export function staleForNormalize(db: Db, current: string, alsoCurrent = current): number[] {
  return db
    .prepare(
      `SELECT p.seq FROM products p LEFT JOIN silver s INDEXED BY silver_hashes ON s.seq = p.seq
       WHERE s.seq IS NULL OR s.bronze_hash <> p.bronze_hash OR s.config_hash NOT IN (?, ?)
       UNION SELECT seq FROM silver_stale ORDER BY 1`,
    )
    .pluck()
    .all(current, alsoCurrent) as number[];
}

/** Products whose silver or the rubric changed since their last analyze (or never analyzed). */
export function staleForAnalyze(db: Db, rubricVersion: string): number[] {
  return db
    .prepare(
      `SELECT p.seq FROM products p LEFT JOIN silver s INDEXED BY silver_hashes ON s.seq = p.seq LEFT JOIN gold g INDEXED BY gold_hashes ON g.seq = p.seq
       WHERE g.seq IS NULL OR g.silver_hash IS NOT s.silver_hash OR g.rubric_version <> ? ORDER BY p.seq`,
    )
    .pluck()
    .all(rubricVersion) as number[];
}

export function countProducts(db: Db): number {
  return db.prepare('SELECT count(*) FROM products').pluck().get() as number;
}
