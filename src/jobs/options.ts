import type { ChannelName } from '../gold/channels.js';
import type { Gates } from '../gold/gates.js';
import type { BandThresholds, Weights } from '../gold/types.js';
import type { UserBrand } from '../silver/brands.js';
import type { CategoryRule } from '../silver/categories.js';
import type { MappingRule } from '../silver/mapping.js';
import type { UrlCheckOptions } from '../urls/index.js';

/** Everything a normalize job needs to run again identically on resume; stored with the job. */
export interface NormalizeJobOptions {
  preset?: string;
  /** The store's language, for title casing; absent: judged per title. */
  language?: string;
  rules: MappingRule[];
  brands?: { list: UserBrand[]; strict: boolean };
  categoryRules?: CategoryRule[];
  /** Pairs of product ids never linked as duplicates. */
  notDuplicates?: [string, string][];
  /** Also link by title similarity (off unless asked: within one source, near titles are variants). */
  similarTitles?: boolean;
  taxonomyFile?: string;
  offline: boolean;
  urls: Partial<UrlCheckOptions>;
  ttlMs: number;
  recheck: boolean;
  /** Store settings: a change makes silver stale. */
  store?: StoreSettings;
}

export interface StoreSettings {
  currency?: string;
  country?: string;
  language?: string;
  baseUrl?: string;
}

export interface AnalyzeJobOptions {
  weights: Weights;
  bands: BandThresholds;
  /** The channel feed readiness and channel-only checks follow (default google). */
  channel?: ChannelName;
  /** The store's country, for channel rules that apply in some countries only. */
  country?: string;
  /** The highest score of a product the channel would refuse (default: the top of warning). */
  blockedCap?: number;
  /** CI gates, evaluated over the job's products when it ends (also for detached and resumed runs). */
  gates?: Gates;
}
