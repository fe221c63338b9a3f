import { columnKey, type MappingTarget } from './aliases.js';

export const PRESET_NAMES = ['shopify', 'woocommerce', 'google-merchant'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * Column → target rules of each export format, written with the export's own column names.
 * A preset decides what an ambiguous name means in that export (`Type` is a product type in
 * Shopify but simple/variable in WooCommerce) and which of two filled columns wins.
 */
const PRESET_RULES: Record<PresetName, ReadonlyArray<readonly [string, MappingTarget]>> = {
  shopify: [
    ['Handle', 'id'],
    ['Variant SKU', 'sku'],
    ['Variant Barcode', 'gtin'],
    ['Google Shopping / MPN', 'mpn'],
    ['Title', 'title'],
    ['Body (HTML)', 'description'],
    ['SEO Description', 'shortDescription'],
    ['Vendor', 'brand'],
    ['Product Category', 'categoryPath'],
    ['Google Shopping / Google Product Category', 'categoryPath'],
    ['Type', 'attributes.productType'],
    ['Variant Price', 'price'],
    ['Variant Compare At Price', 'originalPrice'],
    ['Variant Inventory Qty', 'stockQuantity'],
    ['Variant Inventory Policy', 'sellsWhenOut'],
    ['Variant Inventory Tracker', 'stockTracker'],
    ['Status', 'listingStatus'],
    ['Published', 'published'],
    ['Image Src', 'primaryImageUrl'],
    ['Variant Image', 'primaryImageUrl'],
    ['Google Shopping / Gender', 'attributes.gender'],
    ['Google Shopping / Age Group', 'attributes.ageGroup'],
  ],
  woocommerce: [
    ['ID', 'id'],
    ['SKU', 'sku'],
    ['GTIN, UPC, EAN, or ISBN', 'gtin'],
    ['Name', 'title'],
    ['Description', 'description'],
    ['Short description', 'shortDescription'],
    ['Brands', 'brand'],
    ['Categories', 'categoryPath'],
    ['Regular price', 'price'],
    ['Sale price', 'salePrice'],
    ['In stock?', 'availability'],
    ['Stock', 'stockQuantity'],
    ['Backorders allowed?', 'sellsWhenOut'],
    ['Images', 'primaryImageUrl'],
  ],
  'google-merchant': [
    ['id', 'id'],
    ['gtin', 'gtin'],
    ['mpn', 'mpn'],
    ['title', 'title'],
    ['description', 'description'],
    ['brand', 'brand'],
    ['product_type', 'categoryPath'],
    ['google_product_category', 'categoryPath'],
    ['price', 'price'],
    ['sale_price', 'salePrice'],
    ['availability', 'availability'],
    ['link', 'productUrl'],
    ['image_link', 'primaryImageUrl'],
    ['additional_image_link', 'additionalImageUrls'],
    ['color', 'attributes.color'],
    ['size', 'attributes.size'],
    ['material', 'attributes.material'],
    ['gender', 'attributes.gender'],
    ['age_group', 'attributes.ageGroup'],
  ],
};

export interface PresetMatch {
  target: MappingTarget;
  order: number;
}

const PRESET_INDEX = new Map(
  PRESET_NAMES.map((name) => [
    name,
    new Map(PRESET_RULES[name].map(([column, target], order) => [columnKey(column), { target, order }])),
  ]),
);

/** The rule a preset has for a column key, if any. */
export function findPresetRule(preset: PresetName, key: string): PresetMatch | undefined {
  return PRESET_INDEX.get(preset)!.get(key);
}

/** Columns only one export writes; a header with all of one row is that export. */
const SIGNATURES: ReadonlyArray<readonly [PresetName, readonly string[]]> = [
  ['shopify', ['handle', 'bodyhtml', 'variantprice']],
  ['shopify', ['handle', 'title', 'variantsku']],
  ['woocommerce', ['regularprice', 'saleprice', 'instock']],
  ['woocommerce', ['regularprice', 'visibilityincatalog']],
  ['google-merchant', ['link', 'imagelink', 'availability']],
  ['google-merchant', ['id', 'title', 'imagelink', 'price']],
];

/** Which export a header comes from, judged by its characteristic columns; undefined when none fits. */
export function detectPreset(header: readonly string[]): PresetName | undefined {
  const keys = new Set(header.map(columnKey));
  for (const [preset, columns] of SIGNATURES) {
    if (columns.every((column) => keys.has(column))) return preset;
  }
  return undefined;
}
