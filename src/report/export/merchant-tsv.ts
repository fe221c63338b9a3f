import type { CatalogSummary } from '../../gold/summary.js';
import { attributeValue } from '../../gold/fields.js';
import type { SilverProduct } from '../../silver/product.js';
import type { ExportRecord } from './record.js';
import type { Sink } from './sink.js';

/**
 * A Merchant Center product data file (tab-separated, attribute names from Google's product data
 * specification) written from Silver: only what Silver knows, nothing invented. A product without
 * a Silver record is left out; an attribute Silver lacks is an empty cell, which Merchant Center reads
 * as not submitted.
 */
// biome-ignore format: a table filled by hand, several entries to a line
const COLUMNS = [
  'id', 'title', 'description', 'link', 'image_link', 'additional_image_link', 'availability', 'price', 'sale_price',
  'brand', 'gtin', 'mpn', 'google_product_category', 'product_type', 'color', 'size', 'material', 'gender', 'age_group',
] as const;

/** Merchant Center allows at most 10 additional images (product data specification, additional_image_link). */
const MAX_ADDITIONAL_IMAGES = 10;
// A tab or line break inside a value would start a new column or row of the file.
const BREAKS = /[\t\r\n]+/g;

function cell(value: string | number | undefined): string {
  return value === undefined ? '' : String(value).replace(BREAKS, ' ').trim();
}

function money(amount: number | undefined, currency: string | undefined): string | undefined {
  // A price without its currency is not a Merchant Center price: left empty rather than guessed.
  return amount === undefined || currency === undefined ? undefined : `${amount.toFixed(2)} ${currency}`;
}

export function merchantRow(id: string, p: SilverProduct): string[] {
  // Silver keeps the paid price as `price` and the regular one as `originalPrice`; the feed writes the
  // regular price as price and the lower paid one as sale_price.
  const onSale = p.originalPrice !== undefined && p.price !== undefined && p.originalPrice > p.price;
  const values: Record<(typeof COLUMNS)[number], string | number | undefined> = {
    id,
    title: p.title,
    description: p.description,
    link: p.productUrl,
    image_link: p.primaryImageUrl,
    additional_image_link: p.additionalImageUrls.slice(0, MAX_ADDITIONAL_IMAGES).join(','),
    availability: p.availability,
    price: money(onSale ? p.originalPrice : p.price, p.currency),
    sale_price: onSale ? money(p.price, p.currency) : undefined,
    brand: p.brand,
    gtin: p.gtin,
    mpn: p.mpn,
    google_product_category: p.taxonomyId,
    product_type: p.categoryPath,
    color: attributeValue(p.attributes, 'color'),
    size: attributeValue(p.attributes, 'size'),
    material: attributeValue(p.attributes, 'material'),
    gender: attributeValue(p.attributes, 'gender'),
    age_group: attributeValue(p.attributes, 'ageGroup'),
  };
  return COLUMNS.map((column) => cell(values[column]));
}

export async function writeMerchantTsv(records: Iterable<ExportRecord>, _summary: CatalogSummary, sink: Sink): Promise<number> {
  await sink.write(`${COLUMNS.join('\t')}\n`);
  let count = 0;
  for (const record of records) {
    if (record.record == null) continue;
    await sink.write(`${merchantRow(record.id, record.record).join('\t')}\n`);
    count++;
  }
  return count;
}
