import { describe, expect, it } from 'vitest';
import { analyzeOptions, gatesFrom, normalizeOptions } from '../src/cli/options.js';
import type { Config } from '../src/config/schema.js';
import { AnalyzeJobOptionsSchema, NormalizeJobOptionsSchema } from '../src/jobs/options.js';

// Every option set, so that each stored key meets its schema.
const config: Config = {
  preset: 'shopify',
  language: 'en',
  mapping: [{ sourceField: 'Name', targetField: 'title', transform: 'trim' }],
  brands: { list: ['Acme', { name: 'Globex', aliases: ['GLBX'] }], strict: true },
  categories: { map: [{ source: 'Shoes', target: 'Apparel > Shoes', taxonomyId: '187' }], taxonomyFile: 'taxonomy.txt' },
  notDuplicates: [['A-1', 'A-2']],
  similarTitles: true,
  urls: { offline: false, timeoutMs: 5000, retries: 1, concurrency: 16, perHost: 4, ttlHours: 12, allowPrivateHosts: true },
  channel: 'meta',
  store: { currency: 'EUR', country: 'DE', language: 'de', baseUrl: 'https://shop.example' },
  gold: { blockedCap: 50 },
  gates: { minScore: 40, minAvg: 60, maxPoor: 3, requireFeedReady: true, allowEmpty: false },
};

/** What the catalog gives back of what a job stored. */
const storedAndRead = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('the options a job stores', () => {
  it('read back as they were written, for normalize', () => {
    const options = normalizeOptions({ imageSize: '300x200', recheck: true }, config);
    expect(NormalizeJobOptionsSchema.parse(storedAndRead(options))).toEqual(storedAndRead(options));
  });

  it('read back as they were written, for analyze with gates', () => {
    const options = { ...analyzeOptions({}, config), gates: gatesFrom({}, config) };
    expect(AnalyzeJobOptionsSchema.parse(storedAndRead(options))).toEqual(storedAndRead(options));
  });

  it('refuse stored weights that do not sum to 100, with the rubric words', () => {
    const options = storedAndRead(analyzeOptions({}, {})) as { weights: Record<string, number> };
    options.weights.seo += 10;
    const parsed = AnalyzeJobOptionsSchema.safeParse(options);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/^must sum to 100, got 110/);
  });
});
