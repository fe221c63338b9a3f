import { describe, expect, it } from 'vitest';
import { jsonOf, startCli, type CliResult } from './helpers/cli.js';
import { readCatalog } from './helpers/jobs.js';
import { tempDir } from './helpers/tmp.js';
import type { LoadJson } from '../src/report/schemas.js';

/** Starts every load at once and waits for all of them. */
function loadAtOnce(db: string, files: string[], cwd: string): Promise<CliResult[]> {
  return Promise.all(files.map((file) => startCli(['--db', db, 'load', file, '--json'], { cwd, timeoutMs: 60_000 }).result));
}

function csv(ids: number[], version: string): string {
  return `id,title,price\n${ids.map((i) => `p${i},Product ${i} ${version},${i}.99`).join('\n')}\n`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

function expectCountsAddUp(result: CliResult): LoadJson {
  expect(result.code, result.stderr).toBe(0);
  const load = jsonOf<LoadJson>(result);
  expect(load.created + load.updated + load.unchanged + load.errors.length).toBe(load.rows);
  expect(load.total).toBe(load.created + load.updated + load.unchanged);
  return load;
}

describe('loads at once', () => {
  // Before the migrations took the write lock and looked at the version again, 5 of 80 loads
  // (8 at once, 10 rounds) failed with "table products already exists" or took the half-made
  // catalog for a foreign file.
  it('several first loads of a catalog that does not exist yet all succeed and all their products are there', async () => {
    const tmp = tempDir();
    const loads = 6;
    for (let round = 0; round < 5; round++) {
      const db = tmp.path(`round-${round}.db`);
      const files = range(0, loads).map((i) => tmp.write(`r${round}-f${i}.csv`, csv(range(i * 20, i * 20 + 20), 'a')));
      const results = await loadAtOnce(db, files, tmp.dir);
      for (const result of results) expect(expectCountsAddUp(result).created).toBe(20);
      expect(readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM products').pluck().get())).toBe(loads * 20);
      const versions = readCatalog(db, (conn) => conn.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all());
      expect(versions).toEqual(range(1, versions.length + 1));
    }
  });

  it("two loads of overlapping files: each one's counts add up, every product is created once, and each holds one file's version", async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    // A first, small load makes the catalog, so both big loads write products at once rather than wait on its creation.
    const seeded = await loadAtOnce(db, [tmp.write('seed.csv', csv(range(0, 1000), 'seed'))], tmp.dir);
    expectCountsAddUp(seeded[0]);
    // Six batches each; ids 14,000 to 29,999 are in both files, with other titles; 0 to 999 are there already.
    const a = tmp.write('a.csv', csv(range(0, 30_000), 'a'));
    const b = tmp.write('b.csv', csv(range(14_000, 44_000), 'b'));
    const [first, second] = (await loadAtOnce(db, [a, b], tmp.dir)).map(expectCountsAddUp);
    expect(first.rows).toBe(30_000);
    expect(second.rows).toBe(30_000);
    // Each product the two files hold and the catalog did not is created by exactly one of them.
    expect(first.created + second.created).toBe(43_000);
    expect(first.unchanged).toBe(0);
    const products = readCatalog(
      db,
      (conn) => conn.prepare("SELECT id, json_extract(bronze, '$.title') AS title FROM products").all() as { id: string; title: string }[],
    );
    expect(products).toHaveLength(44_000);
    for (const { id, title } of products) {
      const i = Number(id.slice(1));
      const allowed = i < 14_000 ? ['a'] : i < 30_000 ? ['a', 'b'] : ['b'];
      expect(allowed.map((v) => `Product ${i} ${v}`)).toContain(title);
    }
  });
});
