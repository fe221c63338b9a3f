import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../src/store/catalog.js';
import { createBronzeWriter, startLoad } from '../src/store/bronze.js';
import { foldFields } from '../src/ingest/fold.js';
import type { LoadJson } from '../src/report/schemas.js';
import { jsonOf, runCli } from './helpers/cli.js';
import { readCatalog } from './helpers/jobs.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

/** Whether a load says it did not read its files. */
const notRead = (summary: LoadJson): boolean => summary.notReadSince !== undefined;

function catalogCsv(version: string): string {
  const rows = ['id,title,price'];
  for (let i = 0; i < 300; i++) rows.push(`p${i},Product ${i} ${version},${i}.99`);
  // A row without a title and a repeated id: the reused summary must report them as a full load does.
  rows.push('p900,,1.00', 'p7,Product 7 again,2.00');
  return `${rows.join('\n')}\n`;
}

async function load(tmp: TempDir, db: string, args: string[], input?: string): Promise<LoadJson> {
  const result = await runCli(['--db', db, 'load', ...args, '--json'], { cwd: tmp.dir, input });
  expect(result.code, result.stderr).toBe(0);
  return jsonOf<LoadJson>(result);
}

/** The catalog file's bytes (and its WAL's, if a process left one). */
function bytesOf(db: string): string {
  const digest = createHash('sha256');
  for (const suffix of ['', '-wal']) if (existsSync(db + suffix)) digest.update(readFileSync(db + suffix));
  return digest.digest('hex');
}

const loadCount = (db: string) => readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM loads').pluck().get());

describe('loading an unchanged file again', () => {
  it('reports the first load with every product unchanged, and writes nothing to the catalog', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', catalogCsv('a'));
    const first = await load(tmp, db, [file]);
    expect(first.created).toBe(300);
    const before = bytesOf(db);
    const again = await load(tmp, db, [file]);
    expect(bytesOf(db)).toBe(before);
    expect(again).toMatchObject({ total: 300, rows: 302, created: 0, updated: 0, unchanged: 300, errors: first.errors });
    expect(again.errors.map((e) => e.code)).toEqual(['no_title']);
    expect(again.warnings).toEqual(first.warnings);
    expect(notRead(first)).toBe(false);
    expect(again.notReadSince).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // And once more: a reused load leaves the mark as it was.
    expect((await load(tmp, db, [file])).notReadSince).toBe(again.notReadSince);
  });

  it('reads a file again when one byte of it changed, even with its size and time unchanged', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', catalogCsv('a'));
    await load(tmp, db, [file]);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, catalogCsv('a').replace('Product 42 a', 'Product 42 b'));
    utimesSync(file, atime, mtime);
    const again = await load(tmp, db, [file]);
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 299 });
    expect(notRead(again)).toBe(false);
    expect(loadCount(db)).toBe(2);
  });

  it('reads it again after another load wrote to the catalog, and reuses after one that changed nothing', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', catalogCsv('a'));
    const other = 'id,title\nq1,Other one\n';
    await load(tmp, db, [file]);
    // From stdin, so it keeps no mark of its own: only the catalog having changed tells the next load to read.
    expect(await load(tmp, db, ['-', '--format', 'csv'], other)).toMatchObject({ created: 1 });
    const again = await load(tmp, db, [file]);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 300 });
    expect(notRead(again)).toBe(false);
    expect(loadCount(db)).toBe(3);
    const unchanged = await load(tmp, db, ['-', '--format', 'csv'], other);
    expect(unchanged).toMatchObject({ created: 0, unchanged: 1 });
    expect(unchanged.warnings).toEqual([]);
    expect(notRead(await load(tmp, db, [file]))).toBe(true);
    expect(loadCount(db)).toBe(4);
  });

  it('reads it again after a load that was killed part-way, whose batches stayed written', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', catalogCsv('a'));
    await load(tmp, db, [file]);
    // What a killed load leaves: a batch committed, the load never finished.
    const conn = openCatalog(db);
    const writer = createBronzeWriter(conn, startLoad(conn, ['killed.csv'], Date.now()), foldFields);
    writer.write([{ id: 'p5', json: JSON.stringify({ id: 'p5', title: 'Overwritten', price: '1' }), file: 'killed.csv', line: 2 }], Date.now());
    conn.close();
    const again = await load(tmp, db, [file]);
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 299 });
  });

  it('reads it again when an option that changes the reading differs, or when rejected rows are to be written', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', catalogCsv('a'));
    await load(tmp, db, [file]);
    const first = await load(tmp, db, [file, '--on-repeat', 'last']);
    expect(notRead(first)).toBe(false);
    expect(first.updated).toBe(1);
    const rejects = tmp.path('rejects.csv');
    const withRejects = await load(tmp, db, [file, '--on-repeat', 'last', '--rejects', rejects]);
    expect(notRead(withRejects)).toBe(false);
    expect(readFileSync(rejects, 'utf8')).toMatch(/p900/);
    expect(notRead(await load(tmp, db, [file, '--on-repeat', 'last']))).toBe(true);
  });

  it('never reuses a load from stdin', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    await load(tmp, db, ['-', '--format', 'csv'], catalogCsv('a'));
    const again = await load(tmp, db, ['-', '--format', 'csv'], catalogCsv('a'));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 300 });
    expect(again.warnings).toEqual([expect.objectContaining({ message: expect.stringMatching(/repeat/) })]);
    expect(notRead(again)).toBe(false);
    expect(loadCount(db)).toBe(2);
  });

  it('says so in the panel, as what happened rather than as a warning', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    const file = tmp.write('catalog.csv', 'id,title,price\np1,Lamp,9.99\np2,Desk,120.00\n');
    const first = await runCli(['--db', db, 'load', file], { cwd: tmp.dir });
    expect(first.stdout).toMatch(/^Loaded .*catalog\.csv in .*: 2 rows, 2 products$/m);
    const again = await runCli(['--db', db, 'load', file], { cwd: tmp.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Unchanged .*catalog\.csv: 2 rows, 2 products, as loaded at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    expect(again.stdout).toMatch(/not read again/);
    expect(again.stdout).not.toMatch(/^Loaded /m);
    expect(again.stderr).not.toMatch(/warning/i);
  });
});
