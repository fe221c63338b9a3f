import { describe, expect, it } from 'vitest';
import { checkSyntax } from '../src/urls/index.js';
import { classifyAddress } from '../src/urls/address.js';
import { canonicalAddress } from '../src/urls/ipv6.js';
import { backoffDelay, parseRetryAfter } from '../src/urls/retry.js';
import { failureFromError, reasonForStatus } from '../src/urls/reasons.js';

describe('checkSyntax', () => {
  it.each([
    ['https://cdn.example.com/a.jpg', true, undefined],
    ['http://example.com:8080/a b.jpg', false, 'bad_syntax'],
    ['//cdn.example.com/a.jpg', false, 'bad_syntax'],
    ['', false, 'bad_syntax'],
    ['data:image/png;base64,AAAA', false, 'bad_scheme'],
    ['javascript:alert(1)', false, 'bad_scheme'],
    ['file:///etc/passwd', false, 'bad_scheme'],
    ['https://user:secret@example.com/a.jpg', false, 'bad_syntax'],
  ])('%s', (url, valid, reason) => {
    const verdict = checkSyntax(url);
    expect(verdict.valid).toBe(valid);
    if (!verdict.valid) expect(verdict.reason).toBe(reason);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['169.254.169.254', 'blocked'],
    ['169.254.0.1', 'blocked'],
    ['100.100.100.200', 'blocked'],
    ['fe80::1', 'blocked'],
    ['fd00:ec2::254', 'blocked'],
    ['::ffff:169.254.169.254', 'blocked'],
    ['::ffff:a9fe:a9fe', 'blocked'],
    ['127.0.0.1', 'private'],
    ['127.9.9.9', 'private'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['0.0.0.0', 'private'],
    ['::1', 'private'],
    ['::', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['not-an-ip', 'blocked'],
    ['168.63.129.16', 'blocked'],
    ['fe80::1%eth0', 'blocked'],
    ['::a9fe:a9fe', 'blocked'],
    ['::169.254.169.254', 'blocked'],
    ['::ffff:0:a9fe:a9fe', 'blocked'],
    ['64:ff9b::a9fe:a9fe', 'blocked'],
    ['64:FF9B::169.254.169.254', 'blocked'],
    ['64:ff9b::7f00:1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::a9fe:a9fe', 'blocked'],
    ['64:ff9b:1:a9fe:a9:fe00::', 'blocked'],
    ['64:ff9b:1::808:808', 'private'],
    ['2002:a9fe:a9fe::1', 'blocked'],
    ['2002:6464:64c8::1', 'blocked'],
    ['2002:7f00:1::1', 'private'],
    ['2002:808:808::1', 'public'],
    ['2001:0:a9fe:a9fe::1', 'blocked'],
    ['2001:0:808:808::5601:5601', 'blocked'],
    ['2001:0:808:808::f5ff:fffe', 'private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'public'],
    ['2001:db8::1', 'public'],
    ['2001:db8::5efe:a9fe:a9fe', 'blocked'],
    ['2001:db8::200:5efe:a9fe:a9fe', 'blocked'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('canonicalAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0::0:1', '2001:db8:0:0:0:0:0:1'],
    ['::7f00:1', '0:0:0:0:0:0:7f00:1'],
  ])('spells %s as %s, one key per socket destination', (address, key) => {
    expect(canonicalAddress(address)).toBe(key);
  });
});

describe('retry timing', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('grows the backoff exponentially with bounded jitter', () => {
    expect(backoffDelay(0, () => 0)).toBe(125);
    expect(backoffDelay(0, () => 1)).toBe(250);
    expect(backoffDelay(3, () => 0)).toBe(1_000);
    expect(backoffDelay(30, () => 1)).toBe(8_000);
  });
});

describe('reasons', () => {
  it.each([
    [401, 'http_4xx'],
    [403, 'http_403'],
    [404, 'http_404'],
    [410, 'http_410'],
    [429, 'http_429'],
    [502, 'http_5xx'],
    [304, 'bad_redirect'],
  ])('status %i is %s', (status, reason) => {
    expect(reasonForStatus(status)).toBe(reason);
  });

  it.each([
    [{ code: 'ENOTFOUND' }, 'dns'],
    [{ code: 'ECONNREFUSED' }, 'connection'],
    [{ code: 'UND_ERR_SOCKET', cause: { code: 'ECONNRESET' } }, 'connection'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout'],
    [{ code: 'CERT_HAS_EXPIRED' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
  ])('error %o is %s', (error, reason) => {
    expect(failureFromError(Object.assign(new Error('x'), error)).reason).toBe(reason);
  });
});
