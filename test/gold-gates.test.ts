import { describe, expect, it } from 'vitest';
import { createGateTracker, type Gates } from '../src/gold/gates.js';
import { errorResult } from '../src/gold/score.js';
import { createSummary } from '../src/gold/summary.js';
import type { GoldResult } from '../src/gold/types.js';
import { goldenResults } from './helpers/golden.js';

// Scores 100 (excellent, feed-ready), 13 (poor) and 72 (good): average 61.7.
const { complete, titleOnly, middling } = goldenResults();

function check(gates: Gates, results: GoldResult[] = [complete, titleOnly, middling]) {
  const summary = createSummary();
  const tracker = createGateTracker(gates);
  for (const result of results) {
    summary.add(result);
    tracker.add(result);
  }
  return tracker.finish(summary.finish());
}

describe('gates', () => {
  it('passes with no gates set', () => expect(check({})).toEqual({ passed: true, gates: [] }));

  it('says by how much the average missed', () =>
    expect(check({ minAvg: 90 }).gates[0]).toEqual({
      name: 'min-avg',
      passed: false,
      threshold: 90,
      measured: 61.67,
      message: 'average score 61.67 is 28.33 below --min-avg 90',
      offenders: [],
      offenderCount: 0,
    }));

  it('passes a low average bar', () =>
    expect(check({ minAvg: 10 })).toMatchObject({ passed: true, gates: [{ message: 'average score 61.67 meets --min-avg 10' }] }));

  it('compares the exact average, not the one the summary rounds to a decimal', () => {
    // 100, 13 and 72 average 61.666...: the summary shows 61.7, which does not meet 61.7.
    expect(check({ minAvg: 61.7 })).toMatchObject({ passed: false, gates: [{ measured: 61.67, message: 'average score 61.67 is 0.03 below --min-avg 61.7' }] });
    expect(check({ minAvg: 61.66 })).toMatchObject({ passed: true });
  });

  it('lists products under the minimum score, worst first', () =>
    expect(check({ minScore: 80 }).gates[0]).toMatchObject({
      passed: false,
      measured: 13,
      message: '2 products below --min-score 80 (lowest 13)',
      offenders: ['title-only', 'middling'],
      offenderCount: 2,
    }));

  it('counts poor products against the maximum', () =>
    expect(check({ maxPoor: 0 }).gates[0]).toMatchObject({
      passed: false,
      measured: 1,
      message: '1 poor product, 1 over --max-poor 0',
      offenders: ['title-only'],
      offenderCount: 1,
    }));

  it('names no offender, and counts none, when the poor products are within the maximum', () =>
    expect(check({ maxPoor: 1 }).gates[0]).toMatchObject({
      passed: true,
      measured: 1,
      message: '1 poor product, within --max-poor 1',
      offenders: [],
      offenderCount: 0,
    }));

  it('names products that are not feed-ready', () =>
    expect(check({ requireFeedReady: true }).gates[0]).toMatchObject({
      passed: false,
      message: '2 products not feed-ready (--require-feed-ready)',
      offenders: ['title-only', 'middling'],
      offenderCount: 2,
    }));

  it('holds an unscored product against --min-score', () =>
    expect(check({ minScore: 10 }, [complete, errorResult('p9', 'not in silver stage: run normalize first')]).gates[0]).toMatchObject({
      passed: false,
      message: '1 product not scored, so --min-score 10 cannot be met',
      offenders: ['p9'],
    }));

  it('fails --min-avg when nothing was scored', () => expect(check({ minAvg: 10 }, [])).toMatchObject({ passed: false, gates: [{ measured: null }] }));

  it('keeps only the first ten offenders but counts them all', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...titleOnly, productId: `p${i}`, score: 30 - i }));
    const gate = check({ minScore: 50 }, many).gates[0];
    expect(gate.offenders).toEqual(['p24', 'p23', 'p22', 'p21', 'p20', 'p19', 'p18', 'p17', 'p16', 'p15']);
    expect(gate.offenderCount).toBe(25);
  });

  it('fails when any gate fails', () => expect(check({ minAvg: 10, maxPoor: 0 }).passed).toBe(false));

  it('fails every gate over a scope with nothing scored: passing on nothing would fool CI', () => {
    const report = check({ minScore: 60, maxPoor: 5, requireFeedReady: true }, []);
    expect(report.passed).toBe(false);
    expect(report.gates.map((g) => [g.name, g.passed])).toEqual([
      ['min-score', false],
      ['max-poor', false],
      ['require-feed-ready', false],
    ]);
    expect(report.gates[0].message).toBe('no product in scope was scored, so --min-score 60 cannot be met (--allow-empty lets an empty scope pass)');
  });

  it('lets an empty scope pass with --allow-empty, and a scored one is judged as before', () => {
    expect(check({ minScore: 60, minAvg: 50, maxPoor: 5, requireFeedReady: true, allowEmpty: true }, []).passed).toBe(true);
    expect(check({ minScore: 10, allowEmpty: true }).passed).toBe(true);
    expect(check({ minScore: 80, allowEmpty: true }).passed).toBe(false);
  });
});
