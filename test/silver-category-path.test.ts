import { describe, expect, it } from 'vitest';
import { categoryDepth, firstCategoryPath, normalizeCategoryPath, splitCategoryPath } from '../src/silver/category-path.js';

describe('normalizeCategoryPath', () => {
  it.each([
    ['Clothing > Tshirts', 'Clothing > Tshirts'],
    ['Clothing>Tshirts>Short Sleeve', 'Clothing > Tshirts > Short Sleeve'],
    ['Home / Kitchen / Knives', 'Home > Kitchen > Knives'],
    ['Home|Kitchen', 'Home > Kitchen'],
    ['Books » Fiction » Crime', 'Books > Fiction > Crime'],
    ['Tools\\Power Tools', 'Tools > Power Tools'],
    ['  Garden  >  > Pots  ', 'Garden > Pots'],
    ['Toys &gt; Puzzles', 'Toys > Puzzles'],
    ['Music', 'Music'],
  ])('%j is %j', (text, path) => {
    expect(normalizeCategoryPath(text)).toBe(path);
  });

  it('keeps a slash inside a level when a stronger separator is used', () => {
    expect(normalizeCategoryPath('Clothing > T-Shirts/Tops')).toBe('Clothing > T-Shirts/Tops');
  });

  it('is undefined when no level is left', () => {
    expect(normalizeCategoryPath(' > / ')).toBeUndefined();
    expect(normalizeCategoryPath('')).toBeUndefined();
  });
});

describe('splitCategoryPath', () => {
  it('returns trimmed levels', () => {
    expect(splitCategoryPath('A >  B  > C')).toEqual(['A', 'B', 'C']);
  });
});

describe('categoryDepth', () => {
  it('counts levels', () => {
    expect(categoryDepth('Home > Kitchen > Knives')).toBe(3);
    expect(categoryDepth('Music')).toBe(1);
    expect(categoryDepth(undefined)).toBe(0);
  });
});

describe('firstCategoryPath', () => {
  it('takes the first of several comma-separated paths', () => {
    expect(firstCategoryPath('Clothing > Tshirts, Clothing > Hoodies')).toBe('Clothing > Tshirts');
  });

  it('unescapes commas that belong to a category name', () => {
    expect(firstCategoryPath('Toys > Dolls\\, Playsets, Music')).toBe('Toys > Dolls, Playsets');
  });
});
