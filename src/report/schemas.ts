import { z } from 'zod';
import { EXPORT_FORMATS } from './export/formats.js';
import type { LoadSummary } from '../ingest/load.js';
import type { GateReport } from '../gold/gates.js';
import { CATEGORY_CLASSES } from '../gold/category-class.js';
import { CHANNELS } from '../gold/channels.js';
import type { CatalogSummary } from '../gold/summary.js';
import { CatalogSummarySchema, GapSummarySchema, ReasonSummarySchema, StageScoresSchema } from '../gold/summary-schema.js';
import { PRODUCT_STAGES } from '../store/products.js';
import { BANDS, STAGES, type CheckResult, type GoldError, type GoldSuccess } from '../gold/types.js';
import type { SilverContext, SilverProduct, SilverResult } from '../silver/product.js';

/**
 * Every `--json` document assay prints (see docs/json.md). Scripts may rely on these: a field is never
 * removed, renamed or retyped without raising `schemaVersion`; new fields may appear within a version.
 * The end-to-end tests parse the CLI's stdout with them, so code and contract cannot drift apart.
 */

const version = z.literal(1);
const count = z.number().int().nonnegative();
const isoTime = z.iso.datetime();

export const BandSchema = z.enum(BANDS);

export { CatalogSummarySchema, GapSummarySchema, ReasonSummarySchema, StageScoresSchema };

// Silver (see docs/normalize.md)

export const BrokenUrlSchema = z.strictObject({ url: z.string(), reason: z.string(), detail: z.string().optional() });

export const DuplicateReasonSchema = z.enum(['gtin', 'sku', 'mpn', 'model', 'title', 'similar-title']);

export const SilverResultSchema = z.strictObject({
  productId: z.string(),
  status: z.enum(['success', 'error']),
  fieldsNormalized: count,
  duplicateOf: z.string().nullable(),
  /** Absent in results written before links carried a reason. */
  duplicateReason: DuplicateReasonSchema.nullable().optional(),
  duplicateValue: z.string().nullable().optional(),
  urlsValidated: count,
  brokenUrls: z.array(BrokenUrlSchema),
  error: z.string().optional(),
});

export const SilverProductSchema = z.strictObject({
  id: z.string(),
  sku: z.string().optional(),
  gtin: z
    .string()
    .regex(/^(\d{8}|\d{12,14})$/)
    .optional(),
  mpn: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  shortDescription: z.string().optional(),
  brand: z.string().optional(),
  categoryPath: z.string().optional(),
  taxonomyId: z.string().optional(),
  price: z.number().optional(),
  originalPrice: z.number().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  availability: z.enum(['in_stock', 'out_of_stock', 'preorder', 'backorder']).optional(),
  primaryImageUrl: z.string().optional(),
  additionalImageUrls: z.array(z.string()),
  productUrl: z.string().optional(),
  condition: z.enum(['new', 'refurbished', 'used']).optional(),
  identifierExists: z.boolean().optional(),
  attributes: z.record(z.string(), z.string()),
});

export const FieldIssueSchema = z.strictObject({ field: z.string(), code: z.string(), message: z.string(), value: z.string().optional() });

export const SilverContextSchema = z.strictObject({
  duplicateOf: z.string().nullable(),
  imageStates: z.record(z.string(), z.enum(['valid', 'broken', 'unchecked'])),
  brandLinked: z.boolean(),
  issues: z.array(FieldIssueSchema),
  fromStore: z.array(z.string()).optional(),
});

// Gold (see docs/rubric.md)

export const GapSchema = z.strictObject({ field: z.string(), pointsLost: z.number().positive(), reasons: z.array(z.string()) });

export const BlockerSchema = z.strictObject({ code: z.string(), field: z.string(), attribute: z.string(), message: z.string() });

export const CheckResultSchema = z.strictObject({
  id: z.string(),
  stage: z.enum(STAGES),
  field: z.string(),
  points: z.number().min(0),
  won: z.number().min(0),
  reason: z.string(),
  code: z.string().optional(),
  unchecked: z.boolean().optional(),
  skipped: z.boolean().optional(),
});

/** A product's Gold result as printed and stored: the per-check list is left to `assay show`. */
export const GoldResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    productId: z.string(),
    status: z.literal('success'),
    score: z.number().int().min(0).max(100),
    band: BandSchema,
    stages: StageScoresSchema,
    gaps: z.array(GapSchema),
    missingFields: z.array(z.string()),
    feedReady: z.boolean(),
    channel: z.enum(CHANNELS),
    categoryClasses: z.array(z.enum(CATEGORY_CLASSES)),
    blockers: z.array(BlockerSchema),
    cappedBy: z.string().nullable(),
    lostByReason: z.record(z.string(), z.number()),
  }),
  z.strictObject({ productId: z.string(), status: z.literal('error'), error: z.string() }),
]);

export const GateReportSchema = z.strictObject({
  passed: z.boolean(),
  gates: z.array(
    z.strictObject({
      name: z.enum(['min-score', 'min-avg', 'max-poor', 'require-feed-ready', 'max-avg-drop', 'max-product-drop', 'no-new-failures']),
      passed: z.boolean(),
      threshold: z.union([z.number(), z.boolean()]),
      measured: z.number().nullable(),
      message: z.string(),
      offenders: z.array(z.string()),
      offenderCount: count,
    }),
  ),
});

// Jobs (see docs/commands.md#jobs)

export const JobScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('stale') }),
  /** The ids themselves are not repeated: a scope may hold a million of them. */
  z.strictObject({ kind: z.literal('ids'), count }),
]);

export const NormalizeSummarySchema = z.strictObject({
  processed: count,
  fieldsNormalized: count,
  duplicates: count,
  /** Duplicates by the reason of their link; absent in summaries of jobs run before links had one. */
  duplicatesByReason: z.record(z.string(), count).optional(),
  brokenUrls: count,
  urlsValidated: count,
  /** Products with an error result, requested ids the catalog lacks included. */
  errors: count,
  presetsDetected: z.record(z.string(), count),
  urlRequests: count,
  duration_ms: z.number().min(0),
  notFound: z.array(z.string()),
});

export const AnalyzeSummarySchema = z.strictObject({
  rubricVersion: z.string(),
  run: CatalogSummarySchema,
  catalog: CatalogSummarySchema,
  gates: GateReportSchema.optional(),
  duration_ms: z.number().min(0),
  notFound: z.array(z.string()),
  errors: count,
});

/** A job started but not finished has at most the ids it could not find. */
const PendingSummarySchema = z.strictObject({ notFound: z.array(z.string()) });

const jobFields = {
  id: z.number().int().positive(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  scope: JobScopeSchema,
  total: count,
  done: count,
  errors: count,
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  heartbeatAt: isoTime.nullable(),
  pid: z.number().int(),
  host: z.string(),
  logFile: z.string().nullable(),
  error: z.string().nullable(),
};

/** One job as `assay jobs` and `assay status` print it. */
export const JobRecordSchema = z.discriminatedUnion('stage', [
  z.strictObject({ ...jobFields, stage: z.literal('normalize'), summary: z.union([NormalizeSummarySchema, PendingSummarySchema]).nullable() }),
  z.strictObject({ ...jobFields, stage: z.literal('analyze'), summary: z.union([AnalyzeSummarySchema, PendingSummarySchema]).nullable() }),
]);

/** The job in a normalize or analyze document, whose summary is in the document itself. */
export const JobBriefSchema = z.strictObject({ ...jobFields, stage: z.enum(['normalize', 'analyze']) });

// The documents, one per command

export const LoadSummarySchema = z.strictObject({
  files: z.array(z.string()),
  total: count,
  rows: count,
  created: count,
  updated: count,
  unchanged: count,
  errors: z.array(z.strictObject({ file: z.string(), line: z.number().int(), code: z.string(), reason: z.string() })),
  warnings: z.array(z.strictObject({ file: z.string(), message: z.string() })),
  duration_ms: z.number().min(0),
  notReadSince: z.iso.datetime().optional(),
});

export const LoadJsonSchema = z.strictObject({ schemaVersion: version, ...LoadSummarySchema.shape });

export const NormalizeJsonSchema = z.strictObject({
  schemaVersion: version,
  job: JobBriefSchema,
  results: z.array(SilverResultSchema),
  processed: count,
  duration_ms: z.number().min(0),
  summary: NormalizeSummarySchema,
  /** What the mapping understood of the catalog's columns (see `assay columns`). */
  mapping: z
    .strictObject({
      preset: z.string().optional(),
      columns: count,
      mapped: count,
      toAttributes: count,
      unfed: z.array(z.string()),
      suggestions: z.array(
        z.strictObject({
          source: z.string(),
          target: z.string(),
          rule: z.strictObject({ sourceField: z.string(), targetField: z.string() }),
          evidence: z.string(),
        }),
      ),
    })
    .optional(),
});

export const RegressionsSchema = z.strictObject({
  count,
  products: z.array(z.strictObject({ id: z.string(), before: z.number().nullable(), after: z.number().nullable(), newGaps: z.array(z.string()) })),
});

export const AnalyzeJsonSchema = z.strictObject({
  schemaVersion: version,
  job: JobBriefSchema,
  rubricVersion: z.string(),
  results: z.array(GoldResultSchema),
  /** Every scored product of the catalog after the run. */
  catalogSummary: CatalogSummarySchema,
  /** Only the products of this run (the same as catalogSummary after --all). */
  runSummary: CatalogSummarySchema,
  gates: GateReportSchema,
  /** With --baseline: products that scored lower than in the baseline (the first few, and how many). */
  regressions: RegressionsSchema.optional(),
  duration_ms: z.number().min(0),
});

export const RunJsonSchema = z.strictObject({
  schemaVersion: version,
  load: LoadSummarySchema,
  normalize: z.strictObject({ job: JobRecordSchema }),
  analyze: z.strictObject({ job: JobRecordSchema, rubricVersion: z.string() }),
  catalogSummary: CatalogSummarySchema,
  gates: GateReportSchema,
  /** The files `--export FORMAT:PATH` wrote. */
  exports: z.array(z.strictObject({ format: z.enum(EXPORT_FORMATS), out: z.string(), products: z.number().int().nonnegative() })),
  regressions: RegressionsSchema.optional(),
});

const ProductLayersSchema = z.strictObject({
  seq: z.number().int().positive(),
  id: z.string(),
  stage: z.enum(PRODUCT_STAGES),
  bronze: z.record(z.string(), z.string()),
  source: z.strictObject({ file: z.string(), line: z.number().int(), hash: z.string(), loadedAt: isoTime, updatedAt: isoTime }),
  silver: z
    .strictObject({
      record: SilverProductSchema.nullable(),
      result: SilverResultSchema,
      context: SilverContextSchema.nullable(),
      /** False when bronze changed after this was normalized. */
      current: z.boolean(),
      normalizedAt: isoTime,
    })
    .nullable(),
  gold: z
    .strictObject({
      result: GoldResultSchema,
      /** Every check with its points won, scored again from silver with the rubric that made the result. */
      checks: z.array(CheckResultSchema),
      rubricVersion: z.string(),
      current: z.boolean(),
      analyzedAt: isoTime,
    })
    .nullable(),
  brand: z.strictObject({ canonical: z.string(), aliases: z.array(z.string()), source: z.enum(['user', 'catalog']) }).nullable(),
  duplicates: z.array(z.string()),
});

export const ShowJsonSchema = z.strictObject({ schemaVersion: version, product: ProductLayersSchema });

export const ProductRecordSchema = z.strictObject({
  id: z.string(),
  stage: z.enum(PRODUCT_STAGES),
  title: z.string().nullable(),
  brand: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  duplicateReason: DuplicateReasonSchema.nullable(),
  brokenUrls: count,
  score: z.number().int().min(0).max(100).nullable(),
  band: BandSchema.nullable(),
  feedReady: z.boolean().nullable(),
  topGap: z.string().nullable(),
});

export const ProductsJsonSchema = z.strictObject({ schemaVersion: version, products: z.array(ProductRecordSchema) });

export const SummaryJsonSchema = z.strictObject({ schemaVersion: version, catalogSummary: CatalogSummarySchema });

export const JobsJsonSchema = z.strictObject({ schemaVersion: version, jobs: z.array(JobRecordSchema) });

export const StatusJsonSchema = z.strictObject({ schemaVersion: version, job: JobRecordSchema });

/** `cancel`: what became of the job: a running one stops after its batch, a stopped one is cancelled, an ended one is left as it was. */
export const CancelJsonSchema = z.strictObject({ schemaVersion: version, job: JobRecordSchema, outcome: z.enum(['requested', 'cancelled', 'unchanged']) });

/** `normalize`/`analyze --detach`: the job just started in the background. */
export const DetachJsonSchema = z.strictObject({ schemaVersion: version, job: JobRecordSchema, logFile: z.string() });

export const ExportJsonSchema = z.strictObject({ schemaVersion: version, format: z.enum(EXPORT_FORMATS), out: z.string(), products: count });

export const ConfigValidateJsonSchema = z.strictObject({ schemaVersion: version, file: z.string(), valid: z.boolean(), problems: z.array(z.string()) });

export const ConfigShowJsonSchema = z.strictObject({
  schemaVersion: version,
  file: z.string().nullable(),
  values: z.array(z.strictObject({ key: z.string(), value: z.json(), source: z.enum(['default', 'file']) })),
});

export type BrokenUrlJson = z.infer<typeof BrokenUrlSchema>;
export type SilverResultJson = z.infer<typeof SilverResultSchema>;
export type GoldResultJson = z.infer<typeof GoldResultSchema>;
export type CatalogSummaryJson = z.infer<typeof CatalogSummarySchema>;
export type GateReportJson = z.infer<typeof GateReportSchema>;
export type JobScopeJson = z.infer<typeof JobScopeSchema>;
export type NormalizeSummary = z.infer<typeof NormalizeSummarySchema>;
export type AnalyzeSummary = z.infer<typeof AnalyzeSummarySchema>;
export type JobRecord = z.infer<typeof JobRecordSchema>;
export type JobBrief = z.infer<typeof JobBriefSchema>;
export type LoadJson = z.infer<typeof LoadJsonSchema>;
export type NormalizeJson = z.infer<typeof NormalizeJsonSchema>;
export type AnalyzeJson = z.infer<typeof AnalyzeJsonSchema>;
export type RunJson = z.infer<typeof RunJsonSchema>;
export type ShowJson = z.infer<typeof ShowJsonSchema>;
export type ProductRecord = z.infer<typeof ProductRecordSchema>;
export type ProductsJson = z.infer<typeof ProductsJsonSchema>;
export type SummaryJson = z.infer<typeof SummaryJsonSchema>;
export type JobsJson = z.infer<typeof JobsJsonSchema>;
export type StatusJson = z.infer<typeof StatusJsonSchema>;
export type CancelJson = z.infer<typeof CancelJsonSchema>;
export type DetachJson = z.infer<typeof DetachJsonSchema>;
export type ExportJson = z.infer<typeof ExportJsonSchema>;
export type ConfigValidateJson = z.infer<typeof ConfigValidateJsonSchema>;
export type ConfigShowJson = z.infer<typeof ConfigShowJsonSchema>;

// The schemas restate the core types; these fail the build when one side changes without the other.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const agrees = <T extends true>(): T => true as T;
agrees<Same<z.infer<typeof SilverResultSchema>, SilverResult>>();
agrees<Same<z.infer<typeof SilverProductSchema>, SilverProduct>>();
agrees<Same<z.infer<typeof SilverContextSchema>, SilverContext>>();
agrees<Same<z.infer<typeof CheckResultSchema>, CheckResult>>();
agrees<Same<GoldResultJson, Omit<GoldSuccess, 'checks'> | GoldError>>();
agrees<Same<CatalogSummaryJson, CatalogSummary>>();
agrees<Same<GateReportJson, GateReport>>();
agrees<Same<z.infer<typeof LoadSummarySchema>, LoadSummary>>();

const BrandSideSchema = z.strictObject({ key: z.string(), spellings: z.array(z.tuple([z.string(), count])), products: count });

/** `assay brands --suggest --json`. */
export const BrandSuggestionsJsonSchema = z.strictObject({
  schemaVersion: version,
  suggestions: z.array(z.strictObject({ a: BrandSideSchema, b: BrandSideSchema, edits: z.number().int().min(1).max(2), sharedTitles: count })),
});
export type BrandSuggestionsJson = z.infer<typeof BrandSuggestionsJsonSchema>;
