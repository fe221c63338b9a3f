import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../src/store/migrations.js';
import type { SilverContext, SilverProduct, SilverResult } from '../src/silver/product.js';
import { jsonOf, ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const SCHEMA_11 = join(ROOT, 'fixtures', 'catalogs', 'schema-11.db');

const PRODUCT_COLUMNS = [
  'id',
  'seq',
  'stage',
  'source_file',
  'source_line',
  'loaded_at',
  'status',
  'error',
  'sku',
  'gtin',
  'mpn',
  'title',
  'description',
  'short_description',
  'brand',
  'category_path',
  'taxonomy_id',
  'price',
  'original_price',
  'currency',
  'availability',
  'condition',
  'identifier_exists',
  'primary_image_url',
  'additional_image_urls',
  'product_url',
  'attributes',
  'fields_normalized',
  'urls_validated',
  'brand_linked',
  'duplicate_of',
  'duplicate_reason',
  'duplicate_value',
  'broken_url_count',
  'broken_urls',
  'issues',
  'silver_current',
  'normalized_at',
];
const DUPLICATE_COLUMNS = ['id', 'seq', 'title', 'duplicate_of', 'duplicate_of_seq', 'duplicate_of_title', 'reason', 'value'];

interface Shown {
  product: {
    id: string;
    seq: number;
    stage: string;
    source: { file: string; line: number; loadedAt: string };
    silver: { record: SilverProduct; result: SilverResult; context: SilverContext; current: boolean; normalizedAt: string } | null;
    duplicates: string[];
  };
}

/** The Silver record's fields as the view names them. */
const RECORD_COLUMNS: Record<string, keyof SilverProduct> = {
  sku: 'sku',
  gtin: 'gtin',
  mpn: 'mpn',
  title: 'title',
  description: 'description',
  short_description: 'shortDescription',
  brand: 'brand',
  category_path: 'categoryPath',
  taxonomy_id: 'taxonomyId',
  price: 'price',
  original_price: 'originalPrice',
  currency: 'currency',
  availability: 'availability',
  condition: 'condition',
  primary_image_url: 'primaryImageUrl',
  product_url: 'productUrl',
};

/** What assay_products should hold for a product, from `assay show --json`. */
function expectedRow(shown: Shown['product']): Record<string, unknown> {
  const { silver } = shown;
  const row: Record<string, unknown> = {
    id: shown.id,
    seq: shown.seq,
    stage: shown.stage,
    source_file: shown.source.file,
    source_line: shown.source.line,
    loaded_at: shown.source.loadedAt,
  };
  if (!silver) {
    for (const column of PRODUCT_COLUMNS) if (!(column in row)) row[column] = null;
    return row;
  }
  const { record, result, context } = silver;
  for (const [column, field] of Object.entries(RECORD_COLUMNS)) row[column] = record[field] ?? null;
  return {
    ...row,
    status: result.status,
    error: result.error ?? null,
    identifier_exists: record.identifierExists === undefined ? null : Number(record.identifierExists),
    additional_image_urls: record.additionalImageUrls,
    attributes: record.attributes,
    fields_normalized: result.fieldsNormalized,
    urls_validated: result.urlsValidated,
    brand_linked: Number(context.brandLinked),
    duplicate_of: result.duplicateOf,
    duplicate_reason: result.duplicateReason ?? null,
    duplicate_value: result.duplicateValue ?? null,
    broken_url_count: result.brokenUrls.length,
    broken_urls: result.brokenUrls,
    issues: context.issues,
    silver_current: Number(silver.current),
    normalized_at: silver.normalizedAt,
  };
}

const JSON_COLUMNS = ['additional_image_urls', 'attributes', 'broken_urls', 'issues'];

describe('the SQL views', () => {
  it('give through a read-only connection what assay show --json says of every product', async () => {
    const tmp = tempDir();
    const db = tmp.path('catalog.db');
    copyFileSync(SCHEMA_11, db);
    const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir });
    // A product loaded after the migration and never normalized: bronze, with no silver columns.
    const extra = tmp.write('extra.csv', 'id,title,price\nNEW-1,A New Thing,5\n');
    expect((await cli('load', extra, '-q')).code).toBe(0);

    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      expect(conn.prepare('SELECT * FROM assay_schema').all()).toEqual([{ schema_version: LATEST_VERSION, views_version: 1 }]);
      const columns = (view: string) => (conn.prepare(`PRAGMA table_info(${view})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns('assay_products')).toEqual(PRODUCT_COLUMNS);
      expect(columns('assay_duplicates')).toEqual(DUPLICATE_COLUMNS);

      const rows = conn.prepare('SELECT * FROM assay_products ORDER BY seq').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(13);
      const shown = new Map<string, Shown['product']>();
      for (const row of rows) {
        const show = await cli('show', row.id as string, '--json');
        expect(show.code, show.stderr).toBe(0);
        const product = jsonOf<Shown>(show).product;
        shown.set(product.id, product);
        const parsed = { ...row };
        for (const column of JSON_COLUMNS) if (typeof parsed[column] === 'string') parsed[column] = JSON.parse(parsed[column] as string);
        expect(parsed, product.id).toEqual(expectedRow(product));
      }
      expect(rows.find((row) => row.id === 'NEW-1')).toMatchObject({ stage: 'bronze', status: null, title: null, normalized_at: null });

      const duplicates = conn.prepare('SELECT * FROM assay_duplicates ORDER BY seq').all();
      const linked = [...shown.values()].filter((p) => p.silver?.result.duplicateOf);
      expect(linked.length).toBeGreaterThan(0);
      expect(duplicates).toEqual(
        linked.map((p) => {
          const target = shown.get(p.silver!.result.duplicateOf!)!;
          expect(target.duplicates).toContain(p.id);
          return {
            id: p.id,
            seq: p.seq,
            title: p.silver!.record.title ?? null,
            duplicate_of: target.id,
            duplicate_of_seq: target.seq,
            duplicate_of_title: target.silver!.record.title ?? null,
            reason: p.silver!.result.duplicateReason,
            value: p.silver!.result.duplicateValue,
          };
        }),
      );
      // Read-only for real: the connection refuses to write through it.
      expect(() => conn.exec("UPDATE silver SET title = 'x'")).toThrow(/readonly/);
    } finally {
      conn.close();
    }
  }, 120_000);
});
