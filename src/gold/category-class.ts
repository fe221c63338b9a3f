import type { SilverProduct } from '../silver/product.js';
import { CATEGORY_SEPARATOR } from './bounds.js';

/**
 * The kinds of product some rules apply to. `clothing` (clothes and shoes, which take a size)
 * is part of `apparel` (the Google taxonomy's "Apparel & Accessories": clothes, shoes,
 * jewelry, bags and other accessories, which take gender, age group and color).
 */
export const CATEGORY_CLASSES = ['apparel', 'clothing', 'electronics', 'food', 'media'] as const;
export type CategoryClass = (typeof CATEGORY_CLASSES)[number];

/** A set of classes as bits (1 << its place in CATEGORY_CLASSES): a small number to key work done once per set. */
export function classBits(classes: readonly CategoryClass[]): number {
  let bits = 0;
  for (let i = 0; i < classes.length; i++) bits |= 1 << CATEGORY_CLASSES.indexOf(classes[i]);
  return bits;
}

/** Google product taxonomy ids (version 2021-09-21) of the branches that decide a class. */
const TAXONOMY_IDS: Record<string, readonly CategoryClass[]> = {
  '166': ['apparel'],
  '1604': ['apparel', 'clothing'],
  '187': ['apparel', 'clothing'],
  '222': ['electronics'],
  '141': ['electronics'],
  '412': ['food'],
  '783': ['media'],
  '784': ['media'],
  '839': ['media'],
  '855': ['media'],
};

/** Google taxonomy names of those branches, as a category path spells its levels. */
const TAXONOMY_NAMES: Record<string, readonly CategoryClass[]> = {
  'apparel & accessories': ['apparel'],
  clothing: ['apparel', 'clothing'],
  shoes: ['apparel', 'clothing'],
  electronics: ['electronics'],
  'cameras & optics': ['electronics'],
  'food, beverages & tobacco': ['food'],
  media: ['media'],
};

const CLOTHING = ['apparel', 'clothing'] as const;
const APPAREL = ['apparel'] as const;
const ELECTRONICS = ['electronics'] as const;
const FOOD = ['food'] as const;
const MEDIA = ['media'] as const;

/** Head nouns (the last word of a category level or product type, singular) and their class. */
const HEAD_NOUNS: Record<string, readonly CategoryClass[]> = {};
const NOUNS: ReadonlyArray<readonly [readonly CategoryClass[], string]> = [
  [
    CLOTHING,
    'clothing clothes apparel shirt t-shirt tshirt tee dress jacket coat hoodie sweater sweatshirt jumper trouser pant jean short skirt sock underwear lingerie legging swimwear shoe sneaker boot sandal footwear blouse polo cardigan vest pajama',
  ],
  [APPAREL, 'hat cap beanie scarf scarve glove belt jewelry jewellery necklace bracelet earring handbag purse wallet sunglass tie'],
  [
    ELECTRONICS,
    'electronics laptop notebook computer phone smartphone tablet camera headphone earbud tv television monitor printer speaker console router software',
  ],
  [FOOD, 'food grocery grocerie beverage drink snack coffee tea candy chocolate pasta sauce spice wine beer juice cereal'],
  [MEDIA, 'book music dvd movie film magazine vinyl album'],
];
for (const [classes, words] of NOUNS) for (const word of words.split(' ')) HEAD_NOUNS[word] = classes;

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('shes') || word.endsWith('ches')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function classesOfLevel(level: string): readonly CategoryClass[] | undefined {
  const lower = level.trim().toLowerCase();
  const named = TAXONOMY_NAMES[lower] ?? TAXONOMY_IDS[lower];
  if (named) return named;
  const words = lower.split(/[\s,/&()]+/).filter((word) => word.length > 0);
  const head = words[words.length - 1];
  if (head === undefined) return undefined;
  return HEAD_NOUNS[head] ?? HEAD_NOUNS[singular(head)];
}

/** Categories repeat across a catalog; the cap bounds memory. */
const CACHE_LIMIT = 4096;
const cache = new Map<string, readonly CategoryClass[]>();

function classesOfText(text: string): readonly CategoryClass[] {
  let found = cache.get(text);
  if (found !== undefined) return found;
  const levels = text.split(CATEGORY_SEPARATOR);
  // A Google taxonomy path names its branch at the top (and, under apparel, clothes and shoes
  // one level down); a shop's own path is read from its most specific level up.
  const root = TAXONOMY_NAMES[levels[0].trim().toLowerCase()] ?? TAXONOMY_IDS[levels[0].trim()];
  if (root !== undefined) {
    const under = levels.length > 1 && root.includes('apparel') ? TAXONOMY_NAMES[levels[1].trim().toLowerCase()] : undefined;
    found = under ?? root;
  } else {
    found = [];
    for (let i = levels.length - 1; i >= 0; i--) {
      const classes = classesOfLevel(levels[i]);
      if (classes !== undefined) {
        found = classes;
        break;
      }
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, found);
  return found;
}

/**
 * The classes of a product, from (in this order) its Google taxonomy id, its category path
 * and its product type text; nothing in them that names a class leaves the product with none,
 * and class-only checks are then not counted for it. The title is not read: "Dress shoes
 * polish" is not a shoe.
 */
export function categoryClassesOf(product: SilverProduct): readonly CategoryClass[] {
  const byId = product.taxonomyId === undefined ? undefined : TAXONOMY_IDS[product.taxonomyId];
  if (byId !== undefined) return byId;
  if (product.categoryPath !== undefined && product.categoryPath.length > 0) {
    const classes = classesOfText(product.categoryPath);
    if (classes.length > 0) return classes;
  }
  const type = product.attributes.productType ?? product.attributes.product_type;
  if (type !== undefined && type.length > 0) return classesOfText(type);
  return [];
}
