/** The seeded PRNG of the catalog generator, so a failing seed reproduces everywhere. */
export { mulberry32 } from '../../bench/generate.mjs';

// biome-ignore format: a table filled by hand, several entries to a line
export const FUZZ_COLUMNS = [
  'id', 'sku', 'gtin', 'mpn', 'title', 'description', 'short_description', 'brand', 'category',
  'price', 'sale_price', 'availability', 'image_link', 'additional_image_link', 'link',
  'color', 'size', 'material', 'gender', 'age_group',
] as const;
export type FuzzRow = Record<(typeof FUZZ_COLUMNS)[number], string>;

const WORDS = [
  'Trail',
  'USB-C',
  'Cable',
  '4K',
  'Monitor',
  'Linen',
  'Shirt',
  'XL',
  'café',
  'Größe',
  '東京',
  'Ñandú',
  'émoji 🎒',
  'naïve',
  'a',
  'THE',
  'pro',
  '!!!',
  '&amp;',
  '<b>bold</b>',
];
const BRANDS = [
  ['Nike', 'NIKE', ' nike ', 'Nike Inc.', 'Nike, Inc'],
  ['Northpeak', 'NorthPeak', 'north peak', 'NORTHPEAK'],
  ['Åsa', 'ASA', 'åsa'],
  ["L'Oréal", 'LOREAL', "l'oreal"],
];
const PRICES = [
  '19.99',
  '$1,299.00',
  '1.299,00 €',
  '15.00 USD',
  '0',
  '-5',
  'free',
  'NaN',
  '1e309',
  '-0',
  '£7',
  '¥1200',
  '99999999999999999999',
  '12.345.678,9',
  '  3 ',
  'USD',
  '٣٤',
];
const AVAILABILITY = ['In Stock', 'instock', 'InStock', 'available', 'out of stock', 'preorder', 'backorder', 'maybe', '', '1', 'TRUE'];
const SEPARATORS = [' > ', '/', '|', ' » ', '\\', '>>', ' ', ''];
const SCHEMES = [
  'https://img.example.test/',
  'http://img.example.test/',
  'javascript:alert(1)//',
  'ftp://x.test/',
  '/relative/',
  '//cdn.example.test/',
  'https://exa mple.test/',
  '',
];

export interface Generator {
  row(): FuzzRow;
}

/** Rows with the mess real exports carry, and then some: every choice comes from `random`. */
export function createRowGenerator(random: () => number): Generator {
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const chance = (p: number): boolean => random() < p;
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const seen = { ids: [] as string[], skus: [] as string[], gtins: [] as string[], titles: [] as string[] };
  const reuse = (pool: string[], fresh: () => string, p: number): string => {
    const value = pool.length > 0 && chance(p) ? pick(pool) : fresh();
    if (value) pool.push(value);
    return value;
  };
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const longText = (): string => 'x'.repeat(int(1_000, 20_000));

  const gtin = (): string => {
    const kind = int(0, 5);
    if (kind === 0) return withCheckDigit(digits(pick([7, 11, 12, 13])));
    if (kind === 1) return digits(int(1, 20));
    if (kind === 2) return `${digits(4)}-${digits(4)} ${digits(5)}`;
    if (kind === 3) return `${digits(12)}X`;
    if (kind === 4) return '';
    return `'${withCheckDigit(digits(12))}`;
  };
  const title = (): string => {
    const kind = int(0, 9);
    if (kind === 0) return '';
    if (kind === 1) return words(int(3, 8)).toUpperCase();
    if (kind === 2) return words(int(3, 8)).toLowerCase();
    if (kind === 3) return longText();
    if (kind === 4) return `<h1>${words(4)}</h1><script>alert(1)</script>`;
    return words(int(1, 12));
  };
  const description = (t: string): string => {
    const kind = int(0, 6);
    if (kind === 0) return '';
    if (kind === 1) return t;
    if (kind === 2) return longText();
    if (kind === 3) return `<p>${words(30)}</p><style>p{color:red}</style><ul><li>${words(5)}</li></ul>&nbsp;&#x1F600;&bogus;`;
    return words(int(5, 80));
  };
  const url = (): string => `${pick(SCHEMES)}${words(1).replace(/\s/g, '')}${int(0, 999)}.${pick(['jpg', 'png', 'webp', 'html', ''])}`;

  return {
    row() {
      const id = reuse(seen.ids, () => (chance(0.05) ? '' : chance(0.1) ? `${pick(WORDS)}-${int(0, 99)}` : `P-${digits(6)}`), 0.08);
      const t = reuse(seen.titles, title, 0.1);
      const brandFamily = pick(BRANDS);
      const additional = Array.from({ length: int(0, 4) }, url);
      return {
        id: chance(0.1) ? (chance(0.5) ? id.toLowerCase() : `${id} `) : id,
        sku: reuse(seen.skus, () => (chance(0.2) ? '' : `SKU-${digits(int(1, 8))}`), 0.1),
        gtin: reuse(seen.gtins, gtin, 0.1),
        mpn: chance(0.5) ? `MPN ${digits(5)}` : '',
        title: t,
        description: description(t),
        short_description: chance(0.5) ? words(int(1, 30)) : '',
        brand: chance(0.15) ? '' : pick(brandFamily),
        category: Array.from({ length: int(0, 5) }, () => pick(WORDS)).join(pick(SEPARATORS)),
        price: chance(0.1) ? '' : pick(PRICES),
        sale_price: chance(0.6) ? '' : pick(PRICES),
        availability: pick(AVAILABILITY),
        image_link: chance(0.1) ? '' : url(),
        additional_image_link: chance(0.3) ? JSON.stringify(additional) : additional.join(pick([',', '|', ' | '])),
        link: chance(0.2) ? '' : url(),
        color: chance(0.5) ? pick(['Red', 'rot', 'RED', '#ff0000', '']) : '',
        size: chance(0.5) ? pick(['XL', 'xl', '42', '10.5 US', '']) : '',
        material: chance(0.3) ? pick(['Cotton', 'Baumwolle', '100% cotton', '']) : '',
        gender: chance(0.3) ? pick(['male', 'female', 'unisex', 'M', '?']) : '',
        age_group: chance(0.3) ? pick(['adult', 'kids', 'infant', '']) : '',
      };
    },
  };
}

/** A GS1 check digit appended to `body`. */
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

/** RFC 4180 CSV, every field quoted. */
export function toCsv(rows: FuzzRow[]): string {
  const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  return [FUZZ_COLUMNS.join(','), ...rows.map((row) => FUZZ_COLUMNS.map((column) => quote(row[column])).join(','))].join('\r\n') + '\r\n';
}
