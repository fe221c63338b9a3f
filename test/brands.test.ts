import { describe, expect, it } from 'vitest';
import { brandKey, createBrandLinker } from '../src/silver/brands.js';

describe('brandKey', () => {
  it.each([
    ['NIKE', 'Nike Inc.', ' nike ', 'Nike, Inc', 'Nike  LLC', 'nike corp.'],
    ['up&up', 'Up & Up', 'Up and Up', 'UP  &  UP'],
    ['Nestlé S.A.', 'NESTLE SA', 'nestle'],
    ['Coca-Cola Co.', 'Coca Cola', 'CocaCola Company'],
    ["Levi's", 'Levis', 'LEVI’S Ltd'],
    ['Haribo GmbH & Co. KG', 'haribo'],
    ['Tiffany & Co.', 'Tiffany'],
  ])('folds the spellings of %s to one key', (...spellings) => {
    expect(new Set(spellings.map(brandKey)).size).toBe(1);
  });

  it('keeps different brands apart', () => {
    expect(brandKey('Nike')).not.toBe(brandKey('Nikon'));
    expect(brandKey('Up & Up')).not.toBe(brandKey('Up'));
  });

  it('keeps a brand that is only a legal word, and gives an empty key to punctuation', () => {
    expect(brandKey('Co.')).toBe('co');
    expect(brandKey(' -- ')).toBe('');
  });

  it('keeps letters of other scripts', () => {
    expect(brandKey('سامسونج')).toBe('سامسونج');
  });
});

describe('createBrandLinker', () => {
  const counts: [string, number][] = [
    ['NIKE', 3],
    ['Nike Inc.', 5],
    [' nike ', 1],
    ['Barilla', 2],
    ['barilla', 2],
    ['BARILLA', 2],
  ];

  it('links spelling variants to the most frequent spelling of the catalog', () => {
    const linker = createBrandLinker({ spellingCounts: counts });
    expect(linker.link('NIKE')).toEqual({ brand: 'Nike Inc.', linked: true, source: 'catalog' });
    expect(linker.link('Nike, Inc')).toEqual({ brand: 'Nike Inc.', linked: true, source: 'catalog' });
  });

  it('breaks ties by mixed case first, then alphabetically', () => {
    const linker = createBrandLinker({ spellingCounts: counts });
    expect(linker.link('barilla')).toMatchObject({ brand: 'Barilla' });
    const allCaps = createBrandLinker({
      spellingCounts: [
        ['ACME', 1],
        ['acme', 1],
      ],
    });
    expect(allCaps.link('Acme')).toMatchObject({ brand: 'ACME' });
  });

  it('adds up counts of spellings that differ only in spacing', () => {
    const linker = createBrandLinker({
      spellingCounts: [
        ['Up & Up', 2],
        [' Up  & Up ', 2],
        ['up&up', 3],
      ],
    });
    expect(linker.link('UP AND UP')).toMatchObject({ brand: 'Up & Up' });
  });

  it('prefers the user list, matched by name or alias', () => {
    const linker = createBrandLinker({
      userBrands: [{ name: 'Nike', aliases: ['Nike Sportswear'] }],
      spellingCounts: counts,
    });
    expect(linker.link('NIKE INC')).toEqual({ brand: 'Nike', linked: true, source: 'user' });
    expect(linker.link('nike sportswear')).toEqual({ brand: 'Nike', linked: true, source: 'user' });
    expect(linker.link('barilla')).toEqual({ brand: 'Barilla', linked: true, source: 'catalog' });
  });

  it('turns an unknown brand into an error with a strict list', () => {
    const linker = createBrandLinker({ userBrands: [{ name: 'Nike' }], strict: true, spellingCounts: counts });
    expect(linker.link(' AcmeCorp ')).toEqual({ error: "brand not found: 'AcmeCorp'", code: 'brand_not_found' });
    expect(linker.link('nike')).toMatchObject({ brand: 'Nike', linked: true });
  });

  it('reports a spelling it has never seen as not linked', () => {
    const linker = createBrandLinker({ spellingCounts: [] });
    expect(linker.link('  Fresh  Brand ')).toEqual({ brand: 'Fresh Brand', linked: false, source: 'none' });
  });

  it('refuses a user list where two brands claim one spelling', () => {
    const make = () => createBrandLinker({ userBrands: [{ name: 'Nike' }, { name: 'Swoosh', aliases: ['NIKE Inc'] }], spellingCounts: [] });
    expect(make).toThrow(expect.objectContaining({ code: 'brand_list_conflict' }));
  });

  it('lists the entries the store persists, with aliases and source', () => {
    const linker = createBrandLinker({ userBrands: [{ name: 'Nike', aliases: ['Nike Sportswear'] }], spellingCounts: counts });
    expect(linker.entries()).toEqual([
      { canonical: 'Barilla', key: 'barilla', aliases: ['BARILLA', 'barilla'], source: 'catalog' },
      { canonical: 'Nike', key: 'nike', aliases: ['NIKE', 'Nike Inc.', 'Nike Sportswear', 'nike'], source: 'user' },
    ]);
  });

  it('leaves brands outside a strict list out of the entries', () => {
    const linker = createBrandLinker({ userBrands: [{ name: 'Nike' }], strict: true, spellingCounts: counts });
    expect(linker.entries().map((entry) => entry.canonical)).toEqual(['Nike']);
  });
});
