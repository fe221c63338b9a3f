import { findCheck } from '../../src/gold/registry.js';
import { channelProfile } from '../../src/gold/channels.js';
import type { CheckOutcome, RuleEnv } from '../../src/gold/types.js';
import type { SilverContext, SilverProduct } from '../../src/silver/product.js';
import { context } from './product.js';

/** Runs one rubric check by id, so a check test is one line of setup and one of expectation. */
export function runCheck(
  id: string,
  product: SilverProduct,
  ctx: SilverContext = context(),
  env: RuleEnv = { channel: channelProfile(), classes: [] },
): CheckOutcome {
  const check = findCheck(id);
  if (check === undefined) throw new Error(`no check '${id}' in the registry`);
  return check.run(product, ctx, env);
}

/** A text of exactly `length` characters, for length bounds. */
export function text(length: number): string {
  return 'Lorem ipsum dolor sit amet '.repeat(Math.ceil(length / 27)).slice(0, length);
}
