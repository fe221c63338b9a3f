import { DEFAULT_BANDS } from './bands.js';
import { DEFAULT_CHANNEL, type ChannelName } from './channels.js';
import { CHECKS } from './registry.js';
import { STAGES, type BandThresholds, type Weights } from './types.js';
import { DEFAULT_WEIGHTS } from './weights.js';

/** Bump when a check's logic changes in a way its id and points do not show. */
const RUBRIC_REVISION = 2;

/** 32-bit FNV-1a: tiny, pure and stable across runs, which is all a version tag needs. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A short tag that changes whenever the same product could get a different result. */
export function rubricVersion(
  weights: Weights = DEFAULT_WEIGHTS,
  bands: BandThresholds = DEFAULT_BANDS,
  rules: { channel?: ChannelName; country?: string; blockedCap?: number } = {},
): string {
  const parts = [`r${RUBRIC_REVISION}`, `channel=${rules.channel ?? DEFAULT_CHANNEL}`];
  if (rules.country !== undefined) parts.push(`country=${rules.country}`);
  if (rules.blockedCap !== undefined) parts.push(`cap=${rules.blockedCap}`);
  for (const check of CHECKS) parts.push(`${check.id}:${check.points}`);
  for (const stage of STAGES) parts.push(`${stage}=${weights[stage]}`);
  parts.push(`bands=${bands.excellent}/${bands.good}/${bands.warning}`);
  return fnv1a(parts.join(';')).toString(16).padStart(8, '0');
}
