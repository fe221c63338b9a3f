import { Agent, type Dispatcher } from 'undici';
import pLimit from 'p-limit';
import { checkUrl, type CheckContext } from './check-one.js';
import { HostRegistry } from './hosts.js';
import { applySizeRule } from './judge.js';
import { createSafeResolver } from './resolve.js';
import { checkSyntax } from './syntax.js';
import { DEFAULT_URL_CHECK_OPTIONS, type UrlCheckOptions, type UrlCheckResult, type UrlChecker, type UrlCheckerDeps, type UrlResultListener } from './types.js';

/** URLs started but not finished, all hosts together: bounds memory for huge inputs, wide enough to keep every host busy. */
const WINDOW = 4096;
/** Results are written to the cache in batches of this size, one transaction each. */
const CACHE_BATCH = 500;

export function createUrlChecker(options: Partial<UrlCheckOptions> = {}, deps: UrlCheckerDeps = {}): UrlChecker {
  const opts = resolveOptions(options);
  const now = deps.now ?? Date.now;
  const resolver = createSafeResolver(opts.allowPrivateHosts, deps.lookup);
  const ownAgent = deps.dispatcher
    ? undefined
    : new Agent({
        connections: opts.perHost,
        keepAliveTimeout: 10_000,
        connect: { timeout: opts.timeoutMs, lookup: resolver.connectLookup },
      });
  const dispatcher: Dispatcher = deps.dispatcher ?? ownAgent!;
  const counters = { requests: 0, retries: 0, hostsBackedOff: 0, cached: 0, checked: 0 };
  const ctx: CheckContext = {
    options: opts,
    dispatcher,
    resolver,
    hosts: new HostRegistry(opts.perHost, opts.hostFailureLimit),
    global: pLimit(opts.concurrency),
    now,
    counters,
  };
  const inFlight = new Map<string, Promise<UrlCheckResult>>();

  function checkShared(raw: string, url: URL): Promise<UrlCheckResult> {
    let pending = inFlight.get(raw);
    if (!pending) {
      pending = checkUrl(ctx, url).then((result) => ({ ...result, url: raw }));
      inFlight.set(raw, pending);
      void pending.finally(() => inFlight.delete(raw));
    }
    return pending;
  }

  async function check(urls: Iterable<string>, onResult?: UrlResultListener): Promise<Map<string, UrlCheckResult>> {
    const results = new Map<string, UrlCheckResult>();
    let listenerError: unknown;
    const deliver = (result: UrlCheckResult, fromCache: boolean): void => {
      results.set(result.url, result);
      try {
        onResult?.(result, fromCache);
      } catch (error) {
        listenerError ??= error;
      }
    };

    const toAsk: Array<[string, URL]> = [];
    for (const raw of new Set(urls)) {
      const verdict = checkSyntax(raw);
      if (verdict.valid) toAsk.push([raw, verdict.url]);
      else deliver({ url: raw, state: 'broken', reason: verdict.reason, detail: verdict.detail, temporary: false, checkedAt: now() }, false);
    }

    const cached =
      deps.cache?.get(
        toAsk.map(([raw]) => raw),
        now(),
      ) ?? new Map<string, UrlCheckResult>();
    const fresh = toAsk.filter(([raw]) => {
      const hit = cached.get(raw);
      const reused = hit && reuseCached(hit, opts);
      if (!reused) return true;
      counters.cached += 1;
      deliver(reused, true);
      return false;
    });

    let unsaved: UrlCheckResult[] = [];
    const save = (): void => {
      if (unsaved.length > 0) deps.cache?.put(unsaved);
      unsaved = [];
    };
    await runPool(fresh, WINDOW, async ([raw, url]) => {
      const result = await checkShared(raw, url);
      counters.checked += 1;
      deliver(result, false);
      if (isCacheable(result)) unsaved.push(result);
      if (unsaved.length >= CACHE_BATCH) save();
    });
    save();
    if (listenerError !== undefined) throw listenerError;
    return results;
  }

  return {
    check,
    stats: () => ({ ...counters }),
    close: async () => {
      await ownAgent?.close();
    },
  };
}

/** A refusal depends on allowPrivateHosts, which may differ next run; the cache itself drops temporary failures. */
function isCacheable(result: UrlCheckResult): boolean {
  return result.reason !== 'blocked_host';
}

/** A cached result, adjusted to the current size minimum; undefined when it lacks what the options need. */
function reuseCached(hit: UrlCheckResult, opts: UrlCheckOptions): UrlCheckResult | undefined {
  const isImage = hit.state === 'valid' || hit.reason === 'too_small';
  if (opts.imageSize && isImage && (hit.width === undefined || hit.height === undefined)) return undefined;
  return applySizeRule(hit, opts.imageSize);
}

async function runPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

function resolveOptions(options: Partial<UrlCheckOptions>): UrlCheckOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const opts: UrlCheckOptions = { ...DEFAULT_URL_CHECK_OPTIONS, ...defined };
  for (const key of ['concurrency', 'perHost', 'timeoutMs', 'deadlineMs', 'hostFailureLimit'] as const) {
    if (!Number.isInteger(opts[key]) || opts[key] < 1) throw new RangeError(`url check option ${key} must be a positive integer`);
  }
  for (const key of ['retries', 'retryAfterCapMs', 'maxRedirects'] as const) {
    if (!Number.isInteger(opts[key]) || opts[key] < 0) throw new RangeError(`url check option ${key} must be a non-negative integer`);
  }
  return opts;
}
