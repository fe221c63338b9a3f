import { createScorer, errorResult } from '../gold/score.js';
import { createSummary, type CatalogSummary } from '../gold/summary.js';
import type { GateTracker } from '../gold/gates.js';
import type { BandThresholds, GoldResult, Weights } from '../gold/types.js';
import type { SilverContext, SilverProduct } from '../silver/product.js';
import type { Db } from '../store/catalog.js';
import { readForAnalyze, saveGold, saveRubric, scanGold, type GoldRow } from '../store/gold.js';
import type { BatchOutcome, StageWorker } from './runner.js';

export const NOT_IN_SILVER = 'not in silver stage: run normalize first';

export interface AnalyzeSettings {
  weights: Weights;
  bands: BandThresholds;
  rubricVersion: string;
}

/** What the catalog summary counts of one scored product. */
export type ScoredListener = (result: GoldResult, facts: { isDuplicate: boolean; brokenUrls: number }) => void;

/** `onScored` hears every result of a batch once the batch is written. */
export function createAnalyzeWorker(db: Db, settings: AnalyzeSettings, now: () => number, onScored?: ScoredListener): StageWorker {
  // Checks are not stored (they are most of a result's size); `assay show` explains one product again.
  const score = createScorer(settings.weights, settings.bands, { explain: false });
  saveRubric(db, settings.rubricVersion, settings.weights, settings.bands);
  return {
    async processBatch(seqs: number[]): Promise<BatchOutcome> {
      let errors = 0;
      const scored: GoldResult[] = [];
      const rows: GoldRow[] = readForAnalyze(db, seqs).map((input) => {
        let result: GoldResult;
        if (!input.record || !input.context || input.silverStatus !== 'success' || !input.current) {
          result = errorResult(input.id, NOT_IN_SILVER);
        } else {
          result = score(JSON.parse(input.record) as SilverProduct, JSON.parse(input.context) as SilverContext);
        }
        scored.push(result);
        if (result.status === 'error') {
          errors++;
          return { seq: input.seq, result: JSON.stringify(result), status: 'error', score: null, band: null, feedReady: null, topGap: null, duplicate: input.duplicate, brokenUrls: input.brokenUrls, silverHash: input.silverHash ?? '' };
        }
        const { checks: _checks, ...rest } = result;
        return {
          seq: input.seq,
          result: JSON.stringify(rest),
          status: 'success',
          score: result.score,
          band: result.band,
          feedReady: result.feedReady ? 1 : 0,
          topGap: result.gaps[0]?.field ?? null,
          duplicate: input.duplicate,
          brokenUrls: input.brokenUrls,
          silverHash: input.silverHash ?? '',
        };
      });
      const write = () => {
        saveGold(db, rows, settings.rubricVersion, now());
        if (onScored) for (let i = 0; i < rows.length; i++) onScored(scored[i], { isDuplicate: rows[i].duplicate === 1, brokenUrls: rows[i].brokenUrls });
      };
      return { errors, write };
    },
  };
}

/** The catalog summary over every scored product (or only a job's), streamed from the catalog file. */
export function summarizeCatalog(db: Db, jobId?: number, tracker?: GateTracker): CatalogSummary {
  const summary = createSummary();
  for (const row of scanGold(db, jobId)) {
    const result = JSON.parse(row.result) as GoldResult;
    summary.add(result, { isDuplicate: row.duplicate === 1, brokenUrls: row.brokenUrls });
    tracker?.add(result);
  }
  return summary.finish();
}
