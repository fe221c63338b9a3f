import { STAGES, type Weights } from './types.js';

/**
 * Rounds stage points to cents so that they add up exactly to the rounded total: a reader who
 * adds the stages of `assay show` by hand gets the score before rounding, to the cent.
 */
export function splitCents(sums: Float64Array): { stages: Weights; totalCents: number } {
  let total = 0;
  for (let i = 0; i < sums.length; i++) total += sums[i];
  const totalCents = Math.round(total * 100);
  const cents = new Array<number>(sums.length);
  let roundedSum = 0;
  for (let i = 0; i < sums.length; i++) {
    cents[i] = Math.round(sums[i] * 100);
    roundedSum += cents[i];
  }
  // Each stage rounds by at most half a cent, so this moves a cent or two, to the stages rounded furthest.
  for (let diff = totalCents - roundedSum; diff !== 0; diff += diff > 0 ? -1 : 1) {
    const step = diff > 0 ? 1 : -1;
    let best = 0;
    let bestError = -Infinity;
    for (let i = 0; i < sums.length; i++) {
      const error = (sums[i] * 100 - cents[i]) * step;
      if (error > bestError) {
        bestError = error;
        best = i;
      }
    }
    cents[best] += step;
  }
  const stages = {} as Weights;
  for (let i = 0; i < STAGES.length; i++) stages[STAGES[i]] = cents[i] / 100;
  return { stages, totalCents };
}
