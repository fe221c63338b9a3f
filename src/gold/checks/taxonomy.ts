import { CATEGORY_MIN_DEPTH } from '../bounds.js';
import { categoryDepth } from '../fields.js';
import type { Check } from '../types.js';
import { earn, hasText, lose, outcomesByNumber, partial, round2 } from './outcome.js';

const CATEGORY = 9;
const DEPTH = 6;

const CATEGORY_PRESENT = earn(CATEGORY, 'category present');
const NO_CATEGORY = lose('no category', 'category.missing');

const byDepth = outcomesByNumber(64, (depth) => {
  if (depth >= CATEGORY_MIN_DEPTH) return earn(DEPTH, `category ${depth} levels deep`);
  // A root-only category says almost nothing, so partial credit starts at the second level.
  const won = round2((DEPTH * (depth - 1)) / (CATEGORY_MIN_DEPTH - 1));
  return partial(won, `category ${depth} level${depth === 1 ? '' : 's'} deep, under ${CATEGORY_MIN_DEPTH}`, 'category.shallow');
});

export const taxonomyChecks: Check[] = [
  {
    id: 'taxonomy.category',
    stage: 'taxonomy',
    field: 'categoryPath',
    points: CATEGORY,
    label: 'category present',
    run: (product) => (hasText(product.categoryPath) ? CATEGORY_PRESENT : NO_CATEGORY),
  },
  {
    id: 'taxonomy.depth',
    stage: 'taxonomy',
    field: 'categoryPath',
    points: DEPTH,
    label: `category at least ${CATEGORY_MIN_DEPTH} levels deep; each level past the first earns its share`,
    run: (product) => (hasText(product.categoryPath) ? byDepth(categoryDepth(product.categoryPath)) : NO_CATEGORY),
  },
];
