import type { Db } from './catalog.js';
import { countGold, GOLD_SELECT, storedGold, type GoldColumns } from './gold.js';
import { resultOf, SILVER_SELECT, type SilverColumns } from './silver-columns.js';

/** The Gold result of each product of a job as JSON text (as it was stored before gold had columns), in load order, streamed. */
export function* jobResultTexts(db: Db, jobId: number): Generator<string> {
  const rows = db
    .prepare(`SELECT p.id, ${GOLD_SELECT} FROM job_items j JOIN gold g ON g.seq = j.seq JOIN products p ON p.seq = j.seq WHERE j.job_id = ? ORDER BY j.seq`)
    .iterate(jobId) as IterableIterator<GoldColumns & { id: string }>;
  for (const row of rows) yield JSON.stringify(storedGold(row, row.id));
}

/** The Silver result of each product of a job as JSON text, in load order, streamed. */
export function* jobSilverResultTexts(db: Db, jobId: number): Generator<string> {
  const rows = db
    .prepare(`SELECT p.id, ${SILVER_SELECT} FROM job_items j JOIN silver s ON s.seq = j.seq JOIN products p ON p.seq = j.seq WHERE j.job_id = ? ORDER BY j.seq`)
    .iterate(jobId) as IterableIterator<SilverColumns & { id: string }>;
  for (const row of rows) yield JSON.stringify(resultOf(row.id, row));
}

/** A product of an analyze job as its results panel lists it. */
export interface ScoredLine {
  id: string;
  title: string | null;
  score: number | null;
  band: string | null;
  top_gap: string | null;
  error: string | null;
  capped_by: string | null;
}

/**
 * The products of an analyze job (or of the whole catalog: undefined), unscored ones first, then
 * worst first, at most `limit` (Infinity: all).
 */
export function worstOfJob(db: Db, jobId: number | undefined, limit: number): ScoredLine[] {
  const columns = 'p.id, s.title, g.score, g.band, g.top_gap, g.error, g.capped_by';
  const joins = 'JOIN products p ON p.seq = g.seq LEFT JOIN silver s ON s.seq = g.seq';
  const most = Number.isFinite(limit) ? limit : -1;
  // In the order of the score index (ties in load order), so the first rows come without sorting
  // a million: unscored products (no score) first, then the scored ones.
  const walk = (where: string) =>
    `SELECT * FROM (SELECT ${columns} FROM gold g INDEXED BY gold_score ${joins} WHERE g.score IS NULL${where} ORDER BY g.score, g.seq LIMIT @most)
     UNION ALL
     SELECT * FROM (SELECT ${columns} FROM gold g INDEXED BY gold_score ${joins} WHERE g.score IS NOT NULL${where} ORDER BY g.score, g.seq LIMIT @most)
     LIMIT @most`;
  if (jobId === undefined) return db.prepare(walk('')).all({ most }) as ScoredLine[];
  // A job over half the catalog or more finds its first products within a few rows of the index
  // (1 ms against 1.3 s for sorting a 1,000,000-product job's); a smaller one sorts its own.
  const items = db.prepare('SELECT count(*) FROM job_items WHERE job_id = ?').pluck().get(jobId) as number;
  if (most >= 0 && items * 2 >= countGold(db)) {
    return db.prepare(walk(' AND EXISTS (SELECT 1 FROM job_items j WHERE j.job_id = @job AND j.seq = g.seq)')).all({ most, job: jobId }) as ScoredLine[];
  }
  return db
    .prepare(
      `SELECT ${columns} FROM job_items j JOIN gold g ON g.seq = j.seq ${joins}
       WHERE j.job_id = ? ORDER BY g.score IS NOT NULL, g.score, p.seq LIMIT ?`,
    )
    .all(jobId, most) as ScoredLine[];
}
