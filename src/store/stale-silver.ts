/**
 * Silver that may no longer be what a fresh run gives, though the product's own bronze and
 * settings did not change: its duplicate link follows other products, and its brand's canonical
 * spelling follows the whole catalog. Such products are kept in `silver_stale` until normalized
 * again. Each mark costs only the products near a change: the holders of the keys that changed,
 * the products of the duplicate groups those touch, the products of a brand whose spelling changed.
 */
import type { Db } from './catalog.js';
import { rowsForSeqs } from './seqs.js';

/**
 * A SKU or GTIN that more products than this share is a placeholder an export filled in
 * (one store wrote SKU '100 on 38 different products), not an identity: it links nothing.
 * Holders are counted per code, whatever their variant signatures (`s:100#brown` and
 * `s:100#black` are two holders of `s:100`): a placeholder spread over colours is still one.
 * Title keys are never capped; they carry no signature.
 */
export const MAX_CODE_HOLDERS = 10;

/** SQL: the code of the key in `key`, without its variant signature (`s:100#brown` gives `s:100`). */
export function codeOfKeySql(key: string): string {
  return `substr(${key}, 1, instr(${key} || '#', '#') - 1)`;
}

/**
 * SQL: true when `column` (of the duplicate index) is `code` with or without a signature. Two
 * ranges of the index, so finding a code's holders never scans it.
 */
export function isKeyOfCodeSql(column: string, code: string): string {
  return `(${column} = ${code} OR (${column} >= ${code} || '#' AND ${column} < ${code} || '$'))`;
}

export function hasSilver(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM silver)').pluck().get() === 1;
}

/** Notes that a product with this seq came to hold, or stopped holding, these keys; call inside saveKeys' transaction. */
export function recordChangedKeys(db: Db, seq: number, keys: Iterable<string>): void {
  const upsert = db.prepare(
    `INSERT INTO dup_keys_changed (key, min_seq, changes) VALUES (?, ?, 1)
     ON CONFLICT (key) DO UPDATE SET min_seq = min(min_seq, excluded.min_seq), changes = changes + 1`,
  );
  for (const key of keys) upsert.run(key, seq);
}

/**
 * Marks the products whose duplicate link may have moved with the keys noted by
 * `recordChangedKeys`, once the index holds the new keys. A link looks only at earlier holders
 * of a key, so holders before the first product that changed it keep theirs. A SKU or GTIN
 * links nothing when more than MAX_CODE_HOLDERS hold its code, whatever their signatures: the
 * changes of all keys of a code add up, and every holder of the code is marked when they may
 * have crossed that line, none when it was past it before and after.
 */
export function markKeyHolders(db: Db): void {
  // CROSS JOIN keeps the changed keys outside: the planner, without statistics, would scan the index instead.
  db.transaction(() => {
    db.prepare(
      `WITH changed AS (
         SELECT key, min_seq, changes, ${codeOfKeySql('key')} AS code FROM dup_keys_changed
       ), codes AS (
         SELECT c.code, sum(c.changes) AS changes,
                (SELECT count(*) FROM dup_keys holder WHERE ${isKeyOfCodeSql('holder.key', 'c.code')}) AS holders
         FROM changed c WHERE c.key NOT LIKE 't:%' GROUP BY c.code
       )
       INSERT OR IGNORE INTO silver_stale (seq)
       SELECT d.seq FROM changed c LEFT JOIN codes USING (code) CROSS JOIN dup_keys d ON d.key = c.key AND d.seq > c.min_seq
       WHERE c.key LIKE 't:%' OR codes.holders + codes.changes <= ${MAX_CODE_HOLDERS}
       UNION ALL
       SELECT holder.seq FROM codes JOIN dup_keys holder ON ${isKeyOfCodeSql('holder.key', 'codes.code')}
       WHERE codes.holders + codes.changes > ${MAX_CODE_HOLDERS} AND codes.holders - codes.changes <= ${MAX_CODE_HOLDERS}`,
    ).run();
    db.prepare('DELETE FROM dup_keys_changed').run();
  })();
}

/**
 * Marks the later members of the duplicate groups of the marked products: a link points at
 * the root of its group, so a product whose link moves takes along those that reached the
 * root through it. One round is enough, as they share that root.
 */
export function markGroups(db: Db): void {
  db.prepare(
    `INSERT OR IGNORE INTO silver_stale (seq)
     SELECT x.seq FROM silver_stale m JOIN products p ON p.seq = m.seq JOIN silver x INDEXED BY silver_duplicate_of ON x.duplicate_of = p.id WHERE x.seq > m.seq
     UNION
     SELECT x.seq FROM silver_stale m JOIN silver s ON s.seq = m.seq JOIN silver x INDEXED BY silver_duplicate_of ON x.duplicate_of = s.duplicate_of WHERE x.seq > m.seq`,
  ).run();
}

/**
 * Marks the products of the brands whose canonical spelling this change of the brands table
 * moves; call inside the transaction that rewrites it. A brand new to the table is held only
 * by products indexed since, which are stale by their own bronze.
 */
export function markBrandChanges(db: Db, before: Map<string, string>, after: { key: string; canonical: string }[]): void {
  const mark = db.prepare('INSERT OR IGNORE INTO silver_stale (seq) SELECT seq FROM product_keys WHERE brand_key = ?');
  for (const { key, canonical } of after) {
    const old = before.get(key);
    if (old !== undefined && old !== canonical) mark.run(key);
  }
}

/**
 * Before a batch's silver is written over: the products whose link follows one of these
 * products whose own link is moving (they hold its id, or share its old root). Call inside the
 * batch's transaction, before writing; `links` holds each product's new link.
 */
export function markMovedLinks(db: Db, links: { seq: number; duplicateOf: string | null }[]): void {
  const old = new Map(
    rowsForSeqs<{ seq: number; id: string; duplicateOf: string | null }>(
      db,
      (condition) =>
        `SELECT p.seq, p.id, s.duplicate_of AS duplicateOf FROM products p LEFT JOIN silver s ON s.seq = p.seq WHERE p.seq ${condition} ORDER BY p.seq`,
      links.map((link) => link.seq),
    ).map((row) => [row.seq, row]),
  );
  const mark = db.prepare(
    'INSERT OR IGNORE INTO silver_stale (seq) SELECT seq FROM silver INDEXED BY silver_duplicate_of WHERE duplicate_of IN (?, ?) AND seq > ?',
  );
  for (const link of links) {
    const before = old.get(link.seq);
    if (before && before.duplicateOf !== link.duplicateOf) mark.run(before.id, before.duplicateOf ?? before.id, link.seq);
  }
}

/** Their silver was just written: current, unless `provisional` (a link found through silver not yet current). */
export function settleStale(db: Db, seqs: number[], provisional: number[]): void {
  if (db.prepare('SELECT EXISTS (SELECT 1 FROM silver_stale)').pluck().get() === 1) {
    const clear = db.prepare('DELETE FROM silver_stale WHERE seq = ?');
    for (const seq of seqs) clear.run(seq);
  }
  const mark = db.prepare('INSERT OR IGNORE INTO silver_stale (seq) VALUES (?)');
  for (const seq of provisional) mark.run(seq);
}

/**
 * Of these products, those whose silver is not current: none yet, written from other bronze
 * or settings (`configHashes`), or marked stale. A link found through one of them may move.
 */
export function notCurrent(db: Db, seqs: number[], configHashes: [string, string]): Set<number> {
  const out = new Set<number>();
  const CHUNK = 500;
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const chunk = seqs.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT p.seq FROM products p LEFT JOIN silver s ON s.seq = p.seq
         WHERE p.seq IN (${chunk.map(() => '?').join(',')})
           AND (s.seq IS NULL OR s.bronze_hash <> p.bronze_hash OR s.config_hash NOT IN (?, ?) OR EXISTS (SELECT 1 FROM silver_stale m WHERE m.seq = p.seq))`,
      )
      .pluck()
      .all(...chunk, ...configHashes) as number[];
    for (const seq of rows) out.add(seq);
  }
  return out;
}

export function isSilverStale(db: Db, seq: number): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM silver_stale WHERE seq = ?)').pluck().get(seq) === 1;
}
