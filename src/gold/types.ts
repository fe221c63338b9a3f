import type { SilverContext, SilverProduct } from '../silver/product.js';
import type { CategoryClass } from './category-class.js';
import type { ChannelName, ChannelProfile } from './channels.js';

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

/** What the rules know of a product beyond its record: the channel and the product's classes. */
export interface RuleEnv {
  channel: ChannelProfile;
  classes: readonly CategoryClass[];
  /** The store's country (ISO 3166-1 alpha-2), when known. */
  country?: string;
}

/** What one check concluded. `won` is between 0 and the check's points; partial points are allowed. */
export interface CheckOutcome {
  won: number;
  reason: string;
  /** Stable reason code of the points lost (`title.too_short`); absent when nothing is lost. */
  code?: string;
  /** The field the loss belongs to when it only follows from another field's problem. */
  field?: string;
  /** The points were given without a network check (offline image URL). */
  unchecked?: boolean;
  /** The check does not apply to this product: it counts neither as won nor as lost. */
  skipped?: boolean;
}

/** Which products and channels a check applies to; absent parts mean all. */
export interface CheckScope {
  channels?: readonly ChannelName[];
  classes?: readonly CategoryClass[];
  exceptClasses?: readonly CategoryClass[];
}

export interface Check {
  id: string;
  stage: Stage;
  /** The product field to fix when the check loses points. */
  field: string;
  /** Points at the default weights; other weights rescale them per stage. */
  points: number;
  /** What the check rewards, for the rubric table of docs/rubric.md. */
  label: string;
  scope?: CheckScope;
  run(product: SilverProduct, ctx: SilverContext, env: RuleEnv): CheckOutcome;
}

export interface CheckResult {
  id: string;
  stage: Stage;
  field: string;
  points: number;
  won: number;
  reason: string;
  code?: string;
  unchecked?: boolean;
  /** Not counted for this product (another channel's or category's check). */
  skipped?: boolean;
}

export interface Gap {
  field: string;
  pointsLost: number;
  /** Reason codes of the points lost on the field, most points first. */
  reasons: string[];
}

/** Something that keeps a product out of the channel. */
export interface Blocker {
  code: string;
  field: string;
  /** The channel's attribute name. */
  attribute: string;
  message: string;
}

export interface GoldSuccess {
  productId: string;
  status: 'success';
  score: number;
  band: Band;
  stages: Weights;
  gaps: Gap[];
  missingFields: string[];
  /** Ready for the channel it was scored for: no blockers. */
  feedReady: boolean;
  channel: ChannelName;
  categoryClasses: CategoryClass[];
  blockers: Blocker[];
  /** The blocker whose presence capped the score, when the cap lowered it. */
  cappedBy: string | null;
  /** Points lost per reason code, for the catalog's top reasons. */
  lostByReason: Record<string, number>;
  checks: CheckResult[];
}

export interface GoldError {
  productId: string;
  status: 'error';
  error: string;
}

export type GoldResult = GoldSuccess | GoldError;
