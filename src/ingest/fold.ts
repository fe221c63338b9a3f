/** Columns that hold image URLs: their values from every row of a product are kept, in order. */
const IMAGE_COLUMN = /image|img|photo|picture/i;

export function isImageColumn(name: string): boolean {
  return IMAGE_COLUMN.test(name);
}

/** Splits an image cell that may already hold several URLs joined by ` | `. */
function imageList(value: string): string[] {
  return value === '' ? [] : value.split(' | ');
}

/**
 * Folds a later row of the same product into the first: the first row's values
 * stand, its empty fields are filled from the later row, and image URLs from
 * both are kept in order without repeats (joined by ` | `).
 */
export function foldFields(base: Record<string, string>, next: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, base);
  for (const [key, value] of Object.entries(next)) {
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
