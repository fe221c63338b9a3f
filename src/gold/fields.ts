import type { SilverProduct } from '../silver/product.js';
import { CATEGORY_SEPARATOR } from './bounds.js';

const ATTRIBUTE_ALIASES: Record<string, readonly string[]> = {
  color: ['colour'],
  ageGroup: ['age'],
  gender: ['sex'],
};
const PRODUCT_TYPE_KEYS = ['productType', 'product_type', 'type'] as const;

const NON_ALPHANUMERIC = /[^a-z0-9]/g;

/** Source columns repeat across a catalog, so each spelling is squashed once; the cap bounds memory. */
const SQUASH_CACHE_LIMIT = 4096;
const squashed = new Map<string, string>();

function squash(key: string): string {
  let result = squashed.get(key);
  if (result === undefined) {
    if (squashed.size >= SQUASH_CACHE_LIMIT) squashed.clear();
    result = key.toLowerCase().replace(NON_ALPHANUMERIC, '');
    squashed.set(key, result);
  }
  return result;
}

/**
 * An attribute by its schema name. Sources spell keys many ways (`Color`, `colour`, `age_group`);
 * the exact key is tried first so the usual case costs one property read.
 */
export function attributeValue(attributes: Record<string, string>, name: string): string | undefined {
  const exact = attributes[name];
  if (exact !== undefined && exact.length > 0) return exact;
  const wanted = squash(name);
  const aliases = ATTRIBUTE_ALIASES[name];
  for (const key in attributes) {
    const value = attributes[key];
    if (value.length === 0) continue;
    const candidate = squash(key);
    if (candidate === wanted || aliases?.includes(candidate)) return value;
  }
  return undefined;
}

interface PathFacts {
  depth: number;
  leaf: string;
}

/** A catalog repeats a few hundred category paths, so each is read once; the cap bounds memory. */
const PATH_CACHE_LIMIT = 4096;
const pathFacts = new Map<string, PathFacts>();

function factsOf(path: string): PathFacts {
  let facts = pathFacts.get(path);
  if (facts === undefined) {
    if (pathFacts.size >= PATH_CACHE_LIMIT) pathFacts.clear();
    let depth = 1;
    for (let at = path.indexOf(CATEGORY_SEPARATOR); at >= 0; at = path.indexOf(CATEGORY_SEPARATOR, at + 1)) depth++;
    const cut = path.lastIndexOf(CATEGORY_SEPARATOR);
    facts = { depth, leaf: cut < 0 ? path : path.slice(cut + CATEGORY_SEPARATOR.length) };
    pathFacts.set(path, facts);
  }
  return facts;
}

/** The product type an SEO title should name: an explicit attribute, else the last category level. */
export function productTypeOf(product: SilverProduct): string | undefined {
  for (const key of PRODUCT_TYPE_KEYS) {
    const value = product.attributes[key];
    if (value !== undefined && value.length > 0) return value;
  }
  const path = product.categoryPath;
  if (path === undefined || path.length === 0) return undefined;
  return factsOf(path).leaf;
}

export function categoryDepth(path: string): number {
  return factsOf(path).depth;
}

/** A test of whether a gap field has no value at all, as opposed to a value that is wrong. */
export function fieldAbsenceTest(field: string): (product: SilverProduct) => boolean {
  if (field.startsWith('attributes.')) {
    const name = field.slice(11);
    return (product) => attributeValue(product.attributes, name) === undefined;
  }
  if (field === 'additionalImageUrls') return (product) => product.additionalImageUrls.length === 0;
  return (product) => {
    const value = (product as unknown as Record<string, unknown>)[field];
    return value === undefined || value === null || value === '';
  };
}
