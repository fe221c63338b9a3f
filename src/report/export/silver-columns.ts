import type { SilverProduct } from '../../silver/product.js';

/** The Silver record's fields, one CSV column each (`silver_<field>`), in schema order. */
// biome-ignore format: a table filled by hand, several entries to a line
export const SILVER_COLUMNS = [
  'sku', 'gtin', 'mpn', 'title', 'description', 'shortDescription', 'brand', 'categoryPath', 'taxonomyId',
  'price', 'originalPrice', 'currency', 'availability', 'primaryImageUrl', 'additionalImageUrls', 'productUrl', 'attributes',
] as const satisfies ReadonlyArray<keyof SilverProduct>;

type Cell = string | number | undefined;

/** A record's Silver fields as cells: lists space-separated (URLs hold no spaces), attributes as JSON. */
export function silverCells(record: SilverProduct | null | undefined): Cell[] {
  return SILVER_COLUMNS.map((field) => {
    if (record == null) return undefined;
    if (field === 'additionalImageUrls') return record.additionalImageUrls.join(' ');
    if (field === 'attributes') return Object.keys(record.attributes).length > 0 ? JSON.stringify(record.attributes) : '';
    return record[field];
  });
}
