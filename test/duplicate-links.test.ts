import { describe, expect, it } from 'vitest';
import { decideLinks, layOver, sameLinks, sameSettledFacts, type BatchLinks, type LinkFacts, type LinkedProduct } from '../src/jobs/duplicate-links.js';

// A batch's links are decided before the batches ahead of it are committed, over the facts as
// they will read then; these are the pieces that make that decision and check it.

const settings = { configHash: 'h', notDuplicates: new Set<string>() };
const ref = (seq: number) => ({ id: `p${seq}`, seq });

function facts(parts: Partial<LinkFacts> & Pick<LinkFacts, 'candidateSeqs'>): LinkFacts {
  return { earliest: new Map(), similar: new Map(), gtins: new Map(), stored: new Map(), unsettled: new Set(), ...parts };
}

describe('duplicate links decided ahead of commits', () => {
  // Product 30 shares SKU 'a' with product 20; product 20's link goes to product 10.
  const products: LinkedProduct[] = [{ seq: 30, id: 'p30', keys: ['s:a'] }];
  const shared = { earliest: new Map([['s:a', ref(20)]]), candidateSeqs: [20] };

  it('follow an earlier product to the root its stored link names, and stay provisional behind unsettled silver', () => {
    const settled = decideLinks(products, facts({ ...shared, stored: new Map([[20, ref(10)]]) }), settings);
    expect([...settled.links]).toEqual([[30, { id: 'p10', reason: 'sku', value: 'a' }]]);
    expect(settled.provisional).toEqual([]);
    const unsettled = decideLinks(products, facts({ ...shared, stored: new Map([[20, ref(10)]]), unsettled: new Set([20]) }), settings);
    expect(unsettled.provisional).toEqual([30]);
  });

  it('read a candidate of an uncommitted batch as that batch will write it', () => {
    const pending: BatchLinks = { links: new Map(), provisional: [], resolved: new Map([[20, null]]) };
    const read = facts({ ...shared, stored: new Map([[20, ref(10)]]), unsettled: new Set([20]) });
    layOver(read, [pending]);
    // Product 20 is canonical once written and its silver is current: 30 links to 20 itself, for good.
    expect(read.stored.size).toBe(0);
    expect(read.unsettled.size).toBe(0);
    const decided = decideLinks(products, read, settings);
    expect([...decided.links]).toEqual([[30, { id: 'p20', reason: 'sku', value: 'a' }]]);
    expect(decided.provisional).toEqual([]);

    const linked: BatchLinks = { links: new Map(), provisional: [20], resolved: new Map([[20, ref(5)]]) };
    const again = facts({ ...shared });
    layOver(again, [linked]);
    expect(again.stored.get(20)).toEqual(ref(5));
    expect([...again.unsettled]).toEqual([20]);
    expect(decideLinks(products, again, settings).provisional).toEqual([30]);
  });

  it('tell facts and decisions that moved from those that did not', () => {
    const before = { stored: new Map([[20, ref(10)]]), unsettled: new Set<number>() };
    expect(sameSettledFacts(before, { stored: new Map([[20, ref(10)]]), unsettled: new Set() })).toBe(true);
    expect(sameSettledFacts(before, { stored: new Map([[20, ref(11)]]), unsettled: new Set() })).toBe(false);
    expect(sameSettledFacts(before, { stored: new Map([[20, ref(10)]]), unsettled: new Set([20]) })).toBe(false);
    const a = decideLinks(products, facts({ ...shared, stored: new Map([[20, ref(10)]]) }), settings);
    const b = decideLinks(products, facts({ ...shared }), settings);
    expect(sameLinks(a, decideLinks(products, facts({ ...shared, stored: new Map([[20, ref(10)]]) }), settings))).toBe(true);
    expect(sameLinks(a, b)).toBe(false);
  });
});
