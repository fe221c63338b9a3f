// The pure half of the batch stages: parsing stored records, standardizing them and scoring
// them. Each task is built once from plain data (so a worker thread can build it from what
// it is sent) and then maps a batch to plain data; the catalog is read and written elsewhere.
import { createHash } from 'node:crypto';
import { createScorer, errorResult } from '../gold/score.js';
import type { BandThresholds, GoldResult, Weights } from '../gold/types.js';
import type { ChannelName } from '../gold/channels.js';
import { assembleSilver, imageUrlsOf, type UrlVerdict } from '../silver/assemble.js';
import { brandKey, createBrandLinker } from '../silver/brands.js';
import { createCategoryMap, linkCategory, type CategoryMap } from '../silver/categories.js';
import { lookupTaxonomyPath } from '../silver/taxonomy.js';
import { DUPLICATE_RULES_VERSION, duplicateKeys, type DuplicateReason } from '../silver/duplicates.js';
import { resolveMapping, type ResolvedMapping } from '../silver/mapping.js';
import { normalizeRecord, type NormalizedRecord } from '../silver/normalize-record.js';
import type { SilverContext, SilverProduct } from '../silver/product.js';
import { parseTaxonomy, type Taxonomy } from '../silver/taxonomy.js';
import type { AnalyzeInput, GoldRow } from '../store/gold.js';
import type { BronzeRow, KeyRow, SilverRow } from '../store/silver.js';
import type { NormalizeJobOptions } from './options.js';
import { readTaxonomyFile } from './taxonomy-file.js';

export const NOT_IN_SILVER = 'not in silver stage: run normalize first';

export interface NormalizeSettings {
  preset?: string;
  language?: string;
  rules: NormalizeJobOptions['rules'];
  brands?: NormalizeJobOptions['brands'];
  categoryMap?: CategoryMap;
  taxonomy?: Taxonomy;
  /** The taxonomy file as read ('' without one). */
  taxonomyText: string;
  store?: NormalizeJobOptions['store'];
  /** Pairs of ids never linked, each as `notDuplicatePair` gives it. */
  notDuplicates: Set<string>;
  similarTitles: boolean;
  /** Fingerprint of everything above: a change makes every product stale for --stale. */
  configHash: string;
}

function settingsHash(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/**
 * The settings hash a silver row keeps. Silver made --offline has its image URLs unchecked: a run
 * that checks URLs finds it stale, while an offline run takes silver made either way as current.
 */
export function silverConfigHash(configHash: string, offline: boolean): string {
  return offline ? `${configHash}~offline` : configHash;
}

/**
 * The settings a normalize job runs with. `taxonomyText` is the taxonomy file as already read:
 * worker tasks are handed it, so that a run reads the file once.
 */
export function normalizeSettings(
  options: NormalizeJobOptions,
  taxonomyText = options.taxonomyFile ? readTaxonomyFile(options.taxonomyFile) : '',
): NormalizeSettings {
  const taxonomy = options.taxonomyFile ? parseTaxonomy(taxonomyText) : undefined;
  return {
    preset: options.preset,
    language: options.language,
    rules: options.rules,
    brands: options.brands,
    categoryMap: options.categoryRules ? createCategoryMap(options.categoryRules) : undefined,
    taxonomy,
    taxonomyText,
    store: options.store,
    notDuplicates: new Set((options.notDuplicates ?? []).map(([a, b]) => notDuplicatePair(a, b))),
    similarTitles: options.similarTitles === true,
    configHash: settingsHash([
      options.preset,
      options.rules,
      options.brands,
      options.categoryRules,
      taxonomyText.length,
      settingsHash(taxonomyText),
      // Keys and links computed by an older rule set are stale: a catalog gets the new ones on its next run.
      DUPLICATE_RULES_VERSION,
      // Each only when set, so catalogs normalized before it existed keep their settings hash.
      ...(options.notDuplicates?.length ? [options.notDuplicates] : []),
      ...(options.store ? [options.store] : []),
      ...(options.language ? [options.language] : []),
      ...(options.similarTitles ? ['similar-titles'] : []),
    ]),
  };
}

/** A pair of ids in either order, as the set of overruled links holds it. */
export function notDuplicatePair(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Resolves a mapping once per distinct header and reuses it for every row with that header. */
function mappingCache(settings: NormalizeSettings) {
  const cache = new Map<string, ResolvedMapping>();
  // Rows of one file come in a run with one header: checking it against the last costs no allocation.
  let lastColumns: string[] = [];
  let lastMapping: ResolvedMapping | undefined;
  return {
    /** Rows whose header matched a preset, by preset, since the last `takePresets`. */
    presets: new Map<string, number>(),
    get(fields: Record<string, string>): ResolvedMapping {
      let mapping = lastMapping !== undefined && hasColumns(fields, lastColumns) ? lastMapping : undefined;
      if (!mapping) {
        const columns = Object.keys(fields);
        const key = columns.join('\u0001');
        mapping = cache.get(key);
        if (!mapping) {
          mapping = resolveMapping(columns, { preset: settings.preset, rules: settings.rules });
          cache.set(key, mapping);
        }
        lastColumns = columns;
        lastMapping = mapping;
      }
      if (mapping.preset && !settings.preset) this.presets.set(mapping.preset, (this.presets.get(mapping.preset) ?? 0) + 1);
      return mapping;
    },
    takePresets(): [string, number][] {
      const taken = [...this.presets];
      this.presets.clear();
      return taken;
    },
  };
}

/** Whether a record's columns are these, in this order. */
function hasColumns(fields: Record<string, string>, columns: readonly string[]): boolean {
  let i = 0;
  for (const column in fields) if (column !== columns[i++]) return false;
  return i === columns.length;
}

/** The duplicate keys and brand spelling of each product, for the duplicate index. */
function createKeyTask(init: { options: NormalizeJobOptions; taxonomyText: string }) {
  const settings = normalizeSettings(init.options, init.taxonomyText);
  const mappings = mappingCache(settings);
  return (rows: BronzeRow[]): KeyRow[] =>
    rows.map((row) => {
      const fields = JSON.parse(row.bronze) as Record<string, string>;
      const { product } = normalizeRecord(fields, mappings.get(fields), { identityOnly: true, language: settings.language });
      const key = product.brand ? brandKey(product.brand) : '';
      return { seq: row.seq, bronzeHash: row.bronzeHash, brand: product.brand ?? null, brandKey: key || null, keys: duplicateKeys(product, key) };
    });
}

/** A product's duplicate link as the task assembles it: the product linked to, why, and the shared value. */
export interface DuplicateLink {
  id: string;
  reason: DuplicateReason;
  value: string;
}

/**
 * What the main thread needs of a drafted product: its image URLs to check, and its duplicate
 * keys when the task was asked for them (the index holds the others already).
 */
export interface DraftFacts {
  seq: number;
  id: string;
  keys?: string[];
  urls: string[];
}

export type NormalizeTaskInput =
  /** `unindexed`: the products whose current keys the duplicate index lacks, whose keys the task computes. */
  | { kind: 'draft'; batch: number; rows: BronzeRow[]; unindexed: number[] }
  | { kind: 'assemble'; batch: number; links: [number, DuplicateLink][]; verdicts: [string, UrlVerdict][] };

export type NormalizeTaskOutput = { products: DraftFacts[]; presets: [string, number][] } | { rows: SilverRow[]; errors: number };

interface Draft {
  row: BronzeRow;
  /** The cleaned source spelling of the brand, before linking: duplicate keys use its key, as the index does. */
  spelling?: string;
  normalized: NormalizedRecord;
  error?: string;
  brandLinked: boolean;
}

/**
 * Silver in two steps per batch. `draft` standardizes each record and links its brand and
 * category, keeping the drafts; `assemble`, once the caller has found the batch's duplicates
 * and URL verdicts, builds the silver rows to write and forgets the drafts.
 */
function createNormalizeTask(init: { options: NormalizeJobOptions; spellings: [string, number][]; taxonomyText: string }) {
  const settings = normalizeSettings(init.options, init.taxonomyText);
  const linker = createBrandLinker({ userBrands: settings.brands?.list, strict: settings.brands?.strict, spellingCounts: init.spellings });
  const mappings = mappingCache(settings);
  const drafts = new Map<number, Draft[]>();

  function draft(rows: BronzeRow[]): Draft[] {
    return rows.map((row) => {
      const fields = JSON.parse(row.bronze) as Record<string, string>;
      const normalized = normalizeRecord(fields, mappings.get(fields), { store: settings.store, language: settings.language });
      normalized.product.id = row.id;
      const spelling = normalized.product.brand;
      let error: string | undefined;
      let brandLinked = false;
      if (normalized.product.brand) {
        const link = linker.link(normalized.product.brand);
        if ('error' in link) error = link.error;
        else {
          normalized.product.brand = link.brand;
          brandLinked = link.linked;
        }
      }
      if (normalized.product.categoryPath) {
        const link = linkCategory(normalized.product.categoryPath, { map: settings.categoryMap, taxonomy: settings.taxonomy });
        normalized.product.categoryPath = link.categoryPath;
        if (link.taxonomyId) normalized.product.taxonomyId ??= link.taxonomyId;
      } else if (normalized.product.taxonomyId) {
        const path = lookupTaxonomyPath(settings.taxonomy, normalized.product.taxonomyId);
        if (path !== undefined) normalized.product.categoryPath = path;
      }
      return { row, spelling, normalized, error, brandLinked };
    });
  }

  return (input: NormalizeTaskInput): NormalizeTaskOutput => {
    if (input.kind === 'draft') {
      const batch = draft(input.rows);
      drafts.set(input.batch, batch);
      const unindexed = new Set(input.unindexed);
      const products = batch.map((d): DraftFacts => {
        const facts: DraftFacts = { seq: d.row.seq, id: d.row.id, urls: imageUrlsOf(d.normalized.product) };
        if (unindexed.has(d.row.seq)) facts.keys = duplicateKeys(d.normalized.product, d.spelling ? brandKey(d.spelling) : '');
        return facts;
      });
      return { products, presets: mappings.takePresets() };
    }
    const batch = drafts.get(input.batch);
    if (!batch) throw new Error(`normalize task: batch ${input.batch} was not drafted`);
    drafts.delete(input.batch);
    const links = new Map(input.links);
    const urls = new Map(input.verdicts);
    let errors = 0;
    const rows = batch.map((d): SilverRow => {
      const link = links.get(d.row.seq);
      const outcome = assembleSilver({
        ...d.normalized,
        brandLinked: d.brandLinked,
        duplicateOf: link?.id ?? null,
        duplicateReason: link?.reason ?? null,
        duplicateValue: link?.value ?? null,
        urls,
        error: d.error,
      });
      if (outcome.result.status === 'error') errors++;
      const record = JSON.stringify(outcome.product);
      const context = JSON.stringify(outcome.context);
      return {
        seq: d.row.seq,
        record,
        result: JSON.stringify(outcome.result),
        context,
        status: outcome.result.status,
        duplicateOf: outcome.result.duplicateOf,
        brokenUrls: outcome.result.brokenUrls.length,
        bronzeHash: d.row.bronzeHash,
        silverHash: createHash('sha1').update(record).update(context).digest('base64url').slice(0, 22),
      };
    });
    return { rows, errors };
  };
}

/** Gold: scores each product with current silver; the rest get an error result. */
function createAnalyzeTask(init: { weights: Weights; bands: BandThresholds; channel?: ChannelName; country?: string; blockedCap?: number }) {
  // Checks are not stored (they are most of a result's size); `assay show` explains one product again.
  const score = createScorer(init.weights, init.bands, { explain: false, channel: init.channel, country: init.country, blockedCap: init.blockedCap });
  return (inputs: AnalyzeInput[]): { rows: GoldRow[]; results: GoldResult[]; errors: number } => {
    let errors = 0;
    const results: GoldResult[] = [];
    const rows = inputs.map((input): GoldRow => {
      const facts = { seq: input.seq, duplicate: input.duplicate, brokenUrls: input.brokenUrls, silverHash: input.silverHash ?? '' };
      if (!input.record || !input.context || input.silverStatus !== 'success' || !input.current) {
        const result = errorResult(input.id, NOT_IN_SILVER);
        results.push(result);
        errors++;
        // Silver out of date for its bronze may come out of normalize unchanged; this error must not outlive it.
        const silverHash = input.current ? facts.silverHash : '';
        return { ...facts, silverHash, result: JSON.stringify(result), status: 'error', score: null, band: null, feedReady: null, topGap: null };
      }
      const result = score(JSON.parse(input.record) as SilverProduct, JSON.parse(input.context) as SilverContext);
      results.push(result);
      const { checks: _checks, ...stored } = result;
      return {
        ...facts,
        result: JSON.stringify(stored),
        status: 'success',
        score: result.score,
        band: result.band,
        feedReady: result.feedReady ? 1 : 0,
        topGap: result.gaps[0]?.field ?? null,
      };
    });
    return { rows, results, errors };
  };
}

export const TASKS = { keys: createKeyTask, normalize: createNormalizeTask, analyze: createAnalyzeTask };
export type TaskName = keyof typeof TASKS;
export type TaskTypes = {
  [N in TaskName]: {
    init: Parameters<(typeof TASKS)[N]>[0];
    input: Parameters<ReturnType<(typeof TASKS)[N]>>[0];
    output: ReturnType<ReturnType<(typeof TASKS)[N]>>;
  };
};
