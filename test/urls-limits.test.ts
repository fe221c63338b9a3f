import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker } from '../src/urls/index.js';
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

  it('asks each distinct URL once per check, even when asked many times', async () => {
    const server = servers[0];
    const before = server.requests.length;
    const url = server.url('/shared.jpg');
    const checker = createUrlChecker({ allowPrivateHosts: true });
    const seen: string[] = [];
    const [first, second] = await Promise.all([
      checker.check([url, url, url], (result) => seen.push(result.url)),
      checker.check([url]),
    ]);
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
