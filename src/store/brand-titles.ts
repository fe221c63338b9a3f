import type { Db } from './catalog.js';

/**
 * The title keys (brand words aside) of the products of these brand keys, by brand key, from
 * the duplicate index: what tells whether two spellings sell the same products.
 */
export function titlesByBrand(db: Db, brandKeys: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(brandKeys.map((key) => [key, new Set<string>()]));
  if (brandKeys.length === 0) return out;
  const rows = db.prepare('SELECT brand_key, keys FROM product_keys WHERE brand_key IS NOT NULL').raw().iterate() as IterableIterator<[string, string]>;
  for (const [brand, keys] of rows) {
    const titles = out.get(brand);
    if (!titles) continue;
    for (const key of JSON.parse(keys) as string[]) if (key.startsWith('t:')) titles.add(key.slice(key.indexOf('|') + 1));
  }
  return out;
}
