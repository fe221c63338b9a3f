import { z } from 'zod';
import { BandsSchema } from '../gold/bands.js';
import { CHANNELS } from '../gold/channels.js';
import { WeightsSchema } from '../gold/weights.js';
import { PRESET_CHOICES } from '../silver/presets.js';

const nonNegative = z.number().nonnegative();

const MappingRuleSchema = z.strictObject({
  sourceField: z.string().min(1),
  targetField: z.string().min(1),
  transform: z.string().optional(),
});

const BrandSchema = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), aliases: z.array(z.string()).optional() })]);

const CategoryRuleSchema = z.strictObject({
  source: z.string().min(1),
  target: z.string().min(1),
  taxonomyId: z.string().optional(),
});

/** assay.config.json (see docs/config.md). Every key is optional; flags override it, it overrides defaults. */
export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  preset: z.enum(PRESET_CHOICES).optional(),
  /** The store's language (BCP 47, e.g. `en`, `fr-FR`): Title Case for English titles, sentence case otherwise. Default: judged per title. */
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en, fr or de-AT')
    .optional(),
  mapping: z.array(MappingRuleSchema).optional(),
  weights: WeightsSchema.optional(),
  bands: BandsSchema.optional(),
  brands: z.strictObject({ list: z.array(BrandSchema), strict: z.boolean().optional() }).optional(),
  categories: z.strictObject({ map: z.array(CategoryRuleSchema).optional(), taxonomyFile: z.string().optional() }).optional(),
  /** Pairs of product ids never to link as duplicates, whatever key they share. */
  notDuplicates: z.array(z.tuple([z.string().min(1), z.string().min(1)])).optional(),
  /** Also link duplicates by title similarity: for catalogs that merge several sources. */
  similarTitles: z.boolean().optional(),
  urls: z
    .strictObject({
      offline: z.boolean().optional(),
      timeoutMs: z.number().int().positive().optional(),
      retries: z.number().int().min(0).max(10).optional(),
      concurrency: z.number().int().positive().max(1024).optional(),
      perHost: z.number().int().positive().max(256).optional(),
      ttlHours: nonNegative.optional(),
      allowPrivateHosts: z.boolean().optional(),
    })
    .optional(),
  channel: z.enum(CHANNELS).optional(),
  store: z
    .strictObject({
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, 'a 3-letter ISO 4217 code such as USD')
        .optional(),
      country: z
        .string()
        .regex(/^[A-Za-z]{2}$/, 'a 2-letter ISO 3166 code such as US')
        .optional(),
      language: z
        .string()
        .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/, 'a language code such as en or en-GB')
        .optional(),
      baseUrl: z
        .string()
        .regex(/^https?:\/\/[^\s/]+/, 'an absolute http(s) address such as https://shop.example')
        .optional(),
    })
    .optional(),
  gold: z.strictObject({ blockedCap: z.number().min(0).max(100).optional() }).optional(),
  gates: z
    .strictObject({
      minScore: z.number().min(0).max(100).optional(),
      minAvg: z.number().min(0).max(100).optional(),
      maxPoor: z.number().int().min(0).optional(),
      requireFeedReady: z.boolean().optional(),
      allowEmpty: z.boolean().optional(),
    })
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
