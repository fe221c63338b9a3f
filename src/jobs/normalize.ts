import { createHash } from 'node:crypto';
import { imageUrlsOf, assembleSilver, type UrlVerdict } from '../silver/assemble.js';
import { brandKey, createBrandLinker, type BrandLinker, type UserBrand } from '../silver/brands.js';
import { linkCategory, type CategoryMap } from '../silver/categories.js';
import { duplicateKeys, findDuplicate, type DuplicateRef } from '../silver/duplicates.js';
import { resolveMapping, type MappingRule, type ResolvedMapping } from '../silver/mapping.js';
import { normalizeRecord } from '../silver/normalize-record.js';
import type { Taxonomy } from '../silver/taxonomy.js';
import type { Db } from '../store/catalog.js';
import { brandSpellings, earliestByKey, gtinKeys, readBronze, saveBrands, saveKeys, saveSilver, staleKeySeqs, storedLinks, type SharedKeys, type SilverRow } from '../store/silver.js';
import { checkSyntax, type UrlChecker } from '../urls/index.js';
import type { BatchOutcome, ProgressEvent, StageWorker } from './runner.js';

export interface NormalizeSettings {
  preset?: string;
  rules: MappingRule[];
  brands?: { list: UserBrand[]; strict: boolean };
  categoryMap?: CategoryMap;
  taxonomy?: Taxonomy;
  /** Fingerprint of everything above: a change makes every product stale for --stale. */
  configHash: string;
}

export function settingsHash(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

const KEY_BATCH = 5000;

/** Resolves a mapping once per distinct header and reuses it for every row with that header. */
function mappingCache(settings: NormalizeSettings) {
  const cache = new Map<string, ResolvedMapping>();
  const presets = new Map<string, number>();
  return {
    presets,
    get(fields: Record<string, string>): ResolvedMapping {
      const columns = Object.keys(fields);
      const key = columns.join('\u0001');
      let mapping = cache.get(key);
      if (!mapping) {
        mapping = resolveMapping(columns, { preset: settings.preset, rules: settings.rules });
        cache.set(key, mapping);
      }
      if (mapping.preset && !settings.preset) presets.set(mapping.preset, (presets.get(mapping.preset) ?? 0) + 1);
      return mapping;
    },
  };
}

/**
 * Brings the duplicate index up to date for the whole catalog (not only the scope):
 * every product whose bronze or Silver settings changed gets its keys and brand
 * spelling recomputed. Then builds the brand linker from the catalog's spellings.
 * Asks `shouldStop` between chunks (each committed, so a later run goes on from there)
 * and returns undefined when told to stop.
 */
export async function prepareCatalog(
  db: Db,
  settings: NormalizeSettings,
  onProgress?: (event: Omit<ProgressEvent, 'job'>) => void,
  shouldStop?: () => boolean,
): Promise<BrandLinker | undefined> {
  const stale = staleKeySeqs(db, settings.configHash);
  const mappings = mappingCache(settings);
  // The phase starts at 0, so the first line printed has a true rate and ETA.
  if (stale.length > 0) onProgress?.({ phase: 'indexing', done: 0, total: stale.length, errors: 0 });
  for (let i = 0; i < stale.length; i += KEY_BATCH) {
    // Indexing a large catalog takes a while: let Ctrl-C and cancel be heard between chunks.
    await new Promise((resolve) => setImmediate(resolve));
    if (shouldStop?.()) return undefined;
    const chunk = stale.slice(i, i + KEY_BATCH);
    const indexed = new Set(chunk.filter((s) => s.indexed).map((s) => s.seq));
    const rows = readBronze(db, chunk.map((s) => s.seq)).map((row) => {
      const fields = JSON.parse(row.bronze) as Record<string, string>;
      const { product } = normalizeRecord(fields, mappings.get(fields), { identityOnly: true });
      const key = product.brand ? brandKey(product.brand) : '';
      const keys = duplicateKeys(product, key);
      return { seq: row.seq, bronzeHash: row.bronzeHash, brand: product.brand ?? null, brandKey: key || null, keys, indexed: indexed.has(row.seq) };
    });
    db.transaction(() => saveKeys(db, rows, settings.configHash))();
    onProgress?.({ phase: 'indexing', done: Math.min(i + KEY_BATCH, stale.length), total: stale.length, errors: 0 });
  }
  const linker = createBrandLinker({ userBrands: settings.brands?.list, strict: settings.brands?.strict, spellingCounts: brandSpellings(db) });
  saveBrands(db, linker.entries());
  return linker;
}

export interface NormalizeWorkerOptions {
  settings: NormalizeSettings;
  linker: BrandLinker;
  /** Absent: offline, syntax checks only. */
  checker?: UrlChecker;
  now: () => number;
  onUrl?: () => void;
  /**
   * The catalog's shared keys read once up front (for a scope that covers much of the
   * catalog); absent, each batch asks the index for its own keys.
   */
  shared?: SharedKeys;
}

export function createNormalizeWorker(db: Db, options: NormalizeWorkerOptions): StageWorker & { presets: Map<string, number> } {
  const { settings, linker } = options;
  const mappings = mappingCache(settings);
  return {
    presets: mappings.presets,
    async processBatch(seqs: number[]): Promise<BatchOutcome> {
      const rows = readBronze(db, seqs);
      const drafts = rows.map((row) => {
        const fields = JSON.parse(row.bronze) as Record<string, string>;
        const normalized = normalizeRecord(fields, mappings.get(fields));
        normalized.product.id = row.id;
        const spelling = normalized.product.brand;
        let error: string | undefined;
        let brandLinked = false;
        if (spelling) {
          const link = linker.link(spelling);
          if ('error' in link) error = link.error;
          else {
            normalized.product.brand = link.brand;
            brandLinked = link.linked;
          }
        }
        if (normalized.product.categoryPath) {
          const link = linkCategory(normalized.product.categoryPath, { map: settings.categoryMap, taxonomy: settings.taxonomy });
          normalized.product.categoryPath = link.categoryPath;
          if (link.taxonomyId) normalized.product.taxonomyId = link.taxonomyId;
        }
        const keys = duplicateKeys(normalized.product, spelling ? brandKey(spelling) : '');
        return { row, normalized, error, brandLinked, keys };
      });
      const duplicates = resolveDuplicates(db, drafts.map((d) => ({ seq: d.row.seq, id: d.row.id, keys: d.keys })), options.shared);
      const urls = await verdicts(drafts.flatMap((d) => imageUrlsOf(d.normalized.product)), options);
      let errors = 0;
      const silver: SilverRow[] = drafts.map((d) => {
        const outcome = assembleSilver({ ...d.normalized, brandLinked: d.brandLinked, duplicateOf: duplicates.get(d.row.seq)?.id ?? null, urls, error: d.error });
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
      return { errors, write: () => saveSilver(db, silver, settings.configHash, options.now()) };
    },
  };
}

/** Each product's duplicate link: the earliest product sharing a key, followed to its root. */
function resolveDuplicates(db: Db, products: { seq: number; id: string; keys: string[] }[], shared?: SharedKeys): Map<number, DuplicateRef> {
  const keys = products.flatMap((p) => p.keys);
  const earliest = shared ? new Map(keys.flatMap((key) => (shared.earliest.has(key) ? [[key, shared.earliest.get(key)!] as const] : []))) : earliestByKey(db, keys);
  const candidateSeqs = [...new Set([...earliest.values()].map((r) => r.seq))];
  const stored = storedLinks(db, candidateSeqs);
  const gtins = shared?.gtins ?? gtinKeys(db, candidateSeqs);
  const links = new Map<number, DuplicateRef>();
  for (const product of products) {
    const candidates = new Map<string, DuplicateRef[]>();
    const ownGtin = product.keys.find((key) => key.startsWith('g:'));
    for (const key of product.keys) {
      const ref = earliest.get(key);
      // Two products with different valid GTINs are different products, however alike their titles.
      const conflict = key.startsWith('t:') && ownGtin !== undefined && gtins.has(ref?.seq ?? -1) && gtins.get(ref!.seq) !== ownGtin;
      if (ref && !conflict) candidates.set(key, [ref]);
    }
    const found = findDuplicate(product.seq, candidates, (ref) => links.get(ref.seq) ?? stored.get(ref.seq) ?? null);
    if (found) links.set(product.seq, found);
  }
  return links;
}

async function verdicts(urls: string[], options: NormalizeWorkerOptions): Promise<Map<string, UrlVerdict>> {
  const out = new Map<string, UrlVerdict>();
  const toCheck: string[] = [];
  for (const url of urls) {
    if (out.has(url)) continue;
    const syntax = checkSyntax(url);
    if (!syntax.valid) out.set(url, { state: 'broken', reason: syntax.reason, detail: syntax.detail });
    else {
      out.set(url, { state: 'unchecked' });
      toCheck.push(url);
    }
  }
  if (options.checker && toCheck.length > 0) {
    const results = await options.checker.check(toCheck, () => options.onUrl?.());
    for (const [url, r] of results) out.set(url, r.state === 'valid' ? { state: 'valid' } : { state: 'broken', reason: r.reason, detail: r.detail });
  }
  return out;
}
