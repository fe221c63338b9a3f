import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { AnalyzeJobOptions, NormalizeJobOptions, StoreSettings } from '../jobs/options.js';
import { CHANNELS, isChannelName } from '../gold/channels.js';
import { isHttpUrl, isValidCurrency } from '../gold/codes.js';
import { DEFAULT_BANDS } from '../gold/bands.js';
import { DEFAULT_WEIGHTS, parseWeights, validateWeights } from '../gold/weights.js';
import { STAGES } from '../gold/types.js';
import { validateBands } from '../gold/bands.js';
import type { MappingRule } from '../silver/mapping.js';
import type { Gates } from '../gold/gates.js';
import { checkBaselineOptions, type BaselineOptions } from '../app/baseline.js';
import { DEFAULT_IMAGE_SIZE, DEFAULT_URL_TTL_HOURS } from '../urls/types.js';
import type { CliContext } from './context.js';

const HOUR_MS = 60 * 60 * 1000;

export interface NormalizeFlags {
  mapping?: string;
  preset?: string;
  offline?: boolean;
  recheck?: boolean;
  urlTtl?: string;
  allowPrivateHosts?: boolean;
  concurrency?: string;
  perHost?: string;
  timeout?: string;
  imageSize?: boolean | string;
  storeCurrency?: string;
  storeCountry?: string;
  storeLanguage?: string;
  storeBaseUrl?: string;
  similarTitles?: boolean;
}

/** Store settings from flags over the config file; checked here, so a typo costs nothing. */
function storeSettings(flags: NormalizeFlags, cfg: Config): StoreSettings | undefined {
  const file = cfg.store ?? {};
  const currency = (flags.storeCurrency ?? file.currency)?.toUpperCase();
  if (currency !== undefined && !isValidCurrency(currency))
    throw new UserError('bad_flag', `store currency must be an ISO 4217 code such as USD, got '${currency}'`);
  const country = (flags.storeCountry ?? file.country)?.toUpperCase();
  if (country !== undefined && !/^[A-Z]{2}$/.test(country))
    throw new UserError('bad_flag', `store country must be a 2-letter ISO 3166 code such as US, got '${country}'`);
  const language = flags.storeLanguage ?? file.language;
  const baseUrl = flags.storeBaseUrl ?? file.baseUrl;
  if (baseUrl !== undefined && !isHttpUrl(baseUrl))
    throw new UserError('bad_flag', `store base URL must be an absolute http(s) address such as https://shop.example, got '${baseUrl}'`);
  const store: StoreSettings = {};
  if (currency !== undefined) store.currency = currency;
  if (country !== undefined) store.country = country;
  if (language !== undefined) store.language = language;
  if (baseUrl !== undefined) store.baseUrl = baseUrl;
  return Object.keys(store).length > 0 ? store : undefined;
}

export function readMappingFile(path: string): MappingRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('mapping_unreadable', `${path}: cannot read the mapping file: ${(error as Error).message}`);
  }
  const rules = Array.isArray(parsed) ? parsed : (parsed as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.some((r) => typeof r?.sourceField !== 'string' || typeof r?.targetField !== 'string')) {
    throw new UserError('mapping_invalid', `${path}: expected an array of {"sourceField", "targetField", "transform"?} rules, or {"rules": [...]}`);
  }
  return rules as MappingRule[];
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError('bad_flag', `${flag} takes a whole number above 0, got '${value}'`);
  return n;
}

/** A flag that takes a size or an amount above 0, fractions allowed. */
export function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError('bad_flag', `${flag} takes a number above 0, got '${value}'`);
  return n;
}

export function config(ctx: CliContext): Config {
  return loadConfig(ctx.configPath).config;
}

/** Flags over the config file over defaults, as the options a normalize job stores. */
export function normalizeOptions(flags: NormalizeFlags, cfg: Config): NormalizeJobOptions {
  const urls = cfg.urls ?? {};
  const ttlHours = flags.urlTtl !== undefined ? Number(flags.urlTtl) : (urls.ttlHours ?? DEFAULT_URL_TTL_HOURS);
  if (!Number.isFinite(ttlHours) || ttlHours < 0) throw new UserError('bad_flag', `--url-ttl takes hours (a number 0 or more), got '${flags.urlTtl}'`);
  const imageSize = flags.imageSize === undefined || flags.imageSize === false ? undefined : parseImageSize(flags.imageSize);
  const store = storeSettings(flags, cfg);
  return {
    preset: flags.preset ?? cfg.preset,
    ...(cfg.language ? { language: cfg.language } : {}),
    rules: flags.mapping ? readMappingFile(flags.mapping) : (cfg.mapping ?? []),
    brands: cfg.brands ? { list: cfg.brands.list.map((b) => (typeof b === 'string' ? { name: b } : b)), strict: cfg.brands.strict ?? false } : undefined,
    categoryRules: cfg.categories?.map,
    ...(cfg.notDuplicates?.length ? { notDuplicates: cfg.notDuplicates } : {}),
    ...((flags.similarTitles ?? cfg.similarTitles) ? { similarTitles: true } : {}),
    taxonomyFile: cfg.categories?.taxonomyFile,
    offline: Boolean(flags.offline ?? urls.offline),
    urls: {
      concurrency: positiveInt(flags.concurrency, '--concurrency') ?? urls.concurrency,
      perHost: positiveInt(flags.perHost, '--per-host') ?? urls.perHost,
      timeoutMs: positiveInt(flags.timeout, '--timeout') ?? urls.timeoutMs,
      retries: urls.retries,
      allowPrivateHosts: Boolean(flags.allowPrivateHosts ?? urls.allowPrivateHosts),
      ...(imageSize ? { imageSize } : {}),
    },
    ttlMs: ttlHours * HOUR_MS,
    recheck: Boolean(flags.recheck),
    ...(store ? { store } : {}),
  };
}

function parseImageSize(value: true | string): { minWidth: number; minHeight: number } {
  if (value === true) return { ...DEFAULT_IMAGE_SIZE };
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (!match) throw new UserError('bad_flag', `--image-size takes WIDTHxHEIGHT such as 500x500, got '${value}'`);
  return { minWidth: Number(match[1]), minHeight: Number(match[2]) };
}

/** Weights and bands from --weights, else the config file, else the defaults; invalid ones exit 2. */
export function analyzeOptions(flags: { weights?: string; channel?: string; storeCountry?: string }, cfg: Config): AnalyzeJobOptions {
  const result = flags.weights !== undefined ? parseWeights(flags.weights) : validateWeights(cfg.weights ?? DEFAULT_WEIGHTS);
  if (!result.ok)
    throw new UserError(
      'bad_weights',
      `${flags.weights !== undefined ? '--weights' : 'config weights'}: ${result.errors.join('; ')} (stages: ${STAGES.join(', ')})`,
    );
  const bands = validateBands(cfg.bands ?? DEFAULT_BANDS);
  if (!bands.ok) throw new UserError('bad_bands', `config bands: ${bands.errors.join('; ')}`);
  const options: AnalyzeJobOptions = { weights: result.weights, bands: bands.bands };
  const channel = flags.channel ?? cfg.channel;
  if (channel !== undefined) {
    if (!isChannelName(channel)) throw new UserError('bad_flag', `--channel takes ${CHANNELS.join(', ')}, got '${channel}'`);
    options.channel = channel;
  }
  const country = (flags.storeCountry ?? cfg.store?.country)?.toUpperCase();
  if (country !== undefined) options.country = country;
  if (cfg.gold?.blockedCap !== undefined) options.blockedCap = cfg.gold.blockedCap;
  return options;
}

export interface GateFlags {
  minScore?: string;
  minAvg?: string;
  maxPoor?: string;
  requireFeedReady?: boolean;
  allowEmpty?: boolean;
}

/** A flag that takes a score (or points) from 0 to 100. */
function score(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UserError('bad_flag', `${flag} takes a score from 0 to 100, got '${value}'`);
  return n;
}

/** Gate flags over the config file's default gates. */
export function gatesFrom(flags: GateFlags, cfg: Config): Gates {
  const maxPoor = flags.maxPoor === undefined ? cfg.gates?.maxPoor : Number(flags.maxPoor);
  if (maxPoor !== undefined && (!Number.isInteger(maxPoor) || maxPoor < 0))
    throw new UserError('bad_flag', `--max-poor takes a whole number 0 or more, got '${flags.maxPoor}'`);
  return {
    minScore: score(flags.minScore, '--min-score') ?? cfg.gates?.minScore,
    minAvg: score(flags.minAvg, '--min-avg') ?? cfg.gates?.minAvg,
    maxPoor,
    requireFeedReady: flags.requireFeedReady ?? cfg.gates?.requireFeedReady,
    allowEmpty: flags.allowEmpty ?? cfg.gates?.allowEmpty,
  };
}

export interface BaselineFlags {
  baseline?: string;
  maxAvgDrop?: string;
  maxProductDrop?: string;
  /** Commander's negatable flag: false when --no-new-failures is given. */
  newFailures?: boolean;
}

/** The comparison with an earlier run the flags ask for; the regression gates need --baseline. */
export function baselineOptions(flags: BaselineFlags): BaselineOptions {
  const options: BaselineOptions = {
    baseline: flags.baseline,
    maxAvgDrop: score(flags.maxAvgDrop, '--max-avg-drop'),
    maxProductDrop: score(flags.maxProductDrop, '--max-product-drop'),
    noNewFailures: flags.newFailures === false,
  };
  checkBaselineOptions(options);
  return options;
}
