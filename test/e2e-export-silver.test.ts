import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { merchantRow } from '../src/report/export/merchant-tsv.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const CATALOG = [
  'id,title,description,price,sale_price,availability,brand,gtin,link,image_link,additional_image_link,color,google_product_category,product_type',
  'm1,Desk Lamp,"A lamp\twith a tab",24.99 USD,19.99 USD,in stock,Lumo,4006381333931,https://shop.example/m1,https://cdn.example/m1.jpg,https://cdn.example/m1-b.jpg,black,6369,Home > Lighting',
  'm2,Chair,A chair,40.00,,out of stock,Sitwell,,https://shop.example/m2,https://cdn.example/m2.jpg,,,,Home > Furniture',
].join('\n');

async function exported(format: string) {
  const tmp = tempDir();
  const db = tmp.path('c.db');
  const file = tmp.write('feed.csv', CATALOG);
  expect((await runCli(['run', file, '--offline', '-q', '--db', db], { cwd: tmp.dir })).code).toBe(0);
  const out = tmp.path(`out.${format}`);
  const result = await runCli(['export', '--format', format, '--out', out, '--db', db], { cwd: tmp.dir });
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('exports carry the cleaned catalog', () => {
  it('jsonl: the Silver record beside the results', async () => {
    const [first] = (await exported('jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { record: Record<string, unknown>; silver: unknown });
    expect(first.record).toMatchObject({
      id: 'm1',
      title: 'Desk Lamp',
      price: 19.99,
      originalPrice: 24.99,
      currency: 'USD',
      availability: 'in_stock',
      gtin: '4006381333931',
      taxonomyId: '6369',
    });
    expect(first.silver).toMatchObject({ status: 'success' });
  });

  it('csv: one column per Silver field', async () => {
    const rows = parse(await exported('csv'), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({
      silver_price: '19.99',
      silver_originalPrice: '24.99',
      silver_currency: 'USD',
      silver_additionalImageUrls: 'https://cdn.example/m1-b.jpg',
    });
    expect(JSON.parse(rows[0].silver_attributes)).toMatchObject({ color: 'black' });
    expect(rows[1].silver_currency).toBe('');
  });

  it('merchant-tsv: a Merchant Center upload file from Silver, nothing invented', async () => {
    const [header, m1, m2] = (await exported('merchant-tsv'))
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    const row = (cells: string[]) => Object.fromEntries(header.map((name, i) => [name, cells[i]]));
    expect(row(m1)).toMatchObject({
      id: 'm1',
      price: '24.99 USD',
      sale_price: '19.99 USD',
      availability: 'in_stock',
      link: 'https://shop.example/m1',
      google_product_category: '6369',
      color: 'black',
      description: 'A lamp with a tab',
    });
    // No currency in the source: no price is written rather than one guessed.
    expect(row(m2)).toMatchObject({ id: 'm2', price: '', availability: 'out_of_stock', gtin: '' });
    expect(header).not.toContain('condition');
  });
});

describe('merchantRow', () => {
  it('writes the paid price as price when there is no sale', () => {
    const cells = merchantRow('x', { id: 'x', price: 5, currency: 'EUR', additionalImageUrls: [], attributes: {} });
    expect(cells[7]).toBe('5.00 EUR');
    expect(cells[8]).toBe('');
  });
});
