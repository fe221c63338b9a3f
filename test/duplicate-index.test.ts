import { describe, expect, it } from 'vitest';
import { brandKey } from '../src/silver/brands.js';
import { duplicateKeys } from '../src/silver/duplicates.js';
import { resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';
import { openCatalog } from '../src/store/catalog.js';
import { earliestByKey, gtinKeys, readIndexedBronze, sharedKeys } from '../src/store/silver.js';
import { markKeyHolders } from '../src/store/stale-silver.js';
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
      const asked = earliestByKey(
        db,
        all.map((k) => k.key),
      );
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

  it('counts the holders of a SKU or GTIN across its variant signatures, so a placeholder links nothing in any colour', () => {
    const tmp = tempDir();
    const db = openCatalog(tmp.path('c.db'));
    try {
      const held: [string, number][] = [];
      // SKU 100 on twelve products in four colours, three of each: a placeholder, though no colour has more than three.
      for (const [c, colour] of ['brown', 'black', 'red', 'blue'].entries()) for (const n of [1, 2, 3]) held.push([`s:100#${colour}`, c * 3 + n]);
      // A real SKU shared by three brown listings and one without a colour; a longer code is another code.
      held.push(['s:200#brown', 13], ['s:200#brown', 14], ['s:200#brown', 15], ['s:200', 16], ['s:1000#brown', 17], ['s:1000#brown', 18]);
      // Title keys carry no signature and are not capped: twelve products with one title still link.
      for (let seq = 1; seq <= 12; seq++) held.push(['t:acme|garden chair', seq]);
      const insertProduct = db.prepare(
        "INSERT INTO products (seq, id, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id) VALUES (?, ?, '{}', '', 'c.csv', ?, 0, 0, 1)",
      );
      for (let seq = 1; seq <= 18; seq++) insertProduct.run(seq, `P${seq}`, seq);
      const insertKey = db.prepare('INSERT INTO dup_keys (key, seq) VALUES (?, ?)');
      for (const [key, seq] of held) insertKey.run(key, seq);

      const asked = earliestByKey(db, [...new Set(held.map(([key]) => key))]);
      expect(Object.fromEntries(asked)).toEqual({
        's:200#brown': { id: 'P13', seq: 13 },
        's:200': { id: 'P16', seq: 16 },
        's:1000#brown': { id: 'P17', seq: 17 },
        't:acme|garden chair': { id: 'P1', seq: 1 },
      });
      expect(Object.fromEntries(sharedKeys(db, 100)!.earliest)).toEqual({
        's:200#brown': { id: 'P13', seq: 13 },
        's:1000#brown': { id: 'P17', seq: 17 },
        't:acme|garden chair': { id: 'P1', seq: 1 },
      });
      // Seven more holders of SKU 200 in other colours take it past the cap too.
      for (let seq = 19; seq <= 25; seq++) {
        insertProduct.run(seq, `P${seq}`, seq);
        insertKey.run(`s:200#${seq % 2 === 0 ? 'red' : 'white'}`, seq);
      }
      expect([...earliestByKey(db, ['s:200#brown', 's:200', 's:200#red']).keys()]).toEqual([]);
      expect([...sharedKeys(db, 100)!.earliest.keys()].sort()).toEqual(['s:1000#brown', 't:acme|garden chair']);
    } finally {
      db.close();
    }
  });

  it('finds the holders of a code through two ranges of the index, never by scanning it', () => {
    const tmp = tempDir();
    const db = openCatalog(tmp.path('c.db'));
    try {
      const statements: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        statements.push(sql);
        return prepare(sql);
      }) as typeof db.prepare;
      earliestByKey(db, ['s:100#brown', 't:acme|chair']);
      sharedKeys(db, 100);
      db.prepare("INSERT INTO dup_keys_changed (key, min_seq, changes) VALUES ('s:100#brown', 1, 1)").run();
      markKeyHolders(db);
      const plans = statements
        .filter((sql) => sql.includes('holder'))
        .map((sql) =>
          (
            prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
              ...sql
                .split('?')
                .slice(1)
                .map(() => ''),
            ) as { detail: string }[]
          ).map((row) => row.detail),
        );
      expect(plans).toHaveLength(3);
      for (const plan of plans) expect(plan).toContain('SEARCH holder USING PRIMARY KEY (key>? AND key<?)');
      // Only the scan for every shared key reads the whole index (as `d`); looking up holders never does.
      expect(plans.map((plan) => plan.filter((step) => /^SCAN (holder|d)\b/.test(step)))).toEqual([[], ['SCAN d'], []]);
    } finally {
      db.close();
    }
  });
  it('hands a batch the keys the index holds for its current bronze and settings, and no others', async () => {
    const { path } = await normalizedCatalog(testSeed('duplicate index: keys read back', 5), 200);

    const db = openCatalog(path);
    try {
      const stored = db.prepare('SELECT seq, config_hash AS configHash, keys FROM product_keys ORDER BY seq LIMIT 5').all() as {
        seq: number;
        configHash: string;
        keys: string;
      }[];
      const seqs = stored.map((row) => row.seq);
      const { configHash } = stored[0];
      const fresh = readIndexedBronze(db, seqs, configHash);
      expect(fresh.keys).toEqual(stored.map((row) => row.keys));

      // Indexed from another bronze, or under other settings: the batch computes those keys itself.
      db.prepare("UPDATE product_keys SET bronze_hash = 'older' WHERE seq = ?").run(seqs[1]);
      db.prepare("UPDATE product_keys SET config_hash = 'other' WHERE seq = ?").run(seqs[3]);
      const read = readIndexedBronze(db, seqs, configHash);
      expect(read.keys).toEqual([stored[0].keys, null, stored[2].keys, null, stored[4].keys]);
      expect(read.rows.map((row) => row.bronze)).toEqual(fresh.rows.map((row) => row.bronze));
      expect(read.rows.map((row) => row.seq)).toEqual(seqs);
      expect(readIndexedBronze(db, seqs, 'not these settings').keys.every((keys) => keys === null)).toBe(true);
    } finally {
      db.close();
    }
  });
});
