import { runAnalyze, type AnalyzeRun } from '../app/analyze.js';
import type { BaselineOptions } from '../app/baseline.js';
import type { AssayEvent } from '../app/events.js';
import { runLoad, type LoadOptions } from '../app/load.js';
import { runNormalize, type NormalizeRun } from '../app/normalize.js';
import { UserError } from '../errors.js';
import { DEFAULT_BANDS, validateBands } from '../gold/bands.js';
import type { ChannelName } from '../gold/channels.js';
import type { Gates } from '../gold/gates.js';
import type { CatalogSummary } from '../gold/summary.js';
import type { BandThresholds, Weights } from '../gold/types.js';
import { DEFAULT_WEIGHTS, validateWeights } from '../gold/weights.js';
import type { LoadSummary } from '../ingest/load.js';
import { summarizeCatalog } from '../jobs/analyze.js';
import type { AnalyzeJobOptions, NormalizeJobOptions } from '../jobs/options.js';
import { productRecord } from '../report/products.js';
import type { ProductRecord } from '../report/schemas.js';
import { openCatalog as openDb, type Db } from '../store/catalog.js';
import { catalogErrorFrom } from '../store/errors.js';
import type { JobScope } from '../store/jobs.js';
import { queryProducts, type ProductFilters } from '../store/products.js';

/** Which products a stage runs on: all of them, those whose lower layer changed since their last run, or a list of ids. */
export type Scope = 'all' | 'stale' | { ids: string[] };

/** How a call reports and stops: events as it goes, an AbortSignal to stop after the current batch. */
export interface RunControl {
  onProgress?: (event: AssayEvent) => void;
  signal?: AbortSignal;
  /** Wait for a job another process runs on the catalog, instead of failing with `catalog_busy`. */
  wait?: boolean;
}

export interface NormalizeOptions extends RunControl, Partial<Omit<NormalizeJobOptions, 'ttlMs'>> {
  /** Reuse cached URL results younger than this (default 24). */
  urlTtlHours?: number;
}

export interface AnalyzeOptions extends RunControl, BaselineOptions {
  /** Stage weights (default: the rubric's); they must add up to 100. */
  weights?: Weights;
  bands?: BandThresholds;
  channel?: ChannelName;
  country?: string;
  blockedCap?: number;
  gates?: Gates;
}

export interface Catalog {
  /** The catalog file. */
  readonly path: string;
  load(files: string | string[], options?: LoadOptions): Promise<LoadSummary>;
  normalize(scope: Scope, options?: NormalizeOptions): Promise<NormalizeRun>;
  analyze(scope: Scope, options?: AnalyzeOptions): Promise<AnalyzeRun>;
  /** Products matching the filters, as `assay products --json` lists them. */
  products(filters?: ProductFilters): ProductRecord[];
  /** The catalog summary over every scored product. */
  summary(): CatalogSummary;
  close(): void;
}

const HOUR_MS = 60 * 60 * 1000;

function jobScope(scope: Scope): JobScope {
  if (scope === 'all' || scope === 'stale') return { kind: scope };
  if (scope && Array.isArray(scope.ids)) return { kind: 'ids', ids: [...new Set(scope.ids)] };
  throw new UserError('scope_missing', `no scope: give 'all', 'stale' or { ids: [...] }`);
}

function normalizeJobOptions(options: NormalizeOptions): NormalizeJobOptions {
  const { onProgress: _p, signal: _s, wait: _w, urlTtlHours, ...job } = options;
  return {
    ...job,
    rules: job.rules ?? [],
    offline: Boolean(job.offline),
    urls: job.urls ?? {},
    ttlMs: (urlTtlHours ?? 24) * HOUR_MS,
    recheck: Boolean(job.recheck),
  };
}

function analyzeJobOptions(options: AnalyzeOptions): AnalyzeJobOptions {
  const weights = validateWeights(options.weights ?? DEFAULT_WEIGHTS);
  if (!weights.ok) throw new UserError('bad_weights', `weights: ${weights.errors.join('; ')}`);
  const bands = validateBands(options.bands ?? DEFAULT_BANDS);
  if (!bands.ok) throw new UserError('bad_bands', `bands: ${bands.errors.join('; ')}`);
  const job: AnalyzeJobOptions = { weights: weights.weights, bands: bands.bands, gates: options.gates ?? {} };
  if (options.channel !== undefined) job.channel = options.channel;
  if (options.country !== undefined) job.country = options.country.toUpperCase();
  if (options.blockedCap !== undefined) job.blockedCap = options.blockedCap;
  return job;
}

/**
 * Opens (creating it unless `mustExist`) the catalog file at `path`. Errors are `UserError`s
 * with a stable `code` and the exit code the CLI would end with; anything else is a bug.
 */
export function openCatalog(path: string, options: { mustExist?: boolean } = {}): Catalog {
  const db: Db = openDb(path, options);
  // Failures of the file itself (a full disk, a read-only folder) become user errors, as in the CLI.
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw catalogErrorFrom(error, path) ?? error;
    }
  };
  const guardAsync = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw catalogErrorFrom(error, path) ?? error;
    }
  };
  return {
    path,
    load: (files, options = {}) => guardAsync(() => runLoad(db, typeof files === 'string' ? [files] : files, options)),
    normalize: (scope, options = {}) => guardAsync(() => runNormalize(db, jobScope(scope), normalizeJobOptions(options), options)),
    analyze: (scope, options = {}) => guardAsync(() => runAnalyze(db, jobScope(scope), analyzeJobOptions(options), options, options)),
    products: (filters = {}) => guard(() => [...queryProducts(db, filters)].map(productRecord)),
    summary: () => guard(() => summarizeCatalog(db)),
    close: () => db.close(),
  };
}
