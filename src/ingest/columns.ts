/** Id columns, most specific first (SPEC: id, then Handle, then sku). */
export const ID_COLUMNS = ['id', 'ID', 'Id', 'product_id', 'Handle', 'handle', 'sku', 'SKU', 'Variant SKU'];

/** Title columns of the usual exports and feeds. */
export const TITLE_COLUMNS = ['title', 'Title', 'name', 'Name', 'product_name', 'Product Name', 'productName', 'product_title', 'Product Title'];

const FEED_PREFIX = /^g:/i;

export function findColumn(names: string[], candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) if (names.includes(candidate)) return candidate;
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const candidate of candidates) {
    const hit = lower.get(candidate.toLowerCase());
    if (hit) return hit;
  }
  // Merchant Center feeds may write their attributes in the g: namespace (`g:id`, `g:title`).
  const unprefixed = new Map(names.filter((n) => FEED_PREFIX.test(n)).map((n) => [n.replace(FEED_PREFIX, '').toLowerCase(), n]));
  for (const candidate of candidates) {
    const hit = unprefixed.get(candidate.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}
