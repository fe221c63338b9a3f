import type { Dispatcher } from 'undici';
import type { UrlReason } from './reasons.js';

export interface ImageSizeMinimum {
  minWidth: number;
  minHeight: number;
}

export interface UrlCheckOptions {
  /** Requests in flight at once, all hosts together. */
  concurrency: number;
  /** Requests in flight at once to one host (host name and port), and to any one address it resolves to. */
  perHost: number;
  /** Limit for one request: connecting, then waiting for headers, then between body chunks. */
  timeoutMs: number;
  /** Limit for one URL from its first request, all redirects, retries and waits included. */
  deadlineMs: number;
  /** Further attempts after a 429, a 503 or a connection reset. */
  retries: number;
  /** Longest Retry-After honoured; a server asking for more gets the URL reported as `http_429`/`http_5xx`. */
  retryAfterCapMs: number;
  /** Consecutive timeouts or connection failures after which a host's remaining URLs fail fast. */
  hostFailureLimit: number;
  /** Allow loopback and private ranges. Link-local and cloud metadata stay blocked regardless. */
  allowPrivateHosts: boolean;
  maxRedirects: number;
  /** When set, learn each image's pixel size from its first bytes and flag smaller ones as `too_small`. */
  imageSize?: ImageSizeMinimum;
}

export const DEFAULT_URL_CHECK_OPTIONS: UrlCheckOptions = {
  concurrency: 64,
  perHost: 8,
  timeoutMs: 10_000,
  deadlineMs: 30_000,
  retries: 2,
  retryAfterCapMs: 30_000,
  hostFailureLimit: 5,
  allowPrivateHosts: false,
  maxRedirects: 5,
};

/** Cached URL results younger than this are reused, unless --url-ttl or urls.ttlHours says otherwise. */
export const DEFAULT_URL_TTL_HOURS = 24;

/** What a bare --image-size measures images against. */
export const DEFAULT_IMAGE_SIZE: ImageSizeMinimum = { minWidth: 500, minHeight: 500 };

export interface UrlCheckResult {
  url: string;
  state: 'valid' | 'broken';
  reason?: UrlReason;
  detail?: string;
  /** Final HTTP status, when a response came back. */
  status?: number;
  contentType?: string;
  /** Where redirects ended, when they were followed. */
  finalUrl?: string;
  /** True for failures that may pass (timeouts, 429, 5xx, connection, dns): never cached. */
  temporary: boolean;
  width?: number;
  height?: number;
  /** Epoch milliseconds. */
  checkedAt: number;
}

/** Stored results, keyed by URL. `get` returns only those still fresh at `now`. */
export interface UrlCache {
  get(urls: string[], now: number): Map<string, UrlCheckResult>;
  put(results: UrlCheckResult[]): void;
}

export interface LookupAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses, like `dns.promises.lookup(name, { all: true })`. */
export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

export interface UrlCheckerDeps {
  cache?: UrlCache;
  now?: () => number;
  /** Replaces the checker's own agent; its connections are then not pinned to the checked addresses. */
  dispatcher?: Dispatcher;
  lookup?: LookupFn;
}

export interface UrlCheckStats {
  /** HTTP requests sent, retries and redirects included. */
  requests: number;
  /** URLs answered from the cache. */
  cached: number;
  /** URLs answered by the network (or refused before it). */
  checked: number;
  retries: number;
  /** Hosts whose remaining URLs failed fast after repeated failures. */
  hostsBackedOff: number;
}

export type UrlResultListener = (result: UrlCheckResult, fromCache: boolean) => void;

export interface UrlChecker {
  /** Checks each distinct URL once; resolves with every URL's result. Never rejects for a URL's failure. */
  check(urls: Iterable<string>, onResult?: UrlResultListener): Promise<Map<string, UrlCheckResult>>;
  stats(): UrlCheckStats;
  close(): Promise<void>;
}
