/**
 * Random edits to a small catalog whose products collide often: a few brands in several
 * spellings, a few titles (some in colours, two with a model number), GTINs and SKUs, so that one edit moves duplicate
 * links and brand spellings elsewhere in the catalog.
 */
const BRANDS = ['Nike', 'NIKE', 'nike', 'Northpeak', 'NORTHPEAK', 'North Peak', ''];
// Colours in titles give keys variant signatures, so one SKU is held under several keys and
// crosses the placeholder cap (more than ten holders of a code) as products come and go.
const TITLES = [
  'Air Max 90',
  'air max 90',
  'Nike Air Max 90',
  'Max Air 90',
  'Trail Runner Pro',
  'Pro Trail Runner',
  'Linen Shirt',
  'Linen Shirt XL',
  'Trail Boot',
  'Linen Shirt Red',
  'Red Linen Shirt',
  'Linen Shirt Blue',
  'Trail Boot Black',
  'Black Trail Boot',
  // One model number two ways, so model keys meet GTINs that differ.
  'Trail Runner TR-900',
  'TR900 Runner',
];
const SKUS = ['AB-100', 'ab100', 'XY-200', 'QQ-300', '', '', ''];
const GTINS = ['4006381333931', '0012345678905', '5901234123457', '', '', ''];

export interface EditRow {
  id: string;
  title: string;
  brand: string;
  gtin: string;
  sku: string;
  price: string;
}

export type Scope = { all: true } | { stale: true } | { ids: string };

export interface EditSequence {
  /** The next file to load: some products left out, some changed, some new at the end. */
  nextFile(): EditRow[];
  /** Every product the catalog holds, in load order, as last loaded: what a fresh catalog is built from. */
  catalog(): EditRow[];
  scope(): Scope;
  chance(p: number): boolean;
}

export function createEditSequence(random: () => number): EditSequence {
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number): boolean => random() < p;
  const products = new Map<string, EditRow>();
  let next = 0;
  const fresh = (): EditRow => ({ id: `P${next++}`, title: pick(TITLES), brand: pick(BRANDS), gtin: pick(GTINS), sku: pick(SKUS), price: String(int(1, 99)) });
  const edit = (row: EditRow): EditRow => {
    const field = pick(['title', 'brand', 'gtin', 'sku', 'price'] as const);
    const pool = { title: TITLES, brand: BRANDS, gtin: GTINS, sku: SKUS, price: ['5', '10', '20'] }[field];
    return { ...row, [field]: pick(pool) };
  };
  return {
    nextFile() {
      const rows: EditRow[] = [];
      for (const row of products.values()) {
        if (chance(0.15)) continue;
        const changed = chance(0.3) ? edit(row) : row;
        products.set(row.id, changed);
        rows.push(changed);
      }
      const added = products.size === 0 ? int(25, 40) : int(0, 6);
      for (let i = 0; i < added; i++) {
        const row = fresh();
        products.set(row.id, row);
        rows.push(row);
      }
      return rows;
    },
    catalog: () => [...products.values()],
    scope() {
      const kind = int(0, 3);
      if (kind === 0) return { all: true };
      if (kind === 1) return { stale: true };
      const ids = [...products.keys()].filter(() => chance(0.3));
      return { ids: (ids.length > 0 ? ids : ['P0']).join(',') };
    },
    chance,
  };
}

export function toEditCsv(rows: EditRow[]): string {
  const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  const lines = rows.map((r) => [r.id, r.title, r.brand, r.gtin, r.sku, r.price].map(quote).join(','));
  return ['id,title,brand,gtin,sku,price', ...lines].join('\n') + '\n';
}
