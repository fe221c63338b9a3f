import { describe, expect, it } from 'vitest';
import { categoryClassesOf } from '../src/gold/category-class.js';
import { channelProfile, type ChannelName } from '../src/gold/channels.js';
import { feedBlockers } from '../src/gold/feed-ready.js';
import { createScorer } from '../src/gold/score.js';
import { STAGES } from '../src/gold/types.js';
import type { SilverProduct } from '../src/silver/product.js';
import { context, product } from './helpers/product.js';

const listed = (fields: Partial<SilverProduct> = {}) =>
  product({
    title: 'Acme Desk Lamp with Dimmer, Brushed Steel',
    description: 'A desk lamp.',
    brand: 'Acme',
    gtin: '4006381333931',
    productUrl: 'https://shop.example.com/lamp',
    primaryImageUrl: 'https://img.example.com/lamp.jpg',
    price: 40,
    currency: 'USD',
    availability: 'in_stock',
    condition: 'new',
    categoryPath: 'Home & Garden > Lighting > Lamps',
    ...fields,
  });

function blockers(p: SilverProduct, channel: ChannelName = 'google', country?: string, ctx = context()) {
  return feedBlockers(p, ctx, { channel: channelProfile(channel), classes: categoryClassesOf(p), country }).map((b) => b.code);
}

describe('category classes', () => {
  it('reads a Google taxonomy path by its branch: clothing is apparel that takes a size, jewelry apparel that does not', () => {
    expect(categoryClassesOf(product({ categoryPath: 'Apparel & Accessories > Clothing > Shirts & Tops' }))).toEqual(['apparel', 'clothing']);
    expect(categoryClassesOf(product({ categoryPath: 'Apparel & Accessories > Jewelry > Rings' }))).toEqual(['apparel']);
  });
  it("reads a shop's own path from its most specific level, by the level's head noun", () => {
    expect(categoryClassesOf(product({ categoryPath: 'Men > Summer > T-Shirts' }))).toEqual(['apparel', 'clothing']);
    expect(categoryClassesOf(product({ categoryPath: 'Home & Garden > Kitchen > Coffee Makers' }))).toEqual([]);
  });
  it('falls back to the product type, and to nothing without either', () => {
    expect(categoryClassesOf(product({ attributes: { productType: 'Laptops' } }))).toEqual(['electronics']);
    expect(categoryClassesOf(product({ taxonomyId: '412' }))).toEqual(['food']);
    expect(categoryClassesOf(product({ title: 'Running Shoes' }))).toEqual([]);
  });
});

describe('channel requirements', () => {
  it('a complete lamp is feed-ready on every channel; without a link on none', () => {
    for (const channel of ['google', 'meta', 'generic'] as const) {
      expect(blockers(listed(), channel)).toEqual([]);
      expect(blockers(listed({ productUrl: undefined }), channel)).toContain('link.missing');
    }
  });
  it('Merchant Center waives GTIN and MPN for identifier_exists=no, not for silence', () => {
    expect(blockers(listed({ gtin: undefined, identifierExists: false }))).toEqual([]);
    expect(blockers(listed({ gtin: undefined }))).toEqual(['identifier.missing']);
  });
  it('Merchant Center takes brand + MPN without a GTIN, but not an MPN alone', () => {
    expect(blockers(listed({ gtin: undefined, mpn: 'DL-1' }))).toEqual([]);
    expect(blockers(listed({ gtin: undefined, mpn: 'DL-1', brand: undefined }))).toEqual(['brand.missing', 'identifier.missing']);
  });
  it('a GTIN dropped for its check digit blocks with its own code', () => {
    const dropped = context({ issues: [{ field: 'gtin', code: 'gtin_check_digit', message: 'check digit' }] });
    expect(blockers(listed({ gtin: undefined }), 'google', undefined, dropped)).toEqual(['gtin.invalid_check_digit']);
  });
  it('apparel attributes are required of apparel sold in the listed countries only', () => {
    const shirt = listed({ categoryPath: 'Apparel & Accessories > Clothing > Shirts & Tops' });
    expect(blockers(shirt, 'google', 'US')).toEqual(['color.missing', 'gender.missing', 'age_group.missing', 'size.missing']);
    expect(blockers(shirt, 'google', 'IN')).toEqual([]);
    expect(blockers(listed(), 'google', 'US')).toEqual([]);
  });
  it('Meta requires a condition, Merchant Center only a valid one', () => {
    expect(blockers(listed({ condition: undefined }), 'meta')).toEqual(['condition.missing']);
    expect(blockers(listed({ condition: undefined }), 'google')).toEqual([]);
    const bad = context({ issues: [{ field: 'condition', code: 'condition_invalid', message: 'x' }] });
    expect(blockers(listed({ condition: undefined }), 'google', undefined, bad)).toEqual(['condition.invalid']);
  });
  it('Merchant Center does not ask a brand of books', () => {
    expect(blockers(listed({ brand: undefined, categoryPath: 'Media > Books', gtin: '9780140449136' }))).toEqual([]);
    expect(blockers(listed({ brand: undefined }))).toEqual(['brand.missing']);
  });
});

describe('scoring under a channel', () => {
  it('asks a separate sku only without a channel', () => {
    const google = createScorer(undefined, undefined, { channel: 'google' })(listed(), context());
    const generic = createScorer(undefined, undefined, { channel: 'generic' })(listed(), context());
    expect(google.gaps.map((g) => g.field)).not.toContain('sku');
    expect(generic.gaps.map((g) => g.field)).toContain('sku');
    expect(google.checks.find((c) => c.id === 'identity.sku')).toMatchObject({ skipped: true, points: 0 });
  });
  it('does not count apparel attributes for food, and the stages still add up to the score', () => {
    const pasta = listed({ categoryPath: 'Food, Beverages & Tobacco > Food Items > Pasta & Noodles' });
    const result = createScorer()(pasta, context());
    expect(result.categoryClasses).toEqual(['food']);
    expect(result.gaps.map((g) => g.field).filter((f) => f.startsWith('attributes.'))).toEqual([]);
    expect(result.stages.attributes).toBe(0);
    const sum = STAGES.reduce((total, stage) => total + result.stages[stage], 0);
    expect(Math.abs(sum - result.score)).toBeLessThanOrEqual(0.5);
    const won = result.checks.reduce((total, c) => total + c.won, 0);
    expect(Math.abs(won - sum)).toBeLessThan(0.05);
  });
  it('names the blocker that held a refused product down, and none for a listed one', () => {
    const refused = createScorer()(listed({ availability: undefined }), context());
    expect(refused).toMatchObject({ feedReady: false, cappedBy: 'availability.missing', band: 'warning' });
    expect(createScorer()(listed(), context()).cappedBy).toBeNull();
    expect(createScorer(undefined, undefined, { blockedCap: 100 })(listed({ availability: undefined }), context()).cappedBy).toBeNull();
  });
  it("files the original-price loss under the price it follows from, with the price's own reason", () => {
    const gapOf = (p: SilverProduct) => createScorer()(p, context()).gaps.find((g) => g.field === 'price');
    expect(gapOf(listed({ price: undefined, originalPrice: 50 }))).toMatchObject({ pointsLost: 6, reasons: ['price.missing'] });
    expect(gapOf(listed({ price: 0, originalPrice: 50 }))).toMatchObject({ pointsLost: 6, reasons: ['price.not_positive'] });
    expect(createScorer()(listed({ price: undefined, originalPrice: 50 }), context()).gaps.map((g) => g.field)).not.toContain('originalPrice');
  });
});
