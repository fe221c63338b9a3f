import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NormalizeJsonSchema, type NormalizeJson } from '../src/report/schemas.js';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';
import { bronzeOf, documentOf, silverRows } from './helpers/documents.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

// Each test runs the CLI several times; under a loaded machine that can outgrow the 30 s default.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const CATALOG = join(ROOT, 'fixtures', 'silver', 'catalog.csv');

function cli(tmp: TempDir, args: string[], input?: string): Promise<CliResult> {
  return runCli([...args, '--db', tmp.path('c.db')], { cwd: tmp.dir, input });
}

async function loaded(file = CATALOG): Promise<TempDir> {
  const tmp = tempDir();
  const load = await cli(tmp, ['load', file, '--json']);
  expect(load.code, load.stderr).toBe(0);
  return tmp;
}

async function normalize(tmp: TempDir, args: string[]): Promise<NormalizeJson> {
  const result = await cli(tmp, ['normalize', ...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return documentOf(NormalizeJsonSchema, result);
}

const byId = (doc: NormalizeJson) => new Map(doc.results.map((r) => [r.productId, r]));

describe('assay load, then normalize (end to end)', () => {
  it('prints the normalize document and writes normalized records to the silver table', async () => {
    const tmp = await loaded();
    const doc = await normalize(tmp, ['--all', '--offline']);
    expect(doc.results.map((r) => r.productId)).toEqual(['S-001', 'S-002', 'S-003', 'S-004', 'S-005', 'S-006']);
    expect(doc.processed).toBe(6);
    expect(doc.summary).toMatchObject({ processed: 6, duplicates: 1, errors: 0, urlRequests: 0 });
    expect(doc.job).toMatchObject({ stage: 'normalize', status: 'succeeded', scope: { kind: 'all' }, total: 6, done: 6 });

    const silver = silverRows(tmp.path('c.db'));
    const record = (id: string) => silver.get(id)!.record!;
    expect([record('S-001').price, record('S-001').currency]).toEqual([1299, 'USD']);
    expect([record('S-002').price, record('S-002').currency]).toEqual([15, 'USD']);
    expect([record('S-003').price, record('S-003').currency]).toEqual([1299, 'EUR']);
    expect(record('S-004').price).toBe(0.5);
    expect(record('S-001').gtin).toBe('4006381333931');
    expect(record('S-001').description).toBe('Grippy trail shoe for rough ground.\nRock plate & wide toe box.');
    expect(record('S-001').availability).toBe('in_stock');
    expect(record('S-003').availability).toBe('out_of_stock');
    expect(['S-001', 'S-002', 'S-003', 'S-004'].map((id) => record(id).categoryPath)).toEqual([
      'Shoes > Running > Trail',
      'Accessories > Hats',
      'Accessories > Socks',
      'Clothing > Jackets',
    ]);
    // Nike, NIKE, Nike Inc. and '  nike  ' are one brand; the most used spelling wins.
    expect(['S-001', 'S-002', 'S-003', 'S-004', 'S-005'].map((id) => record(id).brand)).toEqual(['Nike', 'Nike', 'Nike', 'Nike', 'Nike']);
    expect(bronzeOf(tmp.path('c.db'), 'S-004')!.brand).toBe('  nike  ');
    expect(byId(doc).get('S-001')!.fieldsNormalized).toBeGreaterThan(0);
  });

  it('links a duplicate to the canonical product, and drops an invalid GTIN from silver with an issue', async () => {
    const tmp = await loaded();
    const doc = await normalize(tmp, ['--all', '--offline']);
    expect(byId(doc).get('S-005')!.duplicateOf).toBe('S-001');
    expect([...byId(doc).values()].filter((r) => r.duplicateOf !== null)).toHaveLength(1);
    const silver = silverRows(tmp.path('c.db'));
    expect(silver.get('S-005')!.duplicateOf).toBe('S-001');

    const gaiters = silver.get('S-006')!;
    expect(gaiters.status).toBe('success');
    expect(gaiters.record!.gtin).toBeUndefined();
    expect(gaiters.context!.issues).toContainEqual(expect.objectContaining({ field: 'gtin', value: '12345678' }));
    expect(bronzeOf(tmp.path('c.db'), 'S-006')!.gtin).toBe('12345678');
  });

  it('links duplicates to the earliest loaded product, not the first by id, and keeps the link on re-runs', async () => {
    const tmp = tempDir();
    const early = tmp.write('early.csv', 'id,title,brand,gtin\nZ-900,Running Cap From The First Feed,Nike,036000291452\n');
    expect((await cli(tmp, ['load', early])).code).toBe(0);
    expect((await cli(tmp, ['load', CATALOG])).code).toBe(0);
    const first = await normalize(tmp, ['--all', '--offline']);
    expect(byId(first).get('S-002')!.duplicateOf).toBe('Z-900');
    expect(byId(first).get('Z-900')!.duplicateOf).toBeNull();
    const again = await normalize(tmp, ['--all', '--offline']);
    expect(byId(again).get('S-002')!.duplicateOf).toBe('Z-900');
  });
});

describe('normalize scopes', () => {
  it('gives an id the catalog lacks an error result and finishes the batch with exit 0', async () => {
    const tmp = await loaded();
    const doc = await normalize(tmp, ['--ids', 'S-002,x', '--offline']);
    expect(doc.results).toEqual([
      expect.objectContaining({ productId: 'S-002', status: 'success' }),
      expect.objectContaining({ productId: 'x', status: 'error', error: "product not found: 'x'" }),
    ]);
    expect(doc.summary.notFound).toEqual(['x']);
    expect([...silverRows(tmp.path('c.db')).keys()]).toEqual(['S-002']);
  });

  it('refuses to run without a scope (exit 2), naming every way to give one', async () => {
    const tmp = await loaded();
    const result = await cli(tmp, ['normalize', '--offline', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    for (const way of ['--all', '--ids', '--ids-file', '--stale']) expect(result.stderr).toContain(way);
    expect(silverRows(tmp.path('c.db')).size).toBe(0);
  });

  it('warns that --ids is ignored next to --all, and runs on everything', async () => {
    const tmp = await loaded();
    const result = await cli(tmp, ['normalize', '--all', '--ids', 'S-001', '--offline', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning:.*--all.*ignored/);
    expect(documentOf(NormalizeJsonSchema, result).results).toHaveLength(6);
  });

  it('reads ids from stdin with --ids-file -', async () => {
    const tmp = await loaded();
    const result = await cli(tmp, ['normalize', '--ids-file', '-', '--offline', '--json'], 'S-003\n\nS-001\n');
    expect(result.code, result.stderr).toBe(0);
    expect(
      documentOf(NormalizeJsonSchema, result)
        .results.map((r) => r.productId)
        .sort(),
    ).toEqual(['S-001', 'S-003']);
  });

  it('with --stale, normalizes only the product whose row changed since the last run', async () => {
    const tmp = await loaded();
    await normalize(tmp, ['--all', '--offline']);
    expect((await normalize(tmp, ['--stale', '--offline'])).results).toEqual([]);
    const edited = readFileSync(CATALOG, 'utf8').replace('"1.299,00 €"', '"1.199,00 €"');
    expect(edited).not.toBe(readFileSync(CATALOG, 'utf8'));
    const reload = await cli(tmp, ['load', tmp.write('edited.csv', edited), '--json']);
    expect(JSON.parse(reload.stdout)).toMatchObject({ updated: 1, unchanged: 5 });
    const stale = await normalize(tmp, ['--stale', '--offline']);
    expect(stale.results.map((r) => r.productId)).toEqual(['S-003']);
    expect(silverRows(tmp.path('c.db')).get('S-003')!.record!.price).toBe(1199);
  });
});

describe('normalize settings', () => {
  it('applies a mapping file on the next normalize, with no reload', async () => {
    const tmp = await loaded();
    await normalize(tmp, ['--all', '--offline']);
    const before = silverRows(tmp.path('c.db')).get('S-001')!.record!;
    expect(before.mpn).toBeUndefined();
    expect(before.attributes.maker_code).toBe('mk-001');

    const mapping = tmp.write('mapping.json', JSON.stringify([{ sourceField: 'maker_code', targetField: 'mpn', transform: 'uppercase' }]));
    await normalize(tmp, ['--all', '--offline', '--mapping', mapping]);
    const after = silverRows(tmp.path('c.db')).get('S-001')!.record!;
    expect(after.mpn).toBe('MK-001');
    expect(after.attributes.maker_code).toBeUndefined();
  });

  it('turns a brand missing from a strict brand list into an error result, and goes on', async () => {
    const tmp = await loaded();
    tmp.write('assay.config.json', JSON.stringify({ brands: { list: ['Nike'], strict: true } }));
    const doc = await normalize(tmp, ['--all', '--offline']);
    const errors = doc.results.filter((r) => r.status === 'error');
    expect(errors).toEqual([expect.objectContaining({ productId: 'S-006', error: "brand not found: 'AcmeCorp'" })]);
    expect(doc.summary.errors).toBe(1);
    expect(silverRows(tmp.path('c.db')).get('S-001')!.record!.brand).toBe('Nike');
  });
});

describe('normalize image URL checks against a loopback server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function catalogOnServer(): Promise<TempDir> {
    server = await startServer((req, res) => {
      if (req.url === '/ok.jpg') {
        res.writeHead(req.headers.range ? 206 : 200, { 'content-type': 'image/jpeg', 'content-length': '4' });
        res.end(req.method === 'HEAD' ? undefined : 'jpeg');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not here');
      }
    });
    const rows = [
      'id,title,image_link',
      `U-1,Shoe With A Good Picture,${server.url('/ok.jpg')}`,
      `U-2,Shoe With A Missing Picture,${server.url('/missing.jpg')}`,
      'U-3,Shoe Pointing At Cloud Metadata,http://169.254.169.254/latest/meta-data/shoe.jpg',
    ];
    const tmp = tempDir();
    expect((await cli(tmp, ['load', tmp.write('urls.csv', rows.join('\n'))])).code).toBe(0);
    return tmp;
  }

  it('sends no request with --offline', async () => {
    const tmp = await catalogOnServer();
    const doc = await normalize(tmp, ['--all', '--offline', '--allow-private-hosts']);
    expect(server!.requests).toEqual([]);
    expect(doc.summary.urlRequests).toBe(0);
    expect(doc.results.find((r) => r.productId === 'U-2')!.brokenUrls).toEqual([]);
  });

  it('--stale: silver made --offline is stale for a run that checks URLs, and silver made online is current for an offline run', async () => {
    const tmp = await catalogOnServer();
    await normalize(tmp, ['--all', '--offline']);
    expect((await normalize(tmp, ['--stale', '--offline'])).results).toEqual([]);
    const checked = await normalize(tmp, ['--stale', '--allow-private-hosts', '--timeout', '3000']);
    expect(checked.results.map((r) => r.productId).sort()).toEqual(['U-1', 'U-2', 'U-3']);
    expect(byId(checked).get('U-2')!.brokenUrls).toEqual([expect.objectContaining({ reason: 'http_404' })]);
    expect((await normalize(tmp, ['--stale', '--allow-private-hosts'])).results).toEqual([]);
    expect((await normalize(tmp, ['--stale', '--offline'])).results).toEqual([]);
  });

  it('asks the server, reports a 404 as http_404, refuses the metadata address, and answers a re-run from the cache', async () => {
    const tmp = await catalogOnServer();
    const doc = await normalize(tmp, ['--all', '--allow-private-hosts', '--timeout', '3000']);
    const results = byId(doc);
    expect(server!.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/ok.jpg', '/missing.jpg']));
    expect(server!.requests.every((r) => r.path === '/ok.jpg' || r.path === '/missing.jpg')).toBe(true);
    expect(results.get('U-1')!).toMatchObject({ urlsValidated: 1, brokenUrls: [] });
    expect(results.get('U-2')!.brokenUrls).toEqual([expect.objectContaining({ url: server!.url('/missing.jpg'), reason: 'http_404' })]);
    expect(results.get('U-3')!.brokenUrls).toEqual([expect.objectContaining({ reason: 'blocked_host' })]);
    expect(doc.summary.brokenUrls).toBe(2);

    const asked = server!.requests.length;
    const again = await normalize(tmp, ['--all', '--allow-private-hosts', '--timeout', '3000']);
    expect(server!.requests.length - asked).toBe(0);
    expect(byId(again).get('U-2')!.brokenUrls).toEqual([expect.objectContaining({ reason: 'http_404' })]);

    // The cache, not a skipped check, kept the server quiet: --recheck asks again.
    await normalize(tmp, ['--all', '--allow-private-hosts', '--recheck', '--timeout', '3000']);
    expect(server!.requests.length).toBeGreaterThan(asked);
  });
});

describe('a bad sale price (end to end)', () => {
  it('changes nothing but itself: the price stays, no original price, one issue naming salePrice and the value', async () => {
    const tmp = tempDir();
    const file = tmp.write(
      'p.csv',
      ['id,title,price,sale_price', 'P1,Mug,10,NaN', 'P2,Cup,10,1e309', 'P3,Jar,10,-5', 'P4,Pot,10,12', 'P5,Pan,10,8', 'P6,Lid,abc,8', ''].join('\n'),
    );
    expect((await cli(tmp, ['load', file])).code).toBe(0);
    await normalize(tmp, ['--all', '--offline']);
    const silver = silverRows(tmp.path('c.db'));
    const prices = (id: string) => {
      const row = silver.get(id)!;
      return [row.record?.price, row.record?.originalPrice, row.context?.issues.map((i) => `${i.field}=${i.value}`)];
    };
    expect(['P1', 'P2', 'P3', 'P4'].map(prices)).toEqual([
      [10, undefined, ['salePrice=NaN']],
      [10, undefined, ['salePrice=1e309']],
      [10, undefined, ['salePrice=-5']],
      [10, undefined, ['salePrice=12']],
    ]);
    expect(prices('P5')).toEqual([8, 10, []]);
    expect(prices('P6')).toEqual([8, undefined, ['price=abc']]);
  });
});
