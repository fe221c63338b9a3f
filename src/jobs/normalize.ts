import type { UrlVerdict } from '../silver/assemble.js';
import { createBrandLinker } from '../silver/brands.js';
import type { Db } from '../store/catalog.js';
import { countProducts } from '../store/scope.js';
import {
  brandSpellings,
  flushKeys,
  readBronze,
  readIndexedBronze,
  saveBrands,
  saveKeys,
  saveSilver,
  staleKeySeqs,
  type BronzeRow,
  type KeyRow,
  type SharedKeys,
} from '../store/silver.js';
import { clearSimilarLinks, hasSimilarPass, saveSimilarLinks, similarItems } from '../store/similar.js';
import { hasSilver, markGroups, markKeyHolders } from '../store/stale-silver.js';
import { similarPairs } from '../silver/similar.js';
import type { UrlChecker } from '../urls/index.js';
import {
  decideLinks,
  layOver,
  readLinkFacts,
  readSettledFacts,
  sameLinks,
  sameSettledFacts,
  type BatchLinks,
  type LinkedProduct,
  type LinkFacts,
} from './duplicate-links.js';
import type { NormalizeJobOptions } from './options.js';
import type { ProgressEvent, StageWorker } from './runner.js';
import { createShare } from './share.js';
import { clock, startTask, THREAD_MIN_PRODUCTS } from './thread.js';
import { silverConfigHash, syntaxVerdict, type DraftFacts, type DuplicateLink, type NormalizeSettings, type NormalizeTaskOutput } from './tasks.js';

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
    db.transaction(() => saveKeys(db, rows, indexed, settings.configHash, trackChanges))();
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

export interface NormalizeWorker extends StageWorker {
  /** Rows whose header matched a preset, by preset, over the batches finished so far. */
  presets: Map<string, number>;
}

/**
 * Reads each batch's bronze and writes its silver. Offline, a batch's duplicates are decided here
 * before the task standardizes and assembles it in one go (in a worker thread, while this thread
 * writes the batch before): decided early, over what the catalog will hold once the batches
 * before it are committed, and checked again when they are; a batch whose facts moved is
 * assembled again. Checking URLs (or a product the index lacks) takes two steps instead: the
 * task drafts the batch, this thread finds its duplicates and URL verdicts once earlier batches
 * are committed, then the task assembles it.
 */
export function createNormalizeWorker(db: Db, worker: NormalizeWorkerOptions): NormalizeWorker {
  const init = { options: worker.options, spellings: worker.spellings, taxonomyText: worker.settings.taxonomyText };
  const task = startTask('normalize', init, { thread: worker.thread });
  // Beside the thread, this thread assembles the last products of each batch itself (see `createShare`).
  const here = worker.thread ? startTask('normalize', init, { thread: false }) : undefined;
  const share = createShare();
  const presets = new Map<string, number>();
  let batches = 0;
  // Links decided for batches not committed yet, by batch: a batch decided early reads them as written.
  const uncommitted = new Map<number, BatchLinks>();
  type Silver = Extract<NormalizeTaskOutput, { rows: unknown }>;
  type Sent = { silver: Promise<Silver>; sentAt: number; length: number };
  type Prepared =
    | { batch: number; products: LinkedProduct[]; rows: BronzeRow[]; facts: LinkFacts; decided: BatchLinks; sent?: Sent; kept: BronzeRow[] }
    // A drafted product with its duplicate keys, computed by the task or read from the index.
    | { batch: number; drafted: Extract<NormalizeTaskOutput, { products: unknown }>; products: (DraftFacts & LinkedProduct)[] };
  const countPresets = (counts: [string, number][] = []) => {
    for (const [preset, n] of counts) presets.set(preset, (presets.get(preset) ?? 0) + n);
  };
  const linksOf = (rows: BronzeRow[], decided: BatchLinks): [number, DuplicateLink][] =>
    rows.flatMap((row) => {
      const link = decided.links.get(row.seq);
      return link ? [[row.seq, link]] : [];
    });
  const assembleHere = (rows: BronzeRow[], decided: BatchLinks) =>
    (here ?? task).run({ kind: 'silver', rows, links: linksOf(rows, decided) }) as Promise<Silver>;
  const settle = async (prepared: Prepared): Promise<{ decided: BatchLinks; silver: Silver }> => {
    if (!('drafted' in prepared)) {
      const { products, rows, facts, sent, kept } = prepared;
      const started = clock();
      const ours = kept.length > 0 ? await assembleHere(kept, prepared.decided) : undefined;
      const oursDone = clock();
      const theirs = sent && (await sent.silver);
      if (sent && ours) {
        const theirsDone = task.endedAt();
        share.record(theirsDone - oursDone, (oursDone - started) / ours.rows.length, (theirsDone - sent.sentAt) / sent.length);
      }
      const silver: Silver = {
        rows: [...(theirs?.rows ?? []), ...(ours?.rows ?? [])],
        errors: (theirs?.errors ?? 0) + (ours?.errors ?? 0),
      };
      countPresets(theirs?.presets);
      countPresets(ours?.presets);
      const settled = readSettledFacts(db, facts.candidateSeqs, worker.settings);
      if (sameSettledFacts(settled, facts)) return { decided: prepared.decided, silver };
      const decided = decideLinks(products, { ...facts, ...settled }, worker.settings);
      if (sameLinks(decided, prepared.decided)) return { decided, silver };
      return { decided, silver: await assembleHere(rows, decided) };
    }
    countPresets(prepared.drafted.presets);
    const { products } = prepared;
    const decided = decideLinks(products, readLinkFacts(db, products, worker.settings, worker.shared), worker.settings);
    const verdictMap = await verdicts(
      products.flatMap((p) => p.urls),
      worker,
    );
    const silver = (await task.run({ kind: 'assemble', batch: prepared.batch, links: [...decided.links], verdicts: [...verdictMap] })) as Silver;
    return { decided, silver };
  };
  return {
    presets,
    async prepare(seqs): Promise<Prepared> {
      const batch = batches++;
      // Indexing computed every product's keys just before: read them back rather than compute them again.
      const { rows, keys } = readIndexedBronze(db, seqs, worker.settings.configHash);
      const unindexed: number[] = [];
      const indexedKeys = new Map<number, string[]>();
      for (let i = 0; i < rows.length; i++) {
        const json = keys[i];
        if (json === null) unindexed.push(rows[i].seq);
        else indexedKeys.set(rows[i].seq, JSON.parse(json) as string[]);
      }
      if (!worker.checker && unindexed.length === 0) {
        const products = rows.map((row) => ({ seq: row.seq, id: row.id, keys: indexedKeys.get(row.seq)! }));
        const facts = readLinkFacts(db, products, worker.settings, worker.shared);
        layOver(facts, uncommitted.values());
        const decided = decideLinks(products, facts, worker.settings);
        if (!here) return { batch, products, rows, facts, decided, kept: rows };
        const split = rows.length - share.hereOf(rows.length);
        const theirs = rows.slice(0, split);
        const sent: Sent = {
          silver: task.run({ kind: 'silver', rows: theirs, links: linksOf(theirs, decided) }) as Promise<Silver>,
          sentAt: clock(),
          length: theirs.length,
        };
        // Awaited in `finish`, or dropped with the batch when the job stops.
        sent.silver.catch(() => {});
        return { batch, products, rows, facts, decided, sent, kept: rows.slice(split) };
      }
      const drafted = (await task.run({ kind: 'draft', batch, rows, unindexed })) as Extract<NormalizeTaskOutput, { products: unknown }>;
      const products = drafted.products.map((facts) => ({ ...facts, keys: facts.keys ?? indexedKeys.get(facts.seq)! }));
      return { batch, drafted, products };
    },
    async finish(prepared) {
      const { batch } = prepared as Prepared;
      const { decided, silver } = await settle(prepared as Prepared);
      uncommitted.set(batch, decided);
      const configHash = silverConfigHash(worker.settings.configHash, !worker.checker);
      const write = () => {
        saveSilver(db, silver.rows, configHash, worker.now(), decided.provisional);
        uncommitted.delete(batch);
      };
      return { errors: silver.errors, write };
    },
    close: async () => {
      await task.close();
      await here?.close();
    },
  };
}

async function verdicts(urls: string[], options: Pick<NormalizeWorkerOptions, 'checker' | 'onUrl'>): Promise<Map<string, UrlVerdict>> {
  const out = new Map<string, UrlVerdict>();
  const toCheck: string[] = [];
  for (const url of urls) {
    if (out.has(url)) continue;
    const verdict = syntaxVerdict(url);
    out.set(url, verdict);
    if (verdict.state === 'unchecked') toCheck.push(url);
  }
  if (options.checker && toCheck.length > 0) {
    const results = await options.checker.check(toCheck, () => options.onUrl?.());
    for (const [url, r] of results) out.set(url, r.state === 'valid' ? { state: 'valid' } : { state: 'broken', reason: r.reason, detail: r.detail });
  }
  return out;
}
