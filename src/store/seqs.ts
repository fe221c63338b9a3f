import type { Db } from './catalog.js';

const CHUNK = 500;

/**
 * The rows of a sorted list of product seqs. A batch of a whole-catalog job is a run of
 * consecutive seqs: one range read on the key then, IN lists of CHUNK seqs otherwise.
 * `select` gets the condition on the seq column to put in its WHERE clause; its rows
 * must carry `seq` and come in seq order.
 */
export function rowsForSeqs<T extends { seq: number }>(db: Db, select: (condition: string) => string, seqs: number[]): T[] {
  return readForSeqs(db, select, seqs, false, (row: T) => row.seq);
}

/** As `rowsForSeqs`, each row an array of its columns (cheaper to make for many columns); the seq comes first. */
export function rawRowsForSeqs(db: Db, select: (condition: string) => string, seqs: number[]): unknown[][] {
  return readForSeqs(db, select, seqs, true, (row: unknown[]) => row[0] as number);
}

function readForSeqs<T>(db: Db, select: (condition: string) => string, seqs: number[], raw: boolean, seqOf: (row: T) => number): T[] {
  if (seqs.length === 0) return [];
  const first = seqs[0];
  const last = seqs[seqs.length - 1];
  const statement = (condition: string) => db.prepare(select(condition)).raw(raw);
  if (last - first < 2 * seqs.length) {
    const rows = statement('BETWEEN ? AND ?').all(first, last) as T[];
    if (rows.length === seqs.length && rows.every((row, i) => seqOf(row) === seqs[i])) return rows;
    const wanted = new Set(seqs);
    return rows.filter((row) => wanted.has(seqOf(row)));
  }
  const out: T[] = [];
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const chunk = seqs.slice(i, i + CHUNK);
    out.push(...(statement(`IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as T[]));
  }
  return out;
}
