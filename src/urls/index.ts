export { createUrlChecker } from './checker.js';
export { checkSyntax } from './syntax.js';
export { URL_REASONS, type UrlReason } from './reasons.js';
export type { LookupFn, UrlCache, UrlCheckOptions, UrlCheckResult, UrlChecker } from './types.js';
