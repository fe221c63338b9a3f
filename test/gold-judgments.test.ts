import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../src/gold/channels.js';
import { createScorer } from '../src/gold/score.js';
import type { SilverContext, SilverProduct } from '../src/silver/product.js';
import { context, product } from './helpers/product.js';

interface Side {
  base: string;
  set?: Partial<SilverProduct>;
  unset?: (keyof SilverProduct)[];
  context?: Partial<SilverContext>;
}
interface Pair {
  why: string;
  channels: ChannelName[];
  order: 'better' | 'equal';
  better: Side;
  worse: Side;
}
interface Judgments {
  bases: Record<string, Partial<SilverProduct>>;
  pairs: Pair[];
}

const judgments = JSON.parse(readFileSync(new URL('../fixtures/judgments/pairs.json', import.meta.url), 'utf8')) as Judgments;

function build(side: Side): [SilverProduct, SilverContext] {
  const made = product({ ...structuredClone(judgments.bases[side.base]), ...structuredClone(side.set ?? {}) });
  for (const key of side.unset ?? []) delete made[key];
  return [made, context(side.context ?? {})];
}

const scorers = {
  google: createScorer(undefined, undefined, { channel: 'google' }),
  meta: createScorer(undefined, undefined, { channel: 'meta' }),
  generic: createScorer(undefined, undefined, { channel: 'generic' }),
};

describe('judgment suite: the order a merchandiser would give', () => {
  it('holds at least 30 pairs, each with a reason', () => {
    expect(judgments.pairs.length).toBeGreaterThanOrEqual(30);
    for (const pair of judgments.pairs) expect(pair.why.length).toBeGreaterThan(10);
  });

  for (const pair of judgments.pairs) {
    for (const channel of pair.channels) {
      it(`${channel}: ${pair.why}`, () => {
        const better = scorers[channel](...build(pair.better));
        const worse = scorers[channel](...build(pair.worse));
        const detail = `${better.score} (${better.blockers.map((b) => b.code).join(',') || 'feed-ready'}) vs ${worse.score} (${worse.blockers.map((b) => b.code).join(',') || 'feed-ready'})`;
        if (pair.order === 'equal') expect(better.score, detail).toBe(worse.score);
        else expect(better.score, detail).toBeGreaterThan(worse.score);
        // Otherwise no better, a product the channel refuses never outranks one it lists.
        if (better.feedReady !== worse.feedReady && pair.order === 'better') expect(better.feedReady, detail).toBe(true);
      });
    }
  }
});
