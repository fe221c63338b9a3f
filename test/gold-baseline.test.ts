import { describe, expect, it } from 'vitest';
import { createRegressionTracker, type Baseline } from '../src/gold/baseline.js';
import type { GoldResult } from '../src/gold/types.js';

const stages = { identity: 0, taxonomy: 0, content: 0, media: 0, pricing: 0, attributes: 0, seo: 0 };

function scored(id: string, score: number, feedReady: boolean, gaps: string[] = []): GoldResult {
  return {
    productId: id,
    status: 'success',
    score,
    band: 'good',
    stages,
    gaps: gaps.map((field) => ({ field, pointsLost: 1, reasons: [`${field}.missing`] })),
    missingFields: [],
    feedReady,
    channel: 'google',
    categoryClasses: [],
    blockers: [],
    cappedBy: null,
    lostByReason: {},
    checks: [],
  };
}

function baseline(rubric = 'r1'): Baseline {
  return {
    products: new Map([
      ['a', { score: 90, feedReady: true, gaps: [] }],
      ['b', { score: 70, feedReady: false, gaps: ['gtin'] }],
      ['c', { score: 50, feedReady: true, gaps: [] }],
    ]),
    avgScore: 70,
    rubricVersions: new Set([rubric]),
  };
}

describe('regression gates against a baseline', () => {
  it('lists products that got worse with the fields they now fail, and gates each way', () => {
    const tracker = createRegressionTracker(baseline(), { maxAvgDrop: 5, maxProductDrop: 10, noNewFailures: true }, 'r1');
    tracker.add(scored('a', 60, false, ['description', 'price']));
    tracker.add(scored('b', 75, false, ['gtin']));
    tracker.add(scored('c', 48, true));
    tracker.add(scored('new', 10, false));
    const { outcomes, regressions, regressionCount } = tracker.finish(61);
    expect(regressionCount).toBe(2);
    expect(regressions[0]).toEqual({ id: 'a', before: 90, after: 60, newGaps: ['description', 'price'] });
    const byName = Object.fromEntries(outcomes.map((o) => [o.name, o]));
    expect(byName['max-avg-drop']).toMatchObject({ passed: false, measured: 9 });
    expect(byName['max-product-drop']).toMatchObject({ passed: false, measured: 30, offenders: ['a'] });
    expect(byName['no-new-failures']).toMatchObject({ passed: false, offenders: ['a'], offenderCount: 1 });
  });

  it('passes when nothing fell beyond the limits', () => {
    const tracker = createRegressionTracker(baseline(), { maxAvgDrop: 5, maxProductDrop: 10, noNewFailures: true }, 'r1');
    for (const [id, score] of [
      ['a', 88],
      ['b', 70],
      ['c', 50],
    ] as const)
      tracker.add(scored(id, score, id !== 'b'));
    expect(tracker.finish(69.3).outcomes.every((o) => o.passed)).toBe(true);
  });

  it('counts --min-score in --no-new-failures: a product that falls under it is a new failure', () => {
    const tracker = createRegressionTracker(baseline(), { noNewFailures: true, minScore: 80 }, 'r1');
    tracker.add(scored('a', 79, true));
    expect(tracker.finish(70).outcomes[0]).toMatchObject({ passed: false, offenders: ['a'] });
  });

  it('refuses to compare scores made under another rubric, and says so', () => {
    const tracker = createRegressionTracker(baseline('old'), { maxAvgDrop: 50 }, 'new');
    tracker.add(scored('a', 90, true));
    const [outcome] = tracker.finish(90).outcomes;
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toMatch(/rubric old.*under new.*not comparable/);
  });
});
