import type { Db } from './catalog.js';
import { rawRowsForSeqs, rowsForSeqs } from './seqs.js';
import type { DuplicateRef } from '../silver/duplicates.js';
import { SILVER_CONTENT_COLUMNS } from './silver-columns.js';
import { codeOfKeySql, isKeyOfCodeSql, MAX_CODE_HOLDERS, markBrandChanges, markMovedLinks, recordChangedKeys, settleStale } from './stale-silver.js';

export interface BronzeRow {
  seq: number;
  id: string;
  bronze: string;
  bronzeHash: string;
}

export interface KeyRow {
  seq: number;
  bronzeHash: string;
  brand: string | null;
  brandKey: string | null;
  keys: string[];
}

export interface SilverRow {
  seq: number;
  /** The silver table's content columns, in SILVER_CONTENT_COLUMNS order (see `columnsOf`). */
  columns: unknown[];
  duplicateOf: string | null;
  bronzeHash: string;
  silverHash: string;
}

const CHUNK = 500;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

export function readBronze(db: Db, seqs: number[]): BronzeRow[] {
  return rowsForSeqs<BronzeRow>(db, (condition) => `SELECT seq, id, bronze, bronze_hash AS bronzeHash FROM products WHERE seq ${condition} ORDER BY seq`, seqs);
}

/**
 * The bronze of these products with their keys from the duplicate index (JSON, `keys[i]` for
 * `rows[i]`), when the index holds them for this bronze and these settings, null otherwise: a
 * batch after indexing need not compute them again. Read as arrays and made into one object
 * per row: a rest spread per row cost the main thread of normalize a copy of every row.
 */
export function readIndexedBronze(db: Db, seqs: number[], configHash: string): { rows: BronzeRow[]; keys: (string | null)[] } {
  const raw = rawRowsForSeqs(
    db,
    (condition) =>
      `SELECT p.seq, p.id, p.bronze, p.bronze_hash, k.keys, k.config_hash
       FROM products p LEFT JOIN product_keys k ON k.seq = p.seq AND k.bronze_hash = p.bronze_hash WHERE p.seq ${condition} ORDER BY p.seq`,
    seqs,
  );
  const rows: BronzeRow[] = new Array(raw.length);
  const keys: (string | null)[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    rows[i] = { seq: r[0] as number, id: r[1] as string, bronze: r[2] as string, bronzeHash: r[3] as string };
    keys[i] = r[5] === configHash ? (r[4] as string) : null;
  }
  return { rows, keys };
}

/**
 * Products whose duplicate keys are missing or were computed from another bronze or config,
 * in load order; `indexed` holds those of them that have keys in the index to replace.
 */
export function staleKeySeqs(db: Db, configHash: string): { seqs: number[]; indexed: Set<number> } {
  const seqs: number[] = [];
  const indexed = new Set<number>();
  const rows = db
    .prepare(
      `SELECT p.seq, k.seq IS NOT NULL FROM products p LEFT JOIN product_keys k ON k.seq = p.seq
       WHERE k.seq IS NULL OR k.bronze_hash <> p.bronze_hash OR k.config_hash <> ? ORDER BY p.seq`,
    )
    .raw()
    .iterate(configHash) as IterableIterator<[number, number]>;
  for (const [seq, hasKeys] of rows) {
    seqs.push(seq);
    if (hasKeys === 1) indexed.add(seq);
  }
  return { seqs, indexed };
}

/**
 * Replaces the keys of these products in the duplicate index; call inside a transaction.
 * `indexed` holds those of them that have keys in the index already (read and removed first).
 * A product's old keys (kept in product_keys) leave the index at once; its new keys are
 * appended to a staging table that `flushKeys` moves into the index in key order: random
 * inserts into the index dirtied a page per key at every commit, and slowed indexing down
 * as the catalog grew (12,000 products/s falling to 9,500/s on the way to 1,000,000). The
 * staging rows are expanded from product_keys in one statement, not inserted a key at a time.
 */
export function saveKeys(db: Db, rows: KeyRow[], indexed: ReadonlySet<number>, configHash: string, trackChanges: boolean): void {
  const previous = db.prepare('SELECT keys FROM product_keys WHERE seq = ?').pluck();
  const upsert = db.prepare('INSERT OR REPLACE INTO product_keys (seq, bronze_hash, config_hash, brand, brand_key, keys) VALUES (?, ?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM dup_keys WHERE key = ? AND seq = ?');
  const stage = db.prepare(
    'INSERT INTO dup_keys_new (key, seq) SELECT j.value, k.seq FROM product_keys k, json_each(k.keys) j WHERE k.seq IN (SELECT value FROM json_each(?))',
  );
  for (const row of rows) {
    const old = indexed.has(row.seq) ? (JSON.parse((previous.get(row.seq) as string | undefined) ?? '[]') as string[]) : [];
    for (const key of old) remove.run(key, row.seq);
    // Any change counts, not only keys gained or lost: a new GTIN changes which title matches may link to it.
    if (trackChanges && (old.length !== row.keys.length || old.some((key, i) => key !== row.keys[i])))
      recordChangedKeys(db, row.seq, new Set([...old, ...row.keys]));
    upsert.run(row.seq, row.bronzeHash, configHash, row.brand, row.brandKey, JSON.stringify(row.keys));
  }
  stage.run(JSON.stringify(rows.map((row) => row.seq)));
}

/**
 * Moves the staged keys into the duplicate index, sorted, in one transaction. Indexing
 * flushes when it ends, and when it starts for what a killed run left staged.
 */
export function flushKeys(db: Db): void {
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO dup_keys (key, seq) SELECT key, seq FROM dup_keys_new ORDER BY key, seq').run();
    db.prepare('DELETE FROM dup_keys_new').run();
  })();
}

export function brandSpellings(db: Db): [string, number][] {
  return db.prepare('SELECT brand, count(*) FROM product_keys WHERE brand IS NOT NULL GROUP BY brand').raw().all() as [string, number][];
}

/** Rewrites the brands table, marking stale the products of a brand whose canonical spelling moved. */
export function saveBrands(db: Db, entries: { key: string; canonical: string; source: string; aliases: string[] }[]): void {
  db.transaction(() => {
    const before = new Map(db.prepare('SELECT key, canonical FROM brands').raw().all() as [string, string][]);
    markBrandChanges(db, before, entries);
    db.prepare('DELETE FROM brands').run();
    const insert = db.prepare('INSERT INTO brands (key, canonical, source, aliases) VALUES (?, ?, ?, ?)');
    for (const e of entries) insert.run(e.key, e.canonical, e.source, JSON.stringify(e.aliases));
  })();
}

/** SQL: true when the key in `key` may link: a title key, or one whose code at most MAX_CODE_HOLDERS products hold. */
function isLinkingKeySql(key: string): string {
  const holders = `SELECT 1 FROM dup_keys holder WHERE ${isKeyOfCodeSql('holder.key', codeOfKeySql(key))} LIMIT ${MAX_CODE_HOLDERS + 1}`;
  return `(${key} LIKE 't:%' OR (count(*) <= ${MAX_CODE_HOLDERS} AND (SELECT count(*) FROM (${holders})) <= ${MAX_CODE_HOLDERS}))`;
}

/** For each key, the earliest product holding it (the lowest seq is all duplicate detection needs). */
export function earliestByKey(db: Db, keys: string[]): Map<string, DuplicateRef> {
  const out = new Map<string, DuplicateRef>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT d.key, min(d.seq) AS seq, p.id FROM dup_keys d JOIN products p ON p.seq = d.seq
         WHERE d.key IN (${placeholders(chunk.length)}) GROUP BY d.key HAVING ${isLinkingKeySql('d.key')}`,
      )
      .all(...chunk) as { key: string; seq: number; id: string }[];
    for (const row of rows) out.set(row.key, { id: row.id, seq: row.seq });
  }
  return out;
}

/** Keys more than one product holds, with their earliest holder, and the GTIN key of each such holder. */
export interface SharedKeys {
  earliest: Map<string, DuplicateRef>;
  gtins: Map<number, string>;
}

/**
 * Every key of the duplicate index that more than one product holds (a key held by one
 * product links nothing), with the same placeholder rule as `earliestByKey`, in one scan of
 * the index: for a large scope, cheaper than asking for each batch's keys. Undefined when
 * more than `limit` keys are shared, so memory stays bounded; ask per batch then.
 */
export function sharedKeys(db: Db, limit: number): SharedKeys | undefined {
  const earliest = new Map<string, DuplicateRef>();
  const rows = db
    .prepare(
      `SELECT shared.key, shared.seq, p.id FROM (
         SELECT d.key, min(d.seq) AS seq FROM dup_keys d GROUP BY d.key HAVING count(*) > 1 AND ${isLinkingKeySql('d.key')}
       ) shared JOIN products p ON p.seq = shared.seq`,
    )
    .raw()
    .iterate() as IterableIterator<[string, number, string]>;
  for (const [key, seq, id] of rows) {
    if (earliest.size === limit) {
      rows.return?.();
      return undefined;
    }
    earliest.set(key, { id, seq });
  }
  return { earliest, gtins: gtinKeys(db, [...new Set([...earliest.values()].map((ref) => ref.seq))]) };
}

/** The GTIN key (`g:...`) of each product that has one, from the duplicate index. */
export function gtinKeys(db: Db, seqs: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const chunk = seqs.slice(i, i + CHUNK);
    const rows = db
      .prepare(`SELECT seq, keys FROM product_keys WHERE seq IN (${placeholders(chunk.length)})`)
      .raw()
      .all(...chunk) as [number, string][];
    for (const [seq, keys] of rows) {
      const gtin = (JSON.parse(keys) as string[]).find((key) => key.startsWith('g:'));
      if (gtin) out.set(seq, gtin);
    }
  }
  return out;
}

/** The stored duplicate links of these products, to resolve chains to their root. */
export function storedLinks(db: Db, seqs: number[]): Map<number, DuplicateRef> {
  const out = new Map<number, DuplicateRef>();
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const chunk = seqs.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT s.seq, p.seq AS rootSeq, p.id AS rootId FROM silver s JOIN products p ON p.id = s.duplicate_of WHERE s.seq IN (${placeholders(chunk.length)})`,
      )
      .all(...chunk) as { seq: number; rootSeq: number; rootId: string }[];
    for (const row of rows) out.set(row.seq, { id: row.rootId, seq: row.rootSeq });
  }
  return out;
}

/**
 * A product's silver written again keeps its silver_hash while its content stays the same, so
 * its gold stays current whatever hash the row was written with (a catalog migrated from JSON
 * silver keeps the hashes of that layout until a product's silver really changes).
 */
const UPSERT_SILVER = `INSERT INTO silver (seq, ${SILVER_CONTENT_COLUMNS.join(', ')}, bronze_hash, config_hash, silver_hash, normalized_at)
  VALUES (${placeholders(SILVER_CONTENT_COLUMNS.length + 5)})
  ON CONFLICT (seq) DO UPDATE SET ${SILVER_CONTENT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
    bronze_hash = excluded.bronze_hash, config_hash = excluded.config_hash, normalized_at = excluded.normalized_at,
    silver_hash = CASE WHEN ${SILVER_CONTENT_COLUMNS.map((c) => `${c} IS excluded.${c}`).join(' AND ')} THEN silver_hash ELSE excluded.silver_hash END`;

/**
 * Writes a batch's silver; call inside the batch's transaction. Products whose link followed one
 * that moves are marked stale first; `provisional` rows stay stale (their link went through
 * silver that was not current).
 */
export function saveSilver(db: Db, rows: SilverRow[], configHash: string, now: number, provisional: number[] = []): void {
  markMovedLinks(db, rows);
  const upsert = db.prepare(UPSERT_SILVER);
  // An array binds its items in order: no spread of 32 arguments per row.
  for (const r of rows) upsert.run(r.seq, r.columns, r.bronzeHash, configHash, r.silverHash, now);
  settleStale(
    db,
    rows.map((r) => r.seq),
    provisional,
  );
}

export interface NormalizeTotals {
  processed: number;
  fieldsNormalized: number;
  duplicates: number;
  brokenUrls: number;
  urlsValidated: number;
  errors: number;
  /** Duplicates by the reason of their link (`gtin`, `model`, ...); `unknown` for silver written before links had one. */
  duplicatesByReason: Record<string, number>;
}

/** The Silver totals over a job's products, read back from the catalog so a resumed job reports the whole run. */
export function normalizeTotals(db: Db, jobId: number): NormalizeTotals {
  const totals = db
    .prepare(
      `SELECT count(*) AS processed,
              coalesce(sum(s.fields_normalized), 0) AS fieldsNormalized,
              count(s.duplicate_of) AS duplicates,
              coalesce(sum(s.broken_urls), 0) AS brokenUrls,
              coalesce(sum(s.urls_validated), 0) AS urlsValidated,
              count(*) FILTER (WHERE s.status = 'error') AS errors
       FROM job_items j JOIN silver s ON s.seq = j.seq WHERE j.job_id = ?`,
    )
    .get(jobId) as Omit<NormalizeTotals, 'duplicatesByReason'>;
  const reasons = db
    .prepare(
      `SELECT coalesce(s.duplicate_reason, 'unknown'), count(*)
       FROM job_items j JOIN silver s ON s.seq = j.seq WHERE j.job_id = ? AND s.duplicate_of IS NOT NULL GROUP BY 1 ORDER BY 1`,
    )
    .raw()
    .all(jobId) as [string, number][];
  return { ...totals, duplicatesByReason: Object.fromEntries(reasons) };
}
