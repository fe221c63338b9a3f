import { describe, expect, it } from 'vitest';
import { createBrandLinker, cutBrandCell } from '../src/silver/brands.js';
import { resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';

/** Whether two spellings end as one brand when a catalog holds both. */
function folded(a: string, b: string): boolean {
  const linker = createBrandLinker({
    spellingCounts: [
      [a, 1],
      [b, 1],
    ],
  });
  const brandOf = (spelling: string) => {
    const link = linker.link(spelling);
    return 'brand' in link ? link.brand : link.error;
  };
  return brandOf(a) === brandOf(b);
}

describe('brand folding', () => {
  it.each([
    ['Kingston', 'Kingston Technology'],
    ['StarTech', 'STARTECH.COM'],
    ['StarTech.com', 'startech'],
    ['Board Dudes', 'The Board Dudes'],
    ['Hershey', "Hershey's"],
    ['Hershey', 'HERSHEY’S'],
    ['Smead', 'Smead Manufacturing Company'],
    ['OKI', 'Oki Data'],
    ['LG', 'LG Electronics'],
    ['Tech Craft', 'TechCraft'],
    ['Samsung', 'Samsung Electronics'],
    ['Logitech', 'Logitech International'],
    ['Avery', 'Avery Products'],
    ['Belkin', 'Belkin International, Inc.'],
    ['Western Digital', 'Western Digital Technologies'],
    ['Nike', 'Nike, Inc.'],
    ['Nike', 'NIKE.'],
    ['Acme', 'Acme!'],
    ['Kodak', 'Kodak®'],
    ['Up & Up', 'up and up'],
    ['Coca-Cola', 'Coca Cola Company'],
    ['Nestlé', 'NESTLE S.A.'],
    ['Haribo', 'Haribo GmbH & Co. KG'],
    ['Amazon.com', 'Amazon'],
    ['The North Face', 'North Face'],
    ['Sony', 'SONY CORPORATION'],
    ['Fellowes', 'Fellowes Manufacturing'],
    ['Canon', 'Canon U.S.A. Inc'],
  ])('folds %s and %s into one brand', (a, b) => {
    expect(folded(a, b)).toBe(true);
  });

  it.each([
    ['Great Value', 'Great Vaulue'],
    ['Belkin', 'Delkin'],
    ['Nike', 'Nikon'],
    ['Data', 'Oki Data'],
    ['The', 'The Body Shop'],
    ['Sony', 'Sony Pictures'],
    ['Apple', 'Apple Computer Store Outlet'],
    ['Kingston', 'Kingstone'],
    ['LG', 'LGE Systems Group'],
    ['Up & Up', 'Up'],
    ['General Electric', 'General Mills'],
    ['Oki', 'Okidata Systems Extra'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(folded(a, b)).toBe(false);
  });

  it('folds a corporate spelling only when the shorter name is in the catalog', () => {
    const linker = createBrandLinker({ spellingCounts: [['Kingston Technology', 2]] });
    expect(linker.link('Kingston Technology')).toMatchObject({ brand: 'Kingston Technology' });
    expect(linker.entries().map((entry) => entry.key)).toEqual(['kingstontechnology']);
  });

  it('cuts a brand cell that holds a product title to its brand, and leaves names alone', () => {
    expect(cutBrandCell('SCANFROST – AC FAN – SFRF18RCB – 18 inch')).toBe('SCANFROST');
    expect(cutBrandCell('Acme - Widget XT200')).toBe('Acme');
    expect(cutBrandCell('Black & Decker')).toBeUndefined();
    expect(cutBrandCell('Rolls-Royce')).toBeUndefined();
    expect(cutBrandCell('Acme - Home')).toBeUndefined();
    expect(cutBrandCell('A very long brand name - with more words')).toBeUndefined();
  });

  it('flags the cut in the record, so the brand column can be fixed at the source', () => {
    const cell = 'SCANFROST – AC FAN – SFRF18RCB';
    const { product, issues } = normalizeRecord({ id: 'p1', title: 'Fan', brand: cell }, resolveMapping(['id', 'title', 'brand']));
    expect(product.brand).toBe('SCANFROST');
    expect(issues).toContainEqual(expect.objectContaining({ field: 'brand', code: 'brand_cut', value: cell }));
    expect(normalizeRecord({ id: 'p1', title: 'Fan', brand: 'Black & Decker' }, resolveMapping(['id', 'title', 'brand'])).issues).toEqual([]);
  });
});
