import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCategoryMap, linkCategory } from '../src/silver/categories.js';
import { categoryKey, lookupTaxonomyId, parseTaxonomy } from '../src/silver/taxonomy.js';

const TAXONOMY = [
  '# Google_Product_Taxonomy_Version: test',
  '166 - Apparel & Accessories',
  '1604 - Apparel & Accessories > Clothing',
  '212 - Apparel & Accessories > Clothing > Shirts & Tops',
  '2271 - Apparel & Accessories > Clothing Accessories > Hats, Caps & Visors',
  '1 - A > B > C > D > E > F > G',
  '',
].join('\n');

describe('parseTaxonomy', () => {
  it('reads ids and paths, skipping the comment line, with commas inside names', () => {
    const taxonomy = parseTaxonomy(TAXONOMY);
    expect(taxonomy.issues).toEqual([]);
    expect(taxonomy.byKey.size).toBe(5);
    expect(lookupTaxonomyId(taxonomy, 'Apparel & Accessories > Clothing Accessories > Hats, Caps & Visors')).toBe('2271');
    expect(lookupTaxonomyId(taxonomy, 'A > B > C > D > E > F > G')).toBe('1');
  });

  it('looks paths up without regard to case and spacing', () => {
    const taxonomy = parseTaxonomy(TAXONOMY);
    expect(lookupTaxonomyId(taxonomy, 'apparel &  accessories>CLOTHING ')).toBe('1604');
    expect(lookupTaxonomyId(taxonomy, 'Apparel & Accessories > Shoes')).toBeUndefined();
  });

  it('reports malformed, too deep and repeated lines with their line numbers, and keeps the rest', () => {
    const taxonomy = parseTaxonomy('\uFEFF12 - Toys\r\nnot a line\r\n2 - A > B > C > D > E > F > G > H\r\n13 - toys');
    expect(taxonomy.byKey.size).toBe(1);
    expect(taxonomy.issues.map((issue) => [issue.line, issue.code])).toEqual([
      [2, 'taxonomy_line_malformed'],
      [3, 'taxonomy_too_deep'],
      [4, 'taxonomy_duplicate_path'],
    ]);
  });
});

describe('categoryKey', () => {
  it('ignores case, accents, spacing and empty levels', () => {
    expect(categoryKey(' Maison >  Décor >> Lampes ')).toBe(categoryKey('maison > decor > lampes'));
  });
});

describe('linkCategory', () => {
  const taxonomy = parseTaxonomy(TAXONOMY);
  const map = createCategoryMap([
    { source: 'Clothing > Tshirts', target: 'Apparel & Accessories > Clothing > Shirts & Tops' },
    { source: 'Hats', target: 'Apparel & Accessories > Clothing Accessories > Hats, Caps & Visors', taxonomyId: '9999' },
    { source: 'Misc', target: 'Other >  Things' },
  ]);

  it('replaces a mapped path, matched without regard to case and spacing, and adds the taxonomy id', () => {
    expect(linkCategory('clothing>TSHIRTS', { map, taxonomy })).toEqual({
      categoryPath: 'Apparel & Accessories > Clothing > Shirts & Tops',
      taxonomyId: '212',
      linked: true,
      source: 'map',
    });
  });

  it("prefers the rule's taxonomy id, and maps without a taxonomy", () => {
    expect(linkCategory('Hats', { map, taxonomy })).toMatchObject({ taxonomyId: '9999', linked: true });
    expect(linkCategory('misc', { map })).toEqual({ categoryPath: 'Other > Things', linked: true, source: 'map' });
  });

  it('keeps an unmapped path as given, with the taxonomy id when the taxonomy knows it', () => {
    expect(linkCategory('apparel & accessories > clothing', { map, taxonomy })).toEqual({
      categoryPath: 'apparel & accessories > clothing',
      taxonomyId: '1604',
      linked: true,
      source: 'taxonomy',
    });
    expect(linkCategory('Garden > Tools', { map, taxonomy })).toEqual({ categoryPath: 'Garden > Tools', linked: false, source: 'none' });
    expect(linkCategory('Garden > Tools', {})).toMatchObject({ linked: false });
  });

  it('refuses a map that sends one path to two targets, or has an empty side', () => {
    const conflict = () =>
      createCategoryMap([
        { source: 'A', target: 'X' },
        { source: ' a ', target: 'Y' },
      ]);
    expect(conflict).toThrow(expect.objectContaining({ code: 'category_map_conflict' }));
    expect(() => createCategoryMap([{ source: 'A', target: ' > ' }])).toThrow(expect.objectContaining({ code: 'category_map_invalid' }));
    expect(
      createCategoryMap([
        { source: 'A', target: 'X' },
        { source: 'a', target: 'x' },
      ]).size,
    ).toBe(1);
  });
});

const realData = process.env.ASSAY_REAL_DATA;

describe.skipIf(!realData)('Google taxonomy file (skipped: set ASSAY_REAL_DATA to the real-data folder to run)', () => {
  it('parses google-taxonomy/taxonomy-with-ids.en-US.txt to 5,595 entries', () => {
    const text = readFileSync(join(realData as string, 'google-taxonomy', 'taxonomy-with-ids.en-US.txt'), 'utf8');
    const taxonomy = parseTaxonomy(text);
    expect(taxonomy.issues).toEqual([]);
    expect(taxonomy.byKey.size).toBe(5595);
    expect(lookupTaxonomyId(taxonomy, 'Animals & Pet Supplies > Live Animals')).toBe('3237');
  });
});
