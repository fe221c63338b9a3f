import { AVAILABILITIES } from '../silver/product.js';
import type { SilverContext, SilverProduct } from '../silver/product.js';
import { requirementApplies, type ChannelProfile, type RequirementKind } from './channels.js';
import type { CategoryClass } from './category-class.js';
import { hasText } from './checks/outcome.js';
import { imageState } from './checks/media.js';
import { isHttpUrl, isRestrictedGtin, isValidCurrency, isValidGtin } from './codes.js';
import { attributeValue } from './fields.js';
import type { Blocker, RuleEnv } from './types.js';

const AVAILABILITY_SET: ReadonlySet<string> = new Set(AVAILABILITIES);
const CONDITIONS: ReadonlySet<string> = new Set(['new', 'refurbished', 'used']);

type Test = (product: SilverProduct, ctx: SilverContext, attribute: string) => Blocker | undefined;

function blocker(code: string, field: string, attribute: string, message: string): Blocker {
  return { code, field, attribute, message };
}

function hasIssue(ctx: SilverContext, field: string): boolean {
  for (const issue of ctx.issues) if (issue.field === field) return true;
  return false;
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

function attributeTest(name: string, code: string): Test {
  const field = `attributes.${name}`;
  const message = `no ${name}`;
  return (product, _ctx, attribute) => (attributeValue(product.attributes, name) === undefined ? blocker(code, field, attribute, message) : undefined);
}

/** One test per kind of requirement; a channel profile says which apply. */
const TESTS: Record<RequirementKind, Test> = {
  id: (p, _ctx, attribute) => (hasText(p.id) ? undefined : blocker('id.missing', 'id', attribute, 'no id')),
  title: (p, _ctx, attribute) => (hasText(p.title) ? undefined : blocker('title.missing', 'title', attribute, 'no title')),
  description: (p, _ctx, attribute) => (hasText(p.description) ? undefined : blocker('description.missing', 'description', attribute, 'no description')),
  link: (p, _ctx, attribute) => {
    if (!hasText(p.productUrl)) return blocker('link.missing', 'productUrl', attribute, 'no product page link');
    return isHttpUrl(p.productUrl) ? undefined : blocker('link.invalid', 'productUrl', attribute, 'the product link is not an absolute http(s) URL');
  },
  image: (p, ctx, attribute) => {
    if (!hasText(p.primaryImageUrl)) return blocker('image.missing', 'primaryImageUrl', attribute, 'no main image');
    return imageState(ctx, p.primaryImageUrl) === 'broken' ? blocker('image.broken', 'primaryImageUrl', attribute, 'the main image is broken') : undefined;
  },
  price: (p, _ctx, attribute) => {
    if (p.price === undefined || !Number.isFinite(p.price)) return blocker('price.missing', 'price', attribute, 'no price');
    if (p.price <= 0) return blocker('price.not_positive', 'price', attribute, `price ${p.price} is not above zero`);
    if (!hasText(p.currency)) return blocker('currency.missing', 'currency', attribute, 'no currency for the price');
    return isValidCurrency(p.currency) ? undefined : blocker('currency.invalid', 'currency', attribute, `'${p.currency}' is not an ISO 4217 currency`);
  },
  availability: (p, _ctx, attribute) =>
    p.availability !== undefined && AVAILABILITY_SET.has(p.availability)
      ? undefined
      : blocker('availability.missing', 'availability', attribute, 'no availability'),
  brand: (p, _ctx, attribute) => (hasText(p.brand) ? undefined : blocker('brand.missing', 'brand', attribute, 'no brand')),
  condition: (p, _ctx, attribute) =>
    p.condition !== undefined && CONDITIONS.has(p.condition)
      ? undefined
      : blocker('condition.missing', 'condition', attribute, 'no condition (new, refurbished or used)'),
  conditionValid: (_p, ctx, attribute) =>
    hasIssue(ctx, 'condition') ? blocker('condition.invalid', 'condition', attribute, 'the condition is not new, refurbished or used') : undefined,
  identifier: (p, ctx, attribute) => {
    if (p.identifierExists === false) return undefined;
    if (hasText(p.gtin)) {
      if (!isValidGtin(p.gtin)) return blocker('gtin.invalid_check_digit', 'gtin', attribute, `GTIN '${p.gtin}' fails its check digit`);
      if (isRestrictedGtin(ctx)) return blocker('gtin.restricted', 'gtin', attribute, `GTIN '${p.gtin}' is restricted-circulation or a coupon code`);
      return undefined;
    }
    const dropped = droppedGtinCode(ctx);
    if (dropped !== undefined) return blocker(dropped, 'gtin', attribute, 'the GTIN is not valid (dropped by normalize)');
    if (hasText(p.mpn) && hasText(p.brand)) return undefined;
    return blocker('identifier.missing', 'gtin', attribute, 'no GTIN, no brand + MPN and identifier_exists is not "no"');
  },
  brandOrIdentifier: (p, _ctx, attribute) =>
    hasText(p.brand) || hasText(p.gtin) || hasText(p.mpn) ? undefined : blocker('brand.missing', 'brand', attribute, 'no brand, GTIN or MPN'),
  color: attributeTest('color', 'color.missing'),
  size: attributeTest('size', 'size.missing'),
  gender: attributeTest('gender', 'gender.missing'),
  ageGroup: attributeTest('ageGroup', 'age_group.missing'),
};

/** The tests of a channel's requirements that hold for products of some classes in some country, in the channel's order. */
export type BlockerTests = readonly { test: Test; attribute: string }[];

export function blockerTestsFor(channel: ChannelProfile, classes: readonly CategoryClass[], country: string | undefined): BlockerTests {
  return channel.requires.filter((rule) => requirementApplies(rule, classes, country)).map((rule) => ({ test: TESTS[rule.kind], attribute: rule.attribute }));
}

/** What keeps a product out of the channel, by tests chosen once for its classes. */
export function findBlockers(tests: BlockerTests, product: SilverProduct, ctx: SilverContext): Blocker[] {
  const blockers: Blocker[] = [];
  for (let i = 0; i < tests.length; i++) {
    const found = tests[i].test(product, ctx, tests[i].attribute);
    if (found !== undefined) blockers.push(found);
  }
  return blockers;
}

/**
 * What keeps a product out of the channel, empty when it is feed-ready. An image not checked
 * over the network passes, as in scoring; a broken one does not.
 */
export function feedBlockers(product: SilverProduct, ctx: SilverContext, env: RuleEnv): Blocker[] {
  return findBlockers(blockerTestsFor(env.channel, env.classes, env.country), product, ctx);
}
