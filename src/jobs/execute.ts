import type { Db } from '../store/catalog.js';
import { addJobItems, getJob, heartbeat, mergeJobSummary, unreadableJob, type JobOwner, type JobRow, type JobScope, type JobStage } from '../store/jobs.js';
import { allSeqs, countProducts, seqsForIds, staleForAnalyze, staleForNormalize } from '../store/scope.js';
import { normalizeTotals, sharedKeys } from '../store/silver.js';
import { createUrlCache } from '../store/url-cache.js';
import { deferCheckpoints } from '../store/checkpoints.js';
import { createUrlChecker, type UrlCache } from '../urls/index.js';
import { readAnalyzeOptions, readNormalizeOptions, type AnalyzeJobOptions, type NormalizeJobOptions } from './options.js';
import { heartbeatInterval } from './liveness.js';
import { createAnalyzeWorker, summarizeCatalog } from './analyze.js';
import { createNormalizeWorker, normalizeSettings, prepareCatalog } from './normalize.js';
import { runJob, type ProgressEvent, type RunOutcome, type StageWorker } from './runner.js';
import { THREAD_MIN_PRODUCTS } from './thread.js';
import { silverConfigHash } from './tasks.js';
import { rubricVersion } from '../gold/version.js';

/** The rubric version of an analyze job: what makes a stored result current. */
function analyzeVersion(options: AnalyzeJobOptions): string {
  return rubricVersion(options.weights, options.bands, { channel: options.channel, country: options.country, blockedCap: options.blockedCap });
}
import { createGateTracker } from '../gold/gates.js';
import { cacheCatalogSummary, countGold } from '../store/gold.js';

/** The most shared duplicate keys held in memory (about 100 bytes each); beyond, batches ask the index. */
const MAX_SHARED_KEYS = 500_000;

/** The products of a scope, in load order, and the requested ids the catalog lacks. */
export function scopeSeqs(db: Db, stage: JobStage, scope: JobScope, options: NormalizeJobOptions | AnalyzeJobOptions): { seqs: number[]; missing: string[] } {
  if (scope.kind === 'ids') return seqsForIds(db, scope.ids ?? []);
  if (scope.kind === 'all') return { seqs: allSeqs(db), missing: [] };
  if (stage === 'normalize') {
    const { configHash } = normalizeSettings(options as NormalizeJobOptions);
    return { seqs: staleForNormalize(db, configHash, silverConfigHash(configHash, (options as NormalizeJobOptions).offline)), missing: [] };
  }
  return { seqs: staleForAnalyze(db, analyzeVersion(options as AnalyzeJobOptions)), missing: [] };
}

export interface ExecuteHooks {
  onProgress?: (event: ProgressEvent) => void;
  shouldStop?: () => 'interrupted' | 'cancelled' | undefined;
  now?: () => number;
}

export interface Executed {
  outcome: RunOutcome;
  summary: Record<string, unknown>;
}

/** Runs (or resumes) a job with the options stored in it. */
export async function executeJob(db: Db, job: JobRow, hooks: ExecuteHooks = {}): Promise<Executed> {
  if (job.unreadable) throw unreadableJob(job.id, job.unreadable.what, job.unreadable.problem);
  const now = hooks.now ?? Date.now;
  const stopBeating = keepBeating(db, job, now);
  const restoreCheckpoints = deferCheckpoints(db);
  try {
    return await executeStage(db, job, hooks, now);
  } finally {
    restoreCheckpoints();
    stopBeating();
  }
}

/**
 * Refreshes the job's heartbeat on a timer as well as between batches, so that a long step (a
 * batch of slow image servers, the duplicate index of a large catalog) never makes a live job
 * look dead to another process.
 */
function keepBeating(db: Db, job: JobOwner, now: () => number): () => void {
  const timer = setInterval(() => {
    try {
      heartbeat(db, job, now());
    } catch {
      // Another writer held the catalog past the busy timeout: the next beat tries again. (A job
      // taken over by another process is found by the next batch, which stops.)
    }
  }, heartbeatInterval());
  timer.unref();
  return () => clearInterval(timer);
}

async function executeStage(db: Db, job: JobRow, hooks: ExecuteHooks, now: () => number): Promise<Executed> {
  const started = now();
  if (job.stage === 'analyze') {
    const options = readAnalyzeOptions(job);
    const version = analyzeVersion(options);
    // A job that runs from scratch to its end sums its results as it scores them; a resumed or
    // stopped one reads its products' results back from the catalog at the end.
    const fresh = job.done === 0;
    const thread = job.total - job.done >= THREAD_MIN_PRODUCTS;
    const worker = createAnalyzeWorker(db, { ...options, rubricVersion: version, thread }, now);
    const outcome = await runJob(db, job, worker, hooks);
    let tally = fresh && outcome === 'succeeded' ? worker.tally() : undefined;
    if (tally === undefined) {
      const tracker = createGateTracker(options.gates ?? {});
      const run = summarizeCatalog(db, job.id, tracker);
      tally = { run, gates: tracker.finish(run) };
    }
    const { run, gates } = tally;
    // A run over the whole catalog is the catalog: no second scan. The job keeps the catalog's
    // summary for later reads (only a writer may: a reader must not wait for the lock).
    const whole = run.products + run.errors === countGold(db);
    let catalog = whole ? run : summarizeCatalog(db);
    let judgedGates = gates;
    // Without a gate set there is nothing to tally, and the report is the empty one either way.
    const gated = Object.values(options.gates ?? {}).some((value) => value !== undefined && value !== false);
    if (options.judge === 'catalog' && !whole && gated) {
      // The gates answer for every product, scored now or before: tally them over all of gold.
      const tracker = createGateTracker(options.gates ?? {});
      catalog = summarizeCatalog(db, undefined, tracker);
      judgedGates = tracker.finish(catalog);
    }
    cacheCatalogSummary(db, catalog);
    return { outcome, summary: { rubricVersion: version, run, catalog, gates: judgedGates, duration_ms: now() - started } };
  }
  const options = readNormalizeOptions(job);
  const settings = normalizeSettings(options);
  const earlier = job.summary ?? {};
  let stopped: RunOutcome | undefined;
  const stopIndexing = () => {
    stopped = hooks.shouldStop?.() ?? (heartbeat(db, job, now()).cancelRequested ? 'cancelled' : undefined);
    return stopped !== undefined;
  };
  const spellings = await prepareCatalog(db, options, settings, (event) => hooks.onProgress?.({ ...event, job: job.id }), stopIndexing);
  if (!spellings) {
    const counted = { presetsDetected: earlier.presetsDetected ?? {}, urlRequests: earlier.urlRequests ?? 0 };
    return { outcome: stopped ?? 'interrupted', summary: { ...normalizeTotals(db, job.id), ...counted, duration_ms: now() - started } };
  }
  if (job.scope.kind === 'stale') {
    // Indexing the new bronze marks products whose links or brand spelling it moves: they are stale too.
    addJobItems(db, job.id, scopeSeqs(db, 'normalize', job.scope, options).seqs);
    job = getJob(db, job.id)!;
  }
  // URL answers are kept in the cache as they come, before their batch commits; the count of requests
  // is saved with them, so a job killed mid-batch neither asks again for what it kept nor forgets asking.
  const cache = createUrlCache(db, { ttlMs: options.ttlMs, recheck: options.recheck });
  const requestsSoFar = () => (earlier.urlRequests ?? 0) + (checker?.stats().requests ?? 0);
  const keptCache: UrlCache = {
    get: (urls, at) => cache.get(urls, at),
    put: (results) =>
      db.transaction(() => {
        cache.put(results);
        mergeJobSummary(db, job.id, { urlRequests: requestsSoFar() });
      })(),
  };
  const checker = options.offline ? undefined : createUrlChecker(options.urls, { cache: keptCache });
  // A scope that covers a tenth of the catalog or more reads the shared keys once; a small one asks per batch.
  const left = job.total - job.done;
  const shared = left >= countProducts(db) / 10 ? sharedKeys(db, MAX_SHARED_KEYS) : undefined;
  const worker = createNormalizeWorker(db, { options, settings, spellings, checker, now, shared, thread: left >= THREAD_MIN_PRODUCTS });
  // Presets and URL requests are counted in memory: add what earlier runs of this job counted,
  // and save the sums with every batch, so a resumed job (even after kill -9) reports the whole job.
  const counters = () => {
    const presetsDetected = { ...earlier.presetsDetected };
    for (const [preset, n] of worker.presets) presetsDetected[preset] = (presetsDetected[preset] ?? 0) + n;
    return { presetsDetected, urlRequests: requestsSoFar() };
  };
  const counted: StageWorker = {
    prepare: (seqs) => worker.prepare(seqs),
    async finish(prepared) {
      const batch = await worker.finish(prepared);
      const write = () => {
        batch.write();
        mergeJobSummary(db, job.id, counters());
      };
      return { errors: batch.errors, write };
    },
    close: () => worker.close!(),
  };
  try {
    const outcome = await runJob(db, job, counted, hooks);
    return { outcome, summary: { ...normalizeTotals(db, job.id), ...counters(), duration_ms: now() - started } };
  } finally {
    await checker?.close();
  }
}
