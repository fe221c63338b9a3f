import type { DuplicateRef } from '../silver/duplicates.js';
import { variantSignature } from '../silver/model-codes.js';
import type { SimilarItem } from '../silver/similar.js';
import type { Db } from './catalog.js';
import { rowsForSeqs } from './seqs.js';

/** Whether a similarity pass has run on this catalog. */
export function hasSimilarPass(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM similar_pass)').pluck().get() === 1;
}

/**
 * Every product with a title key, as the similarity step reads it: the brand and words of its
 * first title key (brand words and stop words already out, variant columns in). Yielded one by
 * one, so a million products are never held as objects.
 */
export function* similarItems(db: Db): Generator<SimilarItem> {
  const rows = db.prepare('SELECT seq, keys FROM product_keys ORDER BY seq').raw().iterate() as IterableIterator<[number, string]>;
  for (const [seq, keys] of rows) {
    const all = JSON.parse(keys) as string[];
    const title = all.find((key) => key.startsWith('t:'));
    if (!title) continue;
    const gtin = all.find((key) => key.startsWith('g:'))?.slice(2, 16);
    const bar = title.indexOf('|');
    const words = title.slice(bar + 1).split(' ');
    yield { seq, brand: title.slice(2, bar), words, signature: variantSignature(words), ...(gtin ? { gtin } : {}) };
  }
}

/**
 * Replaces the similar links; call inside a transaction. A product whose link appears, goes or
 * moves is marked stale (its later group members follow through markGroups).
 */
export function saveSimilarLinks(db: Db, pairs: [number, number, number][], trackChanges: boolean): void {
  const before = new Map(db.prepare('SELECT seq, target FROM similar_links').raw().all() as [number, number][]);
  const mark = db.prepare('INSERT OR IGNORE INTO silver_stale (seq) SELECT seq FROM products WHERE seq = ?');
  db.prepare('DELETE FROM similar_links').run();
  const insert = db.prepare('INSERT INTO similar_links (seq, target, score) VALUES (?, ?, ?)');
  for (const [seq, target, score] of pairs) {
    insert.run(seq, target, score);
    if (trackChanges && before.get(seq) !== target) mark.run(seq);
    before.delete(seq);
  }
  if (trackChanges) for (const seq of before.keys()) mark.run(seq);
  db.prepare('DELETE FROM similar_pass').run();
  db.prepare('INSERT INTO similar_pass (done) VALUES (1)').run();
}

/** Drops every similar link and the record of a pass: the step is off (its links go with the settings change). */
export function clearSimilarLinks(db: Db): void {
  db.prepare('DELETE FROM similar_links').run();
  db.prepare('DELETE FROM similar_pass').run();
}

/** The similar product (earlier) of each of these products that has one, with the cosine. */
export function similarTargets(db: Db, seqs: number[]): Map<number, DuplicateRef & { score: number }> {
  const rows = rowsForSeqs<{ seq: number; target: number; id: string; score: number }>(
    db,
    (condition) => `SELECT l.seq, l.target, p.id, l.score FROM similar_links l JOIN products p ON p.seq = l.target WHERE l.seq ${condition} ORDER BY l.seq`,
    seqs,
  );
  return new Map(rows.map((row) => [row.seq, { id: row.id, seq: row.target, score: row.score }]));
}
