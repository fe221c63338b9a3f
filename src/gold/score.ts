import type { SilverContext, SilverProduct } from '../silver/product.js';
import { bandOf, DEFAULT_BANDS, validateBands } from './bands.js';
import { isFeedReady } from './feed-ready.js';
import { isFieldAbsent } from './fields.js';
import { CHECKS, FIELD_ORDER } from './registry.js';
import { splitCents } from './split-cents.js';
import {
  STAGES,
  type BandThresholds,
  type Check,
  type CheckResult,
  type Gap,
  type GoldError,
  type GoldSuccess,
  type Weights,
} from './types.js';
import { DEFAULT_WEIGHTS, stageFactor, validateWeights } from './weights.js';

export type Scorer = (product: SilverProduct, ctx: SilverContext) => GoldSuccess;

export interface ScorerOptions {
  /**
   * false leaves `checks` empty. The per-check list is most of a result's size and of its JSON
   * cost; a bulk run can store the rest and explain one product again on `assay show`.
   */
  explain?: boolean;
}

interface CompiledCheck {
  check: Check;
  factor: number;
  points: number;
  roundedPoints: number;
  stageIndex: number;
  fieldIndex: number;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function compile(weights: Weights): CompiledCheck[] {
  return CHECKS.map((check) => {
    const factor = stageFactor(weights, check.stage);
    const points = check.points * factor;
    return {
      check,
      factor,
      points,
      roundedPoints: round2(points),
      stageIndex: STAGES.indexOf(check.stage),
      fieldIndex: FIELD_ORDER.indexOf(check.field),
    };
  });
}

/**
 * Compiles the rubric for one set of weights and bands, so scoring a product is a loop over
 * checks with no per-call setup. Weights and bands must be valid; the CLI validates them first.
 */
export function createScorer(
  weights: Weights = DEFAULT_WEIGHTS,
  bands: BandThresholds = DEFAULT_BANDS,
  options: ScorerOptions = {},
): Scorer {
  const explain = options.explain !== false;
  const weightsCheck = validateWeights(weights);
  if (!weightsCheck.ok) throw new Error(`invalid weights: ${weightsCheck.errors.join('; ')}`);
  const bandsCheck = validateBands(bands);
  if (!bandsCheck.ok) throw new Error(`invalid bands: ${bandsCheck.errors.join('; ')}`);
  const compiled = compile(weightsCheck.weights);
  const thresholds = bandsCheck.bands;
  const stageSums = new Float64Array(STAGES.length);
  const lostByField = new Float64Array(FIELD_ORDER.length);

  return (product, ctx) => {
    stageSums.fill(0);
    lostByField.fill(0);
    const checks: CheckResult[] = explain ? new Array(compiled.length) : [];
    for (let i = 0; i < compiled.length; i++) {
      const { check, factor, points, roundedPoints, stageIndex, fieldIndex } = compiled[i];
      const outcome = check.run(product, ctx);
      const won = Math.min(Math.max(outcome.won, 0), check.points) * factor;
      stageSums[stageIndex] += won;
      lostByField[fieldIndex] += points - won;
      if (!explain) continue;
      const result: CheckResult = {
        id: check.id,
        stage: check.stage,
        field: check.field,
        points: roundedPoints,
        won: round2(won),
        reason: outcome.reason,
      };
      if (outcome.unchecked === true) result.unchecked = true;
      checks[i] = result;
    }
    const { stages, totalCents } = splitCents(stageSums);
    const score = Math.min(100, Math.max(0, Math.round(totalCents / 100)));
    return {
      productId: product.id,
      status: 'success',
      score,
      band: bandOf(score, thresholds),
      stages,
      gaps: gapsOf(lostByField),
      missingFields: missingOf(product, lostByField),
      feedReady: isFeedReady(product, ctx),
      checks,
    };
  };
}

/** Under half a cent lost is float noise from rescaling, not a gap. */
const LOST_EPSILON = 0.005;

function gapsOf(lostByField: Float64Array): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 0; i < lostByField.length; i++) {
    if (lostByField[i] >= LOST_EPSILON) gaps.push({ field: FIELD_ORDER[i], pointsLost: round2(lostByField[i]) });
  }
  // Array sort is stable, so equal losses keep the fixed field order they were pushed in.
  return gaps.sort((a, b) => b.pointsLost - a.pointsLost);
}

function missingOf(product: SilverProduct, lostByField: Float64Array): string[] {
  const missing: string[] = [];
  for (let i = 0; i < lostByField.length; i++) {
    if (lostByField[i] >= LOST_EPSILON && isFieldAbsent(product, FIELD_ORDER[i])) missing.push(FIELD_ORDER[i]);
  }
  return missing;
}

let cached: { weights: Weights; bands: BandThresholds; scorer: Scorer } | undefined;

/** Scores one product; for many products with custom weights, `createScorer` once is cheaper. */
export function scoreProduct(
  product: SilverProduct,
  ctx: SilverContext,
  weights: Weights = DEFAULT_WEIGHTS,
  bands: BandThresholds = DEFAULT_BANDS,
): GoldSuccess {
  if (cached === undefined || cached.weights !== weights || cached.bands !== bands) {
    cached = { weights, bands, scorer: createScorer(weights, bands) };
  }
  return cached.scorer(product, ctx);
}

/** The result of a product that could not be scored; it never stops the batch. */
export function errorResult(productId: string, message: string): GoldError {
  return { productId, status: 'error', error: message };
}
