import type { Db } from './catalog.js';
import { GOLD_SELECT, storedGold, type GoldColumns } from './gold.js';
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
  const scope = jobId === undefined ? '' : 'JOIN job_items j ON j.seq = g.seq AND j.job_id = @jobId';
  return db
    .prepare(
      `SELECT p.id, s.title, g.score, g.band, g.top_gap, g.error, g.capped_by
       FROM gold g ${scope} JOIN products p ON p.seq = g.seq LEFT JOIN silver s ON s.seq = g.seq
       ORDER BY g.score IS NOT NULL, g.score, p.seq LIMIT @limit`,
    )
    .all({ ...(jobId === undefined ? {} : { jobId }), limit: Number.isFinite(limit) ? limit : -1 }) as ScoredLine[];
}
