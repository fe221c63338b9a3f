import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { planPieces } from '../src/ingest/piece-plan.js';
import { runCli } from './helpers/cli.js';
import { mulberry32 } from './helpers/fuzz-rows.js';
import { testSeed } from './helpers/seed.js';
import { tempDir } from './helpers/tmp.js';

// A large CSV file is read in pieces by several threads (ASSAY_PIECE_BYTES makes the pieces
// small enough to cut this file in many places). Whatever the cuts, the catalog, the summary and
// the rejected rows must be those of one reader: cuts land inside quoted fields, between the rows
// of one product, beside bad rows and inside a row over the size limit.

const HEADER = 'id,title,description,price,image_link';

function messyCsv(seed: number): Buffer {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const parts: (string | Buffer)[] = [`${HEADER}\n`];
  for (let n = 1; n <= 400; n++) {
    const id = `P${n}`;
    const eol = random() < 0.2 ? '\r\n' : '\n';
    const kind = random();
    if (kind < 0.45) parts.push(`${id},Title ${n},plain text,${n}.99,https://img.test/${n}.jpg${eol}`);
    else if (kind < 0.6) {
      // Bad bytes in a quoted field a cut may fall inside: the reader reads them again from the record's line, and must count them once.
      const bad = random() < 0.3 ? Buffer.from([0xfe, 0x00]).toString('latin1') : '';
      parts.push(
        Buffer.from(
          `${id},"Café ${n}, ünïcode","first ${bad}line${eol}second ""quoted"" line${eol}third",${n}.50,https://img.test/${n}.jpg${eol}`,
          bad ? 'latin1' : 'utf8',
        ),
      );
    } else if (kind < 0.68) parts.push(`${id},Long ${n},"${pick(['a', 'é', 'x\n'])}${'word, "" and\nmore '.repeat(150)}",1,${eol}`);
    else if (kind < 0.74) {
      // Continuation rows (no title) and a repeated id with a title: one product, folded.
      parts.push(`${id},Title ${n},,2,https://img.test/${n}-1.jpg${eol}`);
      parts.push(`${id},,,,https://img.test/${n}-2.jpg${eol}`);
      if (random() < 0.5) parts.push(`${id},Again ${n},"more",,https://img.test/${n}-3.jpg${eol}`);
      parts.push(`${id},,"extra\nlines",,https://img.test/${n}-4.jpg${eol}`);
    } else if (kind < 0.77) parts.push(`${id},Bad "quote ${n},x,1,y${eol}`);
    else if (kind < 0.8) parts.push(`${id},short${eol}`);
    else if (kind < 0.83) parts.push(`,No id ${n},x,1,y${eol}`);
    else if (kind < 0.85) parts.push(`${id},,no title and no product before,1,y${eol}`);
    else if (kind < 0.87) parts.push(`${eol},,,,${eol}   ${eol}`);
    else if (kind < 0.88) parts.push(`${id},"never closed ${n},x,1,y${eol}`);
    else if (kind < 0.89) parts.push(Buffer.concat([Buffer.from(`${id},Bytes ${n} `), Buffer.from([0xff, 0x00]), Buffer.from(`,x,1,y${eol}`)]));
    else parts.push(`${id},Title ${n},"a ""b"" c",${n},https://img.test/${n}.jpg${eol}`);
  }
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

interface Outcome {
  code: number | null;
  summary: Record<string, unknown>;
  stderr: string;
  rejects: string;
  bronze: unknown[];
}

async function load(dir: string, file: string, name: string, extra: string[], env: Record<string, string>): Promise<Outcome> {
  const db = `${dir}/${name}.db`;
  const rejects = `${dir}/${name}.rejects.csv`;
  const result = await runCli(['load', file, '--db', db, '--json', '--rejects', rejects, ...extra], { cwd: dir, env, timeoutMs: 60_000 });
  const summary = JSON.parse(result.stdout) as Record<string, unknown>;
  delete summary.duration_ms;
  const catalog = new Database(db, { readonly: true });
  try {
    const bronze = catalog.prepare('SELECT seq, id, bronze, bronze_hash, source_file, source_line FROM products ORDER BY seq').raw().all();
    return { code: result.code, summary, stderr: result.stderr, rejects: readFileSync(rejects, 'utf8'), bronze };
  } finally {
    catalog.close();
  }
}

describe('a CSV file read in pieces', () => {
  it('loads as one reader loads it, wherever the cuts fall', async () => {
    const tmp = tempDir();
    const seed = testSeed('csv pieces', 7);
    const file = tmp.write('messy.csv', messyCsv(seed));
    for (const extra of [[], ['--max-field-mb', '0.002']]) {
      const one = await load(tmp.dir, file, 'one', extra, {});
      expect(one.code, one.stderr).toBe(0);
      expect((one.summary.errors as unknown[]).length).toBeGreaterThan(20);
      expect(one.bronze.length).toBeGreaterThan(200);
      for (const bytes of [61, 256, 1000, 4099]) {
        expect(planPieces(file, {}, { ASSAY_PIECE_BYTES: String(bytes) })).toBeDefined();
        const pieces = await load(tmp.dir, file, `pieces-${bytes}`, extra, { ASSAY_PIECE_BYTES: String(bytes) });
        expect(pieces, `pieces of ${bytes} bytes ${extra.join(' ')} (seed ${seed})`).toEqual(one);
      }
    }
  }, 180_000);

  it('is only done for a plain local CSV or TSV file in UTF-8 large enough to pay', () => {
    const tmp = tempDir();
    const rows = `${HEADER}\n${'P1,Title,text,1,x\n'.repeat(200)}`;
    const csv = tmp.write('a.csv', rows);
    const env = { ASSAY_PIECE_BYTES: '256' };
    expect(planPieces(csv, {}, env)).toMatchObject({ bytes: 256, delimiter: undefined });
    expect(planPieces(tmp.write('a.tsv', rows.replaceAll(',', '\t')), {}, env)).toMatchObject({ delimiter: '\t' });
    expect(planPieces(csv, {}, {})).toBeUndefined();
    expect(planPieces(csv, { encoding: 'latin1' }, env)).toBeUndefined();
    expect(planPieces(csv, { format: 'jsonl' }, env)).toBeUndefined();
    expect(planPieces('-', { format: 'csv' }, env)).toBeUndefined();
    expect(planPieces(tmp.write('b.csv.gz', rows), {}, env)).toBeUndefined();
    expect(planPieces(tmp.write('c.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')])), {}, env)).toBeUndefined();
    expect(planPieces(tmp.path('missing.csv'), {}, env)).toBeUndefined();
  });
});
