import { reasonForStatus } from './reasons.js';
import { measureImage } from './image.js';
import type { ExchangeResult } from './exchange.js';
import type { ImageSizeMinimum, UrlCheckResult } from './types.js';

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The media type without parameters, lower case. */
function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
}

/** `image/` and a subtype token (RFC 9110 section 8.3.1): `image/` alone or `image` is no media type at all. */
const IMAGE_TYPE = /^image\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** The verdict on a final (non-redirect) answer: valid only with a 2xx and an image content type. */
export function judgeAnswer(url: string, finalUrl: string, answer: ExchangeResult, minimum: ImageSizeMinimum | undefined, checkedAt: number): UrlCheckResult {
  const contentType = mediaType(answer.contentType);
  const base = { url, status: answer.status, contentType, checkedAt, temporary: false };
  const withFinal = finalUrl === url ? base : { ...base, finalUrl };
  if (!isSuccess(answer.status)) {
    const reason = reasonForStatus(answer.status);
    const temporary = reason === 'http_429' || reason === 'http_5xx';
    return { ...withFinal, state: 'broken', reason, detail: `HTTP ${answer.status}`, temporary };
  }
  if (!contentType || !IMAGE_TYPE.test(contentType)) {
    return { ...withFinal, state: 'broken', reason: 'not_image', detail: `content type ${contentType ?? 'missing'}` };
  }
  const size = answer.head ? measureImage(answer.head) : undefined;
  return applySizeRule({ ...withFinal, state: 'valid', ...size }, minimum);
}

/**
 * Flags a measured image under the minimum as `too_small`, and clears that flag when no minimum applies,
 * so a cached result follows the current options.
 */
export function applySizeRule(result: UrlCheckResult, minimum: ImageSizeMinimum | undefined): UrlCheckResult {
  const isImage = result.state === 'valid' || result.reason === 'too_small';
  if (!isImage) return result;
  const { width, height } = result;
  const isSmall = minimum !== undefined && width !== undefined && height !== undefined && (width < minimum.minWidth || height < minimum.minHeight);
  if (isSmall) return { ...result, state: 'broken', reason: 'too_small', detail: `${width}x${height}` };
  const { reason: _reason, detail: _detail, ...rest } = result;
  return { ...rest, state: 'valid' };
}
