import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createUrlChecker, type UrlCheckOptions } from '../src/urls/index.js';
import { pngHeader, startServer, writeLargeBody, type TestServer } from './helpers/http-server.js';
import { startRawServer, trickle, type RawServer } from './helpers/raw-server.js';
import { jsonOf, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// Servers that misbehave on purpose (see docs/guarantees.md#hostile-image-servers). Cases covered elsewhere are not repeated:
// redirects to file: and to 169.254.169.254, names resolving to private or link-local addresses
// (urls-safety), a self-signed certificate (urls-tls), a silent server and a 1 GB chunked body
// (urls-http), a Retry-After over the cap for one URL (urls-retry). The last case runs the
// built CLI over a catalog pointing at all of them at once.

const base: Partial<UrlCheckOptions> = { allowPrivateHosts: true, timeoutMs: 400, deadlineMs: 4_000, retries: 0 };
const TWO_GB = 2 * 1024 * 1024 * 1024;
/** Far more than the checker may read of one response, far less than the server offers. */
const READ_BOUND = 16 * 1024 * 1024;

const servers: Array<{ close(): Promise<void> }> = [];
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
    const server = await http((_req, res) => void res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(TWO_GB) }).end());
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
    ['a 1 MB header', `HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nX-Junk: ${'a'.repeat(1024 * 1024)}\r\n\r\n`],
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
    const server = await http((_req, res) => void res.writeHead(429, { 'retry-after': retryAfter() }).end());
    const urls = Array.from({ length: 40 }, (_, i) => server.url(`/${i}.jpg`));
    // Default retries and cap (30 s): only the cap stands between this run and a day's wait.
    const { results, stats } = await checkUrls(urls, { retries: undefined, retryAfterCapMs: undefined, deadlineMs: 60_000 });
    expect(results.size).toBe(40);
    for (const result of results.values()) expect(result).toMatchObject({ state: 'broken', reason: 'http_429', status: 429, temporary: true });
    expect(server.requests).toHaveLength(40);
    expect(stats.retries).toBe(0);
  });
});

/** A self-signed certificate for 127.0.0.1 made now with openssl, or undefined when openssl is missing. */
function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } | undefined {
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
      ],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) };
}

async function selfSignedServer(tls: { key: Buffer; cert: Buffer }): Promise<string> {
  const server = createHttpsServer(tls, (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface NormalizeJson {
  job: { status: string };
  results: Array<{ productId: string; status: string; brokenUrls: Array<{ url: string; reason: string }> }>;
}

describe('assay normalize against all of them at once', () => {
  it('finishes with exit 0 and each product carries the right reason', async () => {
    const tmp = tempDir();
    const good = await http((_req, res) => void res.writeHead(200, { 'content-type': 'image/jpeg' }).end());
    const loris = await raw((socket) => trickle(socket, 'HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n', 200));
    const endless = await http((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      endlessBody(res);
    });
    const huge = await http((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(TWO_GB) });
      void writeLargeBody(res, TWO_GB);
    });
    const malformed = await raw((socket) => socket.write('HTTP/1.1 999999 WHAT\r\n\r\n'));
    const storm = await http((_req, res) => void res.writeHead(429, { 'retry-after': '86400' }).end());
    const toFile = await http((_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const tls = selfSignedCert(tmp.dir);
    const expected: Array<[string, string, string | undefined]> = [
      ['good', good.url('/a.jpg'), undefined],
      ['loris', loris.url('/a.jpg'), 'timeout'],
      ['endless', endless.url('/a.jpg'), undefined],
      ['huge', huge.url('/a.jpg'), undefined],
      ['malformed', malformed.url('/a.jpg'), 'connection'],
      ['storm', storm.url('/a.jpg'), 'http_429'],
      ['to-file', toFile.url('/a.jpg'), 'bad_scheme'],
    ];
    // Without openssl the TLS case is left out here; urls-tls.test.ts covers it with a fixed certificate.
    if (tls) expected.push(['tls', `${await selfSignedServer(tls)}/a.jpg`, 'tls']);
    const csv = ['id,title,image_link', ...expected.map(([id, url]) => `${id},Hostile case ${id},${url}`)].join('\n');
    const db = tmp.path('catalog.db');
    const assay = (...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir, timeoutMs: 90_000 });
    expect((await assay('load', tmp.write('hostile.csv', csv), '--quiet')).code).toBe(0);

    const run = await assay('normalize', '--all', '--allow-private-hosts', '--timeout', '500', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const doc = jsonOf<NormalizeJson>(run);
    expect(doc.job.status).toBe('succeeded');
    const reasons = Object.fromEntries(doc.results.map((r) => [r.productId, r.brokenUrls.map((b) => b.reason)[0]]));
    expect(reasons).toEqual(Object.fromEntries(expected.map(([id, , reason]) => [id, reason])));
    await huge.close();
    expect(huge.bytesSent()).toBeLessThan(READ_BOUND);
  }, 120_000);
});
