export { createUrlChecker } from './checker.js';
export { checkSyntax } from './syntax.js';
export { URL_REASONS, type UrlReason } from './reasons.js';
export {
  type LookupFn,
  type UrlCache,
  type UrlCheckOptions,
  type UrlCheckResult,
  type UrlChecker,
} from './types.js';
