import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/gold/registry.js';
import { createScorer, errorResult, scoreProduct } from '../src/gold/score.js';
import { STAGES } from '../src/gold/types.js';
import { DEFAULT_WEIGHTS } from '../src/gold/weights.js';
import { complete, middling, middlingContext, titleOnly, validImages } from './helpers/golden.js';
import { text } from './helpers/gold.js';
import { context, product } from './helpers/product.js';

describe('golden products', () => {
  it('scores a complete, valid product 100', () => {
    // Every check earns its points: 20 + 15 + 25 + 20 + 10 + 5 + 5 = 100.
    const result = scoreProduct(complete, validImages);
    expect(result).toMatchObject({ score: 100, band: 'excellent', gaps: [], missingFields: [], feedReady: true });
    expect(result.stages).toEqual(DEFAULT_WEIGHTS);
  });

  it('scores an id-and-title product by its title alone', () => {
    // The title is 34 characters, mixed case: content.title 5 + title-length 5 + title-style 3 = 13.
    // The SEO title checks need a brand and a category to look for: their loss is the brand's and the category's.
    const result = scoreProduct(titleOnly, context());
    expect(result.score).toBe(13);
    expect(result.band).toBe('poor');
    expect(result.stages).toEqual({ identity: 0, taxonomy: 0, content: 13, media: 0, pricing: 0, attributes: 0, seo: 0 });
    // Google has no sku attribute, and with no category the apparel attributes do not apply.
    expect(result.missingFields).toEqual([
      'gtin',
      'brand',
      'categoryPath',
      'description',
      'primaryImageUrl',
      'additionalImageUrls',
      'price',
      'currency',
      'availability',
      'attributes.color',
      'attributes.material',
      'shortDescription',
    ]);
    // identity: GTIN 10 and brand 5 share the stage's 20 (x 4/3); attributes: color and material share its 5.
    // The brand gap holds the SEO brand-in-title loss (2), the category gap the type-in-title loss (2), the price
    // gap the original-price loss (2): each follows from the missing field.
    expect(result.gaps.map((gap) => `${gap.field} ${gap.pointsLost}`)).toEqual([
      'categoryPath 17',
      'primaryImageUrl 14',
      'gtin 13.33',
      'description 12',
      'brand 8.67',
      'additionalImageUrls 6',
      'price 6',
      'attributes.color 2.5',
      'attributes.material 2.5',
      'currency 2',
      'availability 2',
      'shortDescription 1',
    ]);
    expect(result.gaps.find((gap) => gap.field === 'price')?.reasons).toEqual(['price.missing']);
    expect(result.feedReady).toBe(false);
  });

  it('explains a middling product point by point (generic channel, no cap)', () => {
    // The product is in helpers/golden.ts; brand not linked, primary image checked offline only.
    // identity   sku 5 + MPN instead of GTIN 5 + unlinked brand 3                       = 13
    // taxonomy   category 9 + depth 2 of 3 → 3                                          = 12
    // content    title 5 + 26 chars under 30 → 0 + style 3 + description 5
    //            + 150/200 × 5 = 3.75 + not the title 2                                  = 18.75
    // media      primary image offline 14 (unchecked) + no additional 0                  = 14
    // pricing    price 4 + USD 2 + in_stock 2 + original 15 below 20 → 0                 = 8
    // attributes color 1 + size 1 (a T-shirt: every key attribute applies)               = 2
    // seo        'Acme' in title 2 + 't-shirt' in title 2 + no short description 0       = 4
    // total 71.75 → 72, good
    const result = createScorer(DEFAULT_WEIGHTS, undefined, { channel: 'generic', blockedCap: 100 })(middling, middlingContext);
    expect(result.stages).toEqual({ identity: 13, taxonomy: 12, content: 18.75, media: 14, pricing: 8, attributes: 2, seo: 4 });
    expect(result.score).toBe(72);
    expect(result.band).toBe('good');
    expect(result.gaps.map((gap) => `${gap.field} ${gap.pointsLost}`)).toEqual([
      'additionalImageUrls 6',
      'gtin 5',
      'title 5',
      'categoryPath 3',
      'brand 2',
      'originalPrice 2',
      'description 1.25',
      'attributes.material 1',
      'attributes.gender 1',
      'attributes.ageGroup 1',
      'shortDescription 1',
    ]);
    expect(result.gaps.find((gap) => gap.field === 'title')?.reasons).toEqual(['title.too_short']);
    expect(result.missingFields).toEqual([
      'gtin',
      'additionalImageUrls',
      'attributes.material',
      'attributes.gender',
      'attributes.ageGroup',
      'shortDescription',
    ]);
    expect(result.checks.find((check) => check.id === 'media.primary-image')).toMatchObject({ won: 14, unchecked: true });
    // No product link: no channel lists it.
    expect(result.feedReady).toBe(false);
    expect(result.blockers.map((b) => b.code)).toEqual(['link.missing']);
  });

  it('holds the middling product in warning on Google, which would refuse it', () => {
    // Google: no sku check (identity 8 of 15 → 10.67), so 69.42 before the cap. Refused (no link; a T-shirt
    // without gender or age group), the points above 40 are squeezed so 100 would land on 64:
    // 40 + 29.42 × 24/60 = 51.77 → 52.
    const result = scoreProduct(middling, middlingContext);
    expect(result.score).toBe(52);
    expect(result.band).toBe('warning');
    expect(result.cappedBy).toBe('link.missing');
    expect(result.blockers.map((b) => b.code)).toEqual(['link.missing', 'gender.missing', 'age_group.missing']);
    const sum = STAGES.reduce((total, stage) => total + result.stages[stage], 0);
    expect(Math.abs(sum - result.score)).toBeLessThanOrEqual(0.5);
  });
});

describe('scoring', () => {
  it('lists every check with points won and a reason', () => {
    const result = scoreProduct(complete, validImages);
    expect(result.checks.map((check) => check.id)).toEqual(CHECKS.map((check) => check.id));
    expect(result.checks.every((check) => check.won === check.points && check.reason.length > 0)).toBe(true);
  });

  it('rescales each stage under other weights', () => {
    const weights = { identity: 40, taxonomy: 10, content: 20, media: 10, pricing: 10, attributes: 5, seo: 5 };
    // The title-only product earns 13 of content's 25; at weight 20 that is 13 × 20/25 = 10.4 → 10.
    const result = createScorer(weights)(titleOnly, context());
    expect(result.stages.content).toBe(10.4);
    expect(result.score).toBe(10);
    expect(result.checks.find((check) => check.id === 'content.title')).toMatchObject({ points: 4, won: 4 });
  });

  it('keeps stage points adding up to the total under awkward weights', () => {
    const weights = { identity: 33.33, taxonomy: 33.33, content: 33.34, media: 0, pricing: 0, attributes: 0, seo: 0 };
    const partial = product({ sku: 'A', categoryPath: 'A > B', title: 'Short title', description: text(77) });
    const result = createScorer(weights)(partial, context());
    const stageSum = STAGES.reduce((sum, stage) => sum + result.stages[stage], 0);
    const checkSum = result.checks.reduce((sum, check) => sum + check.won, 0);
    expect(Math.abs(stageSum - checkSum)).toBeLessThan(0.05);
    expect(Math.round(stageSum)).toBe(result.score);
    expect(result.gaps.some((gap) => gap.field === 'primaryImageUrl')).toBe(false);
  });

  it('can leave the checks out for bulk runs', () => {
    const lean = createScorer(DEFAULT_WEIGHTS, undefined, { explain: false })(middling, middlingContext);
    const { checks, ...full } = scoreProduct(middling, middlingContext);
    expect(checks).toHaveLength(CHECKS.length);
    expect(lean).toEqual({ ...full, checks: [] });
  });

  it('refuses weights that do not sum to 100', () => expect(() => createScorer({ ...DEFAULT_WEIGHTS, seo: 50 })).toThrow(/sum to 100, got 145/));

  it('uses configured band thresholds', () => {
    const bands = { excellent: 90, good: 50, warning: 10 };
    expect(scoreProduct(titleOnly, context(), DEFAULT_WEIGHTS, bands).band).toBe('warning');
  });

  it('makes an error result for products not scored', () =>
    expect(errorResult('p9', 'not in silver stage: run normalize first')).toEqual({
      productId: 'p9',
      status: 'error',
      error: 'not in silver stage: run normalize first',
    }));
});
