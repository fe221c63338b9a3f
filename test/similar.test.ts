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
});
