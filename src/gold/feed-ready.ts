import { AVAILABILITIES } from '../silver/product.js';
import type { SilverContext, SilverProduct } from '../silver/product.js';
import { hasText } from './checks/outcome.js';
import { imageState } from './checks/media.js';
import { isHttpUrl, isRestrictedGtin, isValidCurrency, isValidGtin } from './codes.js';

const AVAILABILITY_SET: ReadonlySet<string> = new Set(AVAILABILITIES);

/**
 * The fields a shopping feed rejects a product without (SPEC section 5), empty when it is feed-ready.
 * An image not checked over the network passes, as in scoring; a broken one does not.
 */
export function feedBlockers(product: SilverProduct, ctx: SilverContext): string[] {
  const blockers: string[] = [];
  if (!hasText(product.id)) blockers.push('id');
  if (!hasText(product.title)) blockers.push('title');
  if (!hasText(product.description)) blockers.push('description');
  if (!hasText(product.productUrl) || !isHttpUrl(product.productUrl)) blockers.push('productUrl');
  const image = product.primaryImageUrl;
  if (!hasText(image) || imageState(ctx, image) === 'broken') blockers.push('primaryImageUrl');
  const price = product.price;
  if (price === undefined || !Number.isFinite(price) || price <= 0) blockers.push('price');
  if (!hasText(product.currency) || !isValidCurrency(product.currency)) blockers.push('currency');
  if (product.availability === undefined || !AVAILABILITY_SET.has(product.availability)) blockers.push('availability');
  if (!hasText(product.brand)) blockers.push('brand');
  const hasGtin = hasText(product.gtin) && isValidGtin(product.gtin) && !isRestrictedGtin(ctx);
  if (!hasGtin && !hasText(product.mpn)) blockers.push('gtin');
  return blockers;
}

export function isFeedReady(product: SilverProduct, ctx: SilverContext): boolean {
  return feedBlockers(product, ctx).length === 0;
}
