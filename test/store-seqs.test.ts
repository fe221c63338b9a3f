import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rowsForSeqs } from '../src/store/seqs.js';

describe('rowsForSeqs', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (seq, v) VALUES (?, ?)');
  for (let seq = 1; seq <= 3000; seq++) if (seq % 7 !== 0) insert.run(seq, `v${seq}`);
  const read = (seqs: number[]) => rowsForSeqs<{ seq: number; v: string }>(db, (condition) => `SELECT seq, v FROM t WHERE seq ${condition} ORDER BY seq`, seqs);
  const expected = (seqs: number[]) => seqs.filter((seq) => seq % 7 !== 0).map((seq) => ({ seq, v: `v${seq}` }));

  it('reads a run of consecutive seqs in one range, leaving out those the table lacks', () => {
    const seqs = Array.from({ length: 1000 }, (_, i) => i + 100);
    expect(read(seqs)).toEqual(expected(seqs));
  });

  it('keeps only the asked seqs of a dense range with holes', () => {
    const seqs = Array.from({ length: 1000 }, (_, i) => 1 + i * 2);
    expect(read(seqs)).toEqual(expected(seqs));
  });

  it('asks for sparse seqs by IN lists, across chunks', () => {
    const seqs = Array.from({ length: 600 }, (_, i) => 1 + i * 5);
    expect(read(seqs)).toEqual(expected(seqs));
    expect(read([])).toEqual([]);
  });
});
