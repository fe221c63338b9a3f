/** Why a URL is broken. Stable codes: callers, caches and reports branch on them. */
export const URL_REASONS = [
  'http_403',
  'http_404',
  'http_410',
  'http_4xx',
  'http_429',
  'http_5xx',
  'not_image',
  'too_small',
  'timeout',
  'dns',
  'connection',
  'tls',
  'too_many_redirects',
  'redirect_loop',
  'bad_redirect',
  'blocked_host',
  'bad_scheme',
  'bad_syntax',
] as const;
export type UrlReason = (typeof URL_REASONS)[number];

const TEMPORARY: ReadonlySet<UrlReason> = new Set(['http_429', 'http_5xx', 'timeout', 'dns', 'connection']);

export function isTemporaryReason(reason: UrlReason): boolean {
  return TEMPORARY.has(reason);
}

/** The reason for a final status that is neither 2xx nor a followed redirect. */
export function reasonForStatus(status: number): UrlReason {
  if (status === 403) return 'http_403';
  if (status === 404) return 'http_404';
  if (status === 410) return 'http_410';
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  if (status >= 300 && status < 400) return 'bad_redirect';
  return 'http_4xx';
}

/** A failure of one URL with its reason; thrown inside the checker, never out of it. */
export class UrlFailure extends Error {
  readonly reason: UrlReason;
  readonly status?: number;

  constructor(reason: UrlReason, detail: string, status?: number) {
    super(detail);
    this.name = 'UrlFailure';
    this.reason = reason;
    this.status = status;
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL', 'ENOTIMP']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Maps an error thrown by undici, node:net or node:dns to a failure with a stable reason. */
export function failureFromError(error: unknown): UrlFailure {
  if (error instanceof UrlFailure) return error;
  const code = errorCode(error);
  const message = (error as Error | undefined)?.message ?? String(error);
  const detail = code ? `${code}: ${message}` : message;
  if ((error as Error | undefined)?.name === 'TimeoutError' || TIMEOUT_CODES.has(code)) return new UrlFailure('timeout', detail);
  if (DNS_CODES.has(code)) return new UrlFailure('dns', detail);
  if (TLS_CODE.test(code)) return new UrlFailure('tls', detail);
  return new UrlFailure('connection', detail);
}

/** undici wraps socket errors; the cause often carries the system code (ECONNRESET and the like). */
function errorCode(error: unknown): string {
  const outer = (error as { code?: unknown } | undefined)?.code;
  const inner = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof outer === 'string' && outer !== 'UND_ERR_SOCKET') return outer;
  if (typeof inner === 'string') return inner;
  return typeof outer === 'string' ? outer : '';
}

/** Connection resets are worth another try; refusals and timeouts are not. */
export function isResetError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}
