// The pure half of the batch stages: parsing stored records, standardizing them and scoring
// them. Each task is built once from plain data (so a worker thread can build it from what
// it is sent) and then maps a batch to plain data; the catalog is read and written elsewhere.
import { createHash, hash } from 'node:crypto';
import { createScorer, errorResult } from '../gold/score.js';
import type { BandThresholds, GoldResult, Weights } from '../gold/types.js';
import type { ChannelName } from '../gold/channels.js';
import { assembleSilver, imageUrlsOf, type SilverParts, type UrlVerdict } from '../silver/assemble.js';
import { brandKey, createBrandLinker } from '../silver/brands.js';
import { createCategoryMap, linkCategory, type CategoryMap } from '../silver/categories.js';
import { lookupTaxonomyPath } from '../silver/taxonomy.js';
import { DUPLICATE_RULES_VERSION, duplicateKeys, type DuplicateReason } from '../silver/duplicates.js';
import { resolveMapping, type ResolvedMapping } from '../silver/mapping.js';
import { normalizeRecord, type NormalizedRecord } from '../silver/normalize-record.js';
import { parseTaxonomy, type Taxonomy } from '../silver/taxonomy.js';
import { goldRow, type AnalyzeInput, type GoldRow } from '../store/gold.js';
import { checkSyntax } from '../urls/syntax.js';
import { createGateTracker, type GateReport, type Gates } from '../gold/gates.js';
import { createSummary, type CatalogSummary } from '../gold/summary.js';
import type { BronzeRow, KeyRow, SilverRow } from '../store/silver.js';
import { columnsOf, contextOf, recordOf, silverColumnsOf } from '../store/silver-columns.js';
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
  | { kind: 'assemble'; batch: number; links: [number, DuplicateLink][]; verdicts: [string, UrlVerdict][] }
  /** Offline, with the links known: each product drafted and assembled at once, its image URLs judged by syntax. */
  | { kind: 'silver'; rows: BronzeRow[]; links: [number, DuplicateLink][] };

export type NormalizeTaskOutput = { products: DraftFacts[]; presets: [string, number][] } | { rows: SilverRow[]; errors: number; presets?: [string, number][] };

/** An image URL's verdict without a request: broken when its syntax is, else unchecked. */
export function syntaxVerdict(url: string): UrlVerdict {
  const syntax = checkSyntax(url);
  return syntax.valid ? { state: 'unchecked' } : { state: 'broken', reason: syntax.reason, detail: syntax.detail };
}

interface Draft {
  row: BronzeRow;
  /** The cleaned source spelling of the brand, before linking: duplicate keys use its key, as the index does. */
  spelling?: string;
  normalized: NormalizedRecord;
  error?: string;
  brandLinked: boolean;
}

/**
 * A fingerprint of a product's silver columns, which its gold row keeps: the score is current
 * while they match. NULL and the separator are control characters, which cleaned text and JSON never hold.
 */
function silverHashOf(columns: unknown[]): string {
  const text = columns.map((value) => (value === null ? '\u0001' : String(value))).join('\u0000');
  return hash('sha1', text, 'base64url').slice(0, 22);
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

  function draft(row: BronzeRow): Draft {
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
  }

  function assemble(d: Draft, link: DuplicateLink | undefined, urls: SilverParts['urls'], tally: { errors: number }): SilverRow {
    const outcome = assembleSilver({
      ...d.normalized,
      brandLinked: d.brandLinked,
      duplicateOf: link?.id ?? null,
      duplicateReason: link?.reason ?? null,
      duplicateValue: link?.value ?? null,
      urls,
      error: d.error,
    });
    if (outcome.result.status === 'error') tally.errors++;
    const columns = columnsOf(outcome);
    return { seq: d.row.seq, columns, duplicateOf: outcome.result.duplicateOf, bronzeHash: d.row.bronzeHash, silverHash: silverHashOf(columns) };
  }

  return (input: NormalizeTaskInput): NormalizeTaskOutput => {
    if (input.kind === 'draft') {
      const batch = input.rows.map(draft);
      drafts.set(input.batch, batch);
      const unindexed = new Set(input.unindexed);
      const products = batch.map((d): DraftFacts => {
        const facts: DraftFacts = { seq: d.row.seq, id: d.row.id, urls: imageUrlsOf(d.normalized.product) };
        if (unindexed.has(d.row.seq)) facts.keys = duplicateKeys(d.normalized.product, d.spelling ? brandKey(d.spelling) : '');
        return facts;
      });
      return { products, presets: mappings.takePresets() };
    }
    const links = new Map(input.links);
    const tally = { errors: 0 };
    if (input.kind === 'silver') {
      // One product at a time, so that its draft dies young instead of waiting for the batch's links.
      // Each URL is judged by its syntax when assembling first asks for it, once for the batch.
      const judged = new Map<string, UrlVerdict>();
      const urls = {
        get(url: string): UrlVerdict {
          let verdict = judged.get(url);
          if (verdict === undefined) {
            verdict = syntaxVerdict(url);
            judged.set(url, verdict);
          }
          return verdict;
        },
      };
      const rows = input.rows.map((row) => assemble(draft(row), links.get(row.seq), urls, tally));
      return { rows, errors: tally.errors, presets: mappings.takePresets() };
    }
    const batch = drafts.get(input.batch);
    if (!batch) throw new Error(`normalize task: batch ${input.batch} was not drafted`);
    drafts.delete(input.batch);
    const urls = new Map(input.verdicts);
    const rows = batch.map((d) => assemble(d, links.get(d.row.seq), urls, tally));
    return { rows, errors: tally.errors };
  };
}

export type AnalyzeTaskInput = { kind: 'score'; inputs: AnalyzeInput[] } | { kind: 'tally' };
export type AnalyzeTaskOutput = { kind: 'rows'; rows: GoldRow[]; errors: number } | { kind: 'tally'; run: CatalogSummary; gates: GateReport };

/**
 * Gold: scores each product with current silver; the rest get an error result. The task also
 * folds every result into the job's summary and gates as it goes, in batch order, and hands them
 * over when asked (`tally`): the results themselves never cross back from the thread, only the
 * rows to write.
 */
function createAnalyzeTask(init: { weights: Weights; bands: BandThresholds; channel?: ChannelName; country?: string; blockedCap?: number; gates?: Gates }) {
  // Checks are not stored (they are most of a result's size); `assay show` explains one product again.
  const score = createScorer(init.weights, init.bands, { explain: false, channel: init.channel, country: init.country, blockedCap: init.blockedCap });
  const summary = createSummary();
  const tracker = createGateTracker(init.gates ?? {});
  return (input: AnalyzeTaskInput): AnalyzeTaskOutput => {
    if (input.kind === 'tally') {
      const run = summary.finish();
      return { kind: 'tally', run, gates: tracker.finish(run) };
    }
    let errors = 0;
    const rows = input.inputs.map((item): GoldRow => {
      let result: GoldResult;
      // Silver out of date for its bronze may come out of normalize unchanged; an error must not outlive it.
      let silverHash = item.silverHash ?? '';
      const silver = item.silver && item.silverStatus === 'success' && item.current ? silverColumnsOf(item.silver) : null;
      const record = silver && recordOf(item.id, silver);
      const context = silver && contextOf(silver);
      if (!record || !context) {
        result = errorResult(item.id, NOT_IN_SILVER);
        errors++;
        if (!item.current) silverHash = '';
      } else result = score(record, context);
      summary.add(result, { isDuplicate: item.duplicate === 1, brokenUrls: item.brokenUrls });
      tracker.add(result);
      return goldRow(result, { seq: item.seq, duplicate: item.duplicate, brokenUrls: item.brokenUrls, silverHash });
    });
    return { kind: 'rows', rows, errors };
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
