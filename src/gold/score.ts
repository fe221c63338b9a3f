import type { SilverContext, SilverProduct } from '../silver/product.js';
import { bandOf, DEFAULT_BANDS, validateBands } from './bands.js';
import { CATEGORY_CLASSES, categoryClassesOf, classBits, type CategoryClass } from './category-class.js';
import { channelProfile, DEFAULT_CHANNEL, requirementApplies, type ChannelName } from './channels.js';
import { blockerTestsFor, findBlockers, type BlockerTests } from './feed-ready.js';
import { addLoss, createLosses, gapsOf, LOST_EPSILON, lostByReasonOf, missingOf } from './losses.js';
import { CHECKS, FIELD_ORDER } from './registry.js';
import { splitCents, stagesFromCents } from './split-cents.js';
import {
  STAGES,
  type BandThresholds,
  type Check,
  type CheckOutcome,
  type CheckResult,
  type CheckScope,
  type GoldError,
  type GoldSuccess,
  type RuleEnv,
  type Weights,
} from './types.js';
import { DEFAULT_WEIGHTS, validateWeights } from './weights.js';

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

/** What the rules make of one set of category classes, worked out once per set: there are 32 at most. */
interface ClassPlan {
  env: RuleEnv;
  /** 1 where a check's scope takes products of these classes. */
  counts: Uint8Array;
  blockerTests: BlockerTests;
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
  const checkCount = CHECKS.length;
  const runs = CHECKS.map((check) => check.run);
  const stageOf = Int32Array.from(CHECKS, (check) => STAGES.indexOf(check.stage));
  const fieldOf = Int32Array.from(CHECKS, (check) => FIELD_ORDER.indexOf(check.field));
  const pointsOf = Float64Array.from(CHECKS, (check) => check.points);
  const incompleteCodes = CHECKS.map((check) => `${check.field}.incomplete`);
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
  const stageCents = new Float64Array(STAGES.length);
  const lostByField = new Float64Array(FIELD_ORDER.length);
  const outcomes: (CheckOutcome | undefined)[] = new Array(checkCount).fill(undefined);
  const losses = createLosses(checkCount);
  const foldedIndex = new Map(FIELD_ORDER.map((field, index) => [field, index]));

  const envOf = (classes: readonly CategoryClass[]): RuleEnv => (country === undefined ? { channel, classes } : { channel, classes, country });
  const plans: (ClassPlan | undefined)[] = new Array(1 << CATEGORY_CLASSES.length).fill(undefined);
  const planFor = (classes: readonly CategoryClass[]): ClassPlan => {
    const bits = classBits(classes);
    let plan = plans[bits];
    if (plan === undefined) {
      const env = envOf(classes);
      const counts = Uint8Array.from(CHECKS, (check) => (applies(check, env) ? 1 : 0));
      plan = { env, counts, blockerTests: blockerTestsFor(channel, classes, country) };
      plans[bits] = plan;
    }
    return plan;
  };

  return (product, ctx) => {
    const classes = categoryClassesOf(product);
    const plan = planFor(classes);
    const { counts, blockerTests } = plan;
    // Explanations name the product's classes as it has them; the plan's are the same set.
    const env = explain && plan.env.classes !== classes ? envOf(classes) : plan.env;
    stagePoints.fill(0);
    for (let i = 0; i < checkCount; i++) {
      let outcome: CheckOutcome | undefined;
      if (counts[i] === 1) {
        outcome = runs[i](product, ctx, env);
        if (outcome.skipped === true) outcome = undefined;
        else stagePoints[stageOf[i]] += pointsOf[i];
      }
      outcomes[i] = outcome;
    }
    let activeWeight = 0;
    for (let s = 0; s < STAGES.length; s++) if (stagePoints[s] > 0) activeWeight += stageWeights[s];
    const scale = activeWeight > 0 ? 100 / activeWeight : 0;
    for (let s = 0; s < STAGES.length; s++) stageFactors[s] = stagePoints[s] > 0 ? (stageWeights[s] / stagePoints[s]) * scale : 0;
    const checks: CheckResult[] = explain ? new Array(checkCount) : [];
    stageSums.fill(0);
    lostByField.fill(0);
    losses.count = 0;
    for (let i = 0; i < checkCount; i++) {
      const outcome = outcomes[i];
      if (outcome === undefined) {
        // Not counted: nothing won or lost, and only an explanation to give.
        if (explain) checks[i] = skippedResult(CHECKS[i], env, product, ctx);
        continue;
      }
      const stage = stageOf[i];
      const factor = stageFactors[stage];
      const points = pointsOf[i] * factor;
      const won = Math.min(Math.max(outcome.won, 0), pointsOf[i]) * factor;
      stageSums[stage] += won;
      const lost = points - won;
      if (lost >= LOST_EPSILON) {
        const at = outcome.field === undefined ? fieldOf[i] : foldedIndex.get(outcome.field)!;
        lostByField[at] += lost;
        addLoss(losses, at, lost, outcome.code ?? incompleteCodes[i]);
      }
      if (explain) checks[i] = checkResult(CHECKS[i], outcome, points, won, lost);
    }
    const blockers = findBlockers(blockerTests, product, ctx);
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
    const totalCents = splitCents(stageSums, stageCents);
    const score = Math.min(100, Math.max(0, Math.round(totalCents / 100)));
    return {
      productId: product.id,
      status: 'success',
      score,
      band: bandOf(score, thresholds),
      stages: stagesFromCents(stageCents),
      gaps: gapsOf(losses, lostByField),
      missingFields: missingOf(product, lostByField),
      feedReady: blockers.length === 0,
      channel: channel.name,
      categoryClasses: [...classes],
      blockers,
      cappedBy,
      lostByReason: lostByReasonOf(losses),
      checks,
    };
  };
}

function checkResult(check: Check, outcome: CheckOutcome, points: number, won: number, lost: number): CheckResult {
  const result: CheckResult = { id: check.id, stage: check.stage, field: check.field, points: round2(points), won: round2(won), reason: outcome.reason };
  if (outcome.code !== undefined && lost >= LOST_EPSILON) result.code = outcome.code;
  if (outcome.unchecked === true) result.unchecked = true;
  return result;
}

function skippedResult(check: Check, env: RuleEnv, product: SilverProduct, ctx: SilverContext): CheckResult {
  return { id: check.id, stage: check.stage, field: check.field, points: 0, won: 0, reason: skippedReason(check, env, product, ctx), skipped: true };
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
