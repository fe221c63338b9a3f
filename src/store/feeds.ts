import type { Db } from './catalog.js';

export interface FeedValidators {
  etag?: string;
  lastModified?: string;
  loadedAt: number;
}

/** What the server of a feed URL answered at its last complete load, if it was ever loaded. */
export function readFeedValidators(db: Db, url: string): FeedValidators | undefined {
  const row = db.prepare('SELECT etag, last_modified, loaded_at FROM feed_sources WHERE url = ?').get(url) as
    | { etag: string | null; last_modified: string | null; loaded_at: number }
    | undefined;
  if (!row) return undefined;
  return { etag: row.etag ?? undefined, lastModified: row.last_modified ?? undefined, loadedAt: row.loaded_at };
}

export function saveFeedValidators(db: Db, url: string, validators: FeedValidators): void {
  db.prepare(
    `INSERT INTO feed_sources (url, etag, last_modified, loaded_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, loaded_at = excluded.loaded_at`,
  ).run(url, validators.etag ?? null, validators.lastModified ?? null, validators.loadedAt);
}

/**
 * A feed at a URL loads whole or not at all. Its batches are written between these calls (a
 * savepoint spans the awaits of a download, which a better-sqlite3 transaction cannot).
 */
export function beginFeedLoad(db: Db): void {
  db.exec('SAVEPOINT feed_download');
}

/** Takes back what the feed's batches wrote; endFeedLoad still follows. */
export function undoFeedLoad(db: Db): void {
  db.exec('ROLLBACK TO feed_download');
}

export function endFeedLoad(db: Db): void {
  db.exec('RELEASE feed_download');
}
