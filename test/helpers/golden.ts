import { createScorer, scoreProduct } from '../../src/gold/score.js';
import type { GoldSuccess } from '../../src/gold/types.js';
import type { SilverProduct } from '../../src/silver/product.js';
import { text } from './gold.js';
import { context, product } from './product.js';

/** The golden products; their scores are worked out by hand in gold-score.test.ts. */
const image = 'https://cdn.example.com/trail-42.jpg';
const side = 'https://cdn.example.com/trail-42-side.jpg';

export const complete: SilverProduct = product({
  id: 'complete',
  sku: 'TRL-42-BLK',
  gtin: '4006381333931',
  mpn: 'TR42-BLK',
  title: 'Acme Trail Runner 42 Running Shoes, Black',
  description: text(240),
  shortDescription: 'A light trail shoe with a grippy sole for wet rocks.',
  brand: 'Acme',
  categoryPath: 'Apparel > Shoes > Running Shoes',
  price: 89.99,
  originalPrice: 119.99,
  currency: 'USD',
  availability: 'in_stock',
  primaryImageUrl: image,
  additionalImageUrls: [side],
  productUrl: 'https://shop.example.com/trail-42',
  attributes: { color: 'Black', size: '42', material: 'Mesh', gender: 'male', ageGroup: 'adult' },
});
export const validImages = context({ imageStates: { [image]: 'valid', [side]: 'valid' } });

/** 34 characters of mixed-case title and nothing else. */
export const titleOnly: SilverProduct = product({ id: 'title-only', title: 'Acme Trail Runner 42 Running Shoes' });

/** A typical half-kept record: MPN but no GTIN, a short title, a short description, an offline image. */
export const middling: SilverProduct = product({
  id: 'middling',
  sku: 'TEE-V',
  mpn: 'V-100',
  brand: 'Acme',
  categoryPath: 'Clothing > T-Shirts',
  title: 'Acme Cotton V-Neck T-Shirt',
  description: text(150),
  primaryImageUrl: image,
  price: 20,
  originalPrice: 15,
  currency: 'USD',
  availability: 'in_stock',
  attributes: { color: 'Blue', size: 'M' },
});
export const middlingContext = context({ brandLinked: false, imageStates: { [image]: 'unchecked' } });

export function goldenResults(): { complete: GoldSuccess; titleOnly: GoldSuccess; middling: GoldSuccess } {
  return {
    complete: scoreProduct(complete, validImages),
    titleOnly: scoreProduct(titleOnly, context()),
    // Scored without channel rules or cap, so its hand-worked 72 (gold-score.test.ts) stays the reference.
    middling: createScorer(undefined, undefined, { channel: 'generic', blockedCap: 100 })(middling, middlingContext),
  };
}
