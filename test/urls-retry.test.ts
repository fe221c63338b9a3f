import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { createUrlChecker, type UrlCheckOptions } from '../src/urls/index.js';
import { pngHeader, startServer, type TestServer } from './helpers/http-server.js';

const base: Partial<UrlCheckOptions> = { allowPrivateHosts: true, timeoutMs: 300, deadlineMs: 10_000 };
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server answering each path with the next reply of its script, then with the last one. */
async function scripted(script: Array<(res: ServerResponse) => void>): Promise<TestServer> {
  const counts = new Map<string, number>();
  const server = await startServer((req, res) => {
    const n = counts.get(req.url ?? '') ?? 0;
    counts.set(req.url ?? '', n + 1);
    script[Math.min(n, script.length - 1)](res);
  });
  servers.push(server);
  return server;
}

const image = (res: ServerResponse): void => void res.writeHead(200, { 'content-type': 'image/webp' }).end();

async function checkUrls(urls: string[], options: Partial<UrlCheckOptions>) {
  const checker = createUrlChecker({ ...base, ...options });
  try {
    const results = await checker.check(urls);
    return { results, stats: checker.stats() };
  } finally {
    await checker.close();
  }
}

describe('url checker retries', () => {
  it('waits as long as Retry-After asks, then succeeds', async () => {
    const server = await scripted([(res) => res.writeHead(429, { 'retry-after': '1' }).end(), image]);
    const { results, stats } = await checkUrls([server.url('/a.webp')], { retries: 2 });
    expect(results.get(server.url('/a.webp'))).toMatchObject({ state: 'valid', status: 200 });
    expect(stats.retries).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(900);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const soon = (): string => new Date(Date.now() + 1000).toUTCString();
    const server = await scripted([(res) => res.writeHead(503, { 'retry-after': soon() }).end(), image]);
    const { results } = await checkUrls([server.url('/a.webp')], { retries: 1 });
    expect(results.get(server.url('/a.webp'))?.state).toBe('valid');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After is beyond the cap, as a temporary 429', async () => {
    const server = await scripted([(res) => res.writeHead(429, { 'retry-after': '3600' }).end(), image]);
    const { results } = await checkUrls([server.url('/a.webp')], { retries: 3, retryAfterCapMs: 2_000 });
    expect(results.get(server.url('/a.webp'))).toMatchObject({ state: 'broken', reason: 'http_429', temporary: true });
    expect(server.requests).toHaveLength(1);
  });

  it('backs off on 503 without Retry-After and stops after the retries', async () => {
    const server = await scripted([(res) => res.writeHead(503).end()]);
    const { results, stats } = await checkUrls([server.url('/a.webp')], { retries: 2 });
    expect(results.get(server.url('/a.webp'))).toMatchObject({ state: 'broken', reason: 'http_5xx', status: 503, temporary: true });
    expect(server.requests).toHaveLength(3);
    expect(stats.retries).toBe(2);
  });

  it('does not retry a 500', async () => {
    const server = await scripted([(res) => res.writeHead(500).end(), image]);
    await checkUrls([server.url('/a.webp')], { retries: 2 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset and succeeds', async () => {
    let resets = 0;
    const server = await startServer((req, res) => {
      if (resets++ === 0) return void req.socket.destroy();
      image(res);
    });
    servers.push(server);
    const { results } = await checkUrls([server.url('/a.webp')], { retries: 1 });
    expect(results.get(server.url('/a.webp'))?.state).toBe('valid');
  });

  it('stops asking a host after repeated timeouts: its other URLs fail fast as timeouts', async () => {
    const server = await startServer(() => undefined);
    servers.push(server);
    const urls = Array.from({ length: 30 }, (_, i) => server.url(`/${i}.jpg`));
    const { results, stats } = await checkUrls(urls, { perHost: 2, hostFailureLimit: 3, retries: 0 });
    expect([...results.values()].every((r) => r.reason === 'timeout' && r.temporary)).toBe(true);
    expect(results.size).toBe(30);
    expect(server.requests.length).toBeLessThanOrEqual(4);
    expect(stats.hostsBackedOff).toBe(1);
  });
});

describe('url checker image size', () => {
  const sizes: Record<string, [number, number]> = { '/small.png': [320, 240], '/big.png': [800, 600] };

  it('measures from a ranged GET and flags images under the minimum', async () => {
    const server = await startServer((req, res) => {
      const [width, height] = sizes[req.url ?? ''];
      res.writeHead(206, { 'content-type': 'image/png' }).end(pngHeader(width, height));
    });
    servers.push(server);
    const urls = [server.url('/small.png'), server.url('/big.png')];
    const { results } = await checkUrls(urls, { imageSize: { minWidth: 500, minHeight: 500 } });
    expect(results.get(urls[0])).toMatchObject({ state: 'broken', reason: 'too_small', detail: '320x240', width: 320, height: 240 });
    expect(results.get(urls[1])).toMatchObject({ state: 'valid', width: 800, height: 600 });
    expect(server.requests.map((r) => `${r.method} ${r.range}`)).toEqual(['GET bytes=0-65535', 'GET bytes=0-65535']);
  });
});
