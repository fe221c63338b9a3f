import type { CatalogSummary } from './summary.js';
import type { GoldResult } from './types.js';
import { createWorstList, type WorstList } from './worst-list.js';

/** CI gates of `analyze` and `run` (see docs/commands.md#assay-analyze); unset gates are not evaluated. */
export interface Gates {
  minScore?: number;
  minAvg?: number;
  maxPoor?: number;
  requireFeedReady?: boolean;
  /** Let gates pass over a scope with no scored product (by default they fail: nothing was shown to pass). */
  allowEmpty?: boolean;
}

export type GateName = 'min-score' | 'min-avg' | 'max-poor' | 'require-feed-ready' | 'max-avg-drop' | 'max-product-drop' | 'no-new-failures';

export interface GateOutcome {
  name: GateName;
  passed: boolean;
  threshold: number | boolean;
  /** Lowest score, average score, poor count or not-feed-ready count; null when nothing was scored. */
  measured: number | null;
  message: string;
  /** The first few products at fault, worst first where there is a score to rank by. */
  offenders: string[];
  offenderCount: number;
}

export interface GateReport {
  passed: boolean;
  gates: GateOutcome[];
}

export interface GateOffenders {
  ids: string[];
  count: number;
}

/** What evaluating the gates needs beyond the summary, gathered while results stream past. */
export interface GateTally {
  belowMinScore: GateOffenders;
  poor: GateOffenders;
  notFeedReady: GateOffenders;
  lowestScore: number | null;
  unscored: number;
  /** Sum and count of the scores, for an average that is not rounded before it is compared. */
  scoreSum: number;
  scored: number;
}

const MAX_OFFENDERS = 10;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function decimal(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "2 products below --min-score 70 (lowest 12) and 1 not scored"; a product not scored cannot pass. */
function offending(scored: number, unscored: number, what: string, flag: string): string {
  if (scored === 0) return `${plural(unscored, 'product', 'products')} not scored, so ${flag} cannot be met`;
  const rest = unscored > 0 ? ` and ${unscored} not scored` : '';
  return `${plural(scored, 'product', 'products')} ${what}${rest}`;
}

function listed(list: WorstList): GateOffenders {
  return { ids: list.ids(), count: list.count };
}

/** Pure: the verdict of each set gate, from the catalog summary and the tallied offenders. */
function evaluateGates(gates: Gates, summary: CatalogSummary, tally: GateTally): GateReport {
  const outcomes: GateOutcome[] = [];
  if (tally.scored === 0 && gates.allowEmpty !== true) {
    const why = tally.unscored > 0 ? `none of the ${plural(tally.unscored, 'product', 'products')} in scope was scored` : 'no product in scope was scored';
    const fail = (name: GateName, flag: string, threshold: number | boolean) =>
      outcomes.push(
        gate(name, false, threshold, null, `${why}, so ${flag} cannot be met (--allow-empty lets an empty scope pass)`, tally.notFeedReady.ids, tally.unscored),
      );
    if (gates.minScore !== undefined) fail('min-score', `--min-score ${gates.minScore}`, gates.minScore);
    if (gates.minAvg !== undefined) fail('min-avg', `--min-avg ${gates.minAvg}`, gates.minAvg);
    if (gates.maxPoor !== undefined) fail('max-poor', `--max-poor ${gates.maxPoor}`, gates.maxPoor);
    if (gates.requireFeedReady === true) fail('require-feed-ready', '--require-feed-ready', true);
    return { passed: outcomes.length === 0, gates: outcomes };
  }
  if (gates.minScore !== undefined) {
    const { ids, count } = tally.belowMinScore;
    const lowest = tally.lowestScore === null ? '' : ` (lowest ${tally.lowestScore})`;
    const message =
      count === 0
        ? `every product scores at least --min-score ${gates.minScore}${lowest}`
        : offending(count - tally.unscored, tally.unscored, `below --min-score ${gates.minScore}${lowest}`, `--min-score ${gates.minScore}`);
    outcomes.push(gate('min-score', count === 0, gates.minScore, tally.lowestScore, message, ids, count));
  }
  if (gates.minAvg !== undefined) {
    // The summary shows the average to one decimal; the gate compares the exact one (84.25 does not meet 84.3).
    const exact = tally.scored === 0 ? 0 : tally.scoreSum / tally.scored;
    const avg = Math.round(exact * 100) / 100;
    const passed = tally.scored === 0 ? gates.allowEmpty === true : exact >= gates.minAvg;
    const message =
      tally.scored === 0
        ? `no scored products to average for --min-avg ${gates.minAvg}`
        : passed
          ? `average score ${avg} meets --min-avg ${gates.minAvg}`
          : `average score ${avg} is ${decimal(gates.minAvg - avg)} below --min-avg ${gates.minAvg}`;
    outcomes.push(gate('min-avg', passed, gates.minAvg, tally.scored === 0 ? null : avg, message, [], 0));
  }
  if (gates.maxPoor !== undefined) {
    const poor = summary.scoreDistribution.poor;
    const passed = poor <= gates.maxPoor;
    const counted = plural(poor, 'poor product', 'poor products');
    const message = passed ? `${counted}, within --max-poor ${gates.maxPoor}` : `${counted}, ${poor - gates.maxPoor} over --max-poor ${gates.maxPoor}`;
    // Within the allowance no product is at fault: no offenders, and none counted.
    outcomes.push(gate('max-poor', passed, gates.maxPoor, poor, message, passed ? [] : tally.poor.ids, passed ? 0 : poor));
  }
  if (gates.requireFeedReady === true) {
    const { ids, count } = tally.notFeedReady;
    const message =
      count === 0
        ? 'every product is feed-ready'
        : offending(count - tally.unscored, tally.unscored, 'not feed-ready (--require-feed-ready)', '--require-feed-ready');
    outcomes.push(gate('require-feed-ready', count === 0, true, count, message, ids, count));
  }
  return { passed: outcomes.every((outcome) => outcome.passed), gates: outcomes };
}

function gate(
  name: GateName,
  passed: boolean,
  threshold: number | boolean,
  measured: number | null,
  message: string,
  offenders: string[],
  offenderCount: number,
): GateOutcome {
  return { name, passed, threshold, measured, message, offenders, offenderCount };
}

export interface GateTracker {
  add(result: GoldResult): void;
  finish(summary: CatalogSummary): GateReport;
}

/**
 * Streams results past the gates and keeps only counts and the few worst offenders. A product
 * that could not be scored cannot be shown to meet --min-score or be feed-ready, so it offends both.
 */
export function createGateTracker(gates: Gates, maxOffenders: number = MAX_OFFENDERS): GateTracker {
  const belowMinScore = createWorstList(maxOffenders);
  const poor = createWorstList(maxOffenders);
  const notFeedReady = createWorstList(maxOffenders);
  let lowestScore: number | null = null;
  let unscored = 0;
  let scoreSum = 0;
  let scored = 0;

  function add(result: GoldResult): void {
    if (result.status === 'error') {
      unscored++;
      belowMinScore.add(result.productId, -1);
      notFeedReady.add(result.productId, -1);
      return;
    }
    const { productId, score } = result;
    scoreSum += score;
    scored++;
    if (lowestScore === null || score < lowestScore) lowestScore = score;
    if (gates.minScore !== undefined && score < gates.minScore) belowMinScore.add(productId, score);
    if (result.band === 'poor') poor.add(productId, score);
    if (!result.feedReady) notFeedReady.add(productId, score);
  }

  function finish(summary: CatalogSummary): GateReport {
    const tally: GateTally = {
      belowMinScore: listed(belowMinScore),
      poor: listed(poor),
      notFeedReady: listed(notFeedReady),
      lowestScore,
      unscored,
      scoreSum,
      scored,
    };
    return evaluateGates(gates, summary, tally);
  }

  return { add, finish };
}
