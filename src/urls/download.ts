import { Agent, type Dispatcher } from 'undici';
import { ExitCode, UserError } from '../errors.js';
import { failureFromError } from './reasons.js';
import { createSafeResolver } from './resolve.js';
import type { LookupFn } from './types.js';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface DownloadOptions {
  allowPrivateHosts: boolean;
  /** Waiting for headers, and between two pieces of the body. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** What an earlier download answered: sent back so an unchanged feed is not sent again. */
  validators?: Validators;
  lookup?: LookupFn;
}

export type Download = { kind: 'unchanged'; url: string } | { kind: 'body'; url: string; validators: Validators; body: AsyncIterable<Uint8Array> };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'assay-feed-load/0.1 (product catalog)';

export function isUrl(file: string): boolean {
  return /^https?:\/\//i.test(file);
}

/**
 * Starts downloading a feed: the same guard as image checks (every hop's host resolved and
 * classified before any connection, connections pinned to the approved addresses), redirects
 * followed by hand, a conditional request when validators are known. The body streams; a
 * failure in it, or more than `maxBytes`, ends it with a user error (exit 3).
 */
export async function openDownload(address: string, options: DownloadOptions): Promise<Download> {
  const resolver = createSafeResolver(options.allowPrivateHosts, options.lookup);
  const agent = new Agent({ connect: { timeout: options.timeoutMs, lookup: resolver.connectLookup } });
  const first = parse(address);
  let url = first;
  let keepAgent = false;
  try {
    for (let hop = 0; ; hop++) {
      const response = await ask(agent, resolver, url, options, first.href);
      if (REDIRECTS.has(response.statusCode)) {
        await response.body.dump().catch(() => undefined);
        if (hop >= (options.maxRedirects ?? 5)) throw failed(first.href, `more than ${options.maxRedirects ?? 5} redirects`);
        url = next(url, header(response.headers.location), first.href);
        continue;
      }
      if (response.statusCode === 304) {
        await response.body.dump().catch(() => undefined);
        return { kind: 'unchanged', url: first.href };
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump().catch(() => undefined);
        throw failed(first.href, `the server answered HTTP ${response.statusCode}${url.href === first.href ? '' : ` for ${url.href}`}`);
      }
      const length = Number(header(response.headers['content-length']));
      if (length > options.maxBytes) {
        response.body.destroy();
        throw tooBig(first.href, options.maxBytes, `it is ${mb(length)} MB`);
      }
      const validators = { etag: header(response.headers.etag), lastModified: header(response.headers['last-modified']) };
      keepAgent = true;
      return { kind: 'body', url: first.href, validators, body: stream(response.body, first.href, options.maxBytes, agent) };
    }
  } finally {
    if (!keepAgent) await agent.close();
  }
}

async function ask(
  agent: Dispatcher,
  resolver: ReturnType<typeof createSafeResolver>,
  url: URL,
  options: DownloadOptions,
  label: string,
): Promise<Dispatcher.ResponseData> {
  try {
    // A refused host costs no connection: its addresses are judged before any is made.
    await resolver.resolve(url.hostname);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/xml, text/xml, text/csv, application/json, */*;q=0.5' };
    if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
    if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
    return await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    const failure = failureFromError(error);
    if (failure.reason === 'blocked_host') {
      const hint = /private/.test(failure.message) ? ': pass --allow-private-hosts if you trust it' : '';
      throw new UserError('download_blocked', `${label}: refused to download from ${url.host} (${failure.message})${hint}`);
    }
    throw failed(label, `${failure.reason}: ${failure.message}`);
  }
}

async function* stream(body: Dispatcher.ResponseData['body'], label: string, maxBytes: number, agent: Agent): AsyncGenerator<Uint8Array> {
  let received = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw tooBig(label, maxBytes, 'the download went past it');
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw failed(label, `the download broke off after ${received.toLocaleString('en-US')} bytes (${failureFromError(error).message})`);
  } finally {
    if (!body.destroyed) body.destroy();
    await agent.close();
  }
}

function parse(address: string): URL {
  try {
    const url = new URL(address);
    url.hash = '';
    return url;
  } catch {
    throw new UserError('bad_url', `${address}: not a valid URL`);
  }
}

function next(current: URL, location: string | undefined, label: string): URL {
  if (!location) throw failed(label, `a redirect from ${current.href} without a Location`);
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    throw failed(label, `a redirect to an unreadable Location '${location}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('download_blocked', `${label}: refused to follow a redirect to ${url.protocol.slice(0, -1)}: (only http and https)`);
  }
  url.hash = '';
  return url;
}

function failed(label: string, why: string): UserError {
  return new UserError('download_failed', `${label}: download failed: ${why}; nothing from it was loaded`, ExitCode.failed);
}

function tooBig(label: string, maxBytes: number, what: string): UserError {
  return new UserError(
    'download_too_big',
    `${label}: the feed is larger than --max-download-mb ${mb(maxBytes)} (${what}); nothing from it was loaded: raise the limit if it is expected`,
    ExitCode.failed,
  );
}

function mb(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
