import { AVAILABILITIES } from '../silver/product.js';
import type { SilverContext, SilverProduct } from '../silver/product.js';
import { requirementApplies, type RequirementKind } from './channels.js';
import { hasText } from './checks/outcome.js';
import { imageState } from './checks/media.js';
import { isHttpUrl, isRestrictedGtin, isValidCurrency, isValidGtin } from './codes.js';
import { attributeValue } from './fields.js';
import type { Blocker, RuleEnv } from './types.js';

const AVAILABILITY_SET: ReadonlySet<string> = new Set(AVAILABILITIES);
const CONDITIONS: ReadonlySet<string> = new Set(['new', 'refurbished', 'used']);

type Test = (product: SilverProduct, ctx: SilverContext) => Omit<Blocker, 'attribute'> | undefined;

function blocker(code: string, field: string, message: string): Omit<Blocker, 'attribute'> {
  return { code, field, message };
}

/** Silver drops a GTIN that fails its checks and says why; the code of the reason, if any. */
export function droppedGtinCode(ctx: SilverContext): string | undefined {
  for (const issue of ctx.issues) {
    if (issue.field !== 'gtin') continue;
    if (issue.code === 'gtin_check_digit') return 'gtin.invalid_check_digit';
    if (issue.code !== 'gtin_restricted') return 'gtin.invalid';
  }
  return undefined;
}

function attribute(name: string, code: string): Test {
  return (product) => (attributeValue(product.attributes, name) === undefined ? blocker(code, `attributes.${name}`, `no ${name}`) : undefined);
}

/** One test per kind of requirement; a channel profile says which apply. */
const TESTS: Record<RequirementKind, Test> = {
  id: (p) => (hasText(p.id) ? undefined : blocker('id.missing', 'id', 'no id')),
  title: (p) => (hasText(p.title) ? undefined : blocker('title.missing', 'title', 'no title')),
  description: (p) => (hasText(p.description) ? undefined : blocker('description.missing', 'description', 'no description')),
  link: (p) => {
    if (!hasText(p.productUrl)) return blocker('link.missing', 'productUrl', 'no product page link');
    return isHttpUrl(p.productUrl) ? undefined : blocker('link.invalid', 'productUrl', 'the product link is not an absolute http(s) URL');
  },
  image: (p, ctx) => {
    if (!hasText(p.primaryImageUrl)) return blocker('image.missing', 'primaryImageUrl', 'no main image');
    return imageState(ctx, p.primaryImageUrl) === 'broken' ? blocker('image.broken', 'primaryImageUrl', 'the main image is broken') : undefined;
  },
  price: (p) => {
    if (p.price === undefined || !Number.isFinite(p.price)) return blocker('price.missing', 'price', 'no price');
    if (p.price <= 0) return blocker('price.not_positive', 'price', `price ${p.price} is not above zero`);
    if (!hasText(p.currency)) return blocker('currency.missing', 'currency', 'no currency for the price');
    return isValidCurrency(p.currency) ? undefined : blocker('currency.invalid', 'currency', `'${p.currency}' is not an ISO 4217 currency`);
  },
  availability: (p) =>
    p.availability !== undefined && AVAILABILITY_SET.has(p.availability) ? undefined : blocker('availability.missing', 'availability', 'no availability'),
  brand: (p) => (hasText(p.brand) ? undefined : blocker('brand.missing', 'brand', 'no brand')),
  condition: (p) =>
    p.condition !== undefined && CONDITIONS.has(p.condition) ? undefined : blocker('condition.missing', 'condition', 'no condition (new, refurbished or used)'),
  conditionValid: (_p, ctx) =>
    ctx.issues.some((issue) => issue.field === 'condition')
      ? blocker('condition.invalid', 'condition', 'the condition is not new, refurbished or used')
      : undefined,
  identifier: (p, ctx) => {
    if (p.identifierExists === false) return undefined;
    if (hasText(p.gtin)) {
      if (!isValidGtin(p.gtin)) return blocker('gtin.invalid_check_digit', 'gtin', `GTIN '${p.gtin}' fails its check digit`);
      if (isRestrictedGtin(ctx)) return blocker('gtin.restricted', 'gtin', `GTIN '${p.gtin}' is restricted-circulation or a coupon code`);
      return undefined;
    }
    const dropped = droppedGtinCode(ctx);
    if (dropped !== undefined) return blocker(dropped, 'gtin', 'the GTIN is not valid (dropped by normalize)');
    if (hasText(p.mpn) && hasText(p.brand)) return undefined;
    return blocker('identifier.missing', 'gtin', 'no GTIN, no brand + MPN and identifier_exists is not "no"');
  },
  brandOrIdentifier: (p) => (hasText(p.brand) || hasText(p.gtin) || hasText(p.mpn) ? undefined : blocker('brand.missing', 'brand', 'no brand, GTIN or MPN')),
  color: attribute('color', 'color.missing'),
  size: attribute('size', 'size.missing'),
  gender: attribute('gender', 'gender.missing'),
  ageGroup: attribute('ageGroup', 'age_group.missing'),
};

/**
 * What keeps a product out of the channel, empty when it is feed-ready. An image not checked
 * over the network passes, as in scoring; a broken one does not.
 */
export function feedBlockers(product: SilverProduct, ctx: SilverContext, env: RuleEnv): Blocker[] {
  const blockers: Blocker[] = [];
  for (const rule of env.channel.requires) {
    if (!requirementApplies(rule, env.classes, env.country)) continue;
    const found = TESTS[rule.kind](product, ctx);
    if (found !== undefined) blockers.push({ code: found.code, field: found.field, attribute: rule.attribute, message: found.message });
  }
  return blockers;
}
