import { STAGES, type Stage, type Weights } from './types.js';

const AT = Object.fromEntries(STAGES.map((stage, index) => [stage, index])) as Record<Stage, number>;

/**
 * Rounds stage points to cents so that they add up exactly to the rounded total: a reader who
 * adds the stages of `assay show` by hand gets the score before rounding, to the cent. Writes
 * the stages' cents to `cents` and returns the total.
 */
export function splitCents(sums: Float64Array, cents: Float64Array): number {
  let total = 0;
  for (let i = 0; i < sums.length; i++) total += sums[i];
  const totalCents = Math.round(total * 100);
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
  return totalCents;
}

export function stagesFromCents(cents: Float64Array): Weights {
  // One literal, not a key at a time: every product's stages then share one layout from the start.
  return {
    identity: cents[AT.identity] / 100,
    taxonomy: cents[AT.taxonomy] / 100,
    content: cents[AT.content] / 100,
    media: cents[AT.media] / 100,
    pricing: cents[AT.pricing] / 100,
    attributes: cents[AT.attributes] / 100,
    seo: cents[AT.seo] / 100,
  };
}
