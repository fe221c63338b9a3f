/** Columns that hold image URLs: their values from every row of a product are kept, in order. */
const IMAGE_COLUMN = /image|img|photo|picture/i;

export function isImageColumn(name: string): boolean {
  return IMAGE_COLUMN.test(name);
}

// Shopify's per-variant stock columns: each variant row's value is kept, blanks too (a blank
// tracker means stock is not tracked), so Silver can tell whether any variant is for sale.
const VARIANT_STOCK_COLUMN = /^variant inventory (?:tracker|qty|policy)$/i;
// A variant row carries a price or a policy; an extra-image row carries neither.
const VARIANT_ROW_COLUMN = /^variant (?:price|inventory policy|sku)$/i;

function isVariantRow(row: Record<string, string>): boolean {
  for (const key in row) if (VARIANT_ROW_COLUMN.test(key) && row[key].trim() !== '') return true;
  return false;
}

/** Splits an image cell that may already hold several URLs joined by ` | `. */
function imageList(value: string): string[] {
  return value === '' ? [] : value.split(' | ');
}

/**
 * Folds a later row of the same product into the first: the first row's values
 * stand, its empty fields are filled from the later row, and image URLs from
 * both are kept in order without repeats (joined by ` | `), and so are the stock
 * columns of every variant row, blanks included (joined by ` | `, one entry per variant).
 */
export function foldFields(base: Record<string, string>, next: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, base);
  const isVariant = isVariantRow(next);
  for (const [key, value] of Object.entries(next)) {
    if (VARIANT_STOCK_COLUMN.test(key)) {
      if (isVariant) out[key] = `${out[key] ?? ''} | ${value}`;
      continue;
    }
    if (value === '') continue;
    const current = out[key];
    if (current === undefined || current === '') out[key] = value;
    else if (isImageColumn(key) && current !== value) {
      const urls = imageList(current);
      for (const url of imageList(value)) if (!urls.includes(url)) urls.push(url);
      out[key] = urls.join(' | ');
    }
  }
  return out;
}
