import { z } from 'zod';
import type { GateOutcome } from './gates.js';
import type { Gap, GoldResult } from './types.js';

/**
 * One product of an `assay export --format json` (or jsonl) file, as far as a baseline reads it.
 * Keys an export has beyond these are left alone; an export older than feed readiness counts its
 * products as not feed-ready, as it did then.
 */
export const BaselineRecordSchema = z.looseObject({
  id: z.string(),
  gold: z
    .discriminatedUnion('status', [
      z.looseObject({
        status: z.literal('success'),
        score: z.number().min(0).max(100),
        feedReady: z.boolean().default(false),
        gaps: z.array(z.looseObject({ field: z.string() })).default([]),
      }),
      z.looseObject({ status: z.literal('error') }),
    ])
    .nullable()
    .optional(),
  rubricVersion: z.string().nullable().optional(),
});

/** A json export around its products; a jsonl export is the products alone, one a line. */
export const BaselineDocumentSchema = z.looseObject({
  schemaVersion: z.number(),
  products: z.array(z.unknown()),
  catalogSummary: z.looseObject({ avgScore: z.number() }).optional(),
});

/** The fields a product loses points on, worst first: what a baseline keeps and a run compares. */
export function gapFields(gaps: readonly Pick<Gap, 'field'>[]): string[] {
  return gaps.map((gap) => gap.field);
}

/** One product of an earlier run, as a JSON export records it. */
export interface BaselineProduct {
  score: number | null;
  feedReady: boolean;
  gaps: string[];
}

export interface Baseline {
  products: Map<string, BaselineProduct>;
  avgScore: number | null;
  /** Rubric versions the baseline's scores were made under. */
  rubricVersions: Set<string>;
}

export interface RegressionGates {
  maxAvgDrop?: number;
  maxProductDrop?: number;
  noNewFailures?: boolean;
  /** The score a product must keep to pass (--min-score); feed readiness counts too. */
  minScore?: number;
}

export interface Regression {
  id: string;
  before: number | null;
  after: number | null;
  /** Fields whose checks lose points now and did not before. */
  newGaps: string[];
}

const SHOWN = 10;

/**
 * Compares a run's results with a baseline as they stream past: products that got
 * worse, and the --max-avg-drop, --max-product-drop and --no-new-failures gates. A
 * baseline scored under another rubric is not compared: the gates fail and say so.
 */
export function createRegressionTracker(baseline: Baseline, gates: RegressionGates, rubricVersion: string) {
  const worse: Regression[] = [];
  let worseCount = 0;
  let biggestDrop = 0;
  const overDrop: string[] = [];
  let overDropCount = 0;
  const failures: string[] = [];
  let failureCount = 0;
  const passes = (score: number | null, feedReady: boolean) => score !== null && (gates.minScore === undefined || score >= gates.minScore) && feedReady;

  function add(result: GoldResult): void {
    const before = baseline.products.get(result.productId);
    if (!before) return;
    const after = result.status === 'success' ? result.score : null;
    const feedReady = result.status === 'success' && result.feedReady;
    const drop = (before.score ?? 0) - (after ?? 0);
    if (drop > 0 || (before.score !== null && after === null)) {
      worseCount++;
      const gaps = result.status === 'success' ? gapFields(result.gaps) : [];
      if (worse.length < SHOWN) worse.push({ id: result.productId, before: before.score, after, newGaps: gaps.filter((g) => !before.gaps.includes(g)) });
      biggestDrop = Math.max(biggestDrop, drop);
      if (gates.maxProductDrop !== undefined && drop > gates.maxProductDrop) {
        overDropCount++;
        if (overDrop.length < SHOWN) overDrop.push(result.productId);
      }
    }
    if (gates.noNewFailures && passes(before.score, before.feedReady) && !passes(after, feedReady)) {
      failureCount++;
      if (failures.length < SHOWN) failures.push(result.productId);
    }
  }

  function finish(avgScore: number): { outcomes: GateOutcome[]; regressions: Regression[]; regressionCount: number } {
    const foreign = [...baseline.rubricVersions].filter((v) => v !== rubricVersion);
    const outcomes: GateOutcome[] = [];
    const gate = (
      name: GateOutcome['name'],
      threshold: number | boolean,
      measured: number | null,
      passed: boolean,
      message: string,
      offenders: string[] = [],
      offenderCount = 0,
    ) => outcomes.push({ name, passed, threshold, measured, message, offenders, offenderCount });
    if (foreign.length > 0) {
      const message = `the baseline was scored under rubric ${foreign.join(', ')}, this run under ${rubricVersion}: scores are not comparable, so nothing was compared; make a new baseline`;
      if (gates.maxAvgDrop !== undefined) gate('max-avg-drop', gates.maxAvgDrop, null, false, message);
      if (gates.maxProductDrop !== undefined) gate('max-product-drop', gates.maxProductDrop, null, false, message);
      if (gates.noNewFailures) gate('no-new-failures', true, null, false, message);
      return { outcomes, regressions: [], regressionCount: 0 };
    }
    if (gates.maxAvgDrop !== undefined) {
      const drop = baseline.avgScore === null ? 0 : Math.round((baseline.avgScore - avgScore) * 10) / 10;
      const passed = drop <= gates.maxAvgDrop;
      gate(
        'max-avg-drop',
        gates.maxAvgDrop,
        drop,
        passed,
        `average score ${drop > 0 ? `fell ${drop}` : 'did not fall'} (${baseline.avgScore} → ${avgScore})${passed ? '' : `, more than --max-avg-drop ${gates.maxAvgDrop}`}`,
      );
    }
    if (gates.maxProductDrop !== undefined) {
      const passed = overDropCount === 0;
      gate(
        'max-product-drop',
        gates.maxProductDrop,
        biggestDrop,
        passed,
        passed
          ? `no product fell more than ${gates.maxProductDrop} points (largest fall ${biggestDrop})`
          : `${overDropCount} product(s) fell more than ${gates.maxProductDrop} points (largest fall ${biggestDrop})`,
        overDrop,
        overDropCount,
      );
    }
    if (gates.noNewFailures) {
      const passed = failureCount === 0;
      const what = gates.minScore === undefined ? 'feed-ready' : `feed-ready and at or above ${gates.minScore}`;
      gate(
        'no-new-failures',
        true,
        failureCount,
        passed,
        passed ? `no product that was ${what} fell out of it` : `${failureCount} product(s) were ${what} in the baseline and are not now`,
        failures,
        failureCount,
      );
    }
    return { outcomes, regressions: worse, regressionCount: worseCount };
  }

  return { add, finish };
}
