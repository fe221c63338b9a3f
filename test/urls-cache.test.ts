import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createUrlChecker, type UrlCache, type UrlCheckOptions } from '../src/urls/index.js';
import { URL_CACHE_DDL, createUrlCache } from '../src/store/url-cache.js';
import { pngHeader, startServer, type TestServer } from './helpers/http-server.js';

let server: TestServer;
let dir: string;
let db: Database.Database;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/missing.jpg') return void res.writeHead(404).end();
    if (req.url === '/flaky.jpg') return void res.writeHead(500).end();
    res.writeHead(206, { 'content-type': 'image/png' }).end(pngHeader(320, 240));
  });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-url-cache-'));
  db = new Database(join(dir, 'catalog.db'));
  db.pragma('journal_mode = WAL');
  db.exec(URL_CACHE_DDL);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 24 * 60 * 60 * 1000;
const good = (): string[] => ['/a.png', '/b.png', '/missing.jpg'].map((path) => server.url(path));

async function run(urls: string[], cache: UrlCache, now: number, options: Partial<UrlCheckOptions> = {}) {
  const before = server.requests.length;
  const checker = createUrlChecker({ allowPrivateHosts: true, retries: 0, ...options }, { cache, now: () => now });
  const fromCache: string[] = [];
  const results = await checker.check(urls, (result, isCached) => isCached && fromCache.push(result.url));
  await checker.close();
  return { results, fromCache, sent: server.requests.length - before, stats: checker.stats() };
}

describe('url cache in SQLite', () => {
  it('answers a second run from the file with zero requests', async () => {
    const start = Date.UTC(2026, 0, 1);
    const first = await run(good(), createUrlCache(db), start);
    expect(first.sent).toBeGreaterThanOrEqual(3);
    db.close();
    db = new Database(join(dir, 'catalog.db'));
    const second = await run(good(), createUrlCache(db), start + 60_000);
    expect(second.sent).toBe(0);
    expect(second.stats).toMatchObject({ requests: 0, cached: 3 });
    expect(second.fromCache.sort()).toEqual(good().sort());
    expect(second.results.get(server.url('/missing.jpg'))).toMatchObject({ state: 'broken', reason: 'http_404', status: 404 });
    expect(second.results.get(server.url('/a.png'))).toMatchObject({ state: 'valid', contentType: 'image/png', status: 206 });
  });

  it('never stores a temporary failure', async () => {
    const url = server.url('/flaky.jpg');
    const first = await run([url], createUrlCache(db), 1_000);
    expect(first.results.get(url)).toMatchObject({ reason: 'http_5xx', temporary: true });
    expect(db.prepare('SELECT count(*) AS n FROM url_cache').get()).toEqual({ n: 0 });
    const second = await run([url], createUrlCache(db), 2_000);
    expect(second.sent).toBe(1);
  });

  it('does not store a refusal, which depends on allowPrivateHosts', async () => {
    const refused = await run(good(), createUrlCache(db), 0, { allowPrivateHosts: false });
    expect([...refused.results.values()].every((r) => r.reason === 'blocked_host')).toBe(true);
    expect((await run(good(), createUrlCache(db), 1)).sent).toBeGreaterThanOrEqual(3);
  });

  it('asks again after the TTL, or always with recheck', async () => {
    await run(good(), createUrlCache(db, { ttlMs: DAY }), 0);
    expect((await run(good(), createUrlCache(db, { ttlMs: DAY }), DAY - 1)).sent).toBe(0);
    expect((await run(good(), createUrlCache(db, { ttlMs: DAY }), DAY + 1)).sent).toBeGreaterThanOrEqual(3);
    expect((await run(good(), createUrlCache(db, { ttlMs: DAY, recheck: true }), DAY + 2)).sent).toBeGreaterThanOrEqual(3);
  });

  it('applies the current size minimum to cached sizes, and measures when none is cached', async () => {
    const url = server.url('/a.png');
    const unmeasured = await run([url], createUrlCache(db), 0);
    expect(unmeasured.results.get(url)?.width).toBeUndefined();
    const measured = await run([url], createUrlCache(db), 1, { imageSize: { minWidth: 500, minHeight: 500 } });
    expect(measured.sent).toBe(1);
    expect(measured.results.get(url)).toMatchObject({ state: 'broken', reason: 'too_small', detail: '320x240' });
    const looser = await run([url], createUrlCache(db), 2, { imageSize: { minWidth: 100, minHeight: 100 } });
    expect(looser.sent).toBe(0);
    expect(looser.results.get(url)).toMatchObject({ state: 'valid', width: 320, height: 240 });
    expect(looser.results.get(url)?.reason).toBeUndefined();
  });

  it('reads more URLs than one IN (...) chunk holds', async () => {
    const cache = createUrlCache(db);
    const results = Array.from({ length: 1200 }, (_, i) => ({
      url: `http://cdn.test/${i}.jpg`,
      state: 'valid' as const,
      temporary: false,
      checkedAt: 10,
    }));
    cache.put(results);
    expect(cache.get(results.map((r) => r.url).concat('http://cdn.test/absent.jpg'), 20).size).toBe(1200);
  });
});
