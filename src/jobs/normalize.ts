import type { UrlVerdict } from '../silver/assemble.js';
import { createBrandLinker } from '../silver/brands.js';
import { findDuplicate, findDuplicateWithKey, gtinVetoes, reasonOfKey, type DuplicateRef } from '../silver/duplicates.js';
import type { Db } from '../store/catalog.js';
import { countProducts } from '../store/scope.js';
import {
  brandSpellings,
  earliestByKey,
  flushKeys,
  gtinKeys,
  readBronze,
  readIndexedBronze,
  saveBrands,
  saveKeys,
  saveSilver,
  staleKeySeqs,
  storedLinks,
  type BronzeRow,
  type KeyRow,
  type SharedKeys,
} from '../store/silver.js';
import { clearSimilarLinks, hasSimilarPass, saveSimilarLinks, similarItems, similarTargets } from '../store/similar.js';
import { hasSilver, markGroups, markKeyHolders, notCurrent } from '../store/stale-silver.js';
import { similarPairs } from '../silver/similar.js';
import { checkSyntax, type UrlChecker } from '../urls/index.js';
import type { NormalizeJobOptions } from './options.js';
import type { ProgressEvent, StageWorker } from './runner.js';
import { startTask, THREAD_MIN_PRODUCTS } from './thread.js';
import { notDuplicatePair, silverConfigHash, type DraftFacts, type DuplicateLink, type NormalizeSettings, type NormalizeTaskOutput } from './tasks.js';

export { normalizeSettings } from './tasks.js';

const KEY_BATCH = 5000;
/** Chunks of keys handed to the thread before the first is back. */
const CHUNKS_AHEAD = 2;

/**
 * Brings the duplicate index up to date for the whole catalog (not only the scope):
 * every product whose bronze or Silver settings changed gets its keys and brand
 * spelling recomputed. Then saves the brand list built from the catalog's spellings and
 * returns those spellings. Products whose silver these changes may move (they share a
 * changed key, follow a link through such a product, or use a brand whose canonical spelling
 * moved) are marked stale. Asks `shouldStop` between chunks (each
 * committed, so a later run goes on from there) and returns undefined when told to stop.
 */
export async function prepareCatalog(
  db: Db,
  options: NormalizeJobOptions,
  settings: NormalizeSettings,
  onProgress?: (event: Omit<ProgressEvent, 'job'>) => void,
  shouldStop?: () => boolean,
): Promise<[string, number][] | undefined> {
  flushKeys(db);
  const { seqs: stale, indexed } = staleKeySeqs(db, settings.configHash);
  // When every product is indexed anew (a first run, new settings) every one is stale already.
  const trackChanges = stale.length > 0 && stale.length < countProducts(db) && hasSilver(db);
  // The phase starts at 0, so the first line printed has a true rate and ETA.
  if (stale.length > 0) onProgress?.({ phase: 'indexing', done: 0, total: stale.length, errors: 0 });
  const init = { options, taxonomyText: settings.taxonomyText };
  const threaded = stale.length >= THREAD_MIN_PRODUCTS;
  const task = startTask('keys', init, { thread: threaded });
  // Saving a chunk takes this thread about half the time the thread takes to compute one: rather
  // than wait for the thread, this thread computes a chunk itself whenever the thread is behind.
  const here = threaded ? startTask('keys', init, { thread: false }) : undefined;
  const sent: { length: number; keys: Promise<KeyRow[]>; ready: boolean }[] = [];
  let handedOut = 0;
  const takeChunk = (size: number) => {
    const seqs = stale.slice(handedOut, handedOut + size);
    handedOut += seqs.length;
    return seqs;
  };
  const send = () => {
    const seqs = takeChunk(KEY_BATCH);
    const chunk = { length: seqs.length, keys: task.run(readBronze(db, seqs)), ready: false };
    // A chunk dropped when the job stops is never awaited: its failure is not an error then.
    chunk.keys.then(
      () => (chunk.ready = true),
      () => (chunk.ready = true),
    );
    sent.push(chunk);
  };
  let done = 0;
  const save = (rows: KeyRow[], length: number) => {
    db.transaction(() =>
      saveKeys(
        db,
        rows.map((row) => ({ ...row, indexed: indexed.has(row.seq) })),
        settings.configHash,
        trackChanges,
      ),
    )();
    done += length;
    onProgress?.({ phase: 'indexing', done, total: stale.length, errors: 0 });
  };
  let computedHere: KeyRow[] = [];
  let lengthHere = 0;
  const saveHere = () => {
    save(computedHere, lengthHere);
    computedHere = [];
    lengthHere = 0;
  };
  try {
    while (done < stale.length) {
      // Indexing a large catalog takes a while: let Ctrl-C and cancel be heard between chunks.
      await new Promise((resolve) => setImmediate(resolve));
      if (shouldStop?.()) return undefined;
      // The thread keeps a chunk queued behind the one it works on, so it never waits for this one.
      while (sent.length < CHUNKS_AHEAD && handedOut < stale.length) send();
      if (here && !sent[0]?.ready && handedOut < stale.length) {
        // Small pieces, so that this thread is back soon to save what the thread computed.
        const seqs = takeChunk(KEY_BATCH / 5);
        computedHere.push(...(await here.run(readBronze(db, seqs))));
        lengthHere += seqs.length;
        if (lengthHere >= KEY_BATCH) saveHere();
        continue;
      }
      const chunk = sent.shift();
      if (chunk) save(await chunk.keys, chunk.length);
      else saveHere();
    }
  } finally {
    await task.close();
  }
  flushKeys(db);
  markKeyHolders(db);
  // Similar titles weigh words by their rarity in the whole catalog: redone whenever keys change.
  // Off by default: within one source, titles a word apart are that source's variants (a
  // women's and a men's shirt, two prints of one tee), not one product listed twice.
  if (!settings.similarTitles) {
    if (hasSimilarPass(db)) db.transaction(() => clearSimilarLinks(db))();
  } else if (stale.length > 0 || !hasSimilarPass(db)) {
    const pairs = similarPairs(similarItems(db));
    db.transaction(() => saveSimilarLinks(db, pairs, trackChanges))();
  }
  const spellings = brandSpellings(db);
  const linker = createBrandLinker({ userBrands: settings.brands?.list, strict: settings.brands?.strict, spellingCounts: spellings });
  saveBrands(db, linker.entries());
  markGroups(db);
  return spellings;
}

export interface NormalizeWorkerOptions {
  options: NormalizeJobOptions;
  settings: NormalizeSettings;
  /** The catalog's brand spellings and counts, as `prepareCatalog` returned them. */
  spellings: [string, number][];
  /** Absent: offline, syntax checks only. */
  checker?: UrlChecker;
  now: () => number;
  onUrl?: () => void;
  /**
   * The catalog's shared keys read once up front (for a scope that covers much of the
   * catalog); absent, each batch asks the index for its own keys.
   */
  shared?: SharedKeys;
  /** Standardize in a worker thread (worth it for a few thousand products and more). */
  thread: boolean;
}

/** A drafted product with its duplicate keys, computed by the task or read from the index. */
type KeyedFacts = DraftFacts & { keys: string[] };

export interface NormalizeWorker extends StageWorker {
  /** Rows whose header matched a preset, by preset, over the batches finished so far. */
  presets: Map<string, number>;
}

/**
 * Reads each batch's bronze and writes its silver. Standardizing and linking (the task's
 * `draft`) may run ahead in a worker thread; duplicates and URL verdicts are found here, in
 * order, once earlier batches are committed; then the task assembles the rows to write.
 */
export function createNormalizeWorker(db: Db, worker: NormalizeWorkerOptions): NormalizeWorker {
  const task = startTask(
    'normalize',
    { options: worker.options, spellings: worker.spellings, taxonomyText: worker.settings.taxonomyText },
    { thread: worker.thread },
  );
  const presets = new Map<string, number>();
  let batches = 0;
  type Drafted = { batch: number; products: KeyedFacts[]; presets: [string, number][] };
  return {
    presets,
    async prepare(seqs) {
      const batch = batches++;
      // Indexing computed every product's keys just before: read them back rather than compute them again.
      const rows: BronzeRow[] = [];
      const unindexed: number[] = [];
      const indexedKeys = new Map<number, string[]>();
      for (const { keys, ...row } of readIndexedBronze(db, seqs, worker.settings.configHash)) {
        rows.push(row);
        if (keys === null) unindexed.push(row.seq);
        else indexedKeys.set(row.seq, JSON.parse(keys) as string[]);
      }
      const drafted = (await task.run({ kind: 'draft', batch, rows, unindexed })) as Extract<NormalizeTaskOutput, { products: unknown }>;
      const products = drafted.products.map((facts): KeyedFacts => ({ ...facts, keys: facts.keys ?? indexedKeys.get(facts.seq)! }));
      return { batch, products, presets: drafted.presets } satisfies Drafted;
    },
    async finish(prepared) {
      const drafted = prepared as Drafted;
      for (const [preset, n] of drafted.presets) presets.set(preset, (presets.get(preset) ?? 0) + n);
      const { links: duplicates, provisional } = resolveDuplicates(db, drafted.products, worker.settings, worker.shared);
      const verdictMap = await verdicts(
        drafted.products.flatMap((p) => p.urls),
        worker,
      );
      const links: [number, DuplicateLink][] = [...duplicates];
      const assembled = (await task.run({ kind: 'assemble', batch: drafted.batch, links, verdicts: [...verdictMap] })) as Extract<
        NormalizeTaskOutput,
        { rows: unknown }
      >;
      const configHash = silverConfigHash(worker.settings.configHash, !worker.checker);
      return { errors: assembled.errors, write: () => saveSilver(db, assembled.rows, configHash, worker.now(), provisional) };
    },
    close: () => task.close(),
  };
}

/**
 * Each product's duplicate link: the earliest product sharing a key, followed to its root.
 * `provisional`: products whose link went through an earlier product whose silver is not
 * current (out of this run's scope), so it may still move.
 */
function resolveDuplicates(
  db: Db,
  products: { seq: number; id: string; keys: string[] }[],
  settings: Pick<NormalizeSettings, 'configHash' | 'notDuplicates'>,
  shared?: SharedKeys,
): { links: Map<number, DuplicateLink>; provisional: number[] } {
  const keys = products.flatMap((p) => p.keys);
  const earliest = shared
    ? new Map(keys.flatMap((key) => (shared.earliest.has(key) ? [[key, shared.earliest.get(key)!] as const] : [])))
    : earliestByKey(db, keys);
  const similar = similarTargets(
    db,
    products.map((p) => p.seq),
  );
  const candidateSeqs = [...new Set([...earliest.values(), ...similar.values()].map((r) => r.seq))];
  const stored = storedLinks(db, candidateSeqs);
  const gtins = shared?.gtins ?? gtinKeys(db, candidateSeqs);
  const { configHash, notDuplicates } = settings;
  const overruled = (a: string, b: string) => notDuplicates.size > 0 && notDuplicates.has(notDuplicatePair(a, b));
  const unsettled = candidateSeqs.length > 0 ? notCurrent(db, candidateSeqs, [configHash, silverConfigHash(configHash, true)]) : new Set<number>();
  // null for a product of this batch found to be canonical: its stored link is out of date.
  const resolved = new Map<number, DuplicateRef | null>();
  const provisional = new Set<number>();
  const reasons = new Map<number, Pick<DuplicateLink, 'reason' | 'value'>>();
  for (const product of products) {
    const candidates = new Map<string, DuplicateRef[]>();
    const ownGtin = product.keys.find((key) => key.startsWith('g:'));
    for (const key of product.keys) {
      const ref = earliest.get(key);
      // Two products with different valid GTINs are different products, whatever key they share.
      if (ref && !gtinVetoes(key, ownGtin, gtins.get(ref.seq)) && !overruled(product.id, ref.id)) candidates.set(key, [ref]);
    }
    const like = similar.get(product.seq);
    // GTINs that differ were vetoed by the similarity pass itself, which marks the changes it makes.
    if (like && !overruled(product.id, like.id)) candidates.set(`i:|${like.score.toFixed(2)}`, [{ id: like.id, seq: like.seq }]);
    const direct = findDuplicate(product.seq, candidates);
    const found = findDuplicateWithKey(product.seq, candidates, (ref) => (resolved.has(ref.seq) ? resolved.get(ref.seq) : stored.get(ref.seq)) ?? null);
    if (direct && (resolved.has(direct.seq) ? provisional.has(direct.seq) : unsettled.has(direct.seq))) provisional.add(product.seq);
    // A link the user overruled stays out also when it is reached through another product.
    const kept = found && !overruled(product.id, found.id) ? found : null;
    resolved.set(product.seq, kept && { id: kept.id, seq: kept.seq });
    if (kept) reasons.set(product.seq, reasonOfKey(kept.key));
  }
  const links = new Map<number, DuplicateLink>();
  for (const [seq, ref] of resolved) if (ref) links.set(seq, { id: ref.id, ...reasons.get(seq)! });
  return { links, provisional: [...provisional] };
}

async function verdicts(urls: string[], options: Pick<NormalizeWorkerOptions, 'checker' | 'onUrl'>): Promise<Map<string, UrlVerdict>> {
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
