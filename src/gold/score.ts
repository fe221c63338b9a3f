import type { SilverContext, SilverProduct } from '../silver/product.js';
import { bandOf, DEFAULT_BANDS, validateBands } from './bands.js';
import { categoryClassesOf } from './category-class.js';
import { channelProfile, DEFAULT_CHANNEL, requirementApplies, type ChannelName } from './channels.js';
import { feedBlockers } from './feed-ready.js';
import { isFieldAbsent } from './fields.js';
import { CHECKS, FIELD_ORDER } from './registry.js';
import { splitCents } from './split-cents.js';
import {
  STAGES,
  type BandThresholds,
  type Check,
  type CheckOutcome,
  type CheckResult,
  type CheckScope,
  type Gap,
  type GoldError,
  type GoldSuccess,
  type RuleEnv,
  type Weights,
} from './types.js';
import { DEFAULT_WEIGHTS, validateWeights } from './weights.js';

/** Under half a cent lost is float noise from rescaling, not a gap. */
const LOST_EPSILON = 0.005;

export type Scorer = (product: SilverProduct, ctx: SilverContext) => GoldSuccess;

export interface ScorerOptions {
  /**
   * false leaves `checks` empty. The per-check list is most of a result's size and of its JSON
   * cost; a bulk run can store the rest and explain one product again on `assay show`.
   */
  explain?: boolean;
  /** The channel whose rules decide feed readiness and which checks count (default google). */
  channel?: ChannelName;
  /** The store's country: some channel rules apply only in some countries. */
  country?: string;
  /** The highest score of a product the channel would refuse; 100 turns the cap off. Default: the top of warning. */
  blockedCap?: number;
}

interface CompiledCheck {
  check: Check;
  stageIndex: number;
  fieldIndex: number;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function applies(check: Check, env: RuleEnv): boolean {
  const scope = check.scope;
  if (scope === undefined) return true;
  if (scope.channels !== undefined && !scope.channels.includes(env.channel.name)) return false;
  return requirementApplies(scope, env.classes, undefined);
}

/** The default cap: the top of the warning band, so a refused product is never good or excellent. */
function defaultBlockedCap(bands: BandThresholds): number {
  return bands.good - 1;
}

/**
 * Compiles the rubric for one set of weights and bands, so scoring a product is a loop over
 * checks with no per-call setup. Weights and bands must be valid; the CLI validates them first.
 *
 * A check that does not apply to a product (another channel's, another category's) is not
 * counted: the stage's other checks share its weight, and a stage with no check left gives its
 * weight to the others, so the stage points still add up to the score. A product the channel
 * would refuse is capped at `blockedCap`, every stage scaled down alike.
 */
export function createScorer(weights: Weights = DEFAULT_WEIGHTS, bands: BandThresholds = DEFAULT_BANDS, options: ScorerOptions = {}): Scorer {
  const explain = options.explain !== false;
  const weightsCheck = validateWeights(weights);
  if (!weightsCheck.ok) throw new Error(`invalid weights: ${weightsCheck.errors.join('; ')}`);
  const bandsCheck = validateBands(bands);
  if (!bandsCheck.ok) throw new Error(`invalid bands: ${bandsCheck.errors.join('; ')}`);
  const stageWeights = STAGES.map((stage) => weightsCheck.weights[stage]);
  const compiled: CompiledCheck[] = CHECKS.map((check) => ({
    check,
    stageIndex: STAGES.indexOf(check.stage),
    fieldIndex: FIELD_ORDER.indexOf(check.field),
  }));
  const thresholds = bandsCheck.bands;
  const channel = channelProfile(options.channel ?? DEFAULT_CHANNEL);
  const cap = options.blockedCap ?? defaultBlockedCap(thresholds);
  // Above the bottom of warning a refused product's points are squeezed, not cut: two refused
  // products keep their order, and the better-kept one still scores higher.
  const knee = cap > thresholds.warning ? thresholds.warning : 0;
  const country = options.country;
  const stageSums = new Float64Array(STAGES.length);
  const stagePoints = new Float64Array(STAGES.length);
  const stageFactors = new Float64Array(STAGES.length);
  const lostByField = new Float64Array(FIELD_ORDER.length);
  const outcomes: (CheckOutcome | undefined)[] = new Array(compiled.length);
  // Per check: where its loss went, how much, and why; read back into gaps once the loop is done.
  const lostAt = new Int32Array(compiled.length);
  const lostPoints = new Float64Array(compiled.length);
  const lostCodes: string[] = new Array(compiled.length).fill('');
  const foldedIndex = new Map(FIELD_ORDER.map((field, index) => [field, index]));

  return (product, ctx) => {
    const classes = categoryClassesOf(product);
    const env: RuleEnv = country === undefined ? { channel, classes } : { channel, classes, country };
    stageSums.fill(0);
    stagePoints.fill(0);
    lostByField.fill(0);
    for (let i = 0; i < compiled.length; i++) {
      const { check, stageIndex } = compiled[i];
      const outcome = applies(check, env) ? check.run(product, ctx, env) : undefined;
      outcomes[i] = outcome?.skipped === true ? undefined : outcome;
      if (outcomes[i] !== undefined) stagePoints[stageIndex] += check.points;
    }
    let activeWeight = 0;
    for (let s = 0; s < STAGES.length; s++) if (stagePoints[s] > 0) activeWeight += stageWeights[s];
    const scale = activeWeight > 0 ? 100 / activeWeight : 0;
    for (let s = 0; s < STAGES.length; s++) stageFactors[s] = stagePoints[s] > 0 ? (stageWeights[s] / stagePoints[s]) * scale : 0;
    const checks: CheckResult[] = explain ? new Array(compiled.length) : [];
    lostAt.fill(-1);
    for (let i = 0; i < compiled.length; i++) {
      const { check, stageIndex, fieldIndex } = compiled[i];
      const outcome = outcomes[i];
      const factor = outcome === undefined ? 0 : stageFactors[stageIndex];
      const points = check.points * factor;
      const won = outcome === undefined ? 0 : Math.min(Math.max(outcome.won, 0), check.points) * factor;
      stageSums[stageIndex] += won;
      const lost = points - won;
      if (outcome !== undefined && lost >= LOST_EPSILON) {
        const at = outcome.field === undefined ? fieldIndex : foldedIndex.get(outcome.field)!;
        lostByField[at] += lost;
        lostAt[i] = at;
        lostPoints[i] = lost;
        lostCodes[i] = outcome.code ?? `${check.field}.incomplete`;
      }
      if (!explain) continue;
      const result: CheckResult =
        outcome === undefined
          ? { id: check.id, stage: check.stage, field: check.field, points: 0, won: 0, reason: skippedReason(check, env, product, ctx), skipped: true }
          : { id: check.id, stage: check.stage, field: check.field, points: round2(points), won: round2(won), reason: outcome.reason };
      if (outcome?.code !== undefined && lost >= LOST_EPSILON) result.code = outcome.code;
      if (outcome?.unchecked === true) result.unchecked = true;
      checks[i] = result;
    }
    const blockers = feedBlockers(product, ctx, env);
    let total = 0;
    for (let s = 0; s < STAGES.length; s++) total += stageSums[s];
    let cappedBy: string | null = null;
    const held = blockers.length > 0 ? blockedScore(total, cap, knee) : total;
    if (held < total) {
      const shrink = held / total;
      for (let s = 0; s < STAGES.length; s++) stageSums[s] *= shrink;
      // Every check keeps its share of the capped score, so the checks still add up to their stage.
      if (explain) {
        for (const result of checks) {
          result.won = round2(result.won * shrink);
          result.points = round2(result.points * shrink);
        }
      }
      cappedBy = blockers[0].code;
    }
    const { stages, totalCents } = splitCents(stageSums);
    const score = Math.min(100, Math.max(0, Math.round(totalCents / 100)));
    const lostByReason: Record<string, number> = {};
    for (let i = 0; i < compiled.length; i++) {
      if (lostAt[i] < 0) continue;
      const code = lostCodes[i];
      lostByReason[code] = (lostByReason[code] ?? 0) + lostPoints[i];
    }
    for (const code in lostByReason) lostByReason[code] = round2(lostByReason[code]);
    return {
      productId: product.id,
      status: 'success',
      score,
      band: bandOf(score, thresholds),
      stages,
      gaps: gapsOf(lostByField, lostAt, lostPoints, lostCodes),
      missingFields: missingOf(product, lostByField),
      feedReady: blockers.length === 0,
      channel: channel.name,
      categoryClasses: [...classes],
      blockers,
      cappedBy,
      lostByReason,
      checks,
    };
  };
}

/**
 * The score of a product the channel refuses: unchanged up to `knee`, then squeezed so that a
 * perfect 100 lands on `cap`. Never good or excellent, never above the same product listed.
 */
function blockedScore(total: number, cap: number, knee: number): number {
  if (cap >= 100 || total <= knee) return total;
  return knee + ((total - knee) * (cap - knee)) / (100 - knee);
}

/** Why a check was not counted, for `assay show`. */
function skippedReason(check: Check, env: RuleEnv, product: SilverProduct, ctx: SilverContext): string {
  if (applies(check, env)) return check.run(product, ctx, env).reason;
  const scope = check.scope!;
  if (scope.channels !== undefined && !scope.channels.includes(env.channel.name)) return `not counted: ${env.channel.label} does not ask for it`;
  const what = env.classes.length === 0 ? 'no category class' : env.classes.join(', ');
  return `not counted: applies to ${describeScope(scope)}; this product: ${what}`;
}

export function describeScope(scope: CheckScope): string {
  const parts: string[] = [];
  if (scope.classes !== undefined) parts.push(scope.classes.join(' or '));
  if (scope.exceptClasses !== undefined) parts.push(`all but ${scope.exceptClasses.join(', ')}`);
  return parts.length === 0 ? 'every product' : parts.join('; ');
}

/** The reason codes of the checks whose loss went to one field, most points first, each once. */
function reasonsOf(field: number, lostAt: Int32Array, lostPoints: Float64Array, lostCodes: string[]): string[] {
  const reasons: string[] = [];
  const points: number[] = [];
  for (let i = 0; i < lostAt.length; i++) {
    if (lostAt[i] !== field) continue;
    const seen = reasons.indexOf(lostCodes[i]);
    if (seen >= 0) points[seen] += lostPoints[i];
    else {
      reasons.push(lostCodes[i]);
      points.push(lostPoints[i]);
    }
  }
  if (reasons.length < 2) return reasons;
  const order = reasons.map((_, i) => i).sort((a, b) => points[b] - points[a]);
  return order.map((i) => reasons[i]);
}

function gapsOf(lostByField: Float64Array, lostAt: Int32Array, lostPoints: Float64Array, lostCodes: string[]): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 0; i < lostByField.length; i++) {
    if (lostByField[i] < LOST_EPSILON) continue;
    gaps.push({ field: FIELD_ORDER[i], pointsLost: round2(lostByField[i]), reasons: reasonsOf(i, lostAt, lostPoints, lostCodes) });
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
