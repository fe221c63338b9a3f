import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createUrlChecker } from '../src/urls/index.js';

// A self-signed certificate for 127.0.0.1, made for this test only (openssl req -x509, P-256, 100 years).
const KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2aLN77NjZboOB1u+
DuZJD2zrJSDDL9+1TXFdtMy5TW+hRANCAASFxtEYSijRUTpw50/48aA29pSTxNC6
YoiAT1divl6nBeiIyX2D9sVQRa2+kmLQDff8c/ySHh6y2JYTdieSv9bm
-----END PRIVATE KEY-----
`;
const CERT = `
-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUbmOfeFZemrcCxiz9RlakRTGLLrIwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNzAyNDIzNloYDzIxMjYxMTAz
MDI0MjM2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASFxtEYSijRUTpw50/48aA29pSTxNC6YoiAT1divl6nBeiIyX2D9sVQ
Ra2+kmLQDff8c/ySHh6y2JYTdieSv9bmo28wbTAdBgNVHQ4EFgQUgnBOrEssABmf
c8Fdd9Er4MvqEUMwHwYDVR0jBBgwFoAUgnBOrEssABmfc8Fdd9Er4MvqEUMwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAMGLLNz/nFygYSn/GWSzhZ3vlbzI56gZPTcLZE7PooSjAiEA
uuZG16LtK4K22l67OnyAb7qo4QTfXMVxjsOth7f/Crw=
-----END CERTIFICATE-----
`;

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer({ key: KEY, cert: CERT }, (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('url checker over TLS', () => {
  it('reports an untrusted certificate as a lasting tls failure', async () => {
    const checker = createUrlChecker({ allowPrivateHosts: true, timeoutMs: 2_000, retries: 0 });
    const url = `${origin}/a.jpg`;
    const result = (await checker.check([url])).get(url);
    await checker.close();
    expect(result).toMatchObject({ state: 'broken', reason: 'tls', temporary: false });
    expect(result?.detail).toContain('SELF_SIGNED');
  });
});
