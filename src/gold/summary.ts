import { FIELD_ORDER } from './registry.js';
import { STAGES, type Band, type GoldResult, type Weights } from './types.js';

export interface GapSummary {
  field: string;
  /** Scored products that lost points on the field. */
  count: number;
  /** `count` as a share of scored products, 0-1. */
  share: number;
  /** Points the average score would rise by if the field were fixed on every product. */
  avgGain: number;
  /** Why the field lost points, most costly first. */
  reasons: ReasonSummary[];
}

export interface ReasonSummary {
  code: string;
  count: number;
  avgGain: number;
}

export interface CatalogSummary {
  products: number;
  errors: number;
  avgScore: number;
  scoreDistribution: Record<Band, number>;
  stageAverages: Weights;
  topGaps: GapSummary[];
  feedReady: number;
  duplicates: number;
  brokenUrls: number;
}

/** Silver facts the Gold result does not carry; the caller passes them along with each result. */
export interface SummaryExtras {
  isDuplicate?: boolean;
  brokenUrls?: number;
}

export interface SummaryAccumulator {
  add(result: GoldResult, extras?: SummaryExtras): void;
  finish(): CatalogSummary;
}

const TOP_GAPS = 10;

interface GapTally {
  count: number;
  lost: number;
  reasons: Map<string, { count: number; lost: number }>;
}

const TOP_REASONS = 5;

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function fieldRank(field: string): number {
  const index = FIELD_ORDER.indexOf(field);
  return index < 0 ? FIELD_ORDER.length : index;
}

/**
 * Folds results one at a time, so a summary of a million products holds a few counters and one
 * tally per gap field, never the results themselves.
 */
export function createSummary(topGaps: number = TOP_GAPS): SummaryAccumulator {
  let products = 0;
  let errors = 0;
  let scoreSum = 0;
  let feedReady = 0;
  let duplicates = 0;
  let brokenUrls = 0;
  const distribution: Record<Band, number> = { excellent: 0, good: 0, warning: 0, poor: 0 };
  const stageSums = new Float64Array(STAGES.length);
  const gaps = new Map<string, GapTally>();

  function add(result: GoldResult, extras?: SummaryExtras): void {
    if (extras?.isDuplicate === true) duplicates++;
    if (extras?.brokenUrls !== undefined) brokenUrls += extras.brokenUrls;
    if (result.status === 'error') {
      errors++;
      return;
    }
    products++;
    scoreSum += result.score;
    distribution[result.band]++;
    if (result.feedReady) feedReady++;
    for (let i = 0; i < STAGES.length; i++) stageSums[i] += result.stages[STAGES[i]];
    for (const gap of result.gaps) {
      let tally = gaps.get(gap.field);
      if (tally === undefined) {
        tally = { count: 0, lost: 0, reasons: new Map() };
        gaps.set(gap.field, tally);
      }
      tally.count++;
      tally.lost += gap.pointsLost;
      for (const code of gap.reasons ?? []) {
        const lost = result.lostByReason?.[code] ?? 0;
        const reason = tally.reasons.get(code);
        if (reason === undefined) tally.reasons.set(code, { count: 1, lost });
        else {
          reason.count++;
          reason.lost += lost;
        }
      }
    }
  }

  function finish(): CatalogSummary {
    const per = products === 0 ? 0 : 1 / products;
    const stageAverages = {} as Weights;
    for (let i = 0; i < STAGES.length; i++) stageAverages[STAGES[i]] = round(stageSums[i] * per, 2);
    const ranked = [...gaps].map(([field, tally]) => ({
      field,
      count: tally.count,
      share: round(tally.count * per, 4),
      avgGain: round(tally.lost * per, 2),
      reasons: [...tally.reasons]
        .map(([code, reason]) => ({ code, count: reason.count, avgGain: round(reason.lost * per, 2) }))
        .sort((a, b) => b.avgGain - a.avgGain || b.count - a.count || (a.code < b.code ? -1 : 1))
        .slice(0, TOP_REASONS),
    }));
    ranked.sort((a, b) => b.avgGain - a.avgGain || b.count - a.count || fieldRank(a.field) - fieldRank(b.field));
    return {
      products,
      errors,
      avgScore: round(scoreSum * per, 1),
      scoreDistribution: { ...distribution },
      stageAverages,
      topGaps: ranked.slice(0, topGaps),
      feedReady,
      duplicates,
      brokenUrls,
    };
  }

  return { add, finish };
}
