import { describe, expect, it } from 'vitest';
import { brandKey } from '../src/silver/brands.js';
import { duplicateKeys } from '../src/silver/duplicates.js';
import { resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';
import { openCatalog } from '../src/store/catalog.js';
import { earliestByKey, gtinKeys, sharedKeys } from '../src/store/silver.js';
import { runCli } from './helpers/cli.js';
import { createRowGenerator, FUZZ_COLUMNS, mulberry32, toCsv } from './helpers/fuzz-rows.js';
import { testSeed } from './helpers/seed.js';
import { tempDir } from './helpers/tmp.js';

/** A generated catalog of `count` rows, loaded and normalized --offline, with a CLI bound to it. */
async function normalizedCatalog(seed: number, count: number) {
  const tmp = tempDir();
  const generator = createRowGenerator(mulberry32(seed));
  const rows = Array.from({ length: count }, () => generator.row());
  const file = tmp.write('c.csv', toCsv(rows));
  const path = tmp.path('c.db');
  const cli = (...args: string[]) => runCli([...args, '--db', path, '-q'], { cwd: tmp.dir, timeoutMs: 60_000 });
  expect((await cli('load', file)).code).toBe(0);
  expect((await cli('normalize', '--all', '--offline')).code).toBe(0);
  return { tmp, rows, file, path, cli };
}

describe('the duplicate index', () => {
  it('gets the same keys and brand from the identity-only pass as from the full record', () => {
    const generator = createRowGenerator(mulberry32(testSeed('duplicate index: identity-only pass', 7)));
    const mapping = resolveMapping([...FUZZ_COLUMNS]);
    let withKeys = 0;
    for (let i = 0; i < 3000; i++) {
      const row = generator.row();
      const full = normalizeRecord(row, mapping).product;
      const identity = normalizeRecord(row, mapping, { identityOnly: true }).product;
      const brand = full.brand ? brandKey(full.brand) : '';
      expect(identity.brand).toBe(full.brand);
      expect(duplicateKeys(identity, brand)).toEqual(duplicateKeys(full, brand));
      if (duplicateKeys(full, brand).length > 0) withKeys++;
    }
    expect(withKeys).toBeGreaterThan(1000);
  });

  it('finds the same earliest holders in one scan as by asking for each key', async () => {
    const { path } = await normalizedCatalog(testSeed('duplicate index: one scan', 11), 2500);

    const db = openCatalog(path);
    try {
      const all = db.prepare('SELECT key, count(*) AS holders FROM dup_keys GROUP BY key').all() as { key: string; holders: number }[];
      const shared = sharedKeys(db, 1_000_000)!;
      const asked = earliestByKey(db, all.map((k) => k.key));
      const sharedCount = all.filter((k) => k.holders > 1 && asked.has(k.key)).length;
      expect(sharedCount).toBeGreaterThan(50);
      expect(shared.earliest.size).toBe(sharedCount);
      for (const { key, holders } of all) {
        // A key only one product holds links nothing, so the scan leaves it out.
        expect(shared.earliest.get(key)).toEqual(holders > 1 ? asked.get(key) : undefined);
      }
      const holders = [...new Set([...shared.earliest.values()].map((ref) => ref.seq))];
      expect(shared.gtins).toEqual(gtinKeys(db, holders));
      // Over the limit, the scan gives up so memory stays bounded; batches then ask the index.
      expect(sharedKeys(db, sharedCount - 1)).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('holds exactly the current keys of every product after products change', async () => {
    const { tmp, rows, file, path, cli } = await normalizedCatalog(testSeed('duplicate index: changed products', 5), 1200);
    // A third of the products get another SKU and title: their old keys must leave the index.
    tmp.write('c.csv', toCsv(rows.map((row, i) => (i % 3 === 0 ? { ...row, sku: `NEW-${i}`, title: `${row.title} mark ${i}` } : row))));
    expect((await cli('load', file)).code).toBe(0);
    expect((await cli('normalize', '--stale', '--offline')).code).toBe(0);

    const db = openCatalog(path);
    try {
      const order = ([a, x]: [string, number], [b, y]: [string, number]) => (a < b ? -1 : a > b ? 1 : x - y);
      const indexed = (db.prepare('SELECT key, seq FROM dup_keys').raw().all() as [string, number][]).sort(order);
      const expected = (db.prepare('SELECT seq, keys FROM product_keys').raw().all() as [number, string][])
        .flatMap(([seq, keys]) => (JSON.parse(keys) as string[]).map((key): [string, number] => [key, seq]))
        .sort(order);
      expect(indexed.length).toBeGreaterThan(1000);
      expect(indexed).toEqual(expected);
      expect(db.prepare('SELECT count(*) FROM dup_keys_new').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
