/** Id columns, most specific first: id, then Handle, then sku (see docs/commands.md#assay-load, `--id-column`). */
export const ID_COLUMNS = ['id', 'ID', 'Id', 'product_id', 'Handle', 'handle', 'sku', 'SKU', 'Variant SKU'];

/** Title columns of the usual exports and feeds. */
export const TITLE_COLUMNS = ['title', 'Title', 'name', 'Name', 'product_name', 'Product Name', 'productName', 'product_title', 'Product Title'];

/**
 * The first candidate the names hold: as written, then ignoring case, then under a Merchant
 * Center feed's `g:` prefix (`g:id`, `g:title`), which feeds of every format carry.
 */
export function findColumn(names: string[], candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) if (names.includes(candidate)) return candidate;
  const lower = new Map<string, string>();
  const feed = new Map<string, string>();
  for (const n of names) {
    const key = n.toLowerCase();
    if (!lower.has(key)) lower.set(key, n);
    if (key.startsWith(FEED_PREFIX) && !feed.has(key.slice(FEED_PREFIX.length))) feed.set(key.slice(FEED_PREFIX.length), n);
  }
  for (const candidate of candidates) {
    const hit = lower.get(candidate.toLowerCase());
    if (hit) return hit;
  }
  for (const candidate of candidates) {
    const hit = feed.get(candidate.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}

const FEED_PREFIX = 'g:';

/** The reason a row is refused when its file has no title column. */
export const NO_TITLE_COLUMN = 'no title column';
