import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createUrlChecker, type UrlCheckOptions } from '../src/urls/index.js';
import { startServer, writeLargeBody, type TestServer } from './helpers/http-server.js';

const JPEG = { 'content-type': 'image/jpeg', 'content-length': '1000' };

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/image.jpg': (_req, res) => res.writeHead(200, JPEG).end(),
  '/page.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
  '/no-type': (_req, res) => res.writeHead(200).end(),
  '/type/empty-subtype': (_req, res) => res.writeHead(200, { 'content-type': 'image/' }).end(),
  '/type/empty-subtype-charset': (_req, res) => res.writeHead(200, { 'content-type': 'image/;charset=x' }).end(),
  '/type/no-slash': (_req, res) => res.writeHead(200, { 'content-type': 'image' }).end(),
  '/missing.jpg': (_req, res) => res.writeHead(404).end('not found'),
  '/gone.jpg': (_req, res) => res.writeHead(410).end(),
  '/error.jpg': (_req, res) => res.writeHead(500).end('oops'),
  '/head-refused.jpg': (req, res) => {
    if (req.method === 'HEAD') res.writeHead(405, { allow: 'GET' }).end();
    else res.writeHead(206, { 'content-type': 'image/png', 'content-range': 'bytes 0-0/5000' }).end('x');
  },
  '/chain/1': (_req, res) => res.writeHead(301, { location: '/chain/2' }).end(),
  '/chain/2': (_req, res) => res.writeHead(302, { location: '/chain/3' }).end(),
  '/chain/3': (_req, res) => res.writeHead(307, { location: '/image.jpg' }).end(),
  '/loop/a': (_req, res) => res.writeHead(302, { location: '/loop/b' }).end(),
  '/loop/b': (_req, res) => res.writeHead(302, { location: '/loop/a' }).end(),
  '/no-location': (_req, res) => res.writeHead(302).end(),
  '/silent': () => undefined,
  '/reset': (req) => req.socket.destroy(),
};

let server: TestServer;
const base: Partial<UrlCheckOptions> = { allowPrivateHosts: true, timeoutMs: 300, deadlineMs: 5_000, retries: 0 };

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    const endless = /^\/endless\/(\d+)$/.exec(path);
    if (endless) return void res.writeHead(302, { location: `/endless/${Number(endless[1]) + 1}` }).end();
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
});
afterAll(() => server.close());

async function checkOne(path: string, options: Partial<UrlCheckOptions> = {}) {
  const checker = createUrlChecker({ ...base, ...options });
  try {
    const url = server.url(path);
    const results = await checker.check([url]);
    return { result: results.get(url)!, stats: checker.stats() };
  } finally {
    await checker.close();
  }
}

describe('url checker over HTTP', () => {
  it('accepts a 2xx with an image content type after one HEAD', async () => {
    const before = server.requests.length;
    const { result, stats } = await checkOne('/image.jpg');
    expect(result).toMatchObject({ state: 'valid', status: 200, contentType: 'image/jpeg', temporary: false });
    expect(result.reason).toBeUndefined();
    expect(stats.requests).toBe(1);
    expect(server.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('rejects a 2xx that is not an image', async () => {
    const { result } = await checkOne('/page.html');
    expect(result).toMatchObject({ state: 'broken', reason: 'not_image', status: 200, contentType: 'text/html', temporary: false });
  });

  it.each([
    ['/type/empty-subtype', 'image/'],
    ['/type/empty-subtype-charset', 'image/'],
    ['/type/no-slash', 'image'],
  ])('rejects %s, an image type without a subtype, as not an image', async (path, contentType) => {
    const { result } = await checkOne(path);
    expect(result).toMatchObject({ state: 'broken', reason: 'not_image', status: 200, contentType, temporary: false });
  });

  it('asks with a ranged GET when HEAD gives no content type, and still rejects it', async () => {
    const before = server.requests.length;
    const { result } = await checkOne('/no-type');
    expect(result).toMatchObject({ state: 'broken', reason: 'not_image', detail: 'content type missing' });
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(seen[1].range).toBe('bytes=0-0');
  });

  it.each([
    ['/missing.jpg', 'http_404', 404, false],
    ['/gone.jpg', 'http_410', 410, false],
    ['/error.jpg', 'http_5xx', 500, true],
  ])('reports %s as %s', async (path, reason, status, temporary) => {
    const { result } = await checkOne(path);
    expect(result).toMatchObject({ state: 'broken', reason, status, temporary });
  });

  it('falls back to a ranged GET when HEAD is refused with 405', async () => {
    const before = server.requests.length;
    const { result } = await checkOne('/head-refused.jpg');
    expect(result).toMatchObject({ state: 'valid', status: 206, contentType: 'image/png' });
    expect(server.requests.slice(before).map((r) => `${r.method} ${r.range ?? ''}`)).toEqual(['HEAD ', 'GET bytes=0-0']);
  });

  it('follows a chain of redirects to the image', async () => {
    const { result } = await checkOne('/chain/1');
    expect(result).toMatchObject({ state: 'valid', status: 200, finalUrl: server.url('/image.jpg') });
  });

  it('stops after maxRedirects', async () => {
    const before = server.requests.length;
    const { result } = await checkOne('/endless/0', { maxRedirects: 5 });
    expect(result).toMatchObject({ state: 'broken', reason: 'too_many_redirects', temporary: false });
    expect(server.requests.length - before).toBe(6);
  });

  it('counts the chain against a lower maxRedirects', async () => {
    const { result } = await checkOne('/chain/1', { maxRedirects: 2 });
    expect(result.reason).toBe('too_many_redirects');
  });

  it('detects a redirect loop', async () => {
    const { result } = await checkOne('/loop/a');
    expect(result).toMatchObject({ state: 'broken', reason: 'redirect_loop' });
  });

  it('reports a redirect without Location', async () => {
    const { result } = await checkOne('/no-location');
    expect(result).toMatchObject({ state: 'broken', reason: 'bad_redirect', status: 302 });
  });

  it('times out on a server that never answers', async () => {
    const { result } = await checkOne('/silent');
    expect(result).toMatchObject({ state: 'broken', reason: 'timeout', temporary: true });
  });

  it('reports a connection reset, after retrying it', async () => {
    const before = server.requests.length;
    const { result, stats } = await checkOne('/reset', { retries: 1 });
    expect(result).toMatchObject({ state: 'broken', reason: 'connection', temporary: true });
    expect(stats.retries).toBe(1);
    expect(server.requests.length - before).toBe(2);
  });

  it('never downloads a huge body served to the ranged GET', async () => {
    const huge = await startServer((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      void writeLargeBody(res, 1024 * 1024 * 1024);
    });
    try {
      const checker = createUrlChecker(base);
      const results = await checker.check([huge.url('/huge')]);
      await checker.close();
      expect(results.get(huge.url('/huge'))).toMatchObject({ state: 'valid', status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(huge.bytesSent()).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await huge.close();
    }
  });
});
