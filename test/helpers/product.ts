import type { SilverContext, SilverProduct } from '../../src/silver/product.js';

/** A silver product with only an id; pass the fields a test is about. */
export function product(fields: Partial<SilverProduct> = {}): SilverProduct {
  return { id: 'p1', additionalImageUrls: [], attributes: {}, ...fields };
}

/** A silver context with nothing to report; pass what a test is about. */
export function context(fields: Partial<SilverContext> = {}): SilverContext {
  return { duplicateOf: null, imageStates: {}, brandLinked: true, issues: [], ...fields };
}
