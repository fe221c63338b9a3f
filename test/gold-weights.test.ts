import { describe, expect, it } from 'vitest';
import { bandOf, validateBands } from '../src/gold/bands.js';
import { CHECKS } from '../src/gold/registry.js';
import { STAGES } from '../src/gold/types.js';
import { rubricVersion } from '../src/gold/version.js';
import { DEFAULT_WEIGHTS, parseWeights, validateWeights } from '../src/gold/weights.js';

describe('registry', () => {
  it.each(STAGES)('gives %s checks worth its default weight', (stage) => {
    const points = CHECKS.filter((check) => check.stage === stage).reduce((sum, check) => sum + check.points, 0);
    expect(points).toBeCloseTo(DEFAULT_WEIGHTS[stage], 10);
  });
  it('has unique check ids', () => expect(new Set(CHECKS.map((check) => check.id)).size).toBe(CHECKS.length));
});

describe('weights', () => {
  it('parses every stage', () =>
    expect(parseWeights('identity=30, taxonomy=10,content=25,media=20,pricing=5,attributes=5,seo=5')).toEqual({
      ok: true,
      weights: { identity: 30, taxonomy: 10, content: 25, media: 20, pricing: 5, attributes: 5, seo: 5 },
    }));
  it('shows the sum and the stages when it is not 100', () =>
    expect(parseWeights('identity=20,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=10')).toEqual({
      ok: false,
      errors: ['weights must sum to 100, got 105 (identity=20, taxonomy=15, content=25, media=20, pricing=10, attributes=5, seo=10)'],
    }));
  it('names a missing stage and the stage list', () =>
    expect(parseWeights('identity=100')).toMatchObject({
      ok: false,
      errors: expect.arrayContaining(["missing stage 'seo'; weights need all of identity, taxonomy, content, media, pricing, attributes, seo"]),
    }));
  it('rejects an unknown stage', () =>
    expect(validateWeights({ ...DEFAULT_WEIGHTS, looks: 0 })).toMatchObject({
      ok: false,
      errors: ["unknown stage 'looks'; the stages are identity, taxonomy, content, media, pricing, attributes, seo"],
    }));
  it('rejects a negative weight', () =>
    expect(validateWeights({ ...DEFAULT_WEIGHTS, seo: -5, identity: 30 })).toMatchObject({
      ok: false,
      errors: ['seo must be a non-negative number, got -5'],
    }));
  it('rejects a malformed pair', () =>
    expect(parseWeights('identity:20')).toEqual({ ok: false, errors: ["'identity:20' is not stage=number (for example identity=20)"] }));
  it.each(['Infinity', '1e400', '-Infinity'])('names a weight of %s as written and asks for a finite number', (written) =>
    expect(parseWeights(`identity=${written},taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=5`)).toEqual({
      ok: false,
      errors: [`identity must be a finite number, got ${written}`],
    }),
  );
  it('rejects a stage given twice', () => expect(parseWeights('seo=5,seo=5')).toEqual({ ok: false, errors: ["stage 'seo' is given twice"] }));
  it('tolerates float sums', () =>
    expect(validateWeights({ identity: 33.3, taxonomy: 33.3, content: 33.4, media: 0, pricing: 0, attributes: 0, seo: 0 }).ok).toBe(true));
});

describe('bands', () => {
  it.each([
    [100, 'excellent'],
    [85, 'excellent'],
    [84, 'good'],
    [65, 'good'],
    [64, 'warning'],
    [40, 'warning'],
    [39, 'poor'],
    [0, 'poor'],
  ] as const)('puts %i in %s', (score, band) => expect(bandOf(score)).toBe(band));
  it('wants falling thresholds', () =>
    expect(validateBands({ excellent: 60, good: 65, warning: 40 })).toEqual({
      ok: false,
      errors: ['bands must fall: excellent > good > warning, got 60 / 65 / 40'],
    }));
});

describe('rubric version', () => {
  it('is stable for the same rubric', () => expect(rubricVersion()).toBe(rubricVersion({ ...DEFAULT_WEIGHTS })));
  it('is 8 hex digits', () => expect(rubricVersion()).toMatch(/^[0-9a-f]{8}$/));
  it('changes with the weights', () => expect(rubricVersion({ ...DEFAULT_WEIGHTS, seo: 0, attributes: 10 })).not.toBe(rubricVersion()));
  it('changes with the bands', () => expect(rubricVersion(DEFAULT_WEIGHTS, { excellent: 90, good: 65, warning: 40 })).not.toBe(rubricVersion()));
});

describe('parseWeights and the names of Object members', () => {
  const rest = 'identity=20,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=5';
  it.each(['constructor', '__proto__', 'toString'])('calls %s an unknown stage', (name) => {
    expect(parseWeights(`${name}=5,${rest}`)).toEqual({
      ok: false,
      errors: [`unknown stage '${name}'; the stages are identity, taxonomy, content, media, pricing, attributes, seo`],
    });
  });
});
