import { isRestrictedGtin, isValidGtin } from '../codes.js';
import type { Check } from '../types.js';
import { droppedGtinCode } from '../feed-ready.js';
import { earn, explainMissing, hasText, lose, partial, skip } from './outcome.js';

const SKU = 5;
const GTIN = 10;
/** Brand and MPN identify a product for feeds that accept them in place of a GTIN, so half. */
const MPN_ONLY = GTIN / 2;
const BRAND = 5;
/** A brand that did not match the brand list may be a misspelling; it still names the maker. */
const BRAND_UNLINKED = 3;

const SKU_PRESENT = earn(SKU, 'sku present');
const GTIN_VALID = earn(GTIN, 'valid GTIN');
const RESTRICTED = partial(
  MPN_ONLY,
  `GTIN valid but in a range Merchant Center refuses (restricted circulation or coupon); earns ${MPN_ONLY} of ${GTIN}`,
  'gtin.restricted',
);
const MPN_INSTEAD = partial(MPN_ONLY, `no GTIN; the MPN earns ${MPN_ONLY} of ${GTIN}`, 'gtin.mpn_only');
const NO_IDENTIFIER_NEEDED = skip('identifier_exists is "no": the product has no GTIN or MPN to give (custom or handmade goods)');
const BRAND_LINKED = earn(BRAND, 'brand present and linked');

/*
 * A duplicate (ctx.duplicateOf) loses no points here: the score grades the record itself, and
 * which of two copies counts as the duplicate depends on load order, not on quality. Duplicates
 * are counted in the catalog summary and shown by `assay show` instead.
 */
export const identityChecks: Check[] = [
  {
    id: 'identity.sku',
    stage: 'identity',
    field: 'sku',
    points: SKU,
    label: 'sku present',
    // Merchant Center and Meta have no sku attribute: the feed's id is the merchant's SKU.
    scope: { channels: ['generic'] },
    run: (product, ctx) => (hasText(product.sku) ? SKU_PRESENT : lose(explainMissing(ctx, 'sku', 'no sku'), 'sku.missing')),
  },
  {
    id: 'identity.gtin',
    stage: 'identity',
    field: 'gtin',
    points: GTIN,
    label: `valid GTIN (8, 12, 13 or 14 digits, check digit); a restricted-circulation or coupon GTIN, or an MPN alone, earns ${MPN_ONLY}; not counted when identifier_exists is no`,
    run: (product, ctx) => {
      if (product.identifierExists === false && !hasText(product.gtin)) return NO_IDENTIFIER_NEEDED;
      if (hasText(product.gtin) && isRestrictedGtin(ctx)) return RESTRICTED;
      if (hasText(product.gtin))
        return isValidGtin(product.gtin) ? GTIN_VALID : lose(`GTIN '${product.gtin}' fails its check digit`, 'gtin.invalid_check_digit');
      const dropped = droppedGtinCode(ctx);
      if (dropped !== undefined) return lose(explainMissing(ctx, 'gtin', 'no valid GTIN'), dropped);
      if (hasText(product.mpn)) return MPN_INSTEAD;
      return lose(explainMissing(ctx, 'gtin', 'no GTIN and no MPN'), 'gtin.missing');
    },
  },
  {
    id: 'identity.brand',
    stage: 'identity',
    field: 'brand',
    points: BRAND,
    label: `brand present and linked to a canonical brand; present but unlinked earns ${BRAND_UNLINKED}`,
    run: (product, ctx) => {
      if (!hasText(product.brand)) return lose(explainMissing(ctx, 'brand', 'no brand'), 'brand.missing');
      if (ctx.brandLinked) return BRAND_LINKED;
      return partial(BRAND_UNLINKED, `brand '${product.brand}' not linked to a canonical brand`, 'brand.unlinked');
    },
  },
];
