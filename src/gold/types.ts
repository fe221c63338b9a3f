import type { SilverContext, SilverProduct } from '../silver/product.js';

export const STAGES = ['identity', 'taxonomy', 'content', 'media', 'pricing', 'attributes', 'seo'] as const;
export type Stage = (typeof STAGES)[number];
export type Weights = Record<Stage, number>;

export const BANDS = ['excellent', 'good', 'warning', 'poor'] as const;
export type Band = (typeof BANDS)[number];
/** Lowest score of each band; `poor` is everything below `warning`. */
export interface BandThresholds {
  excellent: number;
  good: number;
  warning: number;
}

/** What one check concluded. `won` is between 0 and the check's points; partial points are allowed. */
export interface CheckOutcome {
  won: number;
  reason: string;
  /** The points were given without a network check (offline image URL). */
  unchecked?: boolean;
}

export interface Check {
  id: string;
  stage: Stage;
  /** The product field to fix when the check loses points. */
  field: string;
  /** Points at the default weights; other weights rescale them per stage. */
  points: number;
  /** What the check rewards, for the README rubric table. */
  label: string;
  run(product: SilverProduct, ctx: SilverContext): CheckOutcome;
}

export interface CheckResult {
  id: string;
  stage: Stage;
  field: string;
  points: number;
  won: number;
  reason: string;
  unchecked?: boolean;
}

export interface Gap {
  field: string;
  pointsLost: number;
}

export interface GoldSuccess {
  productId: string;
  status: 'success';
  score: number;
  band: Band;
  stages: Weights;
  gaps: Gap[];
  missingFields: string[];
  feedReady: boolean;
  checks: CheckResult[];
}

export interface GoldError {
  productId: string;
  status: 'error';
  error: string;
}

export type GoldResult = GoldSuccess | GoldError;
