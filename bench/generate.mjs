// Seeded generator of synthetic product catalogs with the mess real exports carry:
// HTML descriptions (some with <style> blocks), mixed price formats, brand spelling
// variants, valid and invalid GTINs, a few percent duplicate products, empty fields,
// categories with mixed separators, images on a few hosts, availability spellings.
// Rows are 500-1,000 bytes. Streams to the file, so any size fits in little memory.
//
//   node bench/generate.mjs --rows 100000 --out file.csv [--seed N] [--format csv|jsonl]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

/** Bump when the output for a given seed changes, so cached catalogs are made again. */
export const GENERATOR_VERSION = 1;

// biome-ignore format: a table filled by hand, several entries to a line
export const COLUMNS = [
  'id', 'sku', 'gtin', 'mpn', 'title', 'description', 'short_description', 'brand', 'category',
  'price', 'sale_price', 'availability', 'image_link', 'additional_image_link', 'link',
  'color', 'size', 'material', 'gender', 'age_group',
];

/** mulberry32: small, fast, and the same sequence for the same seed everywhere; the tests use it too. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = [
  ['Nike', 'NIKE', 'Nike Inc.', ' nike ', 'nike'],
  ['Adidas', 'ADIDAS', 'adidas AG', 'Adidas '],
  ['Northpeak', 'NORTHPEAK', 'Northpeak Inc.', 'north peak'],
  ['Campfire Co', 'Campfire Co.', 'CAMPFIRE CO', 'campfire'],
  ['Lumen', 'LUMEN', 'Lumen Ltd', ' lumen'],
  ['Acme', 'ACME', 'Acme Corp.', 'acme corp'],
  ['Barilla', 'barilla', 'BARILLA'],
  ['up&up', 'Up & Up', 'UP&UP'],
  ['Sony', 'SONY', 'Sony Corporation'],
  ['Kettle & Co', 'Kettle and Co', 'KETTLE & CO'],
];
const NOUNS = [
  'Backpack',
  'Jacket',
  'Trail Shoe',
  'Stove',
  'Headlamp',
  'Water Bottle',
  'Tent',
  'Sleeping Bag',
  'Hoodie',
  'Wireless Earbuds',
  'USB-C Charger',
  '4K Monitor',
  'Coffee Grinder',
  'Yoga Mat',
  'Rain Cover',
];
const ADJECTIVES = ['Lightweight', 'Classic', 'Ultra', 'Compact', 'Pro', 'Everyday', 'Insulated', 'Waterproof', 'Recycled', 'Premium'];
const COLORS = ['Black', 'Navy', 'Olive', 'Red', 'White', 'Grey', 'Sand', 'Blue', ''];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '42', '44', '1 L', '45 L', ''];
const MATERIALS = ['Nylon', 'Polyester', 'Cotton', 'Merino wool', 'Steel', 'Aluminium', 'Recycled PET', ''];
const GENDERS = ['male', 'female', 'unisex', 'Men', 'Women', ''];
const AGES = ['adult', 'kids', 'Adult', ''];
const CATEGORY_PATHS = [
  ['Outdoor', 'Hiking', 'Backpacks'],
  ['Outdoor', 'Camping', 'Cooking', 'Stoves'],
  ['Apparel & Accessories', 'Clothing', 'Outerwear', 'Coats & Jackets'],
  ['Electronics', 'Audio', 'Headphones'],
  ['Electronics', 'Computers', 'Monitors'],
  ['Home & Garden', 'Kitchen', 'Coffee'],
  ['Sporting Goods', 'Fitness'],
  ['Footwear'],
];
const SEPARATORS = [' > ', '/', ' | ', ' » ', '\\', '>', ' / '];
const AVAILABILITY = [
  'in stock',
  'In Stock',
  'instock',
  'InStock',
  'available',
  'out of stock',
  'OutOfStock',
  'sold out',
  'preorder',
  'Pre-Order',
  'backorder',
  '',
];
const IMAGE_HOSTS = ['https://cdn.shop.example.test', 'https://img.example.test', 'http://images.example.test', '//static.example.test'];
const SENTENCES = [
  'Built for long days on the trail and short nights under the stars.',
  'The shell sheds light rain & wind without adding weight.',
  'Padded straps spread the load so you arrive fresh.',
  'Every seam is taped, every zip is backed by a storm flap.',
  'Made from recycled materials that still feel soft against the skin.',
  'Packs down small enough to live in the bottom of any bag.',
  'Tested by guides in the Alps, the Andes and the Scottish Highlands.',
  'Machine washable at 30 °C; hang to dry.',
  'Covered by a two-year warranty and free repairs for life.',
  'Pairs with the rest of the range for a complete kit.',
];

/** GS1 check digit of the digits before it (works for GTIN-8/12/13/14). */
export function gs1CheckDigit(body) {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += Number(body[i]) * w;
  return String((10 - (sum % 10)) % 10);
}

export function createRowMaker(seed) {
  const random = mulberry32(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => random() < p;
  const digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(int(10));
    return s;
  };
  /** A few earlier products, remembered so later rows can duplicate them. */
  const recent = [];

  function gtin() {
    const roll = random();
    const length = pick([8, 12, 13, 13, 13, 14]);
    const body = digits(length - 1);
    const valid = body + gs1CheckDigit(body);
    if (roll < 0.8) return valid;
    if (roll < 0.88) return body + String((Number(gs1CheckDigit(body)) + 1 + int(8)) % 10); // bad check digit
    if (roll < 0.92) return valid.slice(0, 4) + 'A' + valid.slice(5); // a letter
    if (roll < 0.96) return `${(Number(valid.slice(0, 3)) / 100).toFixed(2)}E+11`; // spreadsheet mangling, e.g. 8.87E+11
    return '';
  }

  function price() {
    const value = 5 + random() * 1500;
    const fixed = value.toFixed(2);
    const [whole, cents] = fixed.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    switch (int(6)) {
      case 0:
        return fixed;
      case 1:
        return `$${grouped}.${cents}`;
      case 2:
        return `${fixed} USD`;
      case 3:
        return `${grouped.replaceAll(',', '.')},${cents} €`;
      case 4:
        return `£${fixed}`;
      default:
        return chance(0.5) ? fixed : '';
    }
  }

  function description(title) {
    const parts = [];
    const n = 3 + int(5);
    for (let i = 0; i < n; i++) parts.push(pick(SENTENCES));
    switch (int(5)) {
      case 0:
        return parts.join(' ');
      case 1:
        return `<p>${parts.slice(0, 2).join(' ')}</p><ul>${parts
          .slice(2)
          .map((s) => `<li>${s}</li>`)
          .join('')}</ul>`;
      case 2:
        return `<style>.promo{color:#c00;font-weight:bold}</style><div class="promo">SALE!</div><p><b>${title}</b>: ${parts.join(' ')}</p>`;
      case 3:
        return `<div><h3>${title}</h3>\n<p>${parts.join('<br>\n')}</p>\n<p>&nbsp;Care: hand wash&nbsp;&amp; dry flat.</p></div>`;
      default:
        return chance(0.3) ? '' : parts.join('\n\n');
    }
  }

  function image(slug, n) {
    const host = pick(IMAGE_HOSTS);
    return `${host}/products/${slug}-${n}.jpg`;
  }

  return function row(index) {
    const brandGroup = pick(BRANDS);
    const brand = chance(0.05) ? '' : pick(brandGroup);
    const noun = pick(NOUNS);
    let title = `${brandGroup[0]} ${pick(ADJECTIVES)} ${noun} ${pick(COLORS) || 'Edition'} ${pick(SIZES) || ''}`.trim();
    if (chance(0.1)) title = title.toUpperCase();
    else if (chance(0.05)) title = title.toLowerCase();
    else if (chance(0.02)) title = '';
    const slug = `${noun.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${index}`;
    const skuBase = `${brandGroup[0].slice(0, 3).toUpperCase()}-${noun.slice(0, 3).toUpperCase()}-${index}`;
    const path = pick(CATEGORY_PATHS);
    const fields = {
      id: `P${String(index).padStart(8, '0')}`,
      sku: chance(0.03) ? '' : skuBase,
      gtin: gtin(),
      mpn: chance(0.4) ? '' : `MPN${digits(6)}`,
      title,
      description: '',
      short_description: chance(0.5) ? '' : pick(SENTENCES),
      brand,
      category: chance(0.05) ? '' : path.join(pick(SEPARATORS)),
      price: price(),
      sale_price: chance(0.7) ? '' : price(),
      availability: pick(AVAILABILITY),
      image_link: chance(0.06) ? '' : image(slug, 1),
      additional_image_link: chance(0.4) ? '' : [image(slug, 2), image(slug, 3)].join(pick([',', '|', ' | '])),
      link: `https://shop.example.test/p/${slug}`,
      color: pick(COLORS),
      size: pick(SIZES),
      material: pick(MATERIALS),
      gender: pick(GENDERS),
      age_group: pick(AGES),
    };
    fields.description = description(title || noun);
    // Duplicates, a few percent: the same GTIN or the same SKU as a recent product.
    if (recent.length > 0 && chance(0.03)) {
      const earlier = pick(recent);
      if (chance(0.5) && earlier.gtin) fields.gtin = earlier.gtin;
      else fields.sku = earlier.sku;
      fields.title = earlier.title;
      fields.brand = pick(brandGroup);
    } else if (chance(0.01)) {
      if (recent.length < 1000) recent.push({ gtin: fields.gtin, sku: fields.sku, title: fields.title });
      else recent[int(recent.length)] = { gtin: fields.gtin, sku: fields.sku, title: fields.title };
    }
    // Keep rows between 500 and 1,000 bytes: pad short ones with another sentence, trim long descriptions.
    let size = Object.values(fields).reduce((n, v) => n + v.length + 1, 0);
    while (size < 520) {
      const extra = ` ${pick(SENTENCES)}`;
      fields.description += extra;
      size += extra.length;
    }
    if (size > 980) fields.description = fields.description.slice(0, Math.max(0, fields.description.length - (size - 980)));
    return fields;
  };
}

function csvCell(value) {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes `rows` products to `out`; resolves with the byte count. */
export async function generate({ rows, out, seed = 42, format = 'csv' }) {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`--rows must be a whole number, got ${rows}`);
  const stream = createWriteStream(out);
  const make = createRowMaker(seed);
  let bytes = 0;
  const write = async (text) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  if (format === 'csv') await write(COLUMNS.join(',') + '\n');
  const BLOCK = 1000;
  for (let start = 0; start < rows; start += BLOCK) {
    const lines = [];
    for (let i = start; i < Math.min(rows, start + BLOCK); i++) {
      const fields = make(i + 1);
      lines.push(format === 'csv' ? COLUMNS.map((c) => csvCell(fields[c])).join(',') : JSON.stringify(fields));
    }
    await write(lines.join('\n') + '\n');
  }
  stream.end();
  await once(stream, 'finish');
  return bytes;
}

function parseArgs(argv) {
  const options = { seed: 42, format: 'csv' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--rows') options.rows = Number(value);
    else if (flag === '--out') options.out = value;
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--format') options.format = value;
    else throw new Error(`unknown argument '${flag}'`);
    i++;
  }
  if (options.rows === undefined || !options.out) throw new Error('usage: node bench/generate.mjs --rows N --out FILE [--seed N] [--format csv|jsonl]');
  if (!['csv', 'jsonl'].includes(options.format)) throw new Error(`--format is csv or jsonl, got '${options.format}'`);
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const started = performance.now();
    const bytes = await generate(options);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `wrote ${options.rows} rows (${(bytes / 1e6).toFixed(1)} MB, ${Math.round(bytes / Math.max(1, options.rows))} bytes a row) to ${options.out} in ${seconds.toFixed(1)} s\n`,
    );
  } catch (error) {
    process.stderr.write(`generate: ${error.message}\n`);
    process.exitCode = 2;
  }
}
