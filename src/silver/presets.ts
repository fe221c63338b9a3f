import { columnKey, type MappingTarget } from './aliases.js';

export const PRESET_NAMES = ['shopify', 'woocommerce', 'google-merchant'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
/** What --preset and the config file accept: a preset, or `none` for the built-in aliases alone. */
export const PRESET_CHOICES = [...PRESET_NAMES, 'none'] as const;

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The rest of Merchant Center's product data specification: kept as attributes under their
 * camelCase names (`g:item_group_id` → attributes.itemGroupId), whatever the feed's format.
 */
const MERCHANT_ATTRIBUTES = `mobile_link lifestyle_image_link virtual_model_link canonical_link availability_date cost_of_goods_sold
  expiration_date sale_price_effective_date unit_pricing_measure unit_pricing_base_measure installment subscription_cost
  loyalty_program minimum_price maximum_retail_price auto_pricing_min_price adult multipack
  is_bundle certification energy_efficiency_class min_energy_efficiency_class max_energy_efficiency_class pattern size_type
  size_system item_group_id product_length product_width product_height product_weight product_detail product_highlight
  ads_redirect custom_label_0 custom_label_1 custom_label_2 custom_label_3 custom_label_4 promotion_id excluded_destination
  included_destination shopping_ads_excluded_country pause shipping shipping_label shipping_weight shipping_length
  shipping_width shipping_height ships_from_country max_handling_time min_handling_time transit_time_label
  free_shipping_threshold tax tax_category external_seller_id return_policy_label short_title structured_title
  structured_description disclosure_date feed_label store_code pickup_method pickup_sla link_template
  mobile_link_template sell_on_google_quantity`.split(/\s+/);

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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
    ['Google Shopping / Condition', 'condition'],
    ['Google Shopping / Custom Product', 'customProduct'],
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
    ['condition', 'condition'],
    ['identifier_exists', 'identifierExists'],
    // Atom feeds carry the description in <summary> or <content>.
    ['summary', 'description'],
    ['content', 'description'],
    ...MERCHANT_ATTRIBUTES.map((name) => [name, `attributes.${camelCase(name)}`] as const),
  ],
};

export interface PresetMatch {
  target: MappingTarget;
  order: number;
}

const PRESET_INDEX = new Map(
  PRESET_NAMES.map((name) => [name, new Map(PRESET_RULES[name].map(([column, target], order) => [columnKey(column), { target, order }]))]),
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
