import { describe, expect, it } from 'vitest';
import { resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';

function normalize(row: Record<string, string>) {
  return normalizeRecord(row, resolveMapping(Object.keys(row)));
}

describe('normalizeRecord', () => {
  it('standardizes every field of a messy row', () => {
    const { product, issues, fieldsNormalized } = normalize({
      product_id: ' SKU-1 ',
      sku: 'SKU-1',
      product_name: 'SAMSUNG  55 INCH 4K UHD LED TV',
      description: '<p>Big&nbsp;screen</p><script>x()</script><ul><li>HDR</li></ul>',
      short_description: 'A big TV',
      brand: '  Samsung  ',
      category: 'Electronics / TVs',
      price: '$1,299.00',
      compare_at_price: '1.499,00',
      availability: 'InStock',
      ean: "'4006381333931",
      mpn: 'UE55',
      image_link: '//cdn.example.com/tv.jpg | https://cdn.example.com/tv-2.jpg',
      additional_image_link: 'https://cdn.example.com/tv-2.jpg, https://cdn.example.com/tv-3.jpg',
      link: 'www.example.com/tv',
      colour: ' black ',
      warranty: '2 years',
    });
    expect(product).toEqual({
      id: 'SKU-1',
      sku: 'SKU-1',
      gtin: '4006381333931',
      mpn: 'UE55',
      title: 'Samsung 55 Inch 4K UHD LED TV',
      description: 'Big screen\nHDR',
      shortDescription: 'A big TV',
      brand: 'Samsung',
      categoryPath: 'Electronics > TVs',
      price: 1299,
      originalPrice: 1499,
      currency: 'USD',
      availability: 'in_stock',
      primaryImageUrl: 'https://cdn.example.com/tv.jpg',
      additionalImageUrls: ['https://cdn.example.com/tv-2.jpg', 'https://cdn.example.com/tv-3.jpg'],
      productUrl: 'https://www.example.com/tv',
      attributes: { color: 'black', warranty: '2 years' },
    });
    expect(issues).toEqual([]);
    // id, title, description, brand, gtin, categoryPath, price, originalPrice, availability,
    // primary image, additional images, productUrl, attributes
    expect(fieldsNormalized).toBe(13);
  });

  it('counts nothing for a row that is already clean', () => {
    const { fieldsNormalized, issues } = normalize({
      id: 'p1',
      title: 'Desk Lamp',
      description: 'A lamp',
      price: '19.99',
      currency: 'EUR',
      availability: 'in_stock',
      gtin: '96385074',
      image_link: 'https://a.example.com/l.jpg',
      link: 'https://a.example.com/l',
      category: 'Home > Lighting',
      color: 'white',
    });
    expect(issues).toEqual([]);
    expect(fieldsNormalized).toBe(0);
  });

  it('drops invalid values and reports each with its field, code and source text', () => {
    const { product, issues } = normalize({
      id: 'p2',
      title: 'Cable',
      gtin: '8.87E+11',
      price: 'call us',
      availability: 'maybe',
      image_link: 'ftp://a.example.com/x.jpg',
      link: '/relative/page',
      currency: 'XYZ',
    });
    expect(product).toEqual({ id: 'p2', title: 'Cable', additionalImageUrls: [], attributes: {} });
    expect(issues.map((issue) => [issue.field, issue.code, issue.value])).toEqual([
      ['gtin', 'gtin_scientific', '8.87E+11'],
      ['price', 'price_unparseable', 'call us'],
      ['currency', 'currency_unknown', 'XYZ'],
      ['availability', 'availability_unknown', 'maybe'],
      ['primaryImageUrl', 'bad_scheme', 'ftp://a.example.com/x.jpg'],
      ['productUrl', 'bad_syntax', '/relative/page'],
    ]);
  });

  it('takes the currency from the price text over the currency column, and says so', () => {
    const { product, issues } = normalize({ id: 'p3', price: '10 EUR', currency: 'USD' });
    expect(product.currency).toBe('EUR');
    expect(issues.map((issue) => issue.code)).toEqual(['currency_conflict']);
  });

  it('takes the currency column when the price text has none', () => {
    expect(normalize({ id: 'p4', price: '10', currency: 'gbp' }).product.currency).toBe('GBP');
  });

  it('falls back to the sku for the id, else leaves it empty for the caller', () => {
    expect(normalize({ sku: 'S-9', title: 'x' }).product.id).toBe('S-9');
    expect(normalize({ title: 'x' }).product.id).toBe('');
  });

  it('drops the spreadsheet apostrophe in front of codes', () => {
    const { product, fieldsNormalized } = normalize({ id: 'p7', sku: "'100", mpn: "'0042" });
    expect(product).toMatchObject({ sku: '100', mpn: '0042' });
    expect(fieldsNormalized).toBe(2);
  });

  it('reads an image list held in a JSON array', () => {
    const { product } = normalize({ id: 'p5', images: '["https://a.example.com/1.jpg","https://a.example.com/2.jpg"]' });
    expect(product.primaryImageUrl).toBe('https://a.example.com/1.jpg');
    expect(product.additionalImageUrls).toEqual(['https://a.example.com/2.jpg']);
  });

  it('keeps a mixed-case title as written', () => {
    expect(normalize({ id: 'p6', title: 'iPhone 15 case' }).product.title).toBe('iPhone 15 case');
  });
});

describe('normalizeRecord with a sale price', () => {
  const prices = (row: Record<string, string>) => {
    const { product, issues } = normalize({ id: 'P1', title: 'Mug', ...row });
    return {
      price: product.price,
      originalPrice: product.originalPrice,
      currency: product.currency,
      issues: issues.map(({ field, code, value }) => ({ field, code, value })),
    };
  };

  it('makes a sale price below the price the price paid, and the price the original', () => {
    expect(prices({ price: '10', sale_price: '8' })).toEqual({ price: 8, originalPrice: 10, currency: undefined, issues: [] });
    expect(prices({ price: '10 EUR', sale_price: '8 EUR' })).toEqual({ price: 8, originalPrice: 10, currency: 'EUR', issues: [] });
  });

  it('keeps a compare-at price as the original when there is a sale price too', () => {
    expect(prices({ price: '10', sale_price: '8', compare_at_price: '15' })).toMatchObject({ price: 8, originalPrice: 15, issues: [] });
  });

  it.each(['NaN', '1e309', 'abc', '-5', 'Infinity'])('leaves price 10 alone when the sale price is %s: one issue on salePrice naming the value', (sale) => {
    const { price, originalPrice, issues } = prices({ price: '10', sale_price: sale });
    expect({ price, originalPrice }).toEqual({ price: 10, originalPrice: undefined });
    expect(issues).toEqual([{ field: 'salePrice', code: expect.stringMatching(/^price_(unparseable|negative)$/), value: sale }]);
  });

  it('ignores a sale price that is not below the price, or in another currency, with an issue on salePrice', () => {
    expect(prices({ price: '10', sale_price: '12' })).toEqual({
      price: 10,
      originalPrice: undefined,
      currency: undefined,
      issues: [{ field: 'salePrice', code: 'sale_price_not_lower', value: '12' }],
    });
    expect(prices({ price: '10', sale_price: '10' })).toMatchObject({
      price: 10,
      originalPrice: undefined,
      issues: [{ field: 'salePrice', code: 'sale_price_not_lower' }],
    });
    expect(prices({ price: '10', sale_price: '12', compare_at_price: '15' })).toMatchObject({ price: 10, originalPrice: 15 });
    expect(prices({ price: '10 EUR', sale_price: '8 USD' })).toEqual({
      price: 10,
      originalPrice: undefined,
      currency: 'EUR',
      issues: [{ field: 'salePrice', code: 'sale_price_currency', value: '8 USD' }],
    });
  });

  it('reports a bad price on price, not on originalPrice, and still takes a good sale price as the price paid', () => {
    expect(prices({ price: 'abc', sale_price: '8' })).toEqual({
      price: 8,
      originalPrice: undefined,
      currency: undefined,
      issues: [{ field: 'price', code: 'price_unparseable', value: 'abc' }],
    });
    expect(prices({ sale_price: '8' })).toMatchObject({ price: 8, originalPrice: undefined, issues: [] });
  });

  it('reports each of a bad price and a bad sale price on its own field', () => {
    expect(prices({ price: 'abc', sale_price: 'NaN' })).toEqual({
      price: undefined,
      originalPrice: undefined,
      currency: undefined,
      issues: [
        { field: 'price', code: 'price_unparseable', value: 'abc' },
        { field: 'salePrice', code: 'price_unparseable', value: 'NaN' },
      ],
    });
  });
});

describe('store settings, condition and identifier_exists', () => {
  const feed = (row: Record<string, string>, store?: { currency?: string; baseUrl?: string }) =>
    normalizeRecord(row, resolveMapping(Object.keys(row)), { store });

  it('a price that names no currency takes the store currency and says so; one that names it keeps its own', () => {
    const bare = feed({ id: '1', title: 'Lamp', price: '20.00' }, { currency: 'EUR' });
    expect(bare.product.currency).toBe('EUR');
    expect(bare.fromStore).toEqual(['currency']);
    const named = feed({ id: '1', title: 'Lamp', price: '20.00 GBP' }, { currency: 'EUR' });
    expect(named.product.currency).toBe('GBP');
    expect(named.fromStore).toEqual([]);
  });

  it('relative links become absolute against the store address; absolute and host-only links are left alone', () => {
    const relative = feed({ id: '1', title: 'Lamp', link: '/products/lamp', image_link: 'images/lamp.jpg' }, { baseUrl: 'https://shop.example.com' });
    expect(relative.product.productUrl).toBe('https://shop.example.com/products/lamp');
    expect(relative.product.primaryImageUrl).toBe('https://shop.example.com/images/lamp.jpg');
    expect(relative.fromStore).toEqual(['primaryImageUrl', 'productUrl']);
    const absolute = feed(
      { id: '1', title: 'Lamp', link: 'https://other.example.com/lamp', image_link: 'www.example.com/lamp.jpg' },
      { baseUrl: 'https://shop.example.com' },
    );
    expect(absolute.product.productUrl).toBe('https://other.example.com/lamp');
    expect(absolute.fromStore).toEqual([]);
  });

  it('reads condition and identifier_exists as feeds spell them, and reports what it cannot read', () => {
    const ok = feed({ id: '1', title: 'Vase', condition: 'NewCondition', identifier_exists: 'no' });
    expect(ok.product).toMatchObject({ condition: 'new', identifierExists: false });
    const bad = feed({ id: '1', title: 'Vase', condition: 'mint', identifier_exists: 'maybe' });
    expect(bad.product.condition).toBeUndefined();
    expect(bad.issues.map((i) => i.code)).toEqual(['condition_invalid', 'identifier_exists_invalid']);
  });

  it("takes Shopify's Custom Product TRUE as identifier_exists = no, and FALSE as nothing", () => {
    const row = (custom: string) => ({ Handle: 'vase', Title: 'Vase', 'Body (HTML)': 'x', 'Variant Price': '5', 'Google Shopping / Custom Product': custom });
    expect(feed(row('TRUE')).product.identifierExists).toBe(false);
    expect(feed(row('FALSE')).product.identifierExists).toBeUndefined();
  });
});
