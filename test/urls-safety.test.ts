import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { MockAgent } from 'undici';
import { createUrlChecker, type LookupFn, type UrlCheckOptions } from '../src/urls/index.js';
import { startServer, type TestServer } from './helpers/http-server.js';

let server: TestServer;
const connects: string[] = [];
const onConnect = (message: unknown): void => {
  const { connectParams } = message as { connectParams: { hostname: string; port: string } };
  connects.push(`${connectParams.hostname}:${connectParams.port}`);
};

beforeAll(async () => {
  subscribe('undici:client:beforeConnect', onConnect);
  server = await startServer((req, res) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://x');
    if (pathname === '/image.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end();
    const to = searchParams.get('to');
    res.writeHead(302, { location: to ?? '/' }).end();
  });
});
afterAll(async () => {
  unsubscribe('undici:client:beforeConnect', onConnect);
  await server.close();
});

/** Fake names only: nothing here ever reaches a non-loopback address. */
function fakeDns(table: Record<string, string[]>): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

async function checkOne(url: string, options: Partial<UrlCheckOptions>, lookup?: LookupFn) {
  const checker = createUrlChecker({ timeoutMs: 300, retries: 0, ...options }, { lookup });
  try {
    const result = (await checker.check([url])).get(url)!;
    return { result, stats: checker.stats() };
  } finally {
    await checker.close();
  }
}

const viaRedirect = (to: string): string => server.url(`/go?to=${encodeURIComponent(to)}`);

describe('url checker safety', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
    'http://metadata.google.internal/computeMetadata/v1/',
  ])('refuses %s even with private hosts allowed, without connecting', async (url) => {
    connects.length = 0;
    const lookup = fakeDns({});
    const { result, stats } = await checkOne(url, { allowPrivateHosts: true }, lookup);
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host', temporary: false });
    expect(stats.requests).toBe(0);
    expect(lookup.calls).toEqual([]);
    expect(connects).toEqual([]);
  });

  it('refuses a redirect to the metadata address without following it', async () => {
    connects.length = 0;
    const { result, stats } = await checkOne(viaRedirect('http://169.254.169.254/latest/'), { allowPrivateHosts: true });
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(stats.requests).toBe(1);
    expect(connects).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('refuses a redirect to a name that resolves to a link-local address, after resolving it', async () => {
    connects.length = 0;
    const lookup = fakeDns({ 'images.evil.test': ['169.254.169.254'] });
    const { result, stats } = await checkOne(viaRedirect('http://images.evil.test/a.jpg'), { allowPrivateHosts: true }, lookup);
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(result.detail).toContain('169.254.169.254');
    expect(lookup.calls).toEqual(['images.evil.test']);
    expect(stats.requests).toBe(1);
    expect(connects.every((target) => target.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('refuses a redirect to file:', async () => {
    const { result, stats } = await checkOne(viaRedirect('file:///etc/passwd'), { allowPrivateHosts: true });
    expect(result).toMatchObject({ state: 'broken', reason: 'bad_scheme', temporary: false });
    expect(stats.requests).toBe(1);
  });

  it('refuses a name with any blocked address among several', async () => {
    connects.length = 0;
    const lookup = fakeDns({ 'mixed.test': ['127.0.0.1', '169.254.169.254'] });
    const { result } = await checkOne(`http://mixed.test:${server.port}/image.jpg`, { allowPrivateHosts: true }, lookup);
    expect(result.reason).toBe('blocked_host');
    expect(connects).toEqual([]);
  });

  it('refuses a name resolving to a private address unless private hosts are allowed', async () => {
    const lookup = fakeDns({ 'cdn.internal.test': ['127.0.0.1'] });
    const url = `http://cdn.internal.test:${server.port}/image.jpg`;
    connects.length = 0;
    const refused = await checkOne(url, { allowPrivateHosts: false }, lookup);
    expect(refused.result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(connects).toEqual([]);
    const allowed = await checkOne(url, { allowPrivateHosts: true }, lookup);
    expect(allowed.result).toMatchObject({ state: 'valid' });
  });

  it('refuses a loopback literal by default', async () => {
    const { result, stats } = await checkOne(server.url('/image.jpg'), {});
    expect(result.reason).toBe('blocked_host');
    expect(stats.requests).toBe(0);
  });

  it('connects to the address it approved, not to a later answer (DNS rebinding)', async () => {
    let calls = 0;
    const rebinding: LookupFn = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    const checker = createUrlChecker({ allowPrivateHosts: true, timeoutMs: 300 }, { lookup: rebinding });
    try {
      const urls = [1, 2, 3].map((n) => `http://rebind.test:${server.port}/image.jpg?n=${n}`);
      const results = await checker.check(urls);
      expect([...results.values()].map((r) => r.state)).toEqual(['valid', 'valid', 'valid']);
      expect(calls).toBe(1);
    } finally {
      await checker.close();
    }
  });

  it('reports a name that does not resolve as a temporary dns failure', async () => {
    const { result, stats } = await checkOne('http://nowhere.test/a.jpg', { allowPrivateHosts: true }, fakeDns({}));
    expect(result).toMatchObject({ state: 'broken', reason: 'dns', temporary: true });
    expect(stats.requests).toBe(0);
  });
});

/**
 * IPv6 spellings of blocked IPv4 addresses. The checker gets a MockAgent that refuses the network,
 * so a regression shows as a wrong reason, never as a connection beyond loopback.
 */
describe('url checker safety for IPv6 forms that embed an IPv4 address', () => {
  async function checkOffline(url: string, options: Partial<UrlCheckOptions>, lookup: LookupFn, mock?: (agent: MockAgent) => void) {
    const agent = new MockAgent();
    agent.disableNetConnect();
    mock?.(agent);
    const checker = createUrlChecker({ timeoutMs: 300, retries: 0, ...options }, { lookup, dispatcher: agent });
    try {
      const result = (await checker.check([url])).get(url)!;
      return { result, stats: checker.stats() };
    } finally {
      await checker.close();
      await agent.close();
    }
  }

  it.each([
    'http://[64:ff9b::a9fe:a9fe]/x.jpg',
    'http://[64:ff9b::169.254.169.254]/x.jpg',
    'http://[64:ff9b:1::a9fe:a9fe]/x.jpg',
    'http://[2002:a9fe:a9fe::1]/x.jpg',
    'http://[2001:0:a9fe:a9fe::1]/x.jpg',
    'http://[2001:0:808:808::5601:5601]/x.jpg',
    'http://[::a9fe:a9fe]/x.jpg',
    'http://168.63.129.16/machine?comp=goalstate',
  ])('refuses %s even with private hosts allowed, without a request', async (url) => {
    const lookup = fakeDns({});
    const { result, stats } = await checkOffline(url, { allowPrivateHosts: true }, lookup);
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host', temporary: false });
    expect(stats.requests).toBe(0);
    expect(lookup.calls).toEqual([]);
  });

  it('refuses an IPv6 form of a loopback address unless private hosts are allowed', async () => {
    const { result, stats } = await checkOffline('http://[64:ff9b::7f00:1]/x.jpg', {}, fakeDns({}));
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(stats.requests).toBe(0);
  });

  it('refuses a name that resolves to a NAT64 form of the metadata address', async () => {
    const lookup = fakeDns({ 'nat64.evil.test': ['64:ff9b::a9fe:a9fe'] });
    const { result, stats } = await checkOffline('http://nat64.evil.test/x.jpg', { allowPrivateHosts: true }, lookup);
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(result.detail).toContain('64:ff9b::a9fe:a9fe');
    expect(lookup.calls).toEqual(['nat64.evil.test']);
    expect(stats.requests).toBe(0);
  });

  it('refuses a redirect to a 6to4 form of the metadata address without following it', async () => {
    const lookup = fakeDns({ 'shop.test': ['127.0.0.1'] });
    const { result, stats } = await checkOffline('http://shop.test/go', { allowPrivateHosts: true }, lookup, (agent) => {
      agent
        .get('http://shop.test')
        .intercept({ path: '/go', method: 'HEAD' })
        .reply(302, '', { headers: { location: 'http://[2002:a9fe:a9fe::1]/x.jpg' } });
    });
    expect(result).toMatchObject({ state: 'broken', reason: 'blocked_host' });
    expect(result.detail).toContain('2002:a9fe:a9fe::1');
    expect(stats.requests).toBe(1);
  });
});
