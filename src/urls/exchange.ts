import type { Dispatcher } from 'undici';

export interface ExchangePlan {
  method: 'HEAD' | 'GET';
  /** For GET: bytes asked for with Range and read at most; 1 when only the headers matter. */
  rangeBytes: number;
  /** For GET: stops reading once the bytes so far suffice (the image size is known). */
  isEnough?: (head: Uint8Array) => boolean;
}

export interface ExchangeResult {
  status: number;
  contentType?: string;
  location?: string;
  retryAfter?: string;
  /** The first bytes of a 2xx GET body, when the plan asked for more than headers. */
  head?: Uint8Array;
}

/** Bodies we do not need are drained up to this size so the connection stays alive, else dropped. */
const DRAIN_LIMIT = 16 * 1024;
/** ...and for at most this long: a body that trickles or never ends must not hold a check whose answer is known. */
const DRAIN_MS = 500;

const USER_AGENT = 'assay-url-check/0.1 (product catalog image check)';

/** One request; the response body is always released, and never read beyond what the plan needs. */
export async function exchange(dispatcher: Dispatcher, url: URL, plan: ExchangePlan, timeoutMs: number, signal: AbortSignal): Promise<ExchangeResult> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'image/*,*/*;q=0.5' };
  if (plan.method === 'GET') headers.range = `bytes=0-${plan.rangeBytes - 1}`;
  const response = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: plan.method,
    headers,
    signal,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const result: ExchangeResult = {
    status: response.statusCode,
    contentType: header(response.headers['content-type']),
    location: header(response.headers.location),
    retryAfter: header(response.headers['retry-after']),
  };
  const isSuccess = result.status >= 200 && result.status < 300;
  if (plan.method === 'GET' && plan.rangeBytes > 1 && isSuccess) {
    result.head = await readHead(response.body, plan.rangeBytes, plan.isEnough);
  } else {
    await drain(response.body, Math.min(DRAIN_MS, timeoutMs));
  }
  return result;
}

/** Reads and drops a small body to keep the connection; drops the connection instead when that takes long. Never throws. */
async function drain(body: Dispatcher.ResponseData['body'], withinMs: number): Promise<void> {
  try {
    await body.dump({ limit: DRAIN_LIMIT, signal: AbortSignal.timeout(withinMs) });
  } catch {
    if (!body.destroyed) body.destroy();
  }
}

async function readHead(body: Dispatcher.ResponseData['body'], maxBytes: number, isEnough?: (head: Uint8Array) => boolean): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) break;
      if (isEnough?.(Buffer.concat(chunks, length))) break;
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return Buffer.concat(chunks, length).subarray(0, maxBytes);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
