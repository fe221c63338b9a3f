import type { Db } from './catalog.js';

/**
 * Pages a job lets the write-ahead log grow to before a commit copies them into the catalog
 * file (SQLite's default is 1,000, about one normalize batch). Each copy ends with an fsync, and
 * pages written by many batches (index pages, the job's rows) are copied once instead of each time.
 */
const JOB_CHECKPOINT_PAGES = 16_384;

/** Checkpoints less often while a job writes batch after batch; returns what restores the setting. */
export function deferCheckpoints(db: Db): () => void {
  const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${JOB_CHECKPOINT_PAGES}`);
  return () => db.pragma(`wal_autocheckpoint = ${before}`);
}
