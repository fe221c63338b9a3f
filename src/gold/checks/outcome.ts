import type { SilverContext } from '../../silver/product.js';
import type { CheckOutcome } from '../types.js';

/**
 * Every outcome has every key, absent ones undefined: with one layout the scorer's reads of an
 * outcome stay on V8's fast path, where five layouts (won, won + code, ...) left it.
 */
function outcome(won: number, reason: string, code?: string, field?: string, unchecked?: boolean, skipped?: boolean): CheckOutcome {
  return { won, reason, code, field, unchecked, skipped };
}

export function earn(won: number, reason: string, unchecked?: boolean): CheckOutcome {
  return outcome(won, reason, undefined, undefined, unchecked ? true : undefined);
}

export function lose(reason: string, code: string, field?: string): CheckOutcome {
  return outcome(0, reason, code, field);
}

/**
 * The outcome a check gives for a whole number (a length, a depth), made once per number below
 * `limit`: titles and descriptions of a catalog have a few hundred lengths, and building the
 * same reason text for every product was most of what those checks cost. Outcomes are never
 * changed after they are made, so sharing one is safe.
 */
export function outcomesByNumber(limit: number, make: (n: number) => CheckOutcome): (n: number) => CheckOutcome {
  const made: (CheckOutcome | undefined)[] = new Array(limit).fill(undefined);
  return (n) => {
    if (n < 0 || n >= limit) return make(n);
    let found = made[n];
    if (found === undefined) {
      found = make(n);
      made[n] = found;
    }
    return found;
  };
}

/** Partial points: what is lost still has a reason code. */
export function partial(won: number, reason: string, code: string): CheckOutcome {
  return outcome(won, reason, code);
}

/** The check does not apply to this product. */
export function skip(reason: string): CheckOutcome {
  return outcome(0, reason, undefined, undefined, undefined, true);
}

export function hasText(value: string | undefined): value is string {
  return value !== undefined && value.length > 0;
}

/** "no price" becomes "no price (dropped by normalize: ...)" when Silver said why the field is empty. */
export function explainMissing(ctx: SilverContext, field: string, reason: string): string {
  for (const issue of ctx.issues) {
    if (issue.field === field) return `${reason} (dropped by normalize: ${issue.message})`;
  }
  return reason;
}

/** Two decimals keep partial points readable in reasons and results. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
