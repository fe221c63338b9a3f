import { z } from 'zod';
import { STAGES, type Stage, type Weights } from './types.js';

export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({
  identity: 20,
  taxonomy: 15,
  content: 25,
  media: 20,
  pricing: 10,
  attributes: 5,
  seo: 5,
});

export type WeightsResult = { ok: true; weights: Weights } | { ok: false; errors: string[] };

/** Floating-point sums such as 33.3 + 33.3 + 33.4 must still count as 100. */
const SUM_TOLERANCE = 1e-6;
const STAGE_LIST = STAGES.join(', ');

function isStage(name: string): name is Stage {
  return (STAGES as readonly string[]).includes(name);
}

/** Non-negative numbers for exactly the 7 stages, summing to 100. */
export function validateWeights(input: unknown): WeightsResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`weights must be an object with the stages ${STAGE_LIST}`] };
  }
  const record = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const name of Object.keys(record)) {
    if (!isStage(name)) errors.push(`unknown stage '${name}'; the stages are ${STAGE_LIST}`);
  }
  const weights = {} as Weights;
  for (const stage of STAGES) {
    const value = record[stage];
    if (value === undefined) {
      errors.push(`missing stage '${stage}'; weights need all of ${STAGE_LIST}`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      errors.push(`${stage} must be a non-negative number, got ${JSON.stringify(value)}`);
    } else {
      weights[stage] = value;
    }
  }
  const problem = errors.length === 0 ? weightSumProblem(weights) : undefined;
  if (problem) errors.push(`weights ${problem}`);
  return errors.length === 0 ? { ok: true, weights } : { ok: false, errors };
}

/** What is wrong with the sum of complete weights, if anything: the one place that judges it. */
function weightSumProblem(weights: Weights): string | undefined {
  let sum = 0;
  for (const stage of STAGES) sum += weights[stage];
  if (Math.abs(sum - 100) <= SUM_TOLERANCE) return undefined;
  const listed = STAGES.map((stage) => `${stage}=${weights[stage]}`).join(', ');
  return `must sum to 100, got ${Number(sum.toFixed(6))} (${listed})`;
}

/** Weights as the config file and a stored job hold them: every stage, non-negative, summing to 100. */
export const WeightsSchema = z
  .strictObject(Object.fromEntries(STAGES.map((stage) => [stage, z.number().nonnegative()])) as Record<Stage, z.ZodNumber>)
  .superRefine((weights, ctx) => {
    const problem = weightSumProblem(weights);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `--weights identity=20,taxonomy=15,...`; every stage must be given. */
export function parseWeights(text: string): WeightsResult {
  // Stage names come from the command line: `constructor=5` or `__proto__=5` must be an unknown stage.
  const record: Record<string, number> = Object.create(null);
  const errors: string[] = [];
  for (const pair of text.split(',')) {
    const item = pair.trim();
    if (item.length === 0) continue;
    const eq = item.indexOf('=');
    const name = eq < 0 ? '' : item.slice(0, eq).trim();
    const raw = eq < 0 ? '' : item.slice(eq + 1).trim();
    const value = raw.length === 0 ? Number.NaN : Number(raw);
    if (name.length === 0 || Number.isNaN(value)) {
      errors.push(`'${item}' is not stage=number (for example identity=20)`);
    } else if (!Number.isFinite(value)) {
      errors.push(`${name} must be a finite number, got ${raw}`);
    } else if (Object.hasOwn(record, name)) {
      errors.push(`stage '${name}' is given twice`);
    } else {
      record[name] = value;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return validateWeights(record);
}

/** The factor each check of a stage is multiplied by under these weights. */
export function stageFactor(weights: Weights, stage: Stage): number {
  return weights[stage] / DEFAULT_WEIGHTS[stage];
}
