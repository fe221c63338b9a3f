import { z } from 'zod';
import type { Band, BandThresholds } from './types.js';

export const DEFAULT_BANDS: Readonly<BandThresholds> = Object.freeze({ excellent: 85, good: 65, warning: 40 });

export function bandOf(score: number, bands: BandThresholds = DEFAULT_BANDS): Band {
  if (score >= bands.excellent) return 'excellent';
  if (score >= bands.good) return 'good';
  if (score >= bands.warning) return 'warning';
  return 'poor';
}

export type BandsResult = { ok: true; bands: BandThresholds } | { ok: false; errors: string[] };

const THRESHOLD_NAMES = ['excellent', 'good', 'warning'] as const;

/** Thresholds between 0 and 100 with excellent > good > warning, so every score has one band. */
export function validateBands(input: unknown): BandsResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['bands must be an object with excellent, good and warning thresholds'] };
  }
  const record = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const name of Object.keys(record)) {
    if (!(THRESHOLD_NAMES as readonly string[]).includes(name)) {
      errors.push(`unknown band '${name}'; thresholds are excellent, good, warning (poor is the rest)`);
    }
  }
  for (const name of THRESHOLD_NAMES) {
    const value = record[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      errors.push(`${name} must be a number from 0 to 100, got ${JSON.stringify(value)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const bands = record as unknown as BandThresholds;
  const problem = bandOrderProblem(bands);
  if (problem) errors.push(`bands ${problem}`);
  return errors.length === 0 ? { ok: true, bands: { ...bands } } : { ok: false, errors };
}

/** What is wrong with the order of the thresholds, if anything: the one place that judges it. */
function bandOrderProblem(bands: BandThresholds): string | undefined {
  if (bands.excellent > bands.good && bands.good > bands.warning) return undefined;
  return `must fall: excellent > good > warning, got ${bands.excellent} / ${bands.good} / ${bands.warning}`;
}

const threshold = z.number().min(0).max(100);

/** Band thresholds as the config file and a stored job hold them. */
export const BandsSchema = z.strictObject({ excellent: threshold, good: threshold, warning: threshold }).superRefine((bands, ctx) => {
  const problem = bandOrderProblem(bands);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
