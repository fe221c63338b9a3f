import { UserError } from '../errors.js';
import { FIELD_ORDER } from '../gold/registry.js';
import type { ProductFilters } from '../store/products.js';

export interface FilterFlags {
  stage?: ProductFilters['stage'];
  band?: string;
  minScore?: string;
  maxScore?: string;
  gap?: string;
  duplicates?: boolean;
  notFeedReady?: boolean;
  brand?: string;
  sort?: ProductFilters['sort'];
  limit?: string;
}

function number(value: string | undefined, flag: string, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new UserError('bad_flag', `${flag} takes a number from 0${Number.isFinite(max) ? ` to ${max}` : ''}, got '${value}'`);
  return n;
}

/** A count of rows to show: a whole number, checked before any work starts. */
export function parseLimit(value: string | undefined, fallback: number): number;
export function parseLimit(value: string | undefined, fallback?: number): number | undefined;
export function parseLimit(value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UserError('bad_flag', `--limit takes a whole number from 0, got '${value}'`);
  return n;
}

/** Reason codes are `subject.reason` in lower case (`title.all_caps`, `gtin.invalid_check_digit`). */
const REASON_CODE = /^[a-z_]+\.[a-z_]+$/;

function gapFilter(value: string | undefined): Pick<ProductFilters, 'gap' | 'gapReason'> {
  if (value === undefined) return {};
  if (FIELD_ORDER.includes(value)) return { gap: value };
  if (REASON_CODE.test(value)) return { gapReason: value };
  throw new UserError(
    'bad_flag',
    `--gap takes a field the rubric grades, or a reason code such as title.all_caps, got '${value}': use one of ${FIELD_ORDER.join(', ')}`,
  );
}

export function parseFilters(flags: FilterFlags): ProductFilters {
  return {
    stage: flags.stage,
    band: flags.band,
    minScore: number(flags.minScore, '--min-score', 100),
    maxScore: number(flags.maxScore, '--max-score', 100),
    ...gapFilter(flags.gap),
    duplicates: flags.duplicates,
    notFeedReady: flags.notFeedReady,
    brand: flags.brand,
    sort: flags.sort,
    limit: parseLimit(flags.limit),
  };
}
