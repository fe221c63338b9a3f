import type { Db } from './catalog.js';
import { z } from 'zod';
import { bronzeVersion, bumpBronzeVersion } from './load-mark.js';
import { parseStored } from './stored-json.js';
import { hashOf } from './bronze-hash.js';

/** UTF-8 bytes are bound as a blob and stored as the text they spell: SQLite copies them without converting. */
const TEXT = 'CAST(? AS TEXT)';

export interface BronzeInput {
  id: string;
  /** The source columns as JSON text, serialized once by the reader, or that text's UTF-8 bytes. */
  json: string | Uint8Array;
  file: string;
  line: number;
  /** The SHA-1 of `json` (base64url), when the reader computed it: a thread other than the writer's. */
  hash?: string;
  /**
   * Why this row could not stand as a product on its own (e.g. no title). It is
   * still folded into a product that this load already wrote under the same id
   * (a continuation row further down, or in a later file); otherwise the writer
   * hands it back as rejected.
   */
  incomplete?: string;
}

export interface LoadCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export function startLoad(db: Db, files: string[], now: number): number {
  return Number(db.prepare('INSERT INTO loads (files, started_at) VALUES (?, ?)').run(JSON.stringify(files), now).lastInsertRowid);
}

const LoadFilesSchema = z.array(z.string());

/** How many different files the catalog's loads have read (a file loaded again counts once). */
export function loadedFileCount(db: Db): number {
  const files = new Set<string>();
  for (const text of db.prepare('SELECT files FROM loads').pluck().iterate() as IterableIterator<string>) {
    const stored = parseStored(text, LoadFilesSchema);
    if (stored.ok) for (const file of stored.value) files.add(file);
  }
  return files.size;
}

export function finishLoad(db: Db, loadId: number, summary: unknown, now: number): void {
  db.prepare('UPDATE loads SET finished_at = ?, summary = ? WHERE id = ?').run(now, JSON.stringify(summary), loadId);
}

/**
 * Upserts bronze records by id, one transaction per batch. A record whose id was
 * already written by this same load is folded into it (`fold`), so the rows of one
 * product may be spread across batches. An unchanged product is not written at all,
 * so reloading an unchanged export rewrites no page of the catalog.
 *
 * Each product this load touches is counted once, as created, updated or unchanged,
 * in bits kept here rather than read back from the rows at the end: another load
 * running at the same time may write the same products in between, and they still
 * count for this one. `prev_hash` keeps the hash from before this load, so a product
 * whose later rows fold it back to what it was counts as unchanged.
 */
type Fields = Record<string, string>;

/**
 * `repeat` decides for a complete record (one with a title) whose id this load already wrote:
 * the fields to keep, or undefined to hand it back as rejected. Without it, such records fold too.
 */
export function createBronzeWriter(
  db: Db,
  loadId: number,
  fold: (base: Fields, next: Fields) => Fields,
  repeat?: (base: Fields, next: Fields, record: BronzeInput) => Fields | undefined,
) {
  const select = db.prepare('SELECT seq, bronze_hash, load_id, prev_hash FROM products WHERE id = ?');
  const bronzeOf = db.prepare('SELECT bronze FROM products WHERE seq = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO products (id, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id, prev_hash)
     VALUES (?, ${TEXT}, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const replace = db.prepare(
    `UPDATE products SET bronze = ${TEXT}, bronze_hash = ?, source_file = ?, source_line = ?, updated_at = ?, load_id = ?, prev_hash = ?
     WHERE seq = ?`,
  );
  const merge = db.prepare(`UPDATE products SET bronze = ?, bronze_hash = ?, updated_at = ?, load_id = ?, prev_hash = ? WHERE seq = ?`);
  interface Row {
    seq: number;
    bronze_hash: string;
    load_id: number;
    prev_hash: string | null;
  }
  // A bit per seq and kind, 125 KB each for 1,000,000 products.
  const created = new SeqBits();
  const updated = new SeqBits();
  const unchanged = new SeqBits();
  // The bronze version this load's own writes lead to; undefined once another writer came between.
  let version: number | undefined = bronzeVersion(db);
  let writes = 0;
  const write = db.transaction((records: BronzeInput[], now: number): BronzeInput[] => {
    const rejected: BronzeInput[] = [];
    const before = writes;
    if (bronzeVersion(db) !== version) version = undefined;
    for (const record of records) {
      const row = select.get(record.id) as Row | undefined;
      const seen = row !== undefined && (created.has(row.seq) || updated.has(row.seq) || unchanged.has(row.seq));
      if (record.incomplete !== undefined && !seen) {
        rejected.push(record);
      } else if (!row) {
        const seq = Number(insert.run(record.id, record.json, record.hash ?? hashOf(record.json), record.file, record.line, now, now, loadId).lastInsertRowid);
        created.add(seq);
        writes++;
      } else if (seen) {
        const base = JSON.parse(bronzeOf.get(row.seq) as string) as Fields;
        const next = parseFields(record.json);
        const fields = record.incomplete === undefined && repeat !== undefined ? repeat(base, next, record) : fold(base, next);
        if (fields === undefined) {
          rejected.push(record);
          continue;
        }
        const json = JSON.stringify(fields);
        const digest = hashOf(json);
        if (digest === row.bronze_hash) continue;
        merge.run(json, digest, now, loadId, recount(row, digest), row.seq);
        writes++;
      } else {
        const digest = record.hash ?? hashOf(record.json);
        if (digest === row.bronze_hash) unchanged.add(row.seq);
        else {
          replace.run(record.json, digest, record.file, record.line, now, loadId, row.bronze_hash, row.seq);
          updated.add(row.seq);
          writes++;
        }
      }
    }
    if (writes > before) {
      bumpBronzeVersion(db);
      if (version !== undefined) version++;
    }
    return rejected;
  });
  /**
   * Moves a product this load already counted to updated or unchanged for its new digest,
   * and returns the hash it had before this load, for `prev_hash`: null for one this load
   * created, and when another load wrote the product since (that hash is gone: it stays updated).
   */
  const recount = (row: Row, digest: string): string | null => {
    if (created.has(row.seq)) return null;
    const before = unchanged.has(row.seq) ? row.bronze_hash : row.load_id === loadId ? row.prev_hash : null;
    unchanged.delete(row.seq);
    updated.delete(row.seq);
    if (digest === before) unchanged.add(row.seq);
    else updated.add(row.seq);
    return before;
  };
  /** Created, updated and unchanged products of this load, once every batch is written. */
  const counts = (): LoadCounts => ({ created: created.size, updated: updated.size, unchanged: unchanged.size });
  // IMMEDIATE: the batch takes the write lock before it reads, so a job committing meanwhile makes
  // it wait (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT after earlier batches landed.
  /** The bronze version this load left, unless another writer wrote bronze while it ran. */
  const versionLeft = (): number | undefined => (version !== undefined && bronzeVersion(db) === version ? version : undefined);
  return { write: (records: BronzeInput[], now: number) => write.immediate(records, now), counts, versionLeft };
}

export function parseFields(json: string | Uint8Array): Record<string, string> {
  return JSON.parse(typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString()) as Record<string, string>;
}

/** A set of positive integers (seqs) as a growable bitmap, with its size. */
class SeqBits {
  private words = new Uint32Array(1024);
  size = 0;

  has(seq: number): boolean {
    const word = seq >>> 5;
    return word < this.words.length && (this.words[word] & (1 << (seq & 31))) !== 0;
  }

  add(seq: number): void {
    const word = seq >>> 5;
    if (word >= this.words.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (seq & 31);
    if ((this.words[word] & bit) === 0) {
      this.words[word] |= bit;
      this.size++;
    }
  }

  delete(seq: number): void {
    if (!this.has(seq)) return;
    this.words[seq >>> 5] &= ~(1 << (seq & 31));
    this.size--;
  }
}

/** The bronze records of the first `limit` products in load order: a sample for reports on the columns. */
export function sampleBronze(db: Db, limit: number): Record<string, string>[] {
  const rows = db.prepare('SELECT bronze FROM products ORDER BY seq LIMIT ?').pluck().all(limit) as Array<string | Uint8Array>;
  return rows.map(parseFields);
}
