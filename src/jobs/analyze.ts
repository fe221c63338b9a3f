import { createSummary, type CatalogSummary } from '../gold/summary.js';
import type { GateTracker } from '../gold/gates.js';
import type { BandThresholds, GoldResult, Weights } from '../gold/types.js';
import type { ChannelName } from '../gold/channels.js';
import { CatalogSummarySchema } from '../gold/summary-schema.js';
import type { Db } from '../store/catalog.js';
import { cachedCatalogSummary, readForAnalyze, saveGold, saveRubric, scanGold } from '../store/gold.js';
import type { StageWorker } from './runner.js';
import { startTask } from './thread.js';

export interface AnalyzeSettings {
  weights: Weights;
  bands: BandThresholds;
  channel?: ChannelName;
  country?: string;
  blockedCap?: number;
  rubricVersion: string;
}

/** What the catalog summary counts of one scored product. */
export type ScoredListener = (result: GoldResult, facts: { isDuplicate: boolean; brokenUrls: number }) => void;

/**
 * Reads each batch's silver and writes its gold; the scoring runs in a worker thread when
 * `thread` is set. `onScored` hears every result of a batch once the batch is written.
 */
export function createAnalyzeWorker(db: Db, settings: AnalyzeSettings & { thread: boolean }, now: () => number, onScored?: ScoredListener): StageWorker {
  saveRubric(db, settings.rubricVersion, settings.weights, settings.bands);
  const task = startTask(
    'analyze',
    { weights: settings.weights, bands: settings.bands, channel: settings.channel, country: settings.country, blockedCap: settings.blockedCap },
    { thread: settings.thread },
  );
  type Scored = Awaited<ReturnType<typeof task.run>>;
  return {
    prepare: (seqs) => task.run(readForAnalyze(db, seqs)),
    async finish(prepared) {
      const { rows, results, errors } = prepared as Scored;
      const write = () => {
        saveGold(db, rows, settings.rubricVersion, now());
        if (onScored) for (let i = 0; i < rows.length; i++) onScored(results[i], { isDuplicate: rows[i].duplicate === 1, brokenUrls: rows[i].brokenUrls });
      };
      return { errors, write };
    },
    close: () => task.close(),
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
  for (const row of scanGold(db, jobId)) {
    const result = JSON.parse(row.result) as GoldResult;
    summary.add(result, { isDuplicate: row.duplicate === 1, brokenUrls: row.brokenUrls });
    tracker?.add(result);
  }
  return summary.finish();
}
