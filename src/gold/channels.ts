import type { CategoryClass } from './category-class.js';

export const CHANNELS = ['google', 'meta', 'generic'] as const;
export type ChannelName = (typeof CHANNELS)[number];
export const DEFAULT_CHANNEL: ChannelName = 'google';

export function isChannelName(name: string): name is ChannelName {
  return (CHANNELS as readonly string[]).includes(name);
}

/** What a requirement asks of a product; feed-ready.ts holds one test per kind. */
export type RequirementKind =
  | 'id'
  | 'title'
  | 'description'
  | 'link'
  | 'image'
  | 'price'
  | 'availability'
  | 'brand'
  | 'condition'
  | 'conditionValid'
  | 'identifier'
  | 'brandOrIdentifier'
  | 'color'
  | 'size'
  | 'gender'
  | 'ageGroup';

export interface Requirement {
  kind: RequirementKind;
  /** The channel's own attribute name, for people who know the feed spec. */
  attribute: string;
  /** Only products of one of these classes. */
  classes?: readonly CategoryClass[];
  /** Not products of these classes. */
  exceptClasses?: readonly CategoryClass[];
  /** Only when the store sells in one of these countries (ISO 3166-1 alpha-2); every country when the store's is unknown. */
  countries?: readonly string[];
}

export interface ChannelProfile {
  name: ChannelName;
  label: string;
  /** The published specification the rules below follow, and when it was read. */
  source: string;
  /** Everything the channel refuses a product without. */
  requires: readonly Requirement[];
  /** The channel's `id` is the merchant's SKU: a separate sku field is not asked for. */
  idIsSku: boolean;
  /** `identifier_exists = no` waives GTIN and MPN (custom, handmade, vintage goods). */
  honorsIdentifierExists: boolean;
}

/** Merchant Center asks apparel attributes of products sold in these countries. */
const APPAREL_COUNTRIES = ['BR', 'FR', 'DE', 'JP', 'GB', 'US'] as const;

/** Both Merchant Center and Meta require these of every product, under these attribute names. */
const LISTING_BASICS: readonly Requirement[] = [
  { kind: 'id', attribute: 'id' },
  { kind: 'title', attribute: 'title' },
  { kind: 'description', attribute: 'description' },
  { kind: 'link', attribute: 'link' },
  { kind: 'image', attribute: 'image_link' },
  { kind: 'price', attribute: 'price' },
  { kind: 'availability', attribute: 'availability' },
];

/*
 * Google Merchant Center product data specification (support.google.com/merchants/answer/7052112),
 * read 2026-12-04: id, title, description, link, image_link, availability and price are required
 * of every product; brand of every new product except movies, books and music; gtin where the
 * manufacturer assigned one, else mpn (with brand), unless identifier_exists is "no"; condition
 * must be new, refurbished or used (and is required for used and refurbished goods); color,
 * gender and age_group for apparel and accessories, size for clothing and shoes, when sold in
 * Brazil, France, Germany, Japan, the UK or the US. There is no sku attribute: `id` is the SKU.
 */
const GOOGLE: ChannelProfile = {
  name: 'google',
  label: 'Google Merchant Center',
  source: 'Google Merchant Center product data specification, read 2026-12-04',
  idIsSku: true,
  honorsIdentifierExists: true,
  requires: [
    ...LISTING_BASICS,
    { kind: 'brand', attribute: 'brand', exceptClasses: ['media'] },
    { kind: 'identifier', attribute: 'gtin / mpn / identifier_exists' },
    { kind: 'conditionValid', attribute: 'condition' },
    { kind: 'color', attribute: 'color', classes: ['apparel'], countries: APPAREL_COUNTRIES },
    { kind: 'gender', attribute: 'gender', classes: ['apparel'], countries: APPAREL_COUNTRIES },
    { kind: 'ageGroup', attribute: 'age_group', classes: ['apparel'], countries: APPAREL_COUNTRIES },
    { kind: 'size', attribute: 'size', classes: ['clothing'], countries: APPAREL_COUNTRIES },
  ],
};

/*
 * Meta commerce catalog product fields (developers.facebook.com/docs/commerce-platform/catalog/fields
 * and the catalog best practices), read 2026-12-04: id, title, description, availability,
 * condition, price, link and image_link are required; brand is required (a store name for
 * private label), GTIN or MPN are recommended, not required. The `id` (retailer id) is the SKU.
 */
const META: ChannelProfile = {
  name: 'meta',
  label: 'Meta commerce catalog',
  source: 'Meta commerce catalog product fields, read 2026-12-04',
  idIsSku: true,
  honorsIdentifierExists: false,
  requires: [...LISTING_BASICS, { kind: 'condition', attribute: 'condition' }, { kind: 'brandOrIdentifier', attribute: 'brand (or gtin / mpn)' }],
};

/** No channel: what any listing needs to be shown and bought. */
const GENERIC: ChannelProfile = {
  name: 'generic',
  label: 'no channel (generic listing)',
  source: 'assay: the fields any product listing needs to be shown and bought',
  idIsSku: false,
  honorsIdentifierExists: true,
  requires: [
    { kind: 'id', attribute: 'id' },
    { kind: 'title', attribute: 'title' },
    { kind: 'link', attribute: 'link' },
    { kind: 'image', attribute: 'image' },
    { kind: 'price', attribute: 'price' },
  ],
};

const CHANNEL_PROFILES: Readonly<Record<ChannelName, ChannelProfile>> = { google: GOOGLE, meta: META, generic: GENERIC };

export function channelProfile(name: ChannelName = DEFAULT_CHANNEL): ChannelProfile {
  return CHANNEL_PROFILES[name];
}

/** Does a requirement (or a check's scope) hold for a product of these classes in this country? */
export function requirementApplies(
  rule: { classes?: readonly CategoryClass[]; exceptClasses?: readonly CategoryClass[]; countries?: readonly string[] },
  classes: readonly CategoryClass[],
  country: string | undefined,
): boolean {
  if (rule.classes !== undefined && !rule.classes.some((c) => classes.includes(c))) return false;
  if (rule.exceptClasses?.some((c) => classes.includes(c))) return false;
  if (rule.countries !== undefined && country !== undefined && !rule.countries.includes(country)) return false;
  return true;
}
