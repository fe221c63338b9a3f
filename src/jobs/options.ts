import { z } from 'zod';
import { BandsSchema } from '../gold/bands.js';
import { CHANNELS } from '../gold/channels.js';
import type { Gates } from '../gold/gates.js';
import { WeightsSchema } from '../gold/weights.js';
import type { UserBrand } from '../silver/brands.js';
import type { CategoryRule } from '../silver/categories.js';
import type { MappingRule } from '../silver/mapping-rules.js';
import { unreadableJob, type JobRow } from '../store/jobs.js';
import { parseStored } from '../store/stored-json.js';
import type { UrlCheckOptions } from '../urls/index.js';

// The options a job stores in the catalog, so that a resume runs it again as it was started. A
// resume may come from a newer assay than the one that started the job: what is read back is
// parsed with these schemas. Keys a later assay added are optional (absent means what it meant
// before they existed); keys a later assay dropped are ignored.

const whole = z.number().int().nonnegative();
const positive = z.number().int().positive();

const MappingRuleSchema = z.object({ sourceField: z.string(), targetField: z.string(), transform: z.string().optional() }) satisfies z.ZodType<MappingRule>;
const UserBrandSchema = z.object({ name: z.string(), aliases: z.array(z.string()).optional() }) satisfies z.ZodType<UserBrand>;
const CategoryRuleSchema = z.object({ source: z.string(), target: z.string(), taxonomyId: z.string().optional() }) satisfies z.ZodType<CategoryRule>;

const UrlOptionsSchema = z.object({
  concurrency: positive.optional(),
  perHost: positive.optional(),
  timeoutMs: positive.optional(),
  deadlineMs: positive.optional(),
  retries: whole.optional(),
  retryAfterCapMs: whole.optional(),
  hostFailureLimit: positive.optional(),
  allowPrivateHosts: z.boolean().optional(),
  maxRedirects: whole.optional(),
  imageSize: z.object({ minWidth: whole, minHeight: whole }).optional(),
}) satisfies z.ZodType<Partial<UrlCheckOptions>>;

const StoreSettingsSchema = z.object({
  currency: z.string().optional(),
  country: z.string().optional(),
  language: z.string().optional(),
  baseUrl: z.string().optional(),
});
export type StoreSettings = z.infer<typeof StoreSettingsSchema>;

/** Everything a normalize job needs to run again identically on resume. */
export const NormalizeJobOptionsSchema = z.object({
  preset: z.string().optional(),
  /** The store's language, for title casing; absent: judged per title. */
  language: z.string().optional(),
  rules: z.array(MappingRuleSchema),
  brands: z.object({ list: z.array(UserBrandSchema), strict: z.boolean() }).optional(),
  categoryRules: z.array(CategoryRuleSchema).optional(),
  /** Pairs of product ids never linked as duplicates. */
  notDuplicates: z.array(z.tuple([z.string(), z.string()])).optional(),
  /** Also link by title similarity (off unless asked: within one source, near titles are variants). */
  similarTitles: z.boolean().optional(),
  taxonomyFile: z.string().optional(),
  offline: z.boolean(),
  urls: UrlOptionsSchema,
  ttlMs: z.number().nonnegative(),
  recheck: z.boolean(),
  /** Store settings: a change makes silver stale. */
  store: StoreSettingsSchema.optional(),
});
export type NormalizeJobOptions = z.infer<typeof NormalizeJobOptionsSchema>;

const score = z.number().min(0).max(100);

const GatesSchema = z.object({
  minScore: score.optional(),
  minAvg: score.optional(),
  maxPoor: whole.optional(),
  requireFeedReady: z.boolean().optional(),
  allowEmpty: z.boolean().optional(),
}) satisfies z.ZodType<Gates>;

export const AnalyzeJobOptionsSchema = z.object({
  weights: WeightsSchema,
  bands: BandsSchema,
  /** The channel feed readiness and channel-only checks follow (default google). */
  channel: z.enum(CHANNELS).optional(),
  /** The store's country, for channel rules that apply in some countries only. */
  country: z.string().optional(),
  /** The highest score of a product the channel would refuse (default: the top of warning). */
  blockedCap: score.optional(),
  /** CI gates, evaluated over the job's products when it ends (also for detached and resumed runs). */
  gates: GatesSchema.optional(),
  /**
   * What the gates judge: the job's products (absent) or the whole catalog (`assay run`, which
   * scores only the products whose silver or rubric changed and still answers for every product).
   */
  judge: z.literal('catalog').optional(),
});
export type AnalyzeJobOptions = z.infer<typeof AnalyzeJobOptionsSchema>;

function readOptions<T>(job: Pick<JobRow, 'id' | 'optionsJson'>, schema: z.ZodType<T>): T {
  const stored = parseStored(job.optionsJson, schema);
  if (!stored.ok) throw unreadableJob(job.id, 'options', stored.problem);
  return stored.value;
}

export const readNormalizeOptions = (job: Pick<JobRow, 'id' | 'optionsJson'>): NormalizeJobOptions => readOptions(job, NormalizeJobOptionsSchema);
export const readAnalyzeOptions = (job: Pick<JobRow, 'id' | 'optionsJson'>): AnalyzeJobOptions => readOptions(job, AnalyzeJobOptionsSchema);

/** Refuses, before anything is claimed or written, a job this assay could not run as it was started. */
export function checkResumable(job: JobRow): void {
  if (job.unreadable) throw unreadableJob(job.id, job.unreadable.what, job.unreadable.problem);
  if (job.stage === 'analyze') readAnalyzeOptions(job);
  else readNormalizeOptions(job);
}
