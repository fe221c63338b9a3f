import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/errors.js';
import { columnKey } from '../src/silver/aliases.js';
import { applyMapping, detectPreset, resolveMapping, type MappingRule } from '../src/silver/mapping.js';
import { checkMappingRule, parseTransform } from '../src/silver/mapping-rules.js';

function mapRow(row: Record<string, string>, options: Parameters<typeof resolveMapping>[1] = {}) {
  return applyMapping(row, resolveMapping(Object.keys(row), options));
}

const shopifyRow = {
  Handle: 'wax-tin',
  Title: 'Mustache Wax',
  'Body (HTML)': '<p>Firm hold</p>',
  Vendor: 'Stache Co ',
  Type: 'Grooming',
  'Option1 Name': 'Size',
  'Option1 Value': '1 Ounce',
  'Variant SKU': 'WAX-1',
  'Variant Price': '15.99',
  'Variant Compare At Price': '19.99',
  'Variant Inventory Qty': '0',
  'Variant Inventory Policy': 'continue',
  'Variant Barcode': "'0850064060010",
  'Image Src': 'https://cdn.example.com/wax.jpg',
  'Variant Image': 'https://cdn.example.com/wax-1oz.jpg',
  'SEO Description': 'Firm hold wax in a tin',
  'Google Shopping / Google Product Category': 'Health & Beauty > Hair Care',
  'Google Shopping / Gender': 'male',
  'Google Shopping / Age Group': 'adult',
  'Google Shopping / MPN': 'SW-1',
  'Color (product.metafields.shopify.color-pattern)': 'amber',
  Published: 'true',
};

describe('columnKey', () => {
  it('ignores case, punctuation and Shopify metafield suffixes', () => {
    expect(columnKey('Body (HTML)')).toBe('bodyhtml');
    expect(columnKey('Google Shopping / Age Group')).toBe('googleshoppingagegroup');
    expect(columnKey('Material (product.metafields.custom.material)')).toBe('material');
    expect(columnKey('g:image_link')).toBe('imagelink');
  });
});

describe('detectPreset', () => {
  it('recognizes each export from its characteristic columns', () => {
    expect(detectPreset(Object.keys(shopifyRow))).toBe('shopify');
    expect(detectPreset(['ID', 'Type', 'SKU', 'Name', 'In stock?', 'Sale price', 'Regular price'])).toBe('woocommerce');
    expect(detectPreset(['id', 'title', 'link', 'image_link', 'price', 'availability'])).toBe('google-merchant');
    expect(detectPreset(['product_name', 'price', 'ean'])).toBeUndefined();
  });
});

describe('the shopify preset', () => {
  const { raw, attributes } = mapRow(shopifyRow);

  it('maps the usual columns', () => {
    expect(raw).toMatchObject({
      id: 'wax-tin',
      sku: 'WAX-1',
      title: 'Mustache Wax',
      description: '<p>Firm hold</p>',
      shortDescription: 'Firm hold wax in a tin',
      brand: 'Stache Co ',
      gtin: "'0850064060010",
      mpn: 'SW-1',
      price: '15.99',
      originalPrice: '19.99',
      categoryPath: 'Health & Beauty > Hair Care',
      primaryImageUrl: 'https://cdn.example.com/wax.jpg',
      additionalImageUrls: ['https://cdn.example.com/wax-1oz.jpg'],
    });
  });

  it('folds a zero stock with a continue policy into backorder', () => {
    expect(raw.availability).toBe('backorder');
  });

  it('maps key attributes, option pairs, and keeps the rest as attributes', () => {
    expect(attributes).toEqual({
      productType: 'Grooming',
      gender: 'male',
      ageGroup: 'adult',
      color: 'amber',
      size: '1 Ounce',
    });
    // Published is read for whether the product is for sale, not kept as an attribute.
  });
});

describe('the woocommerce preset', () => {
  const row = {
    ID: '42',
    Type: 'variable',
    SKU: 'HOOD-1',
    Name: 'Hoodie',
    'Short description': 'Warm',
    Description: 'A warm hoodie',
    'In stock?': '1',
    'Sale price': '42',
    'Regular price': '45',
    Categories: 'Clothing > Hoodies, Clothing',
    Images: 'https://a.example.com/h1.jpg, https://a.example.com/h2.jpg',
    'Attribute 1 name': 'Color',
    'Attribute 1 value(s)': 'Blue, Green',
    'Attribute 1 visible': '1',
    'Attribute 2 name': 'Pattern',
    'Attribute 2 value(s)': 'Plain',
    Brands: 'Acme',
    Tags: '',
  };
  const { raw, attributes } = mapRow(row);

  it('passes the sale price on beside the regular price: they are combined once parsed', () => {
    expect(raw.price).toBe('45');
    expect(raw.salePrice).toBe('42');
    expect(raw.originalPrice).toBeUndefined();
  });

  it('takes the first category path and keeps the image list cell whole', () => {
    expect(raw.categoryPath).toBe('Clothing > Hoodies');
    expect(raw.primaryImageUrl).toBe(row.Images);
  });

  it('maps attribute pairs and skips empty cells and pair extras', () => {
    expect(attributes).toEqual({ Type: 'variable', color: 'Blue, Green', Pattern: 'Plain' });
    expect(raw).toMatchObject({ id: '42', title: 'Hoodie', brand: 'Acme', availability: 'in_stock' });
  });

  it('uses the regular price when there is no sale price', () => {
    expect(mapRow({ ...row, 'Sale price': '' }).raw).toMatchObject({ price: '45' });
    expect(mapRow({ ...row, 'Sale price': '' }).raw.salePrice).toBeUndefined();
  });
});

describe('the google-merchant preset', () => {
  it('maps feed columns', () => {
    const { raw, attributes } = mapRow({
      id: 'p1',
      title: 'Lamp',
      description: 'Desk lamp',
      link: 'https://shop.example.com/p1',
      image_link: 'https://shop.example.com/p1.jpg',
      additional_image_link: 'https://shop.example.com/p1b.jpg',
      price: '20.00 EUR',
      sale_price: '15.00 EUR',
      availability: 'in stock',
      brand: 'Lumo',
      google_product_category: '4636',
      product_type: 'Home > Lighting',
      gtin: '4006381333931',
      mpn: 'L-1',
      color: 'white',
      size: 'M',
      material: 'steel',
      gender: 'unisex',
      age_group: 'adult',
      condition: 'new',
    });
    expect(raw).toMatchObject({
      productUrl: 'https://shop.example.com/p1',
      price: '20.00 EUR',
      salePrice: '15.00 EUR',
      categoryPath: 'Home > Lighting',
      additionalImageUrls: ['https://shop.example.com/p1b.jpg'],
      condition: 'new',
    });
    expect(attributes).toEqual({ color: 'white', size: 'M', material: 'steel', gender: 'unisex', ageGroup: 'adult' });
  });
});

describe('aliases of plain exports', () => {
  it('match names case- and punctuation-insensitively', () => {
    const { raw, attributes } = mapRow({
      'Product Name': 'Cereal',
      manufacturer: 'Oats Inc',
      'GTIN-14': '00036000291452',
      'Brand Name': 'Oaty',
      image_url: 'https://img.example.com/c.jpg',
      'Image 2': 'https://img.example.com/c2.jpg',
      URL: 'https://x.example.com/c',
      Category: 'Food',
      Colour: 'brown',
      Size: '500 g',
      Calories: '120',
    });
    expect(raw).toMatchObject({
      title: 'Cereal',
      gtin: '00036000291452',
      brand: 'Oaty',
      primaryImageUrl: 'https://img.example.com/c.jpg',
      additionalImageUrls: ['https://img.example.com/c2.jpg'],
      productUrl: 'https://x.example.com/c',
      categoryPath: 'Food',
    });
    expect(attributes).toEqual({ color: 'brown', size: '500 g', Calories: '120' });
  });

  it('fall back to a lower-priority column when the first one is empty', () => {
    expect(mapRow({ title: '', name: 'Backup name' }).raw.title).toBe('Backup name');
    expect(mapRow({ ean: '', upc: '036000291452' }).raw.gtin).toBe('036000291452');
  });
});

describe('user rules', () => {
  it('win over presets and aliases, with transforms', () => {
    const rules: MappingRule[] = [
      { sourceField: 'Headline', targetField: 'title', transform: 'trim' },
      { sourceField: 'maker', targetField: 'Brand', transform: 'uppercase' },
      { sourceField: 'Title', targetField: 'attributes.subtitle', transform: 'prefix:Sub: ' },
      { sourceField: 'code', targetField: 'sku', transform: 'suffix:-EU' },
      { sourceField: 'Missing', targetField: 'mpn' },
    ];
    const mapping = resolveMapping(['Title', 'Headline', 'maker', 'code'], { rules });
    const { raw, attributes } = applyMapping({ Title: 'Old', Headline: ' New ', maker: 'acme', code: 'A1' }, mapping);
    expect(raw).toEqual({ title: 'New', brand: 'ACME', sku: 'A1-EU' });
    expect(attributes).toEqual({ subtitle: 'Sub: Old' });
    expect(mapping.warnings.map((warning) => warning.code)).toEqual(['mapping_source_missing']);
  });

  it('override a preset meaning', () => {
    const rules = [{ sourceField: 'Type', targetField: 'categoryPath' }];
    expect(mapRow(shopifyRow, { rules }).raw.categoryPath).toBe('Grooming');
  });

  it.each([
    [{ sourceField: 'a', targetField: 'title', transform: 'reverse' }, 'mapping_bad_transform'],
    [{ sourceField: 'a', targetField: 'title', transform: 'prefix:' }, 'mapping_bad_transform'],
    [{ sourceField: 'a', targetField: 'colour' }, 'mapping_bad_target'],
    [{ sourceField: 'a', targetField: 'attributes.' }, 'mapping_bad_target'],
    [{ sourceField: ' ', targetField: 'title' }, 'mapping_bad_source'],
  ])('refuse %j with a stable code', (rule, code) => {
    expect(checkMappingRule(rule)).toMatchObject({ code });
    try {
      resolveMapping(['a'], { rules: [rule] });
      expect.unreachable();
    } catch (error) {
      expect(isUserError(error) && error.code).toBe(code);
    }
  });
});

describe('presets', () => {
  it('can be forced or switched off', () => {
    expect(resolveMapping(['Type', 'Name'], { preset: 'shopify' }).preset).toBe('shopify');
    expect(resolveMapping(Object.keys(shopifyRow), { preset: 'none' }).preset).toBeUndefined();
  });

  it('refuse an unknown name', () => {
    expect(() => resolveMapping([], { preset: 'magento' })).toThrow(/unknown preset/);
  });
});

describe('parseTransform', () => {
  it('keeps colons after the first one in the text', () => {
    const transform = parseTransform('prefix:https://');
    expect(typeof transform === 'function' && transform('x.com')).toBe('https://x.com');
    const lower = parseTransform('LowerCase');
    expect(typeof lower === 'function' && lower('ABC')).toBe('abc');
  });
});

describe('names that are members of every JavaScript object', () => {
  const BUILTINS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

  it('are unknown transforms, a config error like any other', () => {
    for (const spec of BUILTINS) {
      expect(parseTransform(spec), spec).toMatchObject({ code: 'mapping_bad_transform', message: expect.stringContaining(`unknown transform '${spec}'`) });
      let thrown: unknown;
      try {
        resolveMapping(['title'], { rules: [{ sourceField: 'title', targetField: 'title', transform: spec }] });
      } catch (error) {
        thrown = error;
      }
      expect(isUserError(thrown) && thrown.code, spec).toBe('mapping_bad_transform');
    }
  });

  it('reach the attributes as unmapped columns, from bronze as stored (JSON.parse keeps __proto__ as a key)', () => {
    const row = JSON.parse('{"id":"1","title":"Hat","__proto__":"a","constructor":"b","toString":"c","valueOf":"d","hasOwnProperty":"e"}') as Record<
      string,
      string
    >;
    expect(Object.entries(mapRow(row).attributes)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
      ['valueOf', 'd'],
      ['hasOwnProperty', 'e'],
    ]);
  });

  it('work as the source and the attribute a rule names, and as option names', () => {
    const row = JSON.parse('{"id":"1","__proto__":"x","Option1 Name":"constructor","Option1 Value":"y"}') as Record<string, string>;
    const { attributes } = mapRow(row, { rules: [{ sourceField: '__proto__', targetField: 'attributes.toString', transform: 'uppercase' }] });
    expect(Object.entries(attributes)).toEqual([
      ['toString', 'X'],
      ['constructor', 'y'],
    ]);
  });
});
