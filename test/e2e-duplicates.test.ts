import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NormalizeJsonSchema, ProductsJsonSchema, ShowJsonSchema } from '../src/report/schemas.js';
import { runCli } from './helpers/cli.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

/** Runs assay on the catalog `c.db` in `tmp` and returns its parsed JSON output. */
async function assayJson(tmp: TempDir, args: string[]): Promise<unknown> {
  const result = await runCli([...args, '--db', tmp.path('c.db'), '--json'], { cwd: tmp.dir, timeoutMs: 60_000 });
  expect(result.code, `assay ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout);
}

/** What `assay show` says of a product's silver: its brand, whether it is current, and the product's stage. */
async function showSilver(tmp: TempDir, id: string): Promise<[brand: unknown, current: boolean | undefined, stage: string]> {
  const { product } = ShowJsonSchema.parse(await assayJson(tmp, ['show', id]));
  return [(product.silver?.record as { brand?: string } | null)?.brand, product.silver?.current, product.stage];
}

function linksOf(tmp: TempDir): Record<string, string | null> {
  const db = new Database(tmp.path('c.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT p.id, s.duplicate_of AS duplicateOf FROM products p JOIN silver s USING (seq) ORDER BY p.seq').all() as {
      id: string;
      duplicateOf: string | null;
    }[];
    return Object.fromEntries(rows.map((row) => [row.id, row.duplicateOf]));
  } finally {
    db.close();
  }
}

// v1: A1, B2, C3 share brand and title, so B2 and C3 link to A1. v2: only A1's title changes.
const V1 = 'id,title,brand\nA1,Trail Runner Pro,Nike\nB2,Trail Runner Pro,Nike\nC3,Trail Runner Pro,Nike\n';
const V2 = 'id,title,brand\nA1,Linen Shirt Classic,Nike\nB2,Trail Runner Pro,Nike\nC3,Trail Runner Pro,Nike\n';

describe('duplicate detection through the CLI', () => {
  it('points to --similar-titles after normalizing a catalog loaded from several files, not one from a single file, with the step on, or when nothing was normalized', async () => {
    const tmp = tempDir();
    const shopA = tmp.write('a.csv', 'id,title,brand\nA1,Trail Runner Pro,Nike\n');
    const shopB = tmp.write('b.csv', 'id,title,brand\nB1,Nike Trail Runner Pro running shoe,Nike\n');
    const normalize = async (...flags: string[]) => {
      const result = await runCli(['normalize', '--all', '--offline', ...flags, '--db', tmp.path('c.db')], { cwd: tmp.dir, timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    };
    const hint = '--similar-titles also links near-identical titles';
    expect((await runCli(['load', shopA, '--db', tmp.path('c.db')], { cwd: tmp.dir })).code).toBe(0);
    expect(await normalize()).not.toContain(hint);
    expect((await runCli(['load', shopB, '--db', tmp.path('c.db')], { cwd: tmp.dir })).code).toBe(0);
    expect(await normalize()).toContain(hint);
    expect(await normalize('--similar-titles')).not.toContain(hint);
    // A re-run that normalized nothing linked nothing: no hint to repeat every night.
    expect(await normalize('--similar-titles')).not.toContain(hint);
    expect(await normalize()).toContain(hint);
    const stale = await runCli(['normalize', '--stale', '--offline', '--db', tmp.path('c.db')], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(stale.stdout).toContain('products processed            0');
    expect(stale.stdout).not.toContain(hint);
  });

  it('links products sharing a real SKU, but not products sharing a placeholder SKU written on many of them', async () => {
    const tmp = tempDir();
    const rows = ['id,title,sku'];
    // One store wrote SKU 100 on a dozen different products: a placeholder, not an identity.
    for (let i = 1; i <= 12; i++) rows.push(`P${i},Garden product number ${i} of the range,100`);
    rows.push('Q1,Folding camp chair with armrests,CH-77', 'Q2,Camp chair folding with arm rests,CH-77');
    const file = tmp.write('c.csv', rows.join('\n') + '\n');
    const db = tmp.path('c.db');
    expect((await runCli(['load', file, '--db', db, '-q'], { cwd: tmp.dir })).code).toBe(0);
    const result = await runCli(['normalize', '--all', '--offline', '--db', db, '--json'], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const links = NormalizeJsonSchema.parse(JSON.parse(result.stdout)).results.filter((r) => r.duplicateOf !== null);
    expect(links.map((r) => [r.productId, r.duplicateOf])).toEqual([['Q2', 'Q1']]);
  });

  // Twelve different products of one shop, all written SKU 100, in four colours: a placeholder in every colour.
  const furniture = [
    'Sofa',
    'Armchair',
    'Dining table',
    'Bookcase',
    'Bed frame',
    'Desk',
    'Wardrobe',
    'Side table',
    'Bench',
    'Dresser',
    'Stool',
    'Footrest',
    'Shelf',
  ];
  const colours = ['Brown', 'Brown', 'Brown', 'Black', 'Black', 'Red', 'Red', 'Red', 'Red', 'Blue', 'Green', 'Green', 'White'];
  const skuRows = (from: number, to: number) =>
    furniture.slice(from, to).map((name, i) => `F${from + i + 1},Oak ${name.toLowerCase()},100,${colours[from + i]}`);

  it('links nothing through a SKU more than ten products hold, whatever colours they come in, but still links a real SKU in one colour', async () => {
    const tmp = tempDir();
    const rows = ['id,title,sku,colour', ...skuRows(0, 12)];
    rows.push(
      'C1,Folding camp chair,CH-77,Brown',
      'C2,Camp chair folding,CH-77,Brown',
      'C3,Folding camp chair,CH-77,Brown',
      'C4,Folding camp chair,CH-77,Olive',
    );
    await assayJson(tmp, ['load', tmp.write('c.csv', rows.join('\n') + '\n')]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    const links = run.results.filter((r) => r.duplicateOf).map((r) => [r.productId, r.duplicateOf, r.duplicateReason]);
    expect(links).toEqual([
      ['C2', 'C1', 'sku'],
      ['C3', 'C1', 'sku'],
    ]);
  });

  it('removes the links of a SKU that more products came to hold in other colours, after --stale as in a fresh catalog', async () => {
    const tmp = tempDir();
    const header = 'id,title,sku,colour\n';
    // The first eight: three brown, two black, three red, so SKU 100 links within each colour.
    await assayJson(tmp, ['load', tmp.write('v1.csv', header + skuRows(0, 8).join('\n') + '\n')]);
    await assayJson(tmp, ['normalize', '--all', '--offline']);
    expect(Object.values(linksOf(tmp)).filter(Boolean)).toHaveLength(5);
    // Five more, none of them brown or black: thirteen hold SKU 100 now, a placeholder.
    await assayJson(tmp, ['load', tmp.write('v2.csv', header + skuRows(8, 13).join('\n') + '\n')]);
    await assayJson(tmp, ['normalize', '--stale', '--offline']);
    const incremental = linksOf(tmp);
    expect(Object.values(incremental).filter(Boolean)).toEqual([]);

    const fresh = tempDir();
    await assayJson(fresh, ['load', fresh.write('c.csv', header + skuRows(0, 13).join('\n') + '\n')]);
    await assayJson(fresh, ['normalize', '--all', '--offline']);
    expect(incremental).toEqual(linksOf(fresh));
  });

  it('relinks the products that followed a product whose title changed, after run and after the --stale recipe', async () => {
    for (const recipe of ['run', 'stale']) {
      const tmp = tempDir();
      await assayJson(tmp, ['run', tmp.write('v1.csv', V1), '--offline']);
      expect(linksOf(tmp)).toEqual({ A1: null, B2: 'A1', C3: 'A1' });
      const v2 = tmp.write('v2.csv', V2);
      if (recipe === 'run') await assayJson(tmp, ['run', v2, '--offline']);
      else {
        await assayJson(tmp, ['load', v2]);
        await assayJson(tmp, ['normalize', '--stale', '--offline']);
      }
      // What a fresh catalog gives on v2: A1 no longer shares a key with B2 or C3.
      expect(linksOf(tmp), recipe).toEqual({ A1: null, B2: null, C3: 'B2' });
    }
  });

  it('re-normalizes products whose brand spelling lost the majority, and show says their silver is stale until then', async () => {
    const tmp = tempDir();
    const v1 = 'id,title,brand\nA1,Trail Runner Pro,Nike\nB2,Linen Shirt Classic,Nike\nC3,Trail Boot Classic,NIKE\n';
    await assayJson(tmp, ['load', tmp.write('v1.csv', v1)]);
    await assayJson(tmp, ['normalize', '--all', '--offline']);
    // Two products now spell it NIKE: the catalog's canonical spelling moves, also for A1 and C3, whose rows did not change.
    await assayJson(tmp, ['load', tmp.write('v2.csv', v1.replace('Linen Shirt Classic,Nike', 'Linen Shirt Classic,NIKE'))]);
    await assayJson(tmp, ['normalize', '--ids', 'B2', '--offline']);
    expect(await showSilver(tmp, 'A1')).toEqual(['Nike', false, 'bronze']);
    const stale = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--stale', '--offline']));
    expect(stale.results.map((r) => [r.productId, r.status])).toEqual([
      ['A1', 'success'],
      ['C3', 'success'],
    ]);
    expect(await showSilver(tmp, 'A1')).toEqual(['NIKE', true, 'silver']);
  });

  it('says why each link was made, in results, show, products and the panel, and lets the config overrule one', async () => {
    const tmp = tempDir();
    const csv =
      'id,title,brand,mpn\nA1,KX-TG9333T cordless phone,Panasonic,\nB2,Panasonic KXTG9333T DECT,PANASONIC,\nC3,Toner cartridge black,HP,CE278A\nD4,LaserJet toner black,HP,ce-278a\n';
    const file = tmp.write('c.csv', csv);
    await assayJson(tmp, ['load', file]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    const reasons = run.results.filter((r) => r.duplicateOf).map((r) => [r.productId, r.duplicateOf, r.duplicateReason, r.duplicateValue]);
    expect(reasons).toEqual([
      ['B2', 'A1', 'model', 'kxtg9333t'],
      ['D4', 'C3', 'mpn', 'ce278a'],
    ]);
    expect(run.summary.duplicatesByReason).toEqual({ model: 1, mpn: 1 });

    const products = ProductsJsonSchema.parse(await assayJson(tmp, ['products', '--duplicates']));
    expect(products.products.map((p) => [p.id, p.duplicateReason])).toEqual([
      ['B2', 'model'],
      ['D4', 'mpn'],
    ]);
    const show = await runCli(['show', 'B2', '--db', tmp.path('c.db')], { cwd: tmp.dir, env: { NO_COLOR: '1' } });
    expect(show.stdout).toContain('duplicate of A1 (shared model kxtg9333t)');
    const panel = await runCli(['normalize', '--all', '--offline', '--db', tmp.path('c.db')], { cwd: tmp.dir, env: { NO_COLOR: '1' } });
    expect(panel.stderr + panel.stdout).toMatch(/by model\s+1/);

    tmp.write('assay.config.json', JSON.stringify({ notDuplicates: [['B2', 'A1']] }));
    const overruled = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    expect(overruled.results.filter((r) => r.duplicateOf).map((r) => r.productId)).toEqual(['D4']);
  });

  it('never links two products with different valid GTINs through a model number, but links one without a GTIN', async () => {
    const tmp = tempDir();
    const csv =
      'id,title,brand,gtin\nA1,Mondial NBR-1000 blender 220V,Mondial,7891234567895\nB2,Mondial NBR1000 blender 127V,Mondial,7891234567888\nC3,NBR-1000 blender Mondial 1000W,Mondial,\n';
    await assayJson(tmp, ['load', tmp.write('c.csv', csv)]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    expect(run.results.map((r) => [r.productId, r.duplicateOf, r.duplicateReason])).toEqual([
      ['A1', null, null],
      ['B2', null, null],
      ['C3', 'A1', 'model'],
    ]);
  });

  it('refuses a notDuplicates pair that names one product twice, in config validate', async () => {
    const tmp = tempDir();
    tmp.write(
      'assay.config.json',
      JSON.stringify({
        notDuplicates: [
          ['A1', 'B2'],
          ['C3', 'C3'],
        ],
      }),
    );
    const result = await runCli(['config', 'validate'], { cwd: tmp.dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr + result.stdout).toContain('notDuplicates.1');
    expect(result.stderr + result.stdout).not.toContain('notDuplicates.0');
  });

  it('links nothing through a model number that many products hold', async () => {
    const tmp = tempDir();
    const rows = ['id,title,brand'];
    for (let i = 1; i <= 12; i++) rows.push(`P${i},Widget AB1234 variant ${i},Acme`);
    await assayJson(tmp, ['load', tmp.write('c.csv', rows.join('\n') + '\n')]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    expect(run.results.filter((r) => r.duplicateOf)).toEqual([]);
  });

  const fillers = ['Garden hose reel,Acme', 'Cordless drill kit,Bolt', 'Office chair mesh,Sitwell', 'Photo album maker,Snap'].map((row, i) => `F${i},${row}`);
  const singing =
    ['id,title,brand', 'A1,Singing Coach Unlimited,Carry-a-Tune', 'B2,singing coach unlimited - electronic learning,', ...fillers].join('\n') + '\n';

  it('links similar titles that share no key with --similar-titles, says so, and unlinks them after --stale when one changes', async () => {
    const tmp = tempDir();
    await assayJson(tmp, ['load', tmp.write('v1.csv', singing)]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline', '--similar-titles']));
    expect(run.results.filter((r) => r.duplicateOf).map((r) => [r.productId, r.duplicateOf, r.duplicateReason])).toEqual([['B2', 'A1', 'similar-title']]);
    await assayJson(tmp, ['load', tmp.write('v2.csv', singing.replace('A1,Singing Coach Unlimited', 'A1,Linen Shirt Classic'))]);
    await assayJson(tmp, ['normalize', '--stale', '--offline', '--similar-titles']);
    expect(linksOf(tmp)).toMatchObject({ A1: null, B2: null });
  });

  it("leaves similar titles unlinked by default: one feed's variants a word apart are not one product", async () => {
    const tmp = tempDir();
    const feed =
      ['id,title,brand', 'M1,Mens Army Green Plain Oversized T Shirt,Northpeak', 'W1,Womens Army Green Plain Oversized T Shirt,Northpeak', ...fillers].join(
        '\n',
      ) + '\n';
    await assayJson(tmp, ['load', tmp.write('feed.csv', feed)]);
    const run = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    expect(run.results.filter((r) => r.duplicateOf)).toEqual([]);
    await assayJson(tmp, ['load', tmp.write('v1.csv', singing)]);
    const plain = NormalizeJsonSchema.parse(await assayJson(tmp, ['normalize', '--all', '--offline']));
    expect(plain.results.filter((r) => r.duplicateOf)).toEqual([]);
  });
});
