import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { jsonOf, ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/**
 * Loads the real catalogs of the folder named by ASSAY_REAL_DATA (the project's
 * shared data; see its README) through the built CLI. Expected counts come from
 * the files themselves, read here with csv-parse's sync API. Nothing from that
 * folder is copied into the repository.
 */
const given = process.env.ASSAY_REAL_DATA;
const DATA = given ? (isAbsolute(given) ? given : resolve(ROOT, given)) : undefined;
const TITLE = DATA
  ? 'real catalogs in ASSAY_REAL_DATA'
  : 'real catalogs (skipped: ASSAY_REAL_DATA does not name a folder of real catalogs; .ci/run sets it when ../shared/data exists)';

interface Catalog {
  file: string;
  /** The column that identifies a product in this export. */
  id: string;
  title: string;
  encoding?: 'latin1';
  idColumnFlag?: boolean;
  delimiter?: string;
}

/** google-taxonomy is a taxonomy, not a catalog; the perfect-mapping file is the match list of amazon-google. */
const CATALOGS: Catalog[] = [
  { file: 'shopify-template/apparel.csv', id: 'Handle', title: 'Title' },
  { file: 'shopify-template/home-and-garden.csv', id: 'Handle', title: 'Title' },
  { file: 'shopify-template/jewelery.csv', id: 'Handle', title: 'Title' },
  { file: 'shopify-export-stachewax/products_export_1.csv', id: 'Handle', title: 'Title' },
  { file: 'shopify-export-greatoutdoor/products_export_1.csv', id: 'Handle', title: 'Title' },
  { file: 'woocommerce-sample/sample_products.csv', id: 'ID', title: 'Name' },
  { file: 'datakick-gtin/items.csv', id: 'GTIN-14', title: 'Name', idColumnFlag: true },
  { file: 'amazon-google/Amazon.csv', id: 'id', title: 'title', encoding: 'latin1' },
  { file: 'amazon-google/GoogleProducts.csv', id: 'id', title: 'name', encoding: 'latin1' },
  { file: 'merchant-feed-generated/merchant-feed-en.csv', id: 'ID', title: 'Title' },
  { file: 'merchant-feed-generated/google_merchant_feed_en.tsv', id: 'id', title: 'title', delimiter: '\t' },
];

interface LoadJson {
  rows: number;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; reason: string }[];
  warnings: unknown[];
}

/** The file's records, read independently of assay: header names and one string[] per row. */
function readExpected(catalog: Catalog): { header: string[]; rows: string[][] } {
  const bytes = readFileSync(join(DATA!, catalog.file));
  const text = catalog.encoding === 'latin1' ? bytes.toString('latin1') : bytes.toString('utf8');
  const records = parse(text, { bom: true, delimiter: catalog.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  // assay folds line endings to \n, inside quoted fields too.
  const cells = rows.filter((r) => r.some((v) => v !== '')).map((r) => r.map((v) => v.replace(/\r\n?/g, '\n')));
  return { header: header.map((h) => h.trim()), rows: cells };
}

function products(path: string): Map<string, Record<string, string>> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, bronze FROM products').all() as { id: string; bronze: string }[];
    return new Map(rows.map((r) => [r.id, JSON.parse(r.bronze) as Record<string, string>]));
  } finally {
    db.close();
  }
}

describe.skipIf(!DATA || !existsSync(DATA))(TITLE, () => {
  /** Shopify products whose images came from more than one row, counted by the loads below. */
  let foldedImages = 0;

  describe.each(CATALOGS)('$file', (catalog) => {
    it('loads one product per id (images of all its rows kept), every row accounted for, text intact, all unchanged the second time', async () => {
      const tmp = tempDir();
      const args = ['load', join(DATA!, catalog.file), '--db', 'c.db', '--json'];
      if (catalog.encoding) args.push('--encoding', catalog.encoding);
      if (catalog.idColumnFlag) args.push('--id-column', catalog.id);
      const first = await runCli(args, { cwd: tmp.dir, timeoutMs: 60_000 });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const summary = jsonOf<LoadJson>(first);

      const { header, rows } = readExpected(catalog);
      const idAt = header.indexOf(catalog.id);
      const titleAt = header.indexOf(catalog.title);
      expect(idAt).toBeGreaterThanOrEqual(0);
      expect(titleAt).toBeGreaterThanOrEqual(0);
      const rowsById = new Map<string, string[][]>();
      for (const row of rows) {
        const id = (row[idAt] ?? '').trim();
        if (id) rowsById.set(id, [...(rowsById.get(id) ?? []), row]);
      }

      expect(summary.warnings).toEqual([]);
      expect(summary.errors).toEqual([]);
      expect(summary.rows).toBe(rows.length);
      expect(summary.total).toBe(rowsById.size);
      expect(summary.created).toBe(rowsById.size);

      // No row lost without an error line: the rows of the loaded products plus the errors make up every row read.
      const loaded = products(tmp.path('c.db'));
      let accounted = summary.errors.length;
      for (const id of loaded.keys()) accounted += rowsById.get(id)?.length ?? 0;
      expect(accounted).toBe(summary.rows);

      // The first row of each product stands, value for value (image columns gather all rows and are checked below).
      // Shopify's per-variant stock columns keep one entry per variant row, the first row's first.
      const variantStock = /^variant inventory (?:tracker|qty|policy)$/i;
      const unique = header.filter((h, i) => h !== '' && header.indexOf(h) === i && !/image|img|photo|picture/i.test(h));
      for (const [id, fields] of loaded) {
        const firstRow = rowsById.get(id)![0];
        for (const name of unique) {
          const value = firstRow[header.indexOf(name)] ?? '';
          if (variantStock.test(name)) expect(fields[name].split(' | ')[0], `${id}: ${name}`).toBe(value);
          else if (value !== '') expect(fields[name], `${id}: ${name}`).toBe(value);
        }
        expect(fields[catalog.title]).not.toMatch(/\uFFFD/);
      }

      // Shopify exports: the image URLs of every row of a product are kept with it, in order.
      const imageAt = header.indexOf('Image Src');
      if (catalog.id === 'Handle' && imageAt >= 0) {
        for (const [id, idRows] of rowsById) {
          const urls: string[] = [];
          for (const row of idRows) if (row[imageAt] && !urls.includes(row[imageAt])) urls.push(row[imageAt]);
          const cell = loaded.get(id)!['Image Src'] ?? '';
          expect(cell === '' ? [] : cell.split(' | '), `${id}: Image Src`).toEqual(urls);
          if (urls.length > 1) foldedImages++;
        }
      }

      const second = jsonOf<LoadJson>(await runCli(args, { cwd: tmp.dir, timeoutMs: 60_000 }));
      expect(second).toMatchObject({ total: rowsById.size, created: 0, updated: 0, unchanged: rowsById.size, errors: [] });
    });
  });

  it('found Shopify products with images on several rows, so the image check folded something', () => {
    expect(foldedImages).toBeGreaterThan(0);
  });

  it('warns that the Latin-1 amazon-google file is not UTF-8 when loaded without --encoding', async () => {
    const tmp = tempDir();
    const result = await runCli(['load', join(DATA!, 'amazon-google/Amazon.csv'), '--db', 'c.db', '--json'], { cwd: tmp.dir });
    expect(result.code).toBe(0);
    expect(JSON.stringify(jsonOf<{ warnings: unknown[] }>(result).warnings)).toMatch(/--encoding latin1/);
  });

  it('loads the huenox Merchant Center feed (RSS, g: namespace, plain <link>): one product per item, scored', async () => {
    const file = join(DATA!, 'merchant-feed-huenox/google-feed.xml');
    const items = readFileSync(file, 'utf8').match(/<item>/g)!.length;
    const tmp = tempDir();
    const result = await runCli(['run', file, '--offline', '--db', 'c.db', '--json'], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const doc = jsonOf<{ load: LoadJson }>(result);
    expect(doc.load).toMatchObject({ rows: items, total: items, created: items, errors: [], warnings: [] });
    for (const fields of products(tmp.path('c.db')).values()) expect(fields.link).toMatch(/^https:\/\/huenox\.com\//);
  });
});
