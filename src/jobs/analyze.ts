import { createSummary, type CatalogSummary } from '../gold/summary.js';
import type { GateReport, GateTracker, Gates } from '../gold/gates.js';
import type { BandThresholds, Weights } from '../gold/types.js';
import type { ChannelName } from '../gold/channels.js';
import { CatalogSummarySchema } from '../gold/summary-schema.js';
import type { Db } from '../store/catalog.js';
import { cachedCatalogSummary, readForAnalyze, saveGold, saveRubric, scanGold, type GoldRow } from '../store/gold.js';
import type { StageWorker } from './runner.js';
import { startTask } from './thread.js';

export interface AnalyzeSettings {
  weights: Weights;
  bands: BandThresholds;
  channel?: ChannelName;
  country?: string;
  blockedCap?: number;
  rubricVersion: string;
  gates?: Gates;
}

/** The summary and gates of every product the worker scored, in batch order. */
export interface AnalyzeTally {
  run: CatalogSummary;
  gates: GateReport;
}

export interface AnalyzeWorker extends StageWorker {
  /** Once the worker is closed: the tally of what it scored, or undefined if its thread failed. */
  tally(): AnalyzeTally | undefined;
}

/**
 * Reads each batch's silver and writes its gold; the scoring runs in a worker thread when
 * `thread` is set, which also keeps the tally of the results (the results stay there).
 */
export function createAnalyzeWorker(db: Db, settings: AnalyzeSettings & { thread: boolean }, now: () => number): AnalyzeWorker {
  saveRubric(db, settings.rubricVersion, settings.weights, settings.bands);
  const task = startTask(
    'analyze',
    {
      weights: settings.weights,
      bands: settings.bands,
      channel: settings.channel,
      country: settings.country,
      blockedCap: settings.blockedCap,
      gates: settings.gates,
    },
    { thread: settings.thread },
  );
  let tally: AnalyzeTally | undefined;
  return {
    // Scoring a batch takes about as long as reading and writing one (about 50 ms each at 2,000
    // products in CPU profiles of 1,000,000): with one batch queued the thread no longer waits
    // for each read, for about 20 MB more peak memory.
    ahead: settings.thread ? 2 : 1,
    prepare: (seqs) => task.run({ kind: 'score', inputs: readForAnalyze(db, seqs) }),
    async finish(prepared) {
      const { rows, errors } = prepared as { rows: GoldRow[]; errors: number };
      return { errors, write: () => saveGold(db, rows, settings.rubricVersion, now()) };
    },
    async close() {
      try {
        const answer = await task.run({ kind: 'tally' });
        if (answer.kind === 'tally') tally = { run: answer.run, gates: answer.gates };
      } catch {
        // A thread that failed has no tally: the job's results are read back from the catalog.
      }
      await task.close();
    },
    tally: () => tally,
  };
}

/**
 * The catalog summary over every scored product (or only a job's), streamed from the catalog
 * file. For the whole catalog, the summary the last analyze job kept is read back when gold
 * has not been written since: a re-run that scored nothing, `assay summary` and exports do
 * not read a million results again.
 */
export function summarizeCatalog(db: Db, jobId?: number, tracker?: GateTracker): CatalogSummary {
  if (jobId === undefined && tracker === undefined) {
    const cached = cachedCatalogSummary(db, CatalogSummarySchema);
    if (cached) return cached;
  }
  const summary = createSummary();
  for (const row of scanGold(db, jobId, tracker !== undefined)) {
    summary.add(row.result, { isDuplicate: row.duplicate === 1, brokenUrls: row.brokenUrls });
    tracker?.add(row.result);
  }
  return summary.finish();
}
