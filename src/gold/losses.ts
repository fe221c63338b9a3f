import type { SilverProduct } from '../silver/product.js';
import { fieldAbsenceTest } from './fields.js';
import { FIELD_ORDER } from './registry.js';
import type { Gap } from './types.js';

/** Under half a cent lost is float noise from rescaling, not a gap. */
export const LOST_EPSILON = 0.005;

/**
 * The checks that lost points on one product, in check order: the field each loss went to, the
 * points and the reason code. A scorer keeps one and reuses it product after product.
 */
export interface Losses {
  count: number;
  readonly fields: Int32Array;
  readonly points: Float64Array;
  readonly codes: string[];
  /** Scratch for merging the losses of one field or of one code. */
  readonly mergedCodes: string[];
  readonly mergedPoints: Float64Array;
  readonly order: Int32Array;
}

export function createLosses(checks: number): Losses {
  return {
    count: 0,
    fields: new Int32Array(checks),
    points: new Float64Array(checks),
    codes: new Array<string>(checks).fill(''),
    mergedCodes: new Array<string>(checks).fill(''),
    mergedPoints: new Float64Array(checks),
    order: new Int32Array(checks),
  };
}

export function addLoss(losses: Losses, field: number, points: number, code: string): void {
  const at = losses.count++;
  losses.fields[at] = field;
  losses.points[at] = points;
  losses.codes[at] = code;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Sums the losses of one field (or of every field, for -1) by code into the scratch, codes in
 * the order first met, points added in check order. Returns how many codes.
 */
function mergeByCode(losses: Losses, field: number): number {
  const { mergedCodes, mergedPoints } = losses;
  let merged = 0;
  for (let i = 0; i < losses.count; i++) {
    if (field >= 0 && losses.fields[i] !== field) continue;
    const code = losses.codes[i];
    let at = 0;
    while (at < merged && mergedCodes[at] !== code) at++;
    if (at === merged) {
      mergedCodes[merged] = code;
      mergedPoints[merged++] = losses.points[i];
    } else {
      mergedPoints[at] += losses.points[i];
    }
  }
  return merged;
}

/** Points lost per reason code, keys in check order, for the catalog's top reasons. */
export function lostByReasonOf(losses: Losses): Record<string, number> {
  const merged = mergeByCode(losses, -1);
  const lostByReason: Record<string, number> = {};
  for (let i = 0; i < merged; i++) lostByReason[losses.mergedCodes[i]] = round2(losses.mergedPoints[i]);
  return lostByReason;
}

/** The reason codes of the losses that went to one field, most points first, each once; ties keep check order. */
function reasonsOf(losses: Losses, field: number): string[] {
  const merged = mergeByCode(losses, field);
  const { mergedCodes, mergedPoints } = losses;
  if (merged === 1) return [mergedCodes[0]];
  // Insertion by points, most first; a tie goes after the codes met before it.
  const reasons: string[] = [];
  const order = losses.order;
  for (let i = 0; i < merged; i++) {
    let at = i;
    for (; at > 0 && mergedPoints[order[at - 1]] < mergedPoints[i]; at--) order[at] = order[at - 1];
    order[at] = i;
  }
  for (let i = 0; i < merged; i++) reasons.push(mergedCodes[order[i]]);
  return reasons;
}

/** One gap per field that lost points, most points first; equal losses keep the fixed field order. */
export function gapsOf(losses: Losses, lostByField: Float64Array): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 0; i < lostByField.length; i++) {
    if (lostByField[i] < LOST_EPSILON) continue;
    // Made with a fraction first so that V8 lays pointsLost out as a double: a literal whose first
    // value is whole gets an integer field, and every fraction after it threw the scorer out of
    // optimized code again and again (thousands of times a run, about a quarter of its time).
    const gap: Gap = { field: FIELD_ORDER[i], pointsLost: 0.5, reasons: reasonsOf(losses, i) };
    gap.pointsLost = round2(lostByField[i]);
    let at = gaps.length;
    gaps.push(gap);
    for (; at > 0 && gaps[at - 1].pointsLost < gap.pointsLost; at--) gaps[at] = gaps[at - 1];
    gaps[at] = gap;
  }
  return gaps;
}

const ABSENT = FIELD_ORDER.map(fieldAbsenceTest);

export function missingOf(product: SilverProduct, lostByField: Float64Array): string[] {
  const missing: string[] = [];
  for (let i = 0; i < lostByField.length; i++) {
    if (lostByField[i] >= LOST_EPSILON && ABSENT[i](product)) missing.push(FIELD_ORDER[i]);
  }
  return missing;
}
