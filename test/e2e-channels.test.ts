import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProductsJsonSchema, RunJsonSchema, ShowJsonSchema } from '../src/report/schemas.js';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';
import { documentOf } from './helpers/documents.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const FIXTURES = join(ROOT, 'fixtures', 'channels');
const EXPORT = join(FIXTURES, 'store-export.csv');
const FEED = join(FIXTURES, 'affiliate-feed.csv');
const MIXED = join(FIXTURES, 'mixed-catalog.csv');
const NO_TITLE = join(FIXTURES, 'no-title-column.csv');

let dir: string;
const cli = (db: string, args: string[]): Promise<CliResult> => runCli([...args, '--db', join(dir, db)], { cwd: dir });
const run = async (db: string, args: string[]) => {
  const result = await cli(db, ['run', ...args, '--offline', '--json']);
  return { result, doc: result.code === 0 || result.code === 1 ? documentOf(RunJsonSchema, result) : undefined };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-channels-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('channels: an export that cannot be listed no longer outscores a feed that can', () => {
  it('the feed with every required attribute passes --min-score 60, the export without currency, availability or GTIN fails it', async () => {
    const feed = await run('feed.db', [FEED, '--min-score', '60']);
    const store = await run('export.db', [EXPORT, '--min-score', '60']);
    expect(feed.result.code, feed.result.stderr).toBe(0);
    expect(store.result.code, store.result.stderr).toBe(1);
    expect(feed.doc!.catalogSummary.feedReady).toBe(3);
    expect(store.doc!.catalogSummary.feedReady).toBe(0);
    expect(feed.doc!.catalogSummary.avgScore).toBeGreaterThan(store.doc!.catalogSummary.avgScore);
    // identifier_exists = no: the handmade pieces lose nothing for having no GTIN, and no Google product is asked a sku.
    const gaps = feed.doc!.catalogSummary.topGaps.map((g) => g.field);
    expect(gaps).not.toContain('gtin');
    expect(gaps).not.toContain('sku');
  });

  it('--channel generic asks a sku; --channel meta takes the feed as it is', async () => {
    const generic = await run('generic.db', [FEED, '--channel', 'generic']);
    expect(generic.doc!.catalogSummary.topGaps.map((g) => g.field)).toContain('sku');
    const meta = await run('meta.db', [FEED, '--channel', 'meta']);
    expect(meta.doc!.catalogSummary.feedReady).toBe(3);
  });

  it('apparel attributes are asked of the T-shirts only; a T-shirt without gender is held in warning and show says why', async () => {
    const mixed = await run('mixed.db', [MIXED]);
    expect(mixed.doc!.catalogSummary.feedReady).toBe(3);
    const shown = documentOf(ShowJsonSchema, await cli('mixed.db', ['show', 'tee-2', '--json']));
    const gold = shown.product.gold!.result;
    expect(gold.status).toBe('success');
    if (gold.status !== 'success') return;
    expect(gold.blockers.map((b) => b.code)).toEqual(['gender.missing', 'age_group.missing']);
    expect(gold.cappedBy).toBe('gender.missing');
    expect(gold.band).toBe('warning');
    for (const id of ['laptop-1', 'pasta-1']) {
      const other = documentOf(ShowJsonSchema, await cli('mixed.db', ['show', id, '--json'])).product.gold!.result;
      if (other.status !== 'success') throw new Error(`${id} not scored`);
      expect(other.gaps.map((g) => g.field)).not.toContain('attributes.gender');
      expect(other.gaps.map((g) => g.field)).not.toContain('attributes.ageGroup');
    }
    const panel = await cli('mixed.db', ['analyze', '--all']);
    expect(panel.stdout).toMatch(/tee-2 .*capped by gender\.missing/);
    const text = await cli('mixed.db', ['show', 'tee-2']);
    expect(text.stdout).toContain('not feed-ready for google: gender.missing');
    expect(text.stdout).toMatch(/capped: score held at \d+ because of gender\.missing/);
    expect(text.stdout).toContain('identity.sku');
    expect(text.stdout).toContain('not counted: Google Merchant Center does not ask for it');
  });

  it('products --gap and export --gap take a reason code', async () => {
    await run('gap.db', [FEED]);
    const { products } = documentOf(ProductsJsonSchema, await cli('gap.db', ['products', '--gap', 'title.too_short', '--json']));
    expect(products.map((p) => p.id).sort()).toEqual(['stoneware-bowl', 'stoneware-mug', 'stoneware-plate']);
    const none = documentOf(ProductsJsonSchema, await cli('gap.db', ['products', '--gap', 'title.all_caps', '--json']));
    expect(none.products).toEqual([]);
    const exported = await cli('gap.db', ['export', '--format', 'jsonl', '--out', '-', '--gap', 'title.too_short']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(3);
    const bad = await cli('gap.db', ['products', '--gap', 'Title Too Short']);
    expect(bad.code).toBe(2);
  });
});

describe('store settings', () => {
  it('fill the currency and make relative links absolute, marked in show, and a change makes silver stale', async () => {
    const plain = await run('store.db', [EXPORT]);
    expect(plain.doc!.catalogSummary.topGaps.map((g) => g.field)).toContain('currency');
    const set = await run('store.db', [EXPORT, '--store-currency', 'eur', '--store-base-url', 'https://shop.example.com']);
    const gaps = set.doc!.catalogSummary.topGaps.map((g) => g.field);
    expect(gaps).not.toContain('currency');
    expect(gaps).not.toContain('primaryImageUrl');
    const shown = documentOf(ShowJsonSchema, await cli('store.db', ['show', 'stoneware-mug', '--json']));
    expect(shown.product.silver!.record).toMatchObject({ currency: 'EUR', primaryImageUrl: 'https://shop.example.com/cdn/mug.jpg' });
    const text = await cli('store.db', ['show', 'stoneware-mug']);
    expect(text.stdout).toMatch(/currency\s+EUR\s+\(from store settings\)/);
    const stale = await cli('store.db', [
      'normalize',
      '--stale',
      '--offline',
      '--store-currency',
      'USD',
      '--store-base-url',
      'https://shop.example.com',
      '--json',
    ]);
    expect(stale.code, stale.stderr).toBe(0);
    expect(JSON.parse(stale.stdout).job.total).toBe(3);
  });
});

describe('the config file', () => {
  it('sets the channel, the store and the cap', async () => {
    const config = join(dir, 'assay.config.json');
    writeFileSync(config, JSON.stringify({ channel: 'generic', store: { currency: 'EUR', baseUrl: 'https://shop.example.com' }, gold: { blockedCap: 100 } }));
    const result = await cli('config.db', ['run', EXPORT, '--offline', '--json', '--config', config]);
    const doc = documentOf(RunJsonSchema, result);
    const gaps = doc.catalogSummary.topGaps.map((g) => g.field);
    expect(gaps).not.toContain('currency');
    const shown = documentOf(ShowJsonSchema, await cli('config.db', ['show', 'stoneware-mug', '--json', '--config', config])).product.gold!.result;
    if (shown.status !== 'success') throw new Error('not scored');
    expect(shown).toMatchObject({ channel: 'generic', cappedBy: null });
  });
});

describe('CI that cannot be fooled', () => {
  it('a file without a title column is one error naming the columns found, and the run exits 2', async () => {
    const result = await cli('nt.db', ['run', NO_TITLE, '--offline', '--min-score', '60']);
    expect(result.code).toBe(2);
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('no title column'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("found 'id', 'price', 'brand'");
    expect(result.stderr).not.toContain('pass --min-score');
  });

  it('a file without an id column is one error naming the columns found, and exits 2', async () => {
    const noId = join(dir, 'no-id.csv');
    writeFileSync(noId, 'name,price\nLamp,5\nDesk,7\n');
    const result = await cli('noid.db', ['run', noId, '--offline', '--min-score', '60']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no id column found \(looked for .*; found 'name', 'price'\): name one with --id-column COL/);
  });

  it('gates over nothing scored fail, unless --allow-empty', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'id,title,price\n');
    const failed = await cli('empty.db', ['run', empty, '--offline', '--min-score', '60', '--max-poor', '0', '--require-feed-ready']);
    expect(failed.code, failed.stderr).toBe(1);
    for (const flag of ['--min-score 60', '--max-poor 0', '--require-feed-ready']) {
      expect(failed.stdout).toContain(`no product in scope was scored, so ${flag} cannot be met`);
    }
    const allowed = await cli('empty-allowed.db', ['run', empty, '--offline', '--min-score', '60', '--allow-empty']);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it('products not yet scored read "not normalized" in tables and null in JSON, never error', async () => {
    const loaded = await cli('unscored.db', ['load', FEED]);
    expect(loaded.code, loaded.stderr).toBe(0);
    const table = await cli('unscored.db', ['products']);
    expect(table.stdout).toContain('not normalized');
    expect(table.stdout).not.toContain('error');
    const { products } = documentOf(ProductsJsonSchema, await cli('unscored.db', ['products', '--json']));
    for (const p of products) expect(p).toMatchObject({ score: null, band: null, feedReady: null });
  });
});
