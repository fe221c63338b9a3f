import { createHash } from 'node:crypto';
import type { Db } from './catalog.js';

export interface BronzeInput {
  id: string;
  fields: Record<string, string>;
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
    `INSERT INTO products (id, stage, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id, prev_hash)
     VALUES (?, 'bronze', ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const touch = db.prepare('UPDATE products SET load_id = ?, prev_hash = bronze_hash WHERE seq = ?');
  const replace = db.prepare(
    `UPDATE products SET bronze = ?, bronze_hash = ?, source_file = ?, source_line = ?, updated_at = ?, load_id = ?, prev_hash = ?,
       stage = CASE WHEN ? = bronze_hash THEN stage ELSE 'bronze' END
     WHERE seq = ?`,
  );
  const merge = db.prepare(
    `UPDATE products SET bronze = ?, bronze_hash = ?, updated_at = ?,
       stage = CASE WHEN ? IS prev_hash THEN stage ELSE 'bronze' END
     WHERE seq = ?`,
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
        const json = JSON.stringify(record.fields);
        insert.run(record.id, json, hashOf(json), record.file, record.line, now, now, loadId);
      } else if (row.load_id === loadId) {
        const fields = fold(JSON.parse(row.bronze) as Record<string, string>, record.fields);
        const json = JSON.stringify(fields);
        const hash = hashOf(json);
        if (hash !== row.bronze_hash) merge.run(json, hash, now, hash, row.seq);
      } else {
        const json = JSON.stringify(record.fields);
        const hash = hashOf(json);
        if (hash === row.bronze_hash) touch.run(loadId, row.seq);
        else replace.run(json, hash, record.file, record.line, now, loadId, row.bronze_hash, hash, row.seq);
      }
    }
    return rejected;
  });
  return { write };
}

function hashOf(json: string): string {
  return createHash('sha1').update(json).digest('base64url');
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
