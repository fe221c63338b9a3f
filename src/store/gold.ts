import { z } from 'zod';
import { ExitCode, UserError } from '../errors.js';
import { BandsSchema } from '../gold/bands.js';
import { WeightsSchema } from '../gold/weights.js';
import { STAGES, type Band, type BandThresholds, type Gap, type GoldError, type GoldResult, type GoldSuccess, type Weights } from '../gold/types.js';
import type { Statement } from 'better-sqlite3';
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

/**
 * One product's gold row as `saveGold` binds it, in the order of ROW_COLUMNS; `saveGold` fills the
 * last two slots (rubric_version, analyzed_at). An array rather than an object: it crosses from
 * the scoring thread, and copying it is part of every product's cost.
 */
export type GoldRow = (string | number | null)[];

const ROW_COLUMNS = [
  'seq',
  'status',
  'error',
  'score',
  'band',
  'feed_ready',
  'channel',
  ...STAGES,
  'capped_by',
  'top_gap',
  'gaps',
  'missing_fields',
  'category_classes',
  'blockers',
  'lost_by_reason',
  'duplicate',
  'broken_urls',
  'silver_hash',
  'rubric_version',
  'analyzed_at',
] as const;
const AT = Object.fromEntries(ROW_COLUMNS.map((column, i) => [column, i])) as Record<(typeof ROW_COLUMNS)[number], number>;

/** A gold result as the catalog keeps it: the per-check detail is computed again when asked for. */
export type StoredGold = Omit<GoldSuccess, 'checks'> | GoldError;

/** The row that stores a product's gold: typed columns, JSON only for the lists. */
export function goldRow(result: StoredGold, facts: { seq: number; duplicate: number; brokenUrls: number; silverHash: string }): GoldRow {
  const row: GoldRow = new Array(ROW_COLUMNS.length).fill(null);
  row[AT.seq] = facts.seq;
  row[AT.status] = result.status;
  row[AT.duplicate] = facts.duplicate;
  row[AT.broken_urls] = facts.brokenUrls;
  row[AT.silver_hash] = facts.silverHash;
  if (result.status === 'error') {
    row[AT.error] = result.error;
    return row;
  }
  row[AT.score] = result.score;
  row[AT.band] = result.band;
  row[AT.feed_ready] = result.feedReady ? 1 : 0;
  row[AT.channel] = result.channel;
  for (let i = 0; i < STAGES.length; i++) row[AT.identity + i] = result.stages[STAGES[i]];
  row[AT.capped_by] = result.cappedBy;
  row[AT.top_gap] = result.gaps[0]?.field ?? null;
  row[AT.gaps] = JSON.stringify(result.gaps);
  row[AT.missing_fields] = JSON.stringify(result.missingFields);
  row[AT.category_classes] = JSON.stringify(result.categoryClasses);
  row[AT.blockers] = JSON.stringify(result.blockers);
  row[AT.lost_by_reason] = JSON.stringify(result.lostByReason);
  return row;
}

/** The columns that hold the result itself (not the facts beside it, nor top_gap, which is the first gap's field). */
const RESULT_COLUMNS = ROW_COLUMNS.slice(AT.status, AT.top_gap).concat(ROW_COLUMNS.slice(AT.gaps, AT.duplicate));

/** The gold columns a reader of whole results selects, from the table aliased `g`, each named `g_<column>`. */
export const GOLD_SELECT = RESULT_COLUMNS.map((column) => `g.${column} AS g_${column}`).join(', ');

/** What GOLD_SELECT reads; `g_status` is null when the product has no gold row. */
export interface GoldColumns {
  g_status: string | null;
  g_error: string | null;
  g_score: number | null;
  g_band: string | null;
  g_feed_ready: number | null;
  g_channel: string | null;
  g_identity: number | null;
  g_taxonomy: number | null;
  g_content: number | null;
  g_media: number | null;
  g_pricing: number | null;
  g_attributes: number | null;
  g_seo: number | null;
  g_capped_by: string | null;
  g_gaps: string | null;
  g_missing_fields: string | null;
  g_category_classes: string | null;
  g_blockers: string | null;
  g_lost_by_reason: string | null;
}

const list = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

/**
 * The result a product's gold columns hold, with its keys in the order the scorer gives them, so
 * that documents written from it are the ones written when gold was stored as one JSON text. A
 * list the scorer did not give yet when the row was written (a null column) stays absent.
 */
export function storedGold(row: GoldColumns, productId: string): StoredGold | null {
  if (row.g_status === null) return null;
  if (row.g_status !== 'success') return { productId, status: 'error', error: row.g_error ?? '' };
  const result = {
    productId,
    status: 'success',
    score: row.g_score,
    band: row.g_band,
    stages: {
      identity: row.g_identity,
      taxonomy: row.g_taxonomy,
      content: row.g_content,
      media: row.g_media,
      pricing: row.g_pricing,
      attributes: row.g_attributes,
      seo: row.g_seo,
    },
    gaps: list(row.g_gaps),
    missingFields: list(row.g_missing_fields),
    feedReady: row.g_feed_ready === 1,
    channel: row.g_channel ?? undefined,
    categoryClasses: list(row.g_category_classes),
    blockers: list(row.g_blockers),
    cappedBy: row.g_capped_by,
    lostByReason: list(row.g_lost_by_reason),
  } as Record<string, unknown>;
  for (const key in result) if (result[key] === undefined) delete result[key];
  return result as StoredGold;
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

const UPSERT = `INSERT INTO gold (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (seq) DO UPDATE SET ${ROW_COLUMNS.slice(1)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}`;
const upserts = new WeakMap<Db, Statement>();

/** Writes gold rows (made by `goldRow`), in the caller's transaction. */
export function saveGold(db: Db, rows: GoldRow[], rubricVersion: string, now: number): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run(GOLD_VERSION);
  let upsert = upserts.get(db);
  if (upsert === undefined) {
    upsert = db.prepare(UPSERT);
    upserts.set(db, upsert);
  }
  for (const row of rows) {
    row[AT.rubric_version] = rubricVersion;
    row[AT.analyzed_at] = now;
    upsert.run(row);
  }
}

export interface GoldScanRow {
  /**
   * The parts of the result that the summary, the gates and the regressions read: the lists they
   * do not (missing fields, blockers, classes) are left out of a scan of the whole catalog.
   */
  result: GoldResult;
  duplicate: number;
  brokenUrls: number;
}

interface ScanColumns {
  id: string | null;
  status: string;
  error: string | null;
  score: number;
  band: Band;
  feed_ready: number;
  identity: number;
  taxonomy: number;
  content: number;
  media: number;
  pricing: number;
  attributes: number;
  seo: number;
  gaps: string;
  lost_by_reason: string;
  duplicate: number;
  broken_urls: number;
}

/** Every gold result of the catalog (or of one job), with the Silver facts the summary counts; `withIds` also reads product ids. */
export function* scanGold(db: Db, jobId?: number, withIds = jobId !== undefined): Generator<GoldScanRow> {
  const sql = `SELECT ${withIds ? 'p.id' : 'NULL AS id'}, g.status, g.error, g.score, g.band, g.feed_ready, ${STAGES.map((stage) => `g.${stage}`).join(', ')},
       g.gaps, g.lost_by_reason, g.duplicate, g.broken_urls FROM gold g
     ${withIds ? 'JOIN products p ON p.seq = g.seq' : ''}
     ${jobId === undefined ? '' : 'JOIN job_items j ON j.seq = g.seq AND j.job_id = ?'} ORDER BY g.seq`;
  const statement = db.prepare(sql);
  for (const row of (jobId === undefined ? statement.iterate() : statement.iterate(jobId)) as IterableIterator<ScanColumns>) {
    const productId = row.id ?? '';
    const facts = { duplicate: row.duplicate, brokenUrls: row.broken_urls };
    if (row.status !== 'success') {
      yield { result: { productId, status: 'error', error: row.error ?? '' }, ...facts };
      continue;
    }
    const stages = {
      identity: row.identity,
      taxonomy: row.taxonomy,
      content: row.content,
      media: row.media,
      pricing: row.pricing,
      attributes: row.attributes,
      seo: row.seo,
    };
    const scanned = {
      productId,
      status: 'success',
      score: row.score,
      band: row.band,
      stages,
      gaps: JSON.parse(row.gaps) as Gap[],
      feedReady: row.feed_ready === 1,
      lostByReason: JSON.parse(row.lost_by_reason ?? '{}') as Record<string, number>,
    };
    yield { result: scanned as GoldResult, ...facts };
  }
}
