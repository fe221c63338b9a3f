import { z } from 'zod';
import { STAGES } from './types.js';

// The catalog summary as printed in every --json document that carries one and as cached in the
// catalog: the cache is parsed with it when read back (see docs/json.md). It lives with Gold so that
// the analyze job, below the renderers, can check the cache without importing them.

const count = z.number().int().nonnegative();

export const StageScoresSchema = z.strictObject(
  Object.fromEntries(STAGES.map((stage) => [stage, z.number().min(0)])) as Record<(typeof STAGES)[number], z.ZodNumber>,
);

export const ReasonSummarySchema = z.strictObject({ code: z.string(), count, avgGain: z.number().min(0) });

export const GapSummarySchema = z.strictObject({
  field: z.string(),
  count,
  share: z.number().min(0).max(1),
  avgGain: z.number().min(0),
  reasons: z.array(ReasonSummarySchema),
});

export const CatalogSummarySchema = z.strictObject({
  products: count,
  errors: count,
  avgScore: z.number().min(0).max(100),
  scoreDistribution: z.strictObject({ excellent: count, good: count, warning: count, poor: count }),
  stageAverages: StageScoresSchema,
  topGaps: z.array(GapSummarySchema),
  feedReady: count,
  duplicates: count,
  brokenUrls: count,
});
