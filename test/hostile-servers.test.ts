import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { createUrlChecker, type UrlCheckOptions } from '../src/urls/index.js';
import { pngHeader, startServer, writeLargeBody, type TestServer } from './helpers/http-server.js';
import { startRawServer, trickle, type RawServer } from './helpers/raw-server.js';

// Servers that misbehave on purpose (issue 9, item 2). Cases covered elsewhere are not repeated:
// redirects to file: and to 169.254.169.254, names resolving to private or link-local addresses
// (urls-safety), a self-signed certificate (urls-tls), a silent server and a 1 GB chunked body
// (urls-http), a Retry-After over the cap for one URL (urls-retry). The CLI run of all of them
// together is in hostile-cli.test.ts.

const base: Partial<UrlCheckOptions> = { allowPrivateHosts: true, timeoutMs: 400, deadlineMs: 4_000, retries: 0 };
const TWO_GB = 2 * 1024 * 1024 * 1024;
/** Far more than the checker may read of one response, far less than the server offers. */
const READ_BOUND = 16 * 1024 * 1024;

const servers: Array<TestServer | RawServer> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function http(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

async function raw(onSocket: Parameters<typeof startRawServer>[0]): Promise<RawServer> {
  const server = await startRawServer(onSocket);
  servers.push(server);
  return server;
}

async function checkUrls(urls: string[], options: Partial<UrlCheckOptions> = {}) {
  const checker = createUrlChecker({ ...base, ...options });
  try {
    const results = await checker.check(urls);
    return { results, stats: checker.stats() };
  } finally {
    await checker.close();
  }
}

async function checkOne(url: string, options: Partial<UrlCheckOptions> = {}) {
  const { results, stats } = await checkUrls([url], options);
  return { result: results.get(url)!, stats };
}

/** Sends a byte every `everyMs` after the headers, for as long as the client listens (bounded). */
function endlessBody(res: ServerResponse, everyMs = 20, maxChunks = 5_000): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent++ >= maxChunks) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write('x');
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

describe('slow-loris', () => {
  it('headers trickling in a byte at a time, slower than the timeout, end as a timeout', async () => {
    const head = `HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nX-Padding: ${'a'.repeat(200)}\r\nContent-Length: 0\r\n\r\n`;
    const server = await raw((socket) => trickle(socket, head, 150));
    const { result } = await checkOne(server.url('/loris.jpg'));
    expect(result).toMatchObject({ state: 'broken', reason: 'timeout', temporary: true });
    // Cut off long before the headers were complete.
    expect(server.bytesSent()).toBeLessThan(head.length);
  });
});

describe('a body that never ends', () => {
  it('is not waited for after a ranged GET: the headers decide', async () => {
    const server = await http((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      endlessBody(res);
    });
    const { result } = await checkOne(server.url('/endless.jpg'));
    expect(result).toMatchObject({ state: 'valid', status: 200, contentType: 'image/jpeg' });
  });

  it('is not waited for on an error page either', async () => {
    const server = await http((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(404, { 'content-type': 'text/html' });
      endlessBody(res);
    });
    const { result } = await checkOne(server.url('/missing.jpg'));
    expect(result).toMatchObject({ state: 'broken', reason: 'http_404', status: 404, temporary: false });
  });

  it('when the size is wanted, reads the first bytes only', async () => {
    const server = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(pngHeader(800, 600));
      endlessBody(res);
    });
    const { result } = await checkOne(server.url('/endless.png'), { imageSize: { minWidth: 500, minHeight: 500 } });
    expect(result).toMatchObject({ state: 'valid', width: 800, height: 600 });
  });
});

describe('a 2 GB content-length', () => {
  const offerHuge = (withPng: boolean) => (req: { method?: string }, res: ServerResponse) => {
    if (req.method === 'HEAD') return void res.writeHead(405).end();
    res.writeHead(200, { 'content-type': withPng ? 'image/png' : 'image/jpeg', 'content-length': String(TWO_GB) });
    if (withPng) res.write(pngHeader(640, 480));
    void writeLargeBody(res, TWO_GB);
  };

  it.each([
    ['headers only', false, {}],
    ['with the image size wanted', true, { imageSize: { minWidth: 1, minHeight: 1 } }],
  ] as const)('is never downloaded (%s)', async (_name, withPng, options) => {
    const server = await http(offerHuge(withPng));
    const { result } = await checkOne(server.url('/huge'), options);
    expect(result).toMatchObject({ state: 'valid', status: 200 });
    await server.close();
    expect(server.bytesSent()).toBeLessThan(READ_BOUND);
  });

  it('on HEAD costs nothing at all', async () => {
    const server = await http((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(TWO_GB) }).end());
    const { result } = await checkOne(server.url('/huge.jpg'));
    expect(result).toMatchObject({ state: 'valid', status: 200 });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
  });
});

describe('malformed answers', () => {
  it.each([
    ['a six-digit status', 'HTTP/1.1 999999 WHAT\r\n\r\n'],
    ['a status line of garbage', '\u0000\u00ffgarbage garbage\r\n\r\n'],
    ['no status line at all', 'GIF89a\u0001\u0000\u0001\u0000\r\n\r\n'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nContent-Type image/jpeg\r\n\r\n'],
    ['an unknown protocol', 'HTTP/7.3 200 OK\r\nContent-Type: image/jpeg\r\n\r\n'],
  ])('%s is a connection failure, asked once', async (_name, answer) => {
    const server = await raw((socket) => socket.write(answer, 'latin1'));
    const { result, stats } = await checkOne(server.url('/bad.jpg'), { retries: 2 });
    expect(result).toMatchObject({ state: 'broken', reason: 'connection', temporary: true });
    expect(result.detail).toBeTruthy();
    expect(stats.requests).toBe(1);
  });
});

describe('429 storms', () => {
  const dayAway = (): string => new Date(Date.now() + 86_400_000).toUTCString();

  it.each([
    ['86400 seconds', () => '86400'],
    ['an HTTP date a day away', dayAway],
    ['a number too large to wait', () => '9'.repeat(30)],
  ])('Retry-After of %s on every URL: each is http_429 at once, asked once, under the default cap', async (_name, retryAfter) => {
    const server = await http((_req, res) => res.writeHead(429, { 'retry-after': retryAfter() }).end());
    const urls = Array.from({ length: 40 }, (_, i) => server.url(`/${i}.jpg`));
    // Default retries and cap (30 s): only the cap stands between this run and a day's wait.
    const { results, stats } = await checkUrls(urls, { retries: undefined, retryAfterCapMs: undefined, deadlineMs: 60_000 });
    expect(results.size).toBe(40);
    for (const result of results.values()) expect(result).toMatchObject({ state: 'broken', reason: 'http_429', status: 429, temporary: true });
    expect(server.requests).toHaveLength(40);
    expect(stats.retries).toBe(0);
  });
});
