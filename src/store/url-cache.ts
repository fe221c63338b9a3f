import type Database from 'better-sqlite3';
import type { UrlCache, UrlCheckResult } from '../urls/index.js';
import { URL_REASONS, type UrlReason } from '../urls/index.js';

/** The table the catalog migration creates; tests create it from here too. */
export const URL_CACHE_DDL =
  'CREATE TABLE IF NOT EXISTS url_cache (url TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT, status INTEGER, content_type TEXT, width INTEGER, height INTEGER, detail TEXT, checked_at INTEGER NOT NULL) WITHOUT ROWID';

const DEFAULT_URL_TTL_MS = 24 * 60 * 60 * 1000;

export interface UrlCacheOptions {
  /** Results older than this are asked again. */
  ttlMs?: number;
  /** Ignore stored results (still store new ones). */
  recheck?: boolean;
}

interface UrlCacheRow {
  url: string;
  state: string;
  reason: string | null;
  status: number | null;
  content_type: string | null;
  width: number | null;
  height: number | null;
  detail: string | null;
  checked_at: number;
}

/** SQLite caps bound parameters (32,766 by default); 500 keeps each statement small. */
const CHUNK = 500;
const KNOWN_REASONS: ReadonlySet<string> = new Set(URL_REASONS);

/** A URL cache over the catalog's `url_cache` table. Temporary failures are never stored. */
export function createUrlCache(db: Database.Database, options: UrlCacheOptions = {}): UrlCache {
  const ttlMs = options.ttlMs ?? DEFAULT_URL_TTL_MS;
  const selects = new Map<number, Database.Statement>();
  const upsert = db.prepare(
    `INSERT INTO url_cache (url, state, reason, status, content_type, width, height, detail, checked_at)
     VALUES (@url, @state, @reason, @status, @content_type, @width, @height, @detail, @checked_at)
     ON CONFLICT (url) DO UPDATE SET state = excluded.state, reason = excluded.reason, status = excluded.status,
       content_type = excluded.content_type, width = excluded.width, height = excluded.height,
       detail = excluded.detail, checked_at = excluded.checked_at`,
  );
  const putAll = db.transaction((rows: UrlCacheRow[]) => {
    for (const row of rows) upsert.run(row);
  });

  function select(size: number): Database.Statement {
    let statement = selects.get(size);
    if (!statement) {
      const marks = Array.from({ length: size }, () => '?').join(', ');
      statement = db.prepare(`SELECT * FROM url_cache WHERE checked_at > ? AND url IN (${marks})`);
      selects.set(size, statement);
    }
    return statement;
  }

  return {
    get(urls, now) {
      const found = new Map<string, UrlCheckResult>();
      if (options.recheck) return found;
      const distinct = [...new Set(urls)];
      for (let start = 0; start < distinct.length; start += CHUNK) {
        const chunk = distinct.slice(start, start + CHUNK);
        for (const row of select(chunk.length).all(now - ttlMs, ...chunk) as UrlCacheRow[]) {
          const result = fromRow(row);
          if (result) found.set(result.url, result);
        }
      }
      return found;
    },
    put(results) {
      const rows = results.filter((result) => !result.temporary).map(toRow);
      if (rows.length > 0) putAll(rows);
    },
  };
}

function toRow(result: UrlCheckResult): UrlCacheRow {
  return {
    url: result.url,
    state: result.state,
    reason: result.reason ?? null,
    status: result.status ?? null,
    content_type: result.contentType ?? null,
    width: result.width ?? null,
    height: result.height ?? null,
    detail: result.detail ?? null,
    checked_at: result.checkedAt,
  };
}

/** Rows written by another version with an unknown state or reason are treated as absent, so asked again. */
function fromRow(row: UrlCacheRow): UrlCheckResult | undefined {
  if (row.state !== 'valid' && row.state !== 'broken') return undefined;
  if (row.reason !== null && !KNOWN_REASONS.has(row.reason)) return undefined;
  const result: UrlCheckResult = { url: row.url, state: row.state, temporary: false, checkedAt: row.checked_at };
  if (row.reason !== null) result.reason = row.reason as UrlReason;
  if (row.detail !== null) result.detail = row.detail;
  if (row.status !== null) result.status = row.status;
  if (row.content_type !== null) result.contentType = row.content_type;
  if (row.width !== null) result.width = row.width;
  if (row.height !== null) result.height = row.height;
  return result;
}
