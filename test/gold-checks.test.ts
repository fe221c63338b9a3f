import { describe, expect, it } from 'vitest';
import { CATEGORY_MIN_DEPTH, DESCRIPTION_MIN, TITLE_MAX, TITLE_MIN } from '../src/gold/bounds.js';
import { runCheck, text } from './helpers/gold.js';
import { context, product } from './helpers/product.js';

describe('identity', () => {
  it('rewards a sku', () => {
    expect(runCheck('identity.sku', product({ sku: 'A-1' })).won).toBe(5);
    expect(runCheck('identity.sku', product()).won).toBe(0);
  });
  it('rewards a valid GTIN', () => expect(runCheck('identity.gtin', product({ gtin: '4006381333931' })).won).toBe(10));
  it('rejects a GTIN with a wrong check digit', () => expect(runCheck('identity.gtin', product({ gtin: '4006381333932' })).won).toBe(0));
  it('gives half for an MPN without GTIN', () => expect(runCheck('identity.gtin', product({ mpn: 'X1' })).won).toBe(5));
  it('says why a GTIN was dropped', () => {
    const ctx = context({ issues: [{ field: 'gtin', code: 'gtin-invalid', message: 'bad check digit' }] });
    expect(runCheck('identity.gtin', product(), ctx).reason).toContain('bad check digit');
  });
  it('rewards a linked brand', () => expect(runCheck('identity.brand', product({ brand: 'Acme' })).won).toBe(5));
  it('gives 3 for an unlinked brand', () => expect(runCheck('identity.brand', product({ brand: 'Acme' }), context({ brandLinked: false })).won).toBe(3));
  it('does not punish a duplicate', () => expect(runCheck('identity.sku', product({ sku: 'A-1' }), context({ duplicateOf: 'p0' })).won).toBe(5));
});

describe('taxonomy', () => {
  it('rewards a category', () => expect(runCheck('taxonomy.category', product({ categoryPath: 'Shoes' })).won).toBe(9));
  it('rewards depth of 3', () => expect(runCheck('taxonomy.depth', product({ categoryPath: 'A > B > C' })).won).toBe(6));
  it('gives half at depth 2', () => expect(runCheck('taxonomy.depth', product({ categoryPath: 'A > B' })).won).toBe(3));
  it('gives nothing for a root only', () => expect(runCheck('taxonomy.depth', product({ categoryPath: 'A' })).won).toBe(0));
  it('names the depth bound in the reason', () =>
    expect(runCheck('taxonomy.depth', product({ categoryPath: 'A' })).reason).toContain(`under ${CATEGORY_MIN_DEPTH}`));
});

describe('content', () => {
  it('rewards a title', () => expect(runCheck('content.title', product({ title: 'x' })).won).toBe(5));
  it('accepts the title bounds', () => {
    expect(runCheck('content.title-length', product({ title: text(TITLE_MIN) })).won).toBe(5);
    expect(runCheck('content.title-length', product({ title: text(TITLE_MAX) })).won).toBe(5);
  });
  it('rejects a short title', () =>
    expect(runCheck('content.title-length', product({ title: text(TITLE_MIN - 1) })).reason).toBe(`title has ${TITLE_MIN - 1} characters, under ${TITLE_MIN}`));
  it('rejects a long title', () => expect(runCheck('content.title-length', product({ title: text(TITLE_MAX + 1) })).won).toBe(0));
  it('rejects an all-caps title', () => expect(runCheck('content.title-style', product({ title: 'ACME TRAIL RUNNER SHOES' })).won).toBe(0));
  it('accepts acronyms', () => expect(runCheck('content.title-style', product({ title: 'Acme USB-C 4K HDMI Adapter' })).won).toBe(3));
  it('rejects punctuation runs', () => expect(runCheck('content.title-style', product({ title: 'Best shoes ever!!! Buy now' })).won).toBe(0));
  it('rejects a punctuation-heavy title', () => expect(runCheck('content.title-style', product({ title: 'Shoe-*-Run/#1/$-Sale' })).won).toBe(0));
  it('accepts ordinary punctuation', () =>
    expect(runCheck('content.title-style', product({ title: "Acme Men's Running Shoe, Size 10 (Black/White)" })).won).toBe(3));
  it('rewards a description', () => expect(runCheck('content.description', product({ description: 'x' })).won).toBe(5));
  it('rewards a long description', () => expect(runCheck('content.description-length', product({ description: text(DESCRIPTION_MIN) })).won).toBe(5));
  it('gives a short description its share', () => expect(runCheck('content.description-length', product({ description: text(150) })).won).toBe(3.75));
  it('rejects a description that repeats the title', () =>
    expect(runCheck('content.description-own', product({ title: 'Acme Shoe', description: ' acme shoe ' })).won).toBe(0));
  it('rewards a description of its own', () =>
    expect(runCheck('content.description-own', product({ title: 'Acme Shoe', description: 'A light shoe' })).won).toBe(2));
});

describe('media', () => {
  const url = 'https://cdn.example.com/a.jpg';
  it('rewards a validated image', () =>
    expect(runCheck('media.primary-image', product({ primaryImageUrl: url }), context({ imageStates: { [url]: 'valid' } })).won).toBe(14));
  it('rewards an unchecked image and says so', () =>
    expect(runCheck('media.primary-image', product({ primaryImageUrl: url }), context({ imageStates: { [url]: 'unchecked' } }))).toMatchObject({
      won: 14,
      unchecked: true,
    }));
  it('rejects a broken image', () =>
    expect(runCheck('media.primary-image', product({ primaryImageUrl: url }), context({ imageStates: { [url]: 'broken' } })).won).toBe(0));
  it('judges an image Silver never saw by its syntax', () => {
    expect(runCheck('media.primary-image', product({ primaryImageUrl: url })).unchecked).toBe(true);
    expect(runCheck('media.primary-image', product({ primaryImageUrl: 'ftp://x/a.jpg' })).won).toBe(0);
  });
  it('rewards an additional image', () =>
    expect(runCheck('media.additional-images', product({ additionalImageUrls: [url] }), context({ imageStates: { [url]: 'valid' } })).won).toBe(6));
  it('rejects additional images that are all broken', () =>
    expect(runCheck('media.additional-images', product({ additionalImageUrls: [url] }), context({ imageStates: { [url]: 'broken' } })).won).toBe(0));
  it('wants at least one additional image', () => expect(runCheck('media.additional-images', product()).won).toBe(0));
});

describe('pricing', () => {
  it('rewards a price above zero', () => expect(runCheck('pricing.price', product({ price: 19.99 })).won).toBe(4));
  it('rejects a zero price', () => expect(runCheck('pricing.price', product({ price: 0 })).won).toBe(0));
  it('rewards an ISO currency', () => expect(runCheck('pricing.currency', product({ currency: 'EUR' })).won).toBe(2));
  it('rejects an unknown currency', () => expect(runCheck('pricing.currency', product({ currency: 'XYZ' })).won).toBe(0));
  it('rewards an availability', () => expect(runCheck('pricing.availability', product({ availability: 'preorder' })).won).toBe(2));
  it('accepts a price without original price', () => expect(runCheck('pricing.original-price', product({ price: 5 })).won).toBe(2));
  it('rejects an original price below the price', () => expect(runCheck('pricing.original-price', product({ price: 5, originalPrice: 4 })).won).toBe(0));
  it('needs a price to compare with', () => expect(runCheck('pricing.original-price', product()).won).toBe(0));
});

describe('attributes', () => {
  it('rewards each key attribute', () => expect(runCheck('attributes.color', product({ attributes: { color: 'Red' } })).won).toBe(1));
  it('finds differently spelled keys', () => expect(runCheck('attributes.ageGroup', product({ attributes: { 'Age Group': 'adult' } })).won).toBe(1));
  it('finds a British colour', () => expect(runCheck('attributes.color', product({ attributes: { Colour: 'Red' } })).won).toBe(1));
  it('ignores empty values', () => expect(runCheck('attributes.size', product({ attributes: { size: '' } })).won).toBe(0));
});

describe('seo', () => {
  it('rewards the brand in the title', () => expect(runCheck('seo.brand-in-title', product({ title: 'ACME trail shoe', brand: 'Acme' })).won).toBe(2));
  it('wants the brand in the title', () => expect(runCheck('seo.brand-in-title', product({ title: 'Trail shoe', brand: 'Acme' })).won).toBe(0));
  it('finds the type from the last category level', () =>
    expect(runCheck('seo.type-in-title', product({ title: 'Acme Trail Shoe', categoryPath: 'Apparel > Shoes' })).won).toBe(2));
  it('matches plurals', () => expect(runCheck('seo.type-in-title', product({ title: 'Summer dress', categoryPath: "Women's Dresses" })).won).toBe(2));
  it('prefers the productType attribute', () =>
    expect(runCheck('seo.type-in-title', product({ title: 'Acme Trail', categoryPath: 'Shoes', attributes: { productType: 'Trail' } })).won).toBe(2));
  it('wants the type in the title', () =>
    expect(runCheck('seo.type-in-title', product({ title: 'Acme Skillet', categoryPath: 'Kitchen > Cookware' })).won).toBe(0));
  it('rewards a short description in bounds', () => expect(runCheck('seo.short-description', product({ shortDescription: text(50) })).won).toBe(1));
  it('rejects a short description too long', () => expect(runCheck('seo.short-description', product({ shortDescription: text(161) })).won).toBe(0));
});

describe('a restricted-circulation GTIN', () => {
  it('earns half the GTIN points and keeps the product out of feeds', async () => {
    const { CHECKS } = await import('../src/gold/registry.js');
    const { feedBlockers } = await import('../src/gold/feed-ready.js');
    const { channelProfile } = await import('../src/gold/channels.js');
    const isFeedReady = (p: ReturnType<typeof product>, c: ReturnType<typeof context>) =>
      feedBlockers(p, c, { channel: channelProfile('google'), classes: [] }).length === 0;
    const gtinCheck = CHECKS.find((c) => c.id === 'identity.gtin')!;
    const restricted = context({ issues: [{ field: 'gtin', code: 'gtin_restricted', message: 'restricted' }] });
    const env = { channel: channelProfile('google'), classes: [] };
    expect(gtinCheck.run(product({ gtin: '21234569' }), restricted, env).won).toBe(5);
    expect(gtinCheck.run(product({ gtin: '4006381333931' }), context(), env).won).toBe(10);
    const complete = product({
      title: 'A title',
      description: 'd',
      productUrl: 'https://x.test/p',
      primaryImageUrl: 'https://x.test/i.jpg',
      price: 5,
      currency: 'USD',
      availability: 'in_stock',
      brand: 'B',
      gtin: '21234569',
    });
    expect(isFeedReady(complete, context())).toBe(true);
    expect(isFeedReady(complete, restricted)).toBe(false);
  });
});
