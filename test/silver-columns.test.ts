import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeColumns } from '../src/silver/column-report.js';
import { jsonOf, ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const rows = [
  { ref: 'A1', name: 'Lamp', scan_code: '4006381333931', pic: 'https://x.example/a.jpg', cur: 'USD', stock_state: 'In Stock', taxable: 'yes', color: 'red' },
  { ref: 'A2', name: 'Desk', scan_code: '036000291452', pic: 'https://x.example/b.png?w=600', cur: 'EUR', stock_state: 'sold', taxable: 'no', color: 'blue' },
];
const header = Object.keys(rows[0]);

describe('describeColumns', () => {
  const report = describeColumns(header, rows);

  it('says for every column which field it feeds and why', () => {
    expect(report.columns.find((c) => c.source === 'name')).toEqual({ source: 'name', target: 'title', via: 'alias', sample: 'Lamp' });
    expect(report.columns.find((c) => c.source === 'color')).toMatchObject({ target: 'attributes.color', via: 'alias' });
    expect(report.columns.find((c) => c.source === 'scan_code')).toMatchObject({ target: 'attributes.scan_code', via: 'attributes' });
  });

  it('names a user rule and a preset as the reason', () => {
    const byRule = describeColumns(header, rows, { rules: [{ sourceField: 'ref', targetField: 'id' }] });
    expect(byRule.columns.find((c) => c.source === 'ref')).toMatchObject({ target: 'id', via: 'rule' });
    const shopify = describeColumns(['Handle', 'Title', 'Variant SKU', 'Variant Inventory Qty'], []);
    expect(shopify.columns[0]).toMatchObject({ target: 'id', via: 'preset:shopify' });
    expect(shopify.columns[3]).toMatchObject({ target: 'availability', role: 'stock count' });
  });

  it('lists the graded fields no column feeds', () => {
    expect(report.unfed).toContain('price');
    expect(report.unfed).toContain('id');
    expect(report.unfed).not.toContain('title');
    expect(report.unfed).not.toContain('attributes.color');
  });

  it('reads columns named like members of every object as columns', () => {
    const rows = [JSON.parse('{"id":"1","title":"a","valueOf":"v"}') as Record<string, string>, JSON.parse('{"id":"2","title":"b"}') as Record<string, string>];
    const report = describeColumns(['id', 'title', 'valueOf', 'constructor'], rows);
    expect(report.columns.find((c) => c.source === 'valueOf')?.sample).toBe('v');
    expect(report.columns.find((c) => c.source === 'constructor')?.sample).toBeUndefined();
  });

  it('counts a currency written in the prices, and image lists, as fed', () => {
    const fed = describeColumns(['id', 'price', 'image'], [{ id: '1', price: '352 AED', image: 'https://x.example/a.jpg | https://x.example/b.jpg' }]);
    expect(fed.unfed).not.toContain('currency');
    expect(fed.unfed).not.toContain('additionalImageUrls');
    const bare = describeColumns(['id', 'price', 'image'], [{ id: '1', price: '352', image: 'https://x.example/a.jpg' }]);
    expect(bare.unfed).toContain('currency');
    expect(bare.unfed).toContain('additionalImageUrls');
  });

  it('suggests targets from content, with a rule to paste', () => {
    const by = new Map(report.suggestions.map((s) => [s.source, s]));
    expect(by.get('scan_code')).toMatchObject({ target: 'gtin', rule: { sourceField: 'scan_code', targetField: 'gtin' } });
    expect(by.get('pic')?.target).toBe('primaryImageUrl');
    expect(by.get('cur')?.target).toBe('currency');
    expect(by.get('stock_state')?.target).toBe('availability');
    expect(by.get('ref')?.target).toBe('id');
  });

  it('suggests nothing for yes/no, numbers or text', () => {
    const sources = report.suggestions.map((s) => s.source);
    expect(sources).not.toContain('taxable');
    expect(sources).not.toContain('color');
    const numbers = describeColumns(
      ['id', 'title', 'fat'],
      [
        { id: '1', title: 'a', fat: '0.5' },
        { id: '2', title: 'b', fat: '1' },
      ],
    );
    expect(numbers.suggestions).toEqual([]);
  });
});

describe('assay columns', () => {
  it('maps a price file and prints JSON on stdout', async () => {
    const { dir } = tempDir();
    const file = join(ROOT, 'fixtures/real-exports/price-file.csv');
    const result = await runCli(['columns', file, '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      columns: Array<{ source: string; target: string; via: string }>;
      unfed: string[];
      suggestions: Array<{ source: string; target: string }>;
    };
    const target = (source: string) => doc.columns.find((c) => c.source === source)?.target;
    expect(target('product_image')).toBe('primaryImageUrl');
    expect(target('barcode_id')).toBe('gtin');
    expect(target('manufacturerNumber')).toBe('mpn');
    expect(target('amountMin')).toBe('price');
    expect(doc.suggestions.map((s) => [s.source, s.target])).toEqual(
      expect.arrayContaining([
        ['scan_code', 'gtin'],
        ['pic', 'additionalImageUrls'],
        ['cur', 'currency'],
        ['stock_state', 'availability'],
      ]),
    );
  });

  it('reads the loaded catalog with --db, and prints the table on stdout', async () => {
    const { dir } = tempDir();
    const db = join(dir, 'c.db');
    const file = join(ROOT, 'fixtures/real-exports/shopify-stock.csv');
    expect((await runCli(['load', file, '--db', db], { cwd: dir })).code).toBe(0);
    const result = await runCli(['columns', '--db', db], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Stoff \(product\.metafields\.shopify\.fabric\)\s+attributes\.material\s+alias/);
    expect(result.stdout).toMatch(/Variant Inventory Tracker\s+availability \(stock tracked\)\s+preset:shopify/);
  });

  it('normalize says once per run what the mapping understood, in the panel and in JSON', async () => {
    const { dir } = tempDir();
    const db = join(dir, 'c.db');
    const file = join(ROOT, 'fixtures/real-exports/price-file.csv');
    expect((await runCli(['load', file, '--db', db, '--id-column', 'sku_code', '-q'], { cwd: dir })).code).toBe(0);
    const panel = await runCli(['normalize', '--all', '--offline', '--db', db], { cwd: dir });
    expect(panel.stdout).toMatch(/columns\s+12\s+6 mapped, 6 to attributes/);
    expect(panel.stdout).toContain('suggestion scan_code → gtin');
    const doc = jsonOf<{ mapping: { mapped: number; unfed: string[]; suggestions: Array<{ target: string }> } }>(
      await runCli(['normalize', '--all', '--offline', '--db', db, '--json'], { cwd: dir }),
    );
    expect(doc.mapping.mapped).toBe(6);
    expect(doc.mapping.unfed).toContain('brand');
    expect(doc.mapping.unfed).not.toContain('id');
    expect(doc.mapping.suggestions.map((s) => s.target)).not.toContain('id');
  });
});
