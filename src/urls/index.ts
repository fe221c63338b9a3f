export { createUrlChecker } from './checker.js';
export { checkSyntax, type SyntaxVerdict } from './syntax.js';
export { URL_REASONS, isTemporaryReason, type UrlReason } from './reasons.js';
export {
  DEFAULT_URL_CHECK_OPTIONS,
  type ImageSizeMinimum,
  type LookupAddress,
  type LookupFn,
  type UrlCache,
  type UrlCheckOptions,
  type UrlCheckResult,
  type UrlCheckStats,
  type UrlChecker,
  type UrlCheckerDeps,
  type UrlResultListener,
} from './types.js';
