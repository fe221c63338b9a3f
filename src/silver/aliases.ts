import type { SchemaField } from './product.js';
import { cleanText } from './text.js';

/**
 * Where a source column can go: a schema field, an attribute, or one of the inputs that
 * mapping folds into a field (a sale price, a stock count, a "sell when out of stock" flag, whether
 * stock is tracked) or reports on (a draft or unpublished listing).
 */
export type MappingTarget =
  | SchemaField
  | `attributes.${string}`
  | 'salePrice'
  | 'stockQuantity'
  | 'sellsWhenOut'
  | 'stockTracker'
  | 'listingStatus'
  | 'published'
  | 'customProduct';

const METAFIELD_SUFFIX = /\s*\((?:product|variant)\.metafields\.[^)]*\)\s*$/i;
const FEED_PREFIX = /^g:/i;
const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu;

/**
 * The matching key of a column name: case and punctuation ignored (`Body (HTML)` → bodyhtml,
 * `Google Shopping / Age Group` → googleshoppingagegroup), a Shopify metafield column by its key
 * (`Farbe (product.metafields.shopify.color-pattern)` → colorpattern), without a feed's `g:` prefix.
 */
export function columnKey(name: string): string {
  const metafield = metafieldKey(name);
  if (metafield !== undefined) return metafield;
  return stripDecorations(name).toLowerCase().replace(NOT_ALPHANUMERIC, '');
}

const METAFIELD_KEY = /\((?:product|variant)\.metafields\.[^)]*?([^.)]+)\)\s*$/i;

/**
 * Shopify writes a metafield column as `Label (product.metafields.namespace.key)`, the label in
 * the store's language (`Stoff (product.metafields.shopify.fabric)`): the key in brackets is what
 * the column means, so it is what matches (see Shopify's help on importing metafields with CSV).
 */
function metafieldKey(name: string): string | undefined {
  const match = METAFIELD_KEY.exec(name);
  return match === null ? undefined : match[1].toLowerCase().replace(NOT_ALPHANUMERIC, '');
}

/** The column name without the decorations columnKey ignores, for use as an attribute name. */
function stripDecorations(name: string): string {
  return cleanText(name).replace(METAFIELD_SUFFIX, '').replace(FEED_PREFIX, '');
}

/**
 * Usual column names per target, most specific first: earlier names win when several are filled.
 * docs/inputs.md prints this list (scripts/docs/aliases.mjs).
 * @public
 */
export const ALIASES: ReadonlyArray<readonly [MappingTarget, string]> = [
  ['id', 'id productid itemid offerid'],
  ['sku', 'sku variantsku itemsku sellersku merchantsku skunumber articlenumber itemnumber productcode stockcode'],
  ['gtin', 'gtin variantbarcode barcode barcodeid ean upc gtin14 gtin13 gtin12 gtin8 ean13 ean8 upca upccode eancode jan gtinupceanorisbn'],
  ['mpn', 'mpn googleshoppingmpn manufacturerpartnumber manufacturernumber mfrpartnumber mfgpartnumber partnumber mfrnumber modelnumber modelno model'],
  ['title', 'title name productname producttitle itemname itemtitle product'],
  ['description', 'description bodyhtml body longdescription productdescription fulldescription descriptionhtml'],
  ['shortDescription', 'shortdescription seodescription metadescription summary excerpt shortdesc'],
  ['brand', 'brand brandname brands vendor manufacturer manufacturername make'],
  [
    'categoryPath',
    'category categorypath categories producttype productcategory googleproductcategory googleshoppinggoogleproductcategory breadcrumb breadcrumbs department',
  ],
  ['price', 'price variantprice regularprice unitprice retailprice sellingprice currentprice amountmin pricemin minprice'],
  ['salePrice', 'saleprice specialprice discountprice offerprice promoprice'],
  ['originalPrice', 'originalprice compareatprice variantcompareatprice listprice msrp rrp wasprice oldprice compareprice'],
  ['currency', 'currency currencycode pricecurrency'],
  ['availability', 'availability stockstatus instock inventorystatus availabilitystatus stockavailability'],
  ['stockQuantity', 'variantinventoryqty stockquantity inventoryquantity quantityinstock stockqty qtyinstock stock'],
  ['sellsWhenOut', 'variantinventorypolicy inventorypolicy backordersallowed allowbackorders'],
  ['stockTracker', 'variantinventorytracker inventorytracker'],
  [
    'primaryImageUrl',
    'imagesrc imagelink imageurl image productimage productimageurl img imgurl mainimage mainimageurl primaryimage primaryimageurl featuredimage images picture pictureurl photo photourl variantimage',
  ],
  [
    'additionalImageUrls',
    'additionalimagelink additionalimagelinks additionalimages additionalimageurls additionalimageurl otherimages moreimages extraimages galleryimages gallery',
  ],
  ['condition', 'condition itemcondition productcondition googleshoppingcondition'],
  ['identifierExists', 'identifierexists'],
  ['customProduct', 'googleshoppingcustomproduct customproduct'],
  ['productUrl', 'link url producturl productlink productpage productpageurl permalink pageurl weburl canonicalurl'],
  ['attributes.color', 'color colour googleshoppingcolor variantcolor colorname colorpattern'],
  ['attributes.size', 'size sizes googleshoppingsize variantsize'],
  ['attributes.material', 'material materials googleshoppingmaterial fabric'],
  ['attributes.gender', 'gender googleshoppinggender targetgender sex'],
  ['attributes.ageGroup', 'agegroup googleshoppingagegroup targetagegroup'],
  ['attributes.priceMax', 'amountmax pricemax maxprice'],
];

export interface AliasMatch {
  target: MappingTarget;
  /** Position among the names of its target: lower wins. */
  order: number;
}

const ALIAS_INDEX = new Map<string, AliasMatch>();
for (const [target, names] of ALIASES) {
  names.split(' ').forEach((name, order) => {
    if (ALIAS_INDEX.has(name)) throw new Error(`alias '${name}' is listed twice`);
    ALIAS_INDEX.set(name, { target, order });
  });
}

// `Image 2`, `image_url_3`, `Picture1`: numbered image columns, 0 and 1 being the main one.
const NUMBERED_IMAGE = /^(?:image|picture|photo|img)(?:url|link|src)?(\d{1,2})$/;

/** The built-in alias a column key matches, if any. */
export function findAlias(key: string): AliasMatch | undefined {
  const match = ALIAS_INDEX.get(key);
  if (match !== undefined) return match;
  const numbered = NUMBERED_IMAGE.exec(key);
  if (numbered === null) return undefined;
  const n = Number(numbered[1]);
  return n <= 1 ? { target: 'primaryImageUrl', order: 100 } : { target: 'additionalImageUrls', order: 100 + n };
}

/** Columns whose cell lists several category paths separated by commas (WooCommerce). */
export const FIRST_PATH_KEYS: ReadonlySet<string> = new Set(['categories']);

/** The attribute key for a source name: `color`, `size`, `material`, `gender`, `ageGroup` when it names one, else the tidied name. */
export function attributeKey(name: string): string {
  const target = ALIAS_INDEX.get(columnKey(name))?.target;
  if (target?.startsWith('attributes.')) return target.slice('attributes.'.length);
  return stripDecorations(name);
}
