import type { Dispatcher } from 'undici';
import type { LimitFunction } from 'p-limit';
import { Deadline } from './deadline.js';
import { exchange, type ExchangePlan, type ExchangeResult } from './exchange.js';
import { withSlots, type HostRegistry, type HostState } from './hosts.js';
import { IMAGE_HEAD_BYTES, isMeasurable } from './image.js';
import { judgeAnswer, isSuccess } from './judge.js';
import { UrlFailure, failureFromError, isResetError, isTemporaryReason } from './reasons.js';
import type { SafeResolver } from './resolve.js';
import { backoffDelay, parseRetryAfter } from './retry.js';
import type { UrlCheckOptions, UrlCheckResult } from './types.js';

export interface CheckContext {
  options: UrlCheckOptions;
  dispatcher: Dispatcher;
  resolver: SafeResolver;
  hosts: HostRegistry;
  global: LimitFunction;
  now: () => number;
  counters: { requests: number; retries: number; hostsBackedOff: number };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses some servers give HEAD alone; a ranged GET gets the real answer. */
const HEAD_REFUSED = new Set([403, 405, 501]);

/** Checks one syntactically valid URL; never throws. */
export async function checkUrl(ctx: CheckContext, url: URL): Promise<UrlCheckResult> {
  const deadline = new Deadline(ctx.options.deadlineMs);
  try {
    const { answer, finalUrl } = await followRedirects(ctx, url, deadline);
    return judgeAnswer(url.href, finalUrl.href, answer, ctx.options.imageSize, ctx.now());
  } catch (error) {
    const failure = failureFromError(error);
    return {
      url: url.href,
      state: 'broken',
      reason: failure.reason,
      detail: failure.message,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      temporary: isTemporaryReason(failure.reason),
      checkedAt: ctx.now(),
    };
  } finally {
    deadline.clear();
  }
}

async function followRedirects(ctx: CheckContext, start: URL, deadline: Deadline): Promise<{ answer: ExchangeResult; finalUrl: URL }> {
  const seen = new Set([start.href]);
  let current = start;
  for (let hop = 0; ; hop += 1) {
    const answer = await askWithRetries(ctx, current, deadline);
    if (!REDIRECTS.has(answer.status)) return { answer, finalUrl: current };
    const next = redirectTarget(current, answer);
    if (seen.has(next.href)) throw new UrlFailure('redirect_loop', `redirect back to ${next.href}`, answer.status);
    if (hop >= ctx.options.maxRedirects) {
      throw new UrlFailure('too_many_redirects', `more than ${ctx.options.maxRedirects} redirects`, answer.status);
    }
    seen.add(next.href);
    current = next;
  }
}

function redirectTarget(current: URL, answer: ExchangeResult): URL {
  if (!answer.location) throw new UrlFailure('bad_redirect', `HTTP ${answer.status} without Location`, answer.status);
  let next: URL;
  try {
    next = new URL(answer.location, current);
  } catch {
    throw new UrlFailure('bad_redirect', `unreadable Location ${answer.location}`, answer.status);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new UrlFailure('bad_scheme', `redirect to ${next.protocol.slice(0, -1)}: ${next.href}`, answer.status);
  }
  next.hash = '';
  return next;
}

async function askWithRetries(ctx: CheckContext, url: URL, deadline: Deadline): Promise<ExchangeResult> {
  const { retries, retryAfterCapMs } = ctx.options;
  // Safety before any slot or socket: a refused host costs no request.
  const addresses = await ctx.resolver.resolve(url.hostname);
  const host = ctx.hosts.get(url.host);
  // One server under many names is still one server: its addresses are limited like a name.
  const addressLimits = ctx.hosts.addressLimits(addresses.map(({ address }) => address));
  for (let attempt = 0; ; attempt += 1) {
    let answer: ExchangeResult;
    try {
      answer = await askOnce(ctx, url, host, addressLimits, deadline);
    } catch (error) {
      if (!isResetError(error) || attempt >= retries || deadline.signal.aborted) throw error;
      await retryAfter(ctx, deadline, backoffDelay(attempt));
      continue;
    }
    if ((answer.status !== 429 && answer.status !== 503) || attempt >= retries) return answer;
    const asked = parseRetryAfter(answer.retryAfter, Date.now());
    if (asked !== undefined && asked > retryAfterCapMs) return answer;
    const wait = asked ?? backoffDelay(attempt);
    if (wait >= deadline.remaining()) return answer;
    if (asked !== undefined) host.pausedUntil = Math.max(host.pausedUntil, Date.now() + asked);
    await retryAfter(ctx, deadline, wait);
  }
}

async function retryAfter(ctx: CheckContext, deadline: Deadline, ms: number): Promise<void> {
  ctx.counters.retries += 1;
  await deadline.sleep(ms);
}

function askOnce(ctx: CheckContext, url: URL, host: HostState, addressLimits: LimitFunction[], deadline: Deadline): Promise<ExchangeResult> {
  return host.limit(async () => {
    host.assertUp();
    // A host that sent Retry-After is left alone until then, without holding an address or global slot.
    const pause = host.pausedUntil - Date.now();
    if (pause > 0) await deadline.sleep(pause);
    // Name, then addresses, then global: every request takes its slots in this order.
    return withSlots([...addressLimits, ctx.global], async () => {
      host.assertUp();
      deadline.start();
      try {
        const answer = await askHeadThenGet(ctx, url, host, deadline);
        host.recordAnswer();
        return answer;
      } catch (error) {
        const failure = failureFromError(error);
        if (host.recordFailure(failure)) ctx.counters.hostsBackedOff += 1;
        throw error;
      }
    });
  });
}

async function askHeadThenGet(ctx: CheckContext, url: URL, host: HostState, deadline: Deadline): Promise<ExchangeResult> {
  const send = (plan: ExchangePlan): Promise<ExchangeResult> => {
    ctx.counters.requests += 1;
    const timeout = Math.max(1, Math.min(ctx.options.timeoutMs, deadline.remaining()));
    return exchange(ctx.dispatcher, url, plan, timeout, deadline.signal);
  };
  if (ctx.options.imageSize) return send({ method: 'GET', rangeBytes: IMAGE_HEAD_BYTES, isEnough: isMeasurable });
  if (!host.headRefused) {
    const answer = await send({ method: 'HEAD', rangeBytes: 0 });
    if (HEAD_REFUSED.has(answer.status)) {
      if (answer.status !== 403) host.headRefused = true;
    } else if (!isSuccess(answer.status) || answer.contentType) {
      return answer;
    }
  }
  return send({ method: 'GET', rangeBytes: 1 });
}
