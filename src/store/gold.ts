import { z } from 'zod';
import { ExitCode, UserError } from '../errors.js';
import { BandsSchema } from '../gold/bands.js';
import { WeightsSchema } from '../gold/weights.js';
import type { BandThresholds, Weights } from '../gold/types.js';
import type { Db } from './catalog.js';
import { rawRowsForSeqs } from './seqs.js';
import { SILVER_SELECT } from './silver-columns.js';
import { parseStored } from './stored-json.js';

export interface AnalyzeInput {
  seq: number;
  id: string;
  /** The silver columns (SILVER_CONTENT_COLUMNS, see `silverOfValues`); null when the product has no silver layer. */
  silver: unknown[] | null;
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

/**
 * The silver of these products as arrays of columns: the scoring thread makes the record and
 * context of them, so this thread (which also writes the catalog) only reads.
 */
export function readForAnalyze(db: Db, seqs: number[]): AnalyzeInput[] {
  const rows = rawRowsForSeqs(
    db,
    (condition) =>
      `SELECT p.seq, p.id, s.seq, s.duplicate_of IS NOT NULL, coalesce(s.broken_urls, 0), s.status, s.silver_hash, s.bronze_hash = p.bronze_hash, ${SILVER_SELECT}
       FROM products p LEFT JOIN silver s ON s.seq = p.seq
       WHERE p.seq ${condition} ORDER BY p.seq`,
    seqs,
  );
  return rows.map((row) => ({
    seq: row[0] as number,
    id: row[1] as string,
    silver: row[2] === null ? null : row.slice(8),
    duplicate: row[3] as number,
    brokenUrls: row[4] as number,
    silverStatus: row[5] as string | null,
    silverHash: row[6] as string | null,
    current: row[7] === 1,
  }));
}

/** Remembers the weights and bands behind a rubric version, so a stored score can be explained again. */
export function saveRubric(db: Db, version: string, weights: unknown, bands: unknown): void {
  db.prepare('INSERT OR IGNORE INTO rubrics (version, weights, bands) VALUES (?, ?, ?)').run(version, JSON.stringify(weights), JSON.stringify(bands));
}

export function readRubric(db: Db, version: string): { weights: Weights; bands: BandThresholds } | undefined {
  const row = db.prepare('SELECT weights, bands FROM rubrics WHERE version = ?').get(version) as { weights: string; bands: string } | undefined;
  if (!row) return undefined;
  const weights = parseStored(row.weights, WeightsSchema);
  const bands = parseStored(row.bands, BandsSchema);
  if (weights.ok && bands.ok) return { weights: weights.value, bands: bands.value };
  const problem = weights.ok ? (bands as { problem: string }).problem : weights.problem;
  throw new UserError(
    'rubric_unreadable',
    `the rubric ${version} stored in the catalog cannot be read by this version of assay (${weights.ok ? 'bands' : 'weights'}: ${problem}): score the products again with 'assay analyze --all'`,
    ExitCode.usage,
  );
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

/**
 * The catalog summary saved when gold was last summarized, if gold has not been written since.
 * One that does not fit `schema` (kept by another version of assay) is not used: it is made again.
 */
export function cachedCatalogSummary<T>(db: Db, schema: z.ZodType<T>): T | undefined {
  const text = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SUMMARY_CACHE) as string | undefined;
  if (text === undefined) return undefined;
  const cached = parseStored(text, z.object({ goldVersion: z.string(), summary: schema }));
  return cached.ok && cached.value.goldVersion === goldVersion(db) ? cached.value.summary : undefined;
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
