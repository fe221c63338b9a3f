import { describe, expect, it } from 'vitest';
import { isVetoed, similarItem, similarPairs } from '../src/silver/similar.js';

const item = (seq: number, title: string, brand = '') => similarItem(seq, title, brand);

describe('similar titles', () => {
  it("pairs two listings of one product written differently, each the other's best match", () => {
    const items = [
      item(0, 'Singing Coach Unlimited', 'Carry-a-Tune'),
      item(1, 'singing coach unlimited - electronic learning products'),
      item(2, 'Garden hose reel deluxe'),
    ];
    expect(similarPairs(items, { maxBlock: 50, threshold: 0.3 }).map(([a, b]) => [a, b])).toEqual([[1, 0]]);
  });

  it('links only mutual best matches: a third listing closer to one side takes it', () => {
    const others = ['Garden hose reel', 'Cordless drill kit', 'Office chair mesh'].map((title, i) => item(3 + i, title));
    const items = [item(0, 'Math Success Deluxe 2006'), item(1, 'math success deluxe 2006 win'), item(2, 'math success deluxe 2006'), ...others];
    const pairs = similarPairs(items, { maxBlock: 50, threshold: 0.3 }).map(([a, b]) => [a, b]);
    expect(pairs).toEqual([[2, 0]]);
  });

  it('keeps apart titles below the threshold and words too common to block', () => {
    const items = [item(0, 'Photo Editor Basic Suite'), item(1, 'photo album maker')];
    expect(similarPairs(items, { maxBlock: 50, threshold: 0.9 })).toEqual([]);
    expect(similarPairs(items, { maxBlock: 1, threshold: 0 })).toEqual([]);
  });

  it('vetoes known brands that differ, but not an unknown one', () => {
    expect(isVetoed(item(0, 'Premiere Elements 3.0', 'Adobe'), item(1, 'Premiere Elements 3.0', 'Corel'))).toBe(true);
    expect(isVetoed(item(0, 'Premiere Elements 3.0', 'Adobe'), item(1, 'adobe premiere elements 3.0'))).toBe(false);
  });

  it('vetoes two different GTINs, but not one GTIN against none', () => {
    const shirt = (gtin?: string) => ({ ...item(0, 'Linen Shirt'), ...(gtin ? { gtin } : {}) });
    expect(isVetoed(shirt('04006381333931'), shirt('05901234123457'))).toBe(true);
    expect(isVetoed(shirt('04006381333931'), shirt())).toBe(false);
  });

  it('vetoes editions, colours and capacities that differ, and numbers each side lacks', () => {
    expect(isVetoed(item(0, 'Dreamweaver CS3 Upgrade'), item(1, 'Dreamweaver CS3'))).toBe(true);
    expect(isVetoed(item(0, 'iPod nano 4GB'), item(1, 'iPod nano 8GB'))).toBe(true);
    expect(isVetoed(item(0, 'Print Shop 22 Deluxe'), item(1, 'Print Shop 21 Deluxe'))).toBe(true);
    expect(isVetoed(item(0, 'Print Shop 22 Deluxe'), item(1, 'the print shop deluxe 22 dvd'))).toBe(false);
  });

  it('applies the number veto inside the pass as isVetoed does: a number each side lacks parts, a shared one does not', () => {
    const pairsOf = (a: string, b: string) => similarPairs([item(0, a), item(1, b), item(2, 'Garden hose reel')], { maxBlock: 50, threshold: 0.3 });
    expect(pairsOf('Print Shop 22 Deluxe', 'Print Shop 21 Deluxe')).toEqual([]);
    expect(pairsOf('Print Shop 22 Deluxe 7', 'the print shop deluxe 22 7 dvd').map(([a, b]) => [a, b])).toEqual([[1, 0]]);
  });

  it('blocks on a word held by exactly maxBlock products, not by one more', () => {
    // 'zephyr' is the only word the titles share: every one is as close to the others, and the earliest wins ties.
    const others = ['Garden hose reel', 'Cordless drill kit', 'Office chair mesh'].map((title, i) => item(100 + i, title));
    const titles = (count: number) => [...Array.from({ length: count }, (_, i) => item(i, `zephyr ${'q'.repeat(i + 1)}`)), ...others];
    expect(similarPairs(titles(4), { maxBlock: 4, threshold: 0.05 }).map(([a, b]) => [a, b])).toEqual([[1, 0]]);
    expect(similarPairs(titles(5), { maxBlock: 4, threshold: 0.05 })).toEqual([]);
  });
});
