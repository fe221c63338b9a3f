import type { UrlReason } from './reasons.js';

export type SyntaxVerdict = { valid: true; url: URL } | { valid: false; reason: Extract<UrlReason, 'bad_syntax' | 'bad_scheme'>; detail: string };

/** Offline check: an absolute http(s) URL with a host. Makes no request and no DNS lookup. */
export function checkSyntax(raw: string): SyntaxVerdict {
  if (typeof raw !== 'string' || raw.trim() === '') return { valid: false, reason: 'bad_syntax', detail: 'empty URL' };
  if (raw !== raw.trim() || /[\s\u0000-\u001f]/.test(raw)) {
    return { valid: false, reason: 'bad_syntax', detail: 'URL contains whitespace or control characters' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { valid: false, reason: 'bad_syntax', detail: 'not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { valid: false, reason: 'bad_scheme', detail: `scheme ${url.protocol.slice(0, -1)} is not http or https` };
  }
  if (url.hostname === '') return { valid: false, reason: 'bad_syntax', detail: 'URL has no host' };
  if (url.username !== '' || url.password !== '') {
    return { valid: false, reason: 'bad_syntax', detail: 'URL carries credentials' };
  }
  return { valid: true, url };
}
