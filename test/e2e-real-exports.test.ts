import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOf, ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const fixture = (name: string) => join(ROOT, 'fixtures/real-exports', name);

interface ShowDoc {
  product: {
    silver: { record: Record<string, unknown> & { attributes: Record<string, string> }; context: { issues: Array<{ field: string; code: string }> } };
  };
}

async function catalogOf(file: string, ...flags: string[]) {
  const { dir } = tempDir();
  const db = join(dir, 'c.db');
  const run = await runCli(['run', file, '--offline', '--db', db, '--json', ...flags], { cwd: dir });
  expect(run.code, run.stderr).toBeLessThanOrEqual(1);
  const show = async (id: string) => jsonOf<ShowDoc>(await runCli(['show', id, '--db', db, '--json'], { cwd: dir })).product.silver;
  return { run, show };
}

describe('real export conventions, end to end', () => {
  it('Shopify: untracked inventory, stock in a later variant, metafields in German, drafts', async () => {
    const { show } = await catalogOf(fixture('shopify-stock.csv'));
    expect((await show('untracked-mug')).record.availability).toBe('in_stock');
    expect((await show('second-variant-tee')).record.availability).toBe('in_stock');
    expect((await show('sold-out-cap')).record.availability).toBe('out_of_stock');
    expect((await show('continue-scarf')).record.availability).toBe('backorder');
    expect((await show('second-variant-tee')).record.attributes).toMatchObject({ material: 'Baumwolle', gender: 'Damen' });
    expect((await show('draft-socks')).context.issues.map((i) => i.code)).toContain('not_for_sale');
    expect((await show('untracked-mug')).context.issues.map((i) => i.code)).not.toContain('not_for_sale');
  });

  it('text: entities in titles, JSON array cells, sentence case for French, acronyms kept', async () => {
    const { show } = await catalogOf(fixture('text-cells.csv'));
    const t1 = await show('t1');
    expect(t1.record).toMatchObject({
      title: '"Baguette Lyonnais" (2 x 250 G)',
      brand: 'Boulangerie & Co',
      categoryPath: 'Bakery',
      primaryImageUrl: 'https://cdn.example.com/a.jpg',
      additionalImageUrls: ['https://cdn.example.com/b.jpg'],
    });
    expect(t1.record.attributes.tags).toBe('bread, french');
    expect((await show('t2')).record.title).toBe('Cuisse de poulet direct au four curry');
    expect((await show('t3')).record.title).toBe('Pains Choco AOP x 5');
    expect((await show('t4')).record.title).toBe('Oven safe to 250°C');
    // Mixed case is left as written; a bracketed word is no JSON list.
    expect((await show('t5')).record).toMatchObject({ title: '[NEW] stainless steel water bottle', categoryPath: '[Drinkware]' });
  });

  it('a price file: image, barcode, model number and price range columns; an 11-digit UPC restored and reported', async () => {
    const { show } = await catalogOf(fixture('price-file.csv'), '--id-column', 'sku_code');
    const p1 = await show('P-1');
    expect(p1.record).toMatchObject({ primaryImageUrl: 'https://cdn.example.com/p1.jpg', gtin: '4006381333931', mpn: 'LS-100', price: 19.99 });
    const p3 = await show('P-3');
    expect(p3.record.gtin).toBe('036000291452');
    expect(p3.context.issues).toContainEqual(expect.objectContaining({ field: 'gtin', code: 'gtin.leading_zero_restored' }));
    expect((await show('P-2')).context.issues.map((i) => i.code)).not.toContain('gtin.leading_zero_restored');
  });

  it('a valid UTF-8 file holding U+FFFD loads without the Latin-1 advice; a Latin-1 file gets it', async () => {
    const utf8 = await catalogOf(fixture('utf8-with-fffd.csv'));
    const doc = jsonOf<{ load: { warnings: unknown[] } }>(utf8.run);
    expect(doc.load.warnings).toEqual([]);
    expect((await utf8.show('1')).record.title).toBe('Mug \ufffd blue');
    const latin1 = jsonOf<{ load: { warnings: Array<{ message: string }> } }>((await catalogOf(fixture('latin1.csv'))).run);
    expect(latin1.load.warnings[0].message).toMatch(/load it again with --encoding latin1/);
  });

  it("the config's store language decides the casing of every title", async () => {
    const { dir } = tempDir();
    const db = join(dir, 'c.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'assay.config.json'), JSON.stringify({ language: 'fr' }));
    expect((await runCli(['run', fixture('text-cells.csv'), '--offline', '-q', '--db', db], { cwd: dir })).code).toBeLessThanOrEqual(1);
    const title = async (id: string) => jsonOf<ShowDoc>(await runCli(['show', id, '--db', db, '--json'], { cwd: dir })).product.silver.record.title;
    expect(await title('t3')).toBe('Pains choco AOP x 5');
    writeFileSync(join(dir, 'assay.config.json'), JSON.stringify({ language: 'not a language' }));
    const bad = await runCli(['normalize', '--all', '--offline', '--db', db], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/language/);
  });
});
