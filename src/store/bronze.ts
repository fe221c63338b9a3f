import { hash } from 'node:crypto';
import type { Db } from './catalog.js';

/** UTF-8 bytes are bound as a blob and stored as the text they spell: SQLite copies them without converting. */
const TEXT = 'CAST(? AS TEXT)';

export interface BronzeInput {
  id: string;
  /** The source columns as JSON text, serialized once by the reader, or that text's UTF-8 bytes. */
  json: string | Uint8Array;
  file: string;
  line: number;
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

export function finishLoad(db: Db, loadId: number, summary: unknown, now: number): void {
  db.prepare('UPDATE loads SET finished_at = ?, summary = ? WHERE id = ?').run(now, JSON.stringify(summary), loadId);
}

/**
 * Upserts bronze records by id, one transaction per batch. A record whose id was
 * already written by this same load is folded into it (`fold`), so the rows of one
 * product may be spread across batches. `prev_hash` keeps the hash from before this
 * load, which is what tells created, updated and unchanged apart at the end.
 */
export function createBronzeWriter(db: Db, loadId: number, fold: (base: Record<string, string>, next: Record<string, string>) => Record<string, string>) {
  const select = db.prepare('SELECT seq, bronze, bronze_hash, load_id, prev_hash FROM products WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO products (id, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id, prev_hash)
     VALUES (?, ${TEXT}, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const touch = db.prepare('UPDATE products SET load_id = ?, prev_hash = bronze_hash WHERE seq = ?');
  const replace = db.prepare(
    `UPDATE products SET bronze = ${TEXT}, bronze_hash = ?, source_file = ?, source_line = ?, updated_at = ?, load_id = ?, prev_hash = ?
     WHERE seq = ?`,
  );
  const merge = db.prepare(
    `UPDATE products SET bronze = ?, bronze_hash = ?, updated_at = ? WHERE seq = ?`,
  );
  interface Row {
    seq: number;
    bronze: string;
    bronze_hash: string;
    load_id: number;
    prev_hash: string | null;
  }
  const write = db.transaction((records: BronzeInput[], now: number): BronzeInput[] => {
    const rejected: BronzeInput[] = [];
    for (const record of records) {
      const row = select.get(record.id) as Row | undefined;
      if (record.incomplete !== undefined && row?.load_id !== loadId) {
        rejected.push(record);
      } else if (!row) {
        insert.run(record.id, record.json, hashOf(record.json), record.file, record.line, now, now, loadId);
      } else if (row.load_id === loadId) {
        const fields = fold(JSON.parse(row.bronze) as Record<string, string>, parseFields(record.json));
        const json = JSON.stringify(fields);
        const digest = hashOf(json);
        if (digest !== row.bronze_hash) merge.run(json, digest, now, row.seq);
      } else {
        const digest = hashOf(record.json);
        if (digest === row.bronze_hash) touch.run(loadId, row.seq);
        else replace.run(record.json, digest, record.file, record.line, now, loadId, row.bronze_hash, row.seq);
      }
    }
    return rejected;
  });
  return { write };
}

export function parseFields(json: string | Uint8Array): Record<string, string> {
  return JSON.parse(typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString()) as Record<string, string>;
}

/** The one-shot hash is several times faster than createHash for short inputs; the digest is the same. */
function hashOf(json: string | Uint8Array): string {
  return hash('sha1', json, 'base64url');
}

export function countLoad(db: Db, loadId: number): LoadCounts {
  const row = db
    .prepare(
      `SELECT count(*) FILTER (WHERE prev_hash IS NULL) AS created,
              count(*) FILTER (WHERE prev_hash IS NOT NULL AND prev_hash <> bronze_hash) AS updated,
              count(*) FILTER (WHERE prev_hash = bronze_hash) AS unchanged
       FROM products WHERE load_id = ?`,
    )
    .get(loadId) as LoadCounts;
  return row;
}
