import type { Db } from './catalog.js';
import { rowsForSeqs } from './seqs.js';

export interface AnalyzeInput {
  seq: number;
  id: string;
  /** Null when the product has no current silver layer. */
  record: string | null;
  context: string | null;
  duplicate: number;
  brokenUrls: number;
  silverStatus: string | null;
  silverHash: string | null;
  /** False when bronze changed after the last normalize. */
  current: boolean;
}

export interface GoldRow {
  seq: number;
  result: string;
  status: string;
  score: number | null;
  band: string | null;
  feedReady: number | null;
  topGap: string | null;
  duplicate: number;
  brokenUrls: number;
  silverHash: string;
}

export function readForAnalyze(db: Db, seqs: number[]): AnalyzeInput[] {
  const rows = rowsForSeqs<Omit<AnalyzeInput, 'current'> & { current: number | null }>(
    db,
    (condition) =>
      `SELECT p.seq, p.id, s.record, s.context, (s.duplicate_of IS NOT NULL) AS duplicate, coalesce(s.broken_urls, 0) AS brokenUrls, s.status AS silverStatus, s.silver_hash AS silverHash,
              (s.bronze_hash = p.bronze_hash) AS current
       FROM products p LEFT JOIN silver s ON s.seq = p.seq
       WHERE p.seq ${condition} ORDER BY p.seq`,
    seqs,
  );
  return rows.map((row) => ({ ...row, current: row.current === 1 }));
}

/** Remembers the weights and bands behind a rubric version, so a stored score can be explained again. */
export function saveRubric(db: Db, version: string, weights: unknown, bands: unknown): void {
  db.prepare('INSERT OR IGNORE INTO rubrics (version, weights, bands) VALUES (?, ?, ?)').run(version, JSON.stringify(weights), JSON.stringify(bands));
}

export function readRubric(db: Db, version: string): { weights: unknown; bands: unknown } | undefined {
  const row = db.prepare('SELECT weights, bands FROM rubrics WHERE version = ?').get(version) as { weights: string; bands: string } | undefined;
  return row ? { weights: JSON.parse(row.weights), bands: JSON.parse(row.bands) } : undefined;
}

export function countGold(db: Db): number {
  return (db.prepare('SELECT count(*) FROM gold').pluck().get() as number) ?? 0;
}

const GOLD_VERSION = 'gold_version';
/** The meta key of the cached catalog summary; a new summary shape needs a new key. */
const SUMMARY_CACHE = 'catalog_summary_v2';

/** A counter every write of gold rows bumps: a summary cached at one value is current while it stays. */
function goldVersion(db: Db): string {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(GOLD_VERSION) as string | undefined) ?? '0';
}

/** The catalog summary saved when gold was last summarized, if gold has not been written since. */
export function cachedCatalogSummary<T>(db: Db): T | undefined {
  const text = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SUMMARY_CACHE) as string | undefined;
  if (text === undefined) return undefined;
  const cached = JSON.parse(text) as { goldVersion: string; summary: T };
  return cached.goldVersion === goldVersion(db) ? cached.summary : undefined;
}

/** Keeps the summary of the whole catalog's gold as it is now; for the job that wrote it. */
export function cacheCatalogSummary(db: Db, summary: unknown): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(SUMMARY_CACHE, JSON.stringify({ goldVersion: goldVersion(db), summary }));
}

export function saveGold(db: Db, rows: GoldRow[], rubricVersion: string, now: number): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run(GOLD_VERSION);
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO gold (seq, result, status, score, band, feed_ready, top_gap, duplicate, broken_urls, silver_hash, rubric_version, analyzed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    upsert.run(r.seq, r.result, r.status, r.score, r.band, r.feedReady, r.topGap, r.duplicate, r.brokenUrls, r.silverHash, rubricVersion, now);
  }
}

export interface GoldScanRow {
  result: string;
  duplicate: number;
  brokenUrls: number;
}

/** Every gold result of the catalog (or of one job), with the Silver facts the summary counts. */
export function* scanGold(db: Db, jobId?: number): Generator<GoldScanRow> {
  const sql = `SELECT g.result, g.duplicate, g.broken_urls AS brokenUrls FROM gold g
     ${jobId === undefined ? '' : 'JOIN job_items j ON j.seq = g.seq AND j.job_id = ?'} ORDER BY g.seq`;
  const statement = db.prepare(sql);
  yield* (jobId === undefined ? statement.iterate() : statement.iterate(jobId)) as IterableIterator<GoldScanRow>;
}
