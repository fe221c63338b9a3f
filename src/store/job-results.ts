import type { Db } from './catalog.js';
import { GOLD_SELECT, storedGold, type GoldColumns } from './gold.js';

/** The stored Silver or Gold result text of each product of a job, in load order, streamed. */
export function jobResultTexts(db: Db, jobId: number, layer: 'silver' | 'gold'): IterableIterator<string> {
  if (layer === 'gold') return jobGoldTexts(db, jobId);
  return db
    .prepare(`SELECT r.result FROM job_items j JOIN ${layer} r ON r.seq = j.seq WHERE j.job_id = ? ORDER BY j.seq`)
    .pluck()
    .iterate(jobId) as IterableIterator<string>;
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
      `SELECT p.id, json_extract(s.record, '$.title') AS title, g.score, g.band, g.top_gap, g.error, g.capped_by
       FROM gold g ${scope} JOIN products p ON p.seq = g.seq LEFT JOIN silver s ON s.seq = g.seq
       ORDER BY g.score IS NOT NULL, g.score, p.seq LIMIT @limit`,
    )
    .all({ ...(jobId === undefined ? {} : { jobId }), limit: Number.isFinite(limit) ? limit : -1 }) as ScoredLine[];
}

/** Each gold result of a job as JSON, the text that was stored before gold had columns. */
function* jobGoldTexts(db: Db, jobId: number): Generator<string> {
  const rows = db
    .prepare(`SELECT p.id, ${GOLD_SELECT} FROM job_items j JOIN gold g ON g.seq = j.seq JOIN products p ON p.seq = j.seq WHERE j.job_id = ? ORDER BY j.seq`)
    .iterate(jobId) as IterableIterator<GoldColumns & { id: string }>;
  for (const row of rows) yield JSON.stringify(storedGold(row, row.id));
}
