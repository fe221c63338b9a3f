import { describe, expect, it } from 'vitest';
import { fixTitleCase, isSingleCase, toTitleCase } from '../src/silver/title-case.js';

describe('fixTitleCase', () => {
  it('title-cases an all-caps title', () => {
    expect(fixTitleCase('NIKE AIR MAX 90 RUNNING SHOES')).toBe('Nike Air Max 90 Running Shoes');
  });

  it('title-cases an all-lower-case title', () => {
    expect(fixTitleCase('stainless steel water bottle')).toBe('Stainless Steel Water Bottle');
  });

  it('leaves a mixed-case title alone', () => {
    expect(fixTitleCase('iPhone 15 Pro case by ACME')).toBe('iPhone 15 Pro case by ACME');
  });

  it('leaves text without cased letters alone', () => {
    expect(fixTitleCase('عطر كوكو شانيل 100 مل')).toBe('عطر كوكو شانيل 100 مل');
    expect(fixTitleCase('12345')).toBe('12345');
  });

  it('keeps acronyms', () => {
    expect(fixTitleCase('samsung 55 inch 4k uhd led tv with hdmi')).toBe('Samsung 55 Inch 4K UHD LED TV with HDMI');
    expect(fixTitleCase('ANKER USB-C CABLE FOR IPHONE')).toBe('Anker USB-C Cable for iPhone');
    expect(fixTitleCase('basic tee xl')).toBe('Basic Tee XL');
  });

  it('writes units after numbers in their usual case', () => {
    expect(fixTitleCase('SANDISK 32GB MICRO SD CARD 100MB/S')).toBe('Sandisk 32GB Micro SD Card 100MB/S');
    expect(fixTitleCase('SHAMPOO 250ML')).toBe('Shampoo 250ml');
    expect(fixTitleCase('olive oil 500 ml bottle 16.9 oz')).toBe('Olive Oil 500 ml Bottle 16.9 oz');
    expect(fixTitleCase('POWER BANK 10000MAH 3XL')).toBe('Power Bank 10000mAh 3XL');
    expect(fixTitleCase('monitor 1080p 144hz')).toBe('Monitor 1080p 144Hz');
  });

  it('lower-cases small words mid-title but not first or after a colon', () => {
    expect(fixTitleCase('THE LORD OF THE RINGS: THE RETURN OF THE KING')).toBe('The Lord of the Rings: The Return of the King');
    expect(fixTitleCase('a set of 3 mugs - for coffee')).toBe('A Set of 3 Mugs - For Coffee');
  });

  it('upper-cases model numbers that mix letters and digits', () => {
    expect(fixTitleCase('sony ps5 controller rtx3080')).toBe('Sony PS5 Controller RTX3080');
  });

  it('cases each part of hyphenated words and keeps punctuation around words', () => {
    expect(fixTitleCase("MEN'S T-SHIRT (PACK OF 2)")).toBe("Men's T-Shirt (Pack of 2)");
  });
});

describe('isSingleCase', () => {
  it('tells single-case text from mixed-case text', () => {
    expect(isSingleCase('ALL CAPS 4K')).toBe(true);
    expect(isSingleCase('all lower')).toBe(true);
    expect(isSingleCase('Mixed Case')).toBe(false);
  });
});

describe('toTitleCase', () => {
  it('keeps repeated spaces as they are', () => {
    expect(toTitleCase('red  apple')).toBe('Red  Apple');
  });
});
