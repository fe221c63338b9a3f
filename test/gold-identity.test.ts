import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScorer, type ScorerOptions } from '../src/gold/score.js';
import type { BandThresholds, Weights } from '../src/gold/types.js';
import type { SilverContext, SilverProduct } from '../src/silver/product.js';

/*
 * Every result of every product below, under several scorer settings, must stay byte for byte
 * what it was: a change to the speed of scoring must not change a score, a gap, a reason or the
 * order of keys in the stored JSON. The expected digests were made with the scorer before its
 * speed work; a rubric change that means to alter results updates them with `npx vitest run
 * test/gold-identity.test.ts -u`, and the diff then shows which products moved.
 */

interface Sample {
  from: string;
  product: SilverProduct;
  context: SilverContext;
}

const SAMPLES: Sample[] = readFileSync(new URL('../fixtures/gold/silver.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as Sample);

type Variant = (product: SilverProduct, ctx: SilverContext) => void;

const issue = (field: string, code: string) => ({ field, code, message: `${field} dropped (${code})`, value: 'x' });

/** Changes to each sample that reach the branches a catalog of good products would not. */
const VARIANTS: Record<string, Variant> = {
  as_is: () => {},
  no_title: (p) => delete p.title,
  short_title: (p) => (p.title = 'Mug'),
  long_title: (p) => (p.title = `${p.title ?? 'Title'} `.repeat(20).trim()),
  caps_title: (p) => (p.title = (p.title ?? 'Stoneware Mug Blue').toUpperCase()),
  stuffed_title: (p) => (p.title = `${p.title ?? 'Mug'} !!! BUY NOW ***`),
  no_description: (p, c) => {
    delete p.description;
    c.issues.push(issue('description', 'html_only'));
  },
  description_is_title: (p) => (p.description = ` ${(p.title ?? 'A plain title').toLowerCase()} `),
  long_description: (p) => (p.description = 'Plain words. '.repeat(30)),
  no_brand: (p, c) => {
    delete p.brand;
    c.brandLinked = false;
  },
  brand_unlinked: (p, c) => {
    p.brand = 'Unheard Of';
    c.brandLinked = false;
  },
  bad_gtin: (p) => (p.gtin = '4006381333932'),
  letter_gtin: (p) => (p.gtin = '40063813339X'),
  restricted_gtin: (p, c) => {
    p.gtin = '2001234567893';
    c.issues.push(issue('gtin', 'gtin_restricted'));
  },
  dropped_gtin: (p, c) => {
    delete p.gtin;
    c.issues.push(issue('gtin', 'gtin_check_digit'));
  },
  dropped_gtin_other: (p, c) => {
    delete p.gtin;
    delete p.mpn;
    c.issues.push(issue('gtin', 'gtin_length'));
  },
  mpn_only: (p) => {
    delete p.gtin;
    p.mpn = 'MPN-77';
  },
  no_identifier: (p) => {
    delete p.gtin;
    delete p.mpn;
    p.identifierExists = false;
  },
  no_identifier_but_gtin: (p) => {
    p.gtin = '4006381333931';
    p.identifierExists = false;
  },
  no_price: (p, c) => {
    delete p.price;
    c.issues.push(issue('price', 'price_unparsed'));
  },
  zero_price: (p) => (p.price = 0),
  negative_price: (p) => (p.price = -3.5),
  sale_below: (p) => {
    p.price = 20;
    p.originalPrice = 12.5;
  },
  sale_above: (p) => {
    p.price = 20;
    p.originalPrice = 25;
  },
  no_currency: (p) => delete p.currency,
  bad_currency: (p) => (p.currency = 'XAU'),
  no_availability: (p) => delete p.availability,
  odd_availability: (p) => ((p as { availability?: string }).availability = 'limited'),
  condition_used: (p) => (p.condition = 'used'),
  condition_invalid: (p, c) => {
    delete p.condition;
    c.issues.push(issue('condition', 'condition_unknown'));
  },
  no_link: (p) => delete p.productUrl,
  relative_link: (p) => (p.productUrl = '/p/thing'),
  no_image: (p, c) => {
    delete p.primaryImageUrl;
    c.issues.push(issue('primaryImageUrl', 'url_invalid'));
  },
  image_broken: (p, c) => {
    p.primaryImageUrl = 'https://img.example.test/broken.jpg';
    c.imageStates[p.primaryImageUrl] = 'broken';
  },
  image_valid: (p, c) => {
    p.primaryImageUrl = 'https://img.example.test/valid.jpg';
    c.imageStates[p.primaryImageUrl] = 'valid';
  },
  image_unlisted: (p) => (p.primaryImageUrl = 'https://img.example.test/unlisted.jpg'),
  image_malformed: (p) => (p.primaryImageUrl = 'ftp://img.example.test/a.jpg'),
  extra_images_broken: (p, c) => {
    p.additionalImageUrls = ['https://img.example.test/b1.jpg', 'not a url'];
    c.imageStates['https://img.example.test/b1.jpg'] = 'broken';
  },
  extra_images_mixed: (p, c) => {
    p.additionalImageUrls = ['https://img.example.test/b2.jpg', 'https://img.example.test/v2.jpg'];
    c.imageStates['https://img.example.test/b2.jpg'] = 'broken';
    c.imageStates['https://img.example.test/v2.jpg'] = 'valid';
  },
  no_category: (p) => {
    delete p.categoryPath;
    delete p.taxonomyId;
  },
  root_category: (p) => (p.categoryPath = 'Clothing'),
  shallow_category: (p) => (p.categoryPath = 'Media > Books'),
  apparel_taxonomy: (p) => (p.taxonomyId = '166'),
  clothing_taxonomy: (p) => (p.taxonomyId = '1604'),
  food_path: (p) => {
    delete p.taxonomyId;
    p.categoryPath = 'Food, Beverages & Tobacco > Beverages > Coffee';
  },
  electronics_type: (p) => {
    delete p.taxonomyId;
    delete p.categoryPath;
    p.attributes.product_type = 'Laptops';
  },
  type_attribute: (p) => (p.attributes.productType = 'Hiking Boots'),
  attribute_spellings: (p) => {
    p.attributes = { Colour: 'Red', 'Age Group': 'adult', sex: 'female', SIZE: 'M', Material: '' };
  },
  no_attributes: (p) => (p.attributes = {}),
  short_description_ok: (p) => (p.shortDescription = 'A short description that sits inside the bounds of the rubric.'),
  short_description_short: (p) => (p.shortDescription = 'Too short'),
  short_description_long: (p) => (p.shortDescription = 'Long. '.repeat(40)),
  bare: (p) => {
    for (const key of Object.keys(p))
      if (key !== 'id' && key !== 'additionalImageUrls' && key !== 'attributes') delete (p as unknown as Record<string, unknown>)[key];
    p.additionalImageUrls = [];
    p.attributes = {};
  },
};

const CUSTOM_WEIGHTS: Weights = { identity: 30, taxonomy: 10, content: 20, media: 20, pricing: 10, attributes: 0, seo: 10 };
const CUSTOM_BANDS: BandThresholds = { excellent: 90, good: 70, warning: 30 };

/** The settings `analyze` uses, `assay show` uses, and the rest of what a config can change. */
const SETTINGS: Record<string, { weights?: Weights; bands?: BandThresholds; options: ScorerOptions }> = {
  analyze: { options: { explain: false } },
  show: { options: {} },
  meta_us: { options: { explain: false, channel: 'meta', country: 'US' } },
  generic_explained: { options: { channel: 'generic' } },
  google_in_custom: { weights: CUSTOM_WEIGHTS, options: { explain: false, country: 'IN', blockedCap: 100 } },
  meta_fr_capped: { bands: CUSTOM_BANDS, options: { channel: 'meta', country: 'FR', blockedCap: 50 } },
};

/** Every sample with every change, made once: the scorer never writes to what it reads. */
const VARIED: Record<string, { product: SilverProduct; ctx: SilverContext }[]> = Object.fromEntries(
  Object.entries(VARIANTS).map(([name, variant]) => [
    name,
    SAMPLES.map((sample) => {
      const product = structuredClone(sample.product);
      const ctx = structuredClone(sample.context);
      variant(product, ctx);
      return { product, ctx };
    }),
  ]),
);

function digestsOf(settings: (typeof SETTINGS)[string]): Record<string, string> {
  const score = createScorer(settings.weights, settings.bands, settings.options);
  const digests: Record<string, string> = {};
  for (const [name, samples] of Object.entries(VARIED)) {
    const hash = createHash('sha256');
    for (const { product, ctx } of samples) hash.update(JSON.stringify(score(product, ctx))).update('\n');
    digests[name] = hash.digest('hex').slice(0, 16);
  }
  return digests;
}

describe('scoring results stay the same', () => {
  it('reads the samples', () => {
    expect(SAMPLES.length).toBeGreaterThan(150);
  });

  it('gives every product under every setting the result it always had', async () => {
    const digests: Record<string, Record<string, string>> = {};
    for (const [name, settings] of Object.entries(SETTINGS)) digests[name] = digestsOf(settings);
    await expect(`${JSON.stringify(digests, null, 2)}\n`).toMatchFileSnapshot('../fixtures/gold/score-digests.json');
  });

  it('scores a product the same however many times and in whatever order', () => {
    // The scorer keeps buffers and caches between calls: a product must not see the one before.
    const score = createScorer(undefined, undefined, { explain: false });
    const forward = SAMPLES.map((sample) => JSON.stringify(score(sample.product, sample.context)));
    const backward = [...SAMPLES].reverse().map((sample) => JSON.stringify(score(sample.product, sample.context)));
    expect(backward.reverse()).toEqual(forward);
  });
});
