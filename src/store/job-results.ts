import type { Db } from './catalog.js';
import { resultOf, SILVER_SELECT, type SilverColumns } from './silver-columns.js';

/** The stored Gold result text of each product of a job, in load order, streamed. */
export function jobResultTexts(db: Db, jobId: number, layer: 'gold'): IterableIterator<string> {
  return db
    .prepare(`SELECT r.result FROM job_items j JOIN ${layer} r ON r.seq = j.seq WHERE j.job_id = ? ORDER BY j.seq`)
    .pluck()
    .iterate(jobId) as IterableIterator<string>;
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

/** The products of an analyze job, unscored ones first, then worst first, at most `limit` (Infinity: all). */
export function worstOfJob(db: Db, jobId: number, limit: number): ScoredLine[] {
  return db
    .prepare(
      `SELECT p.id, s.title, g.score, g.band, g.top_gap, json_extract(g.result, '$.error') AS error, json_extract(g.result, '$.cappedBy') AS capped_by
       FROM job_items j JOIN gold g ON g.seq = j.seq JOIN products p ON p.seq = j.seq LEFT JOIN silver s ON s.seq = j.seq
       WHERE j.job_id = ? ORDER BY g.score IS NOT NULL, g.score, p.seq LIMIT ?`,
    )
    .all(jobId, Number.isFinite(limit) ? limit : -1) as ScoredLine[];
}
