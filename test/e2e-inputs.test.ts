import { copyFileSync, readFileSync } from 'node:fs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDownload } from '../src/urls/download.js';
import { ROOT, jsonOf, runCli } from './helpers/cli.js';
import { startServer } from './helpers/http-server.js';
import { tempDir } from './helpers/tmp.js';

const FEEDS = join(ROOT, 'fixtures', 'feeds');
const RSS = readFileSync(join(FEEDS, 'merchant-rss.xml'));

interface RunDoc {
  load: { total: number; created: number; updated: number; unchanged: number; errors: unknown[]; warnings: { file: string; message: string }[] };
  catalogSummary: { avgScore: number; products?: number };
}

function productCount(db: string): number {
  const handle = new Database(db, { readonly: true });
  try {
    return (handle.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
  } finally {
    handle.close();
  }
}

function noStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error/);
}

describe('assay run on Merchant Center feeds, gzip and workbooks', () => {
  it.each([
    ['merchant-rss.xml', 3],
    ['merchant-atom.xml', 2],
  ])('runs %s --offline: every item loaded, normalized and scored', async (name, count) => {
    const tmp = tempDir();
    copyFileSync(join(FEEDS, name), tmp.path(name));
    const result = await runCli(['run', name, '--offline', '--json'], { cwd: tmp.dir });
    noStackTrace(result.stderr);
    expect(result.code, result.stderr).toBe(0);
    const doc = jsonOf<RunDoc>(result);
    expect(doc.load).toMatchObject({ total: count, created: count, errors: [] });
    expect(doc.catalogSummary.avgScore).toBeGreaterThan(0);
  });

  it('maps the feed through the google-merchant preset: link, sale price, images, GTIN', async () => {
    const tmp = tempDir();
    copyFileSync(join(FEEDS, 'merchant-rss.xml'), tmp.path('feed.xml'));
    expect((await runCli(['run', 'feed.xml', '--offline', '--quiet'], { cwd: tmp.dir })).code).toBe(0);
    const show = jsonOf<{ product: { silver: { record: Record<string, unknown> } } }>(await runCli(['show', 'TR-1001', '--json'], { cwd: tmp.dir }));
    expect(show.product.silver.record).toMatchObject({
      id: 'TR-1001',
      title: 'Trailblazer 45L Hiking Backpack with Rain Cover',
      productUrl: 'https://shop.example.test/p/tb45',
      primaryImageUrl: 'https://img.example.test/np/tb45-green.jpg',
      additionalImageUrls: ['https://img.example.test/np/tb45-back.jpg', 'https://img.example.test/np/tb45-side.jpg'],
      gtin: '4006381333931',
      price: 99,
      originalPrice: 129,
      currency: 'USD',
      brand: 'Northpeak',
      condition: 'new',
      attributes: expect.objectContaining({ color: 'Green' }),
    });
  });

  it('maps every attribute of the product data specification, and an Atom summary to the description', async () => {
    const tmp = tempDir();
    tmp.write(
      'feed.xml',
      '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>M1</g:id><g:title>Hat</g:title><link>https://s.test/m1</link><g:image_link>https://i.test/m1.jpg</g:image_link><g:availability>in_stock</g:availability><g:item_group_id>HATS</g:item_group_id><g:custom_label_0>summer</g:custom_label_0><g:shipping_weight>0.2 kg</g:shipping_weight></item></channel></rss>',
    );
    copyFileSync(join(FEEDS, 'merchant-atom.xml'), tmp.path('feed.atom'));
    expect((await runCli(['run', 'feed.xml', 'feed.atom', '--offline', '--quiet'], { cwd: tmp.dir })).code).toBe(0);
    const record = async (id: string) =>
      jsonOf<{ product: { silver: { record: Record<string, unknown> } } }>(await runCli(['show', id, '--json'], { cwd: tmp.dir })).product.silver.record;
    expect((await record('M1')).attributes).toEqual({ itemGroupId: 'HATS', customLabel0: 'summer', shippingWeight: '0.2 kg' });
    expect(await record('TR-1003')).toMatchObject({ description: 'Light trail shoe.', productUrl: 'https://shop.example.test/p/trs' });
  });

  it('runs the gzipped copy of the feed, also under a name without .gz', async () => {
    const tmp = tempDir();
    tmp.write('feed.xml.gz', gzipSync(RSS));
    tmp.write('feed-download', gzipSync(RSS));
    for (const name of ['feed.xml.gz', 'feed-download']) {
      const result = await runCli(['run', name, '--offline', '--json', '--db', `${name}.db`], { cwd: tmp.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(jsonOf<RunDoc>(result).load.total).toBe(3);
    }
  });

  it('runs the sample catalog as an .xlsx workbook, with the same products as the CSV', async () => {
    const tmp = tempDir();
    copyFileSync(join(ROOT, 'fixtures', 'sample.xlsx'), tmp.path('sample.xlsx'));
    const result = await runCli(['run', 'sample.xlsx', '--offline', '--json'], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonOf<RunDoc>(result).load).toMatchObject({ total: 12, errors: [] });
    const show = jsonOf<{ product: { bronze: Record<string, string> } }>(await runCli(['show', 'TR-1002', '--json'], { cwd: tmp.dir }));
    expect(show.product.bronze.gtin).toBe('036000291452');
  });

  it('finds g:id and g:title in JSON Lines and TSV feeds (no "no id column", no "no title column")', async () => {
    const tmp = tempDir();
    tmp.write('feed.jsonl', '{"g:id":"J1","g:title":"Hat","g:price":"10 USD"}\n{"g:id":"J2","g:title":"Cap"}\n');
    tmp.write('feed.tsv', 'g:id\tg:title\tg:price\nT1\tScarf\t5 USD\n');
    for (const file of ['feed.jsonl', 'feed.tsv']) {
      const result = await runCli(['load', file, '--json'], { cwd: tmp.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(jsonOf<RunDoc['load']>(result).errors).toEqual([]);
    }
    expect(productCount(tmp.path('catalog.db'))).toBe(3);
  });
});

it('names the line and column of a feed item without id or title, and loads the others', async () => {
  const tmp = tempDir();
  tmp.write(
    'feed.xml',
    '<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n<item><g:id>K1</g:id><g:title>Kept</g:title></item>\n  <item><g:title>No id</g:title></item> <item><g:id>K3</g:id></item>\n</channel></rss>\n',
  );
  const result = await runCli(['load', 'feed.xml', '--json'], { cwd: tmp.dir });
  expect(result.code, result.stderr).toBe(0);
  expect(jsonOf<RunDoc['load']>(result).errors).toEqual([
    { file: 'feed.xml', line: 3, code: 'no_id', reason: "no id (column 'g:id' is empty) (the item starts at column 3)" },
    { file: 'feed.xml', line: 3, code: 'no_title', reason: "no title (column 'g:title' is empty) (the item starts at column 41)" },
  ]);
});

describe('feeds at a URL (served on 127.0.0.1)', () => {
  it('downloads the feed, then asks conditionally and does no work on 304', async () => {
    const seen: { inm?: string; ims?: string }[] = [];
    const server = await startServer((req, res) => {
      seen.push({ inm: req.headers['if-none-match'], ims: req.headers['if-modified-since'] });
      if (req.headers['if-none-match'] === '"feed-v1"') return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"feed-v1"', 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' }).end(RSS);
    });
    try {
      const tmp = tempDir();
      const url = server.url('/feed.xml');
      const first = await runCli(['run', url, '--offline', '--allow-private-hosts', '--json'], { cwd: tmp.dir });
      expect(first.code, first.stderr).toBe(0);
      expect(jsonOf<RunDoc>(first).load).toMatchObject({ total: 3, created: 3 });
      const second = await runCli(['load', url, '--allow-private-hosts', '--json'], { cwd: tmp.dir });
      expect(second.code, second.stderr).toBe(0);
      const doc = jsonOf<RunDoc['load']>(second);
      expect(doc).toMatchObject({ total: 0, created: 0, updated: 0 });
      expect(doc.warnings).toEqual([
        { file: url, message: 'unchanged since Tue, 01 Dec 2026 10:00:00 GMT (the server answered 304 Not Modified): nothing to load' },
      ]);
      expect(seen).toEqual([{}, { inm: '"feed-v1"', ims: 'Tue, 01 Dec 2026 10:00:00 GMT' }]);
      expect(productCount(tmp.path('catalog.db'))).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('refuses a loopback feed without --allow-private-hosts, before connecting', async () => {
    const server = await startServer((_req, res) => void res.writeHead(200).end(RSS));
    try {
      const tmp = tempDir();
      const result = await runCli(['load', server.url('/feed.xml')], { cwd: tmp.dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toMatch(
        /^assay: http:\/\/127\.0\.0\.1:\d+\/feed\.xml: refused to download from .*a private address\): pass --allow-private-hosts if you trust it$/,
      );
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('loads nothing from a download that breaks off after a whole batch, and exits 3', async () => {
    const items = Array.from({ length: 6000 }, (_, i) => `<item><g:id>B${i}</g:id><g:title>Item ${i}</g:title></item>`).join('\n');
    const feed = Buffer.from(`<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n${items}\n</channel></rss>\n`);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(feed.length) });
      res.write(feed.subarray(0, Math.floor(feed.length * 0.95)), () => setTimeout(() => res.destroy(), 100));
    });
    try {
      const tmp = tempDir();
      const result = await runCli(['load', server.url('/feed.xml'), '--allow-private-hosts'], { cwd: tmp.dir });
      noStackTrace(result.stderr);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr.trim()).toMatch(
        /^assay: http:\/\/127\.0\.0\.1:\d+\/feed\.xml: download failed: the download broke off after [\d,]+ bytes .*; nothing from it was loaded$/,
      );
      expect(productCount(tmp.path('catalog.db'))).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('stops a feed larger than --max-download-mb, by Content-Length or as it streams, and exits 3', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, ' ');
    const server = await startServer((req, res) => {
      if (req.url === '/chunked.xml') res.writeHead(200, { 'content-type': 'application/xml' });
      else res.writeHead(200, { 'content-length': String(big.length + RSS.length) });
      res.write(RSS.subarray(0, 200));
      res.end(big);
    });
    try {
      const tmp = tempDir();
      for (const path of ['/sized.xml', '/chunked.xml']) {
        const result = await runCli(['load', server.url(path), '--allow-private-hosts', '--max-download-mb', '1'], { cwd: tmp.dir });
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr.trim()).toMatch(
          /^assay: .*: the feed is larger than --max-download-mb 1 \(.*\); nothing from it was loaded: raise the limit if it is expected$/,
        );
      }
    } finally {
      await server.close();
    }
  });
});

describe('download redirects', () => {
  it('follows a redirect on an allowed host, refuses one to file:, and stops after 5', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/old.xml') return void res.writeHead(301, { location: '/feed.xml' }).end();
      if (req.url === '/file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      if (req.url?.startsWith('/loop')) return void res.writeHead(302, { location: `/loop${Number(req.url.slice(5) || 0) + 1}` }).end();
      res.writeHead(200, { etag: '"x"' }).end(RSS);
    });
    try {
      const options = { allowPrivateHosts: true, timeoutMs: 2000, maxBytes: 1 << 20 };
      const got = await openDownload(server.url('/old.xml'), options);
      expect(got.kind).toBe('body');
      if (got.kind === 'body') {
        const chunks: Buffer[] = [];
        for await (const chunk of got.body) chunks.push(Buffer.from(chunk));
        expect(Buffer.concat(chunks).equals(RSS)).toBe(true);
        expect(got.validators.etag).toBe('"x"');
      }
      await expect(openDownload(server.url('/file'), options)).rejects.toMatchObject({
        code: 'download_blocked',
        message: expect.stringMatching(/refused to follow a redirect to file:/),
      });
      await expect(openDownload(server.url('/loop'), options)).rejects.toMatchObject({
        code: 'download_failed',
        message: expect.stringMatching(/more than 5 redirects/),
      });
      expect(server.requests.filter((r) => r.path.startsWith('/loop'))).toHaveLength(6);
    } finally {
      await server.close();
    }
  });
});

describe('the download guard', () => {
  const connects: string[] = [];
  const onConnect = (message: unknown): void => {
    const { connectParams } = message as { connectParams: { hostname: string } };
    connects.push(connectParams.hostname);
  };
  beforeAll(() => subscribe('undici:client:beforeConnect', onConnect));
  afterAll(() => unsubscribe('undici:client:beforeConnect', onConnect));

  it.each([
    ['http://10.0.0.1/feed.xml', false, /a private address\): pass --allow-private-hosts/],
    ['http://[fd00::1]/feed.xml', false, /a private address/],
    ['http://169.254.169.254/latest/meta-data/', true, /link-local or cloud metadata/],
    ['http://feeds.example.test/feed.xml', false, /feeds\.example\.test resolves to 192\.168\.1\.20, a private address/],
    ['http://meta.example.test/feed.xml', true, /meta\.example\.test resolves to 169\.254\.169\.254/],
  ])('refuses %s (private hosts allowed: %s) without connecting', async (url, allowPrivateHosts, message) => {
    const before = connects.length;
    const lookup = async (hostname: string) => [{ address: hostname === 'meta.example.test' ? '169.254.169.254' : '192.168.1.20', family: 4 }];
    const error = await openDownload(url, { allowPrivateHosts, timeoutMs: 500, maxBytes: 1024, lookup }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('download_blocked');
    expect((error as Error).message).toMatch(message);
    expect(connects.length).toBe(before);
  });
});
