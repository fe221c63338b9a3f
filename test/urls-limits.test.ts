import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker, type LookupFn } from '../src/urls/index.js';
import { startServer, type TestServer } from './helpers/http-server.js';

/** Three loopback addresses are three hosts; one counter sees requests in flight on all of them. */
const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
let servers: TestServer[];
let inFlight = 0;
let peak = 0;

beforeAll(async () => {
  servers = await Promise.all(
    HOSTS.map((host) =>
      startServer((_req, res) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          res.writeHead(200, { 'content-type': 'image/jpeg' }).end();
        }, 40);
      }, host),
    ),
  );
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('url checker limits', () => {
  it('never exceeds the per-host or the global limit, and uses both fully', async () => {
    const urls = servers.flatMap((server) => Array.from({ length: 12 }, (_, i) => server.url(`/img-${i}.jpg`)));
    const checker = createUrlChecker({ allowPrivateHosts: true, concurrency: 5, perHost: 2 });
    const results = await checker.check(urls);
    await checker.close();
    expect([...results.values()].filter((r) => r.state === 'valid')).toHaveLength(36);
    expect(servers.map((server) => server.maxInFlight())).toEqual([2, 2, 2]);
    expect(peak).toBe(5);
  });

  it('holds the per-host limit per address too: one server under nine names gets at most 8 at once', async () => {
    const server = await startServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(), 40);
    });
    const names = Array.from({ length: 9 }, (_, i) => `shop-${i}.test`);
    const lookup: LookupFn = async () => [{ address: '127.0.0.1', family: 4 }];
    const urls = names.flatMap((name) => Array.from({ length: 9 }, (_, i) => `http://${name}:${server.port}/img-${i}.jpg`));
    const checker = createUrlChecker({ allowPrivateHosts: true, concurrency: 64, perHost: 8 }, { lookup });
    try {
      const results = await checker.check(urls);
      expect([...results.values()].filter((r) => r.state === 'valid')).toHaveLength(81);
      expect(server.maxInFlight()).toBe(8);
    } finally {
      await checker.close();
      await server.close();
    }
  });

  it('takes the address slots of names that share addresses in one order, so they cannot wait on each other', async () => {
    const [first, second] = [servers[0], servers[1]];
    const table: Record<string, string[]> = { 'x.test': ['127.0.0.1', '127.0.0.2'], 'y.test': ['127.0.0.2', '127.0.0.1'] };
    const lookup: LookupFn = async (name) => table[name].map((address) => ({ address, family: 4 }));
    const urls = ['x.test', 'y.test'].flatMap((name) =>
      Array.from({ length: 6 }, (_, i) => `http://${name}:${name === 'x.test' ? first.port : second.port}/order-${i}.jpg`),
    );
    const checker = createUrlChecker({ allowPrivateHosts: true, perHost: 1, deadlineMs: 2_000 }, { lookup });
    try {
      const results = await checker.check(urls);
      expect([...results.values()].filter((r) => r.state === 'valid')).toHaveLength(12);
    } finally {
      await checker.close();
    }
  }, 3_000);

  it('asks each distinct URL once per check, even when asked many times', async () => {
    const server = servers[0];
    const before = server.requests.length;
    const url = server.url('/shared.jpg');
    const checker = createUrlChecker({ allowPrivateHosts: true });
    const seen: string[] = [];
    const [first, second] = await Promise.all([checker.check([url, url, url], (result) => seen.push(result.url)), checker.check([url])]);
    await checker.close();
    expect(first.get(url)?.state).toBe('valid');
    expect(second.get(url)?.state).toBe('valid');
    expect(seen).toEqual([url]);
    expect(server.requests.length - before).toBe(1);
  });

  it('reports bad syntax and schemes without a request', async () => {
    const checker = createUrlChecker({ allowPrivateHosts: true });
    const results = await checker.check(['not a url', 'ftp://example.test/a.jpg', '/relative.jpg']);
    await checker.close();
    expect([...results.values()].map((r) => r.reason)).toEqual(['bad_syntax', 'bad_scheme', 'bad_syntax']);
    expect(checker.stats().requests).toBe(0);
  });
});
