import { describe, expect, it } from 'vitest';
import { errorResult } from '../src/gold/score.js';
import { createSummary } from '../src/gold/summary.js';
import type { GoldSuccess } from '../src/gold/types.js';
import { goldenResults } from './helpers/golden.js';

describe('catalog summary', () => {
  // The three golden products of gold-score.test.ts: 100 (excellent), 13 (poor), 72 (good).
  const { complete, titleOnly, middling } = goldenResults();

  function summarize(): ReturnType<ReturnType<typeof createSummary>['finish']> {
    const summary = createSummary();
    summary.add(complete, { brokenUrls: 0 });
    summary.add(titleOnly, { isDuplicate: true });
    summary.add(middling, { brokenUrls: 2 });
    summary.add(errorResult('p4', 'not in silver stage: run normalize first'));
    return summary.finish();
  }

  it('counts products, errors and bands', () =>
    expect(summarize()).toMatchObject({
      products: 3,
      errors: 1,
      avgScore: 61.7, // (100 + 13 + 72) / 3 = 61.67
      scoreDistribution: { excellent: 1, good: 1, warning: 0, poor: 1 },
      feedReady: 1,
      duplicates: 1,
      brokenUrls: 2,
    }));

  it('averages each stage over scored products', () =>
    expect(summarize().stageAverages).toEqual({
      identity: 11, // (20 + 0 + 13) / 3
      taxonomy: 9, // (15 + 0 + 12) / 3
      content: 18.92, // (25 + 13 + 18.75) / 3 = 18.9167
      media: 11.33, // (20 + 0 + 14) / 3
      pricing: 6, // (10 + 0 + 8) / 3
      attributes: 2.33, // (5 + 0 + 2) / 3
      seo: 3, // (5 + 0 + 4) / 3
    }));

  it('ranks gaps by the average score fixing them would add', () => {
    // Points lost on a field, summed over the two incomplete products, divided by 3 scored products.
    // categoryPath 17 + 3 = 20 → 6.67; gtin 13.33 + 5 → 6.11; primaryImageUrl 14 → 4.67; description 12 + 1.25 → 4.42;
    // additionalImageUrls 6 + 6 → 4; brand 8.67 + 2 → 3.56; price 6 → 2; title 5 → 1.67;
    // attributes.material 2.5 + 1 → 1.17; attributes.color 2.5 → 0.83.
    const topGaps = summarize().topGaps;
    expect(topGaps.map((gap) => `${gap.field} ${gap.avgGain}`)).toEqual([
      'categoryPath 6.67',
      'gtin 6.11',
      'primaryImageUrl 4.67',
      'description 4.42',
      'additionalImageUrls 4',
      'brand 3.56',
      'price 2',
      'title 1.67',
      'attributes.material 1.17',
      'attributes.color 0.83',
    ]);
    // The category gap is a missing category on one product and a shallow one on the other.
    expect(topGaps[0]).toEqual({
      field: 'categoryPath',
      count: 2,
      share: 0.6667,
      avgGain: 6.67,
      reasons: [
        { code: 'category.missing', count: 1, avgGain: 5.67 },
        { code: 'category.shallow', count: 1, avgGain: 1 },
      ],
    });
  });

  it('summarizes an empty catalog as zeros', () =>
    expect(createSummary().finish()).toEqual({
      products: 0,
      errors: 0,
      avgScore: 0,
      scoreDistribution: { excellent: 0, good: 0, warning: 0, poor: 0 },
      stageAverages: { identity: 0, taxonomy: 0, content: 0, media: 0, pricing: 0, attributes: 0, seo: 0 },
      topGaps: [],
      feedReady: 0,
      duplicates: 0,
      brokenUrls: 0,
    }));

  it('folds a large stream without keeping results', () => {
    const summary = createSummary();
    const results: GoldSuccess[] = [complete, titleOnly, middling];
    for (let i = 0; i < 300_000; i++) summary.add(results[i % 3]);
    expect(summary.finish()).toMatchObject({ products: 300_000, avgScore: 61.7 });
  });
});
