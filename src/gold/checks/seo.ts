import { SHORT_DESCRIPTION_MAX, SHORT_DESCRIPTION_MIN } from '../bounds.js';
import { productTypeOf } from '../fields.js';
import type { Check } from '../types.js';
import { earn, hasText, lose, outcomesByNumber } from './outcome.js';
import { lowerCased, namesType } from './type-match.js';

const BRAND_IN_TITLE = 2;
const TYPE_IN_TITLE = 2;
const SHORT_DESCRIPTION = 1;

const NO_TITLE = lose('no title', 'title.missing');
const BRAND_NAMED = earn(BRAND_IN_TITLE, 'title names the brand');
// Without a brand or a type, the title cannot name them: the loss belongs to the missing field.
const NO_BRAND = lose('no brand to name in the title', 'brand.missing', 'brand');
const TYPE_NAMED = earn(TYPE_IN_TITLE, 'title names the product type');
const NO_TYPE = lose('no product type (category or productType attribute) to name in the title', 'category.missing', 'categoryPath');
const NO_SHORT_DESCRIPTION = lose('no short description', 'short_description.missing');

const shortDescriptionLength = outcomesByNumber(1024, (length) => {
  if (length >= SHORT_DESCRIPTION_MIN && length <= SHORT_DESCRIPTION_MAX) {
    return earn(SHORT_DESCRIPTION, `short description has ${length} characters`);
  }
  const bound = length < SHORT_DESCRIPTION_MIN ? `under ${SHORT_DESCRIPTION_MIN}` : `over ${SHORT_DESCRIPTION_MAX}`;
  return lose(`short description has ${length} characters, ${bound}`, 'short_description.length');
});

export const seoChecks: Check[] = [
  {
    id: 'seo.brand-in-title',
    stage: 'seo',
    field: 'title',
    points: BRAND_IN_TITLE,
    label: 'title names the brand',
    run: ({ title, brand }) => {
      if (!hasText(title)) return NO_TITLE;
      if (!hasText(brand)) return NO_BRAND;
      return lowerCased(title).includes(brand.toLowerCase()) ? BRAND_NAMED : lose(`title does not name '${brand}'`, 'title.no_brand');
    },
  },
  {
    id: 'seo.type-in-title',
    stage: 'seo',
    field: 'title',
    points: TYPE_IN_TITLE,
    label: 'title names the product type (productType attribute, else the last category level)',
    run: (product) => {
      if (!hasText(product.title)) return NO_TITLE;
      const type = productTypeOf(product);
      if (type === undefined) return NO_TYPE;
      return namesType(product.title, type) ? TYPE_NAMED : lose(`title does not name the type '${type}'`, 'title.no_type');
    },
  },
  {
    id: 'seo.short-description',
    stage: 'seo',
    field: 'shortDescription',
    points: SHORT_DESCRIPTION,
    label: `short description ${SHORT_DESCRIPTION_MIN}-${SHORT_DESCRIPTION_MAX} characters`,
    run: ({ shortDescription }) => (hasText(shortDescription) ? shortDescriptionLength(shortDescription.length) : NO_SHORT_DESCRIPTION),
  },
];
