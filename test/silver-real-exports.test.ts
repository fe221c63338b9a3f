import { describe, expect, it } from 'vitest';
import { findColumn, ID_COLUMNS, TITLE_COLUMNS } from '../src/ingest/columns.js';
import { foldFields } from '../src/ingest/fold.js';
import { columnKey } from '../src/silver/aliases.js';
import { availabilityFromVariants, normalizeAvailability } from '../src/silver/availability.js';
import { cleanGtin } from '../src/silver/gtin.js';
import { lookupTaxonomyPath, parseTaxonomy } from '../src/silver/taxonomy.js';
import { applyMapping, resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';

function mapRow(row: Record<string, string>, preset?: string) {
  return applyMapping(row, resolveMapping(Object.keys(row), { preset }));
}

describe('aliases for columns real files carry', () => {
  it('maps image, barcode, model number and price range columns', () => {
    const { raw, attributes } = mapRow({
      id: '1',
      name: 'Lamp',
      product_image: 'https://cdn.example.com/a.jpg',
      barcode_id: '4006381333931',
      manufacturerNumber: 'LMP-9',
      amountMin: '10.00',
      amountMax: '14.00',
    });
    expect(raw).toMatchObject({ primaryImageUrl: 'https://cdn.example.com/a.jpg', gtin: '4006381333931', mpn: 'LMP-9', price: '10.00' });
    expect(attributes.priceMax).toBe('14.00');
  });

  it('maps img, picture, ean13, upc_a, model_number and price_min', () => {
    expect(mapRow({ img: 'https://x.example/a.png' }).raw.primaryImageUrl).toBe('https://x.example/a.png');
    expect(mapRow({ picture: 'https://x.example/a.png' }).raw.primaryImageUrl).toBe('https://x.example/a.png');
    expect(mapRow({ ean13: '4006381333931' }).raw.gtin).toBe('4006381333931');
    expect(mapRow({ upc_a: '036000291452' }).raw.gtin).toBe('036000291452');
    expect(mapRow({ model_number: 'X1' }).raw.mpn).toBe('X1');
    expect(mapRow({ modelno: 'X1' }).raw.mpn).toBe('X1');
    expect(mapRow({ price_min: '3' }).raw.price).toBe('3');
  });

  it('leaves columns that only look alike in attributes', () => {
    const { raw, attributes } = mapRow({ image_alt: 'a lamp', barcode_type: 'EAN', model_year: '2021' });
    expect(raw).toEqual({});
    expect(attributes).toMatchObject({ image_alt: 'a lamp', barcode_type: 'EAN', model_year: '2021' });
  });
});

describe('Shopify metafield columns', () => {
  it('match by the key in brackets, whatever the label language', () => {
    expect(columnKey('Stoff (product.metafields.shopify.fabric)')).toBe('fabric');
    expect(columnKey('Zielgeschlecht (product.metafields.shopify.target-gender)')).toBe('targetgender');
    const { attributes } = mapRow({
      'Stoff (product.metafields.shopify.fabric)': 'Baumwolle',
      'Zielgeschlecht (product.metafields.shopify.target-gender)': 'Damen',
      'Altersgruppe (product.metafields.shopify.age-group)': 'Erwachsene',
      'Farbe (product.metafields.shopify.color-pattern)': 'Blau',
      'Größe (product.metafields.shopify.size)': 'M',
    });
    expect(attributes).toMatchObject({ material: 'Baumwolle', gender: 'Damen', ageGroup: 'Erwachsene', color: 'Blau', size: 'M' });
  });

  it('keeps a metafield whose key means nothing to the schema under its label', () => {
    const { attributes } = mapRow({ 'Haltegrad (product.metafields.shopify.hold-level)': 'stark' });
    expect(attributes).toEqual({ Haltegrad: 'stark' });
  });
});

describe('Merchant Center g: names at load', () => {
  it('finds g:id and g:title', () => {
    const names = ['g:id', 'g:title', 'g:price'];
    expect(findColumn(names, ID_COLUMNS)).toBe('g:id');
    expect(findColumn(names, TITLE_COLUMNS)).toBe('g:title');
  });

  it('prefers a plain column and ignores other prefixes', () => {
    expect(findColumn(['g:id', 'id'], ID_COLUMNS)).toBe('id');
    expect(findColumn(['x:id', 'x:title'], ID_COLUMNS)).toBeUndefined();
  });
});

describe('Shopify stock semantics', () => {
  const base = { Handle: 'tee', Title: 'Tee', 'Variant SKU': 'S', 'Variant Price': '20', 'Variant Inventory Tracker': 'shopify', 'Variant Inventory Qty': '0', 'Variant Inventory Policy': 'deny' };

  it('fold keeps every variant stock entry, blanks included, and skips image rows', () => {
    const second = { Handle: 'tee', Title: '', 'Variant SKU': 'M', 'Variant Price': '20', 'Variant Inventory Tracker': '', 'Variant Inventory Qty': '2', 'Variant Inventory Policy': 'deny' };
    const image = { Handle: 'tee', Title: '', 'Variant SKU': '', 'Variant Price': '', 'Variant Inventory Tracker': '', 'Variant Inventory Qty': '', 'Variant Inventory Policy': '', 'Image Src': 'x' };
    const folded = foldFields(foldFields(base, second), image);
    expect(folded['Variant Inventory Tracker']).toBe('shopify | ');
    expect(folded['Variant Inventory Qty']).toBe('0 | 2');
    expect(folded['Variant SKU']).toBe('S');
  });

  it('a product is in stock when any variant is', () => {
    expect(availabilityFromVariants([{ tracker: 'shopify', quantity: '0', policy: 'deny' }, { tracker: 'shopify', quantity: '2', policy: 'deny' }], true)).toBe('in_stock');
    expect(availabilityFromVariants([{ tracker: 'shopify', quantity: '0', policy: 'deny' }, { tracker: 'shopify', quantity: '0', policy: 'deny' }], true)).toBe('out_of_stock');
  });

  it('a blank tracker means not tracked, so for sale; continue sells when out', () => {
    expect(availabilityFromVariants([{ tracker: '', quantity: '0', policy: 'deny' }], true)).toBe('in_stock');
    expect(availabilityFromVariants([{ tracker: 'shopify', quantity: '0', policy: 'continue' }], true)).toBe('backorder');
    expect(availabilityFromVariants([{ tracker: 'shopify', policy: 'continue' }], true)).toBe('in_stock');
    expect(availabilityFromVariants([{ tracker: 'shopify', policy: 'deny' }], true)).toBeUndefined();
    // Without a tracker column a blank says nothing.
    expect(availabilityFromVariants([{ quantity: '0' }], false)).toBe('out_of_stock');
  });

  it('maps a folded Shopify record through the preset', () => {
    const row = { ...base, 'Variant Inventory Tracker': 'shopify | shopify', 'Variant Inventory Qty': '0 | 20', 'Variant Inventory Policy': 'deny | deny' };
    expect(mapRow(row).raw.availability).toBe('in_stock');
    expect(mapRow({ ...base, 'Variant Inventory Tracker': '' }).raw.availability).toBe('in_stock');
    expect(mapRow(base).raw.availability).toBe('out_of_stock');
  });

  it('reports draft, archived and unpublished products as not for sale', () => {
    const issues = (row: Record<string, string>) => normalizeRecord(row, resolveMapping(Object.keys(row))).issues.map((i) => i.code);
    expect(issues({ ...base, Status: 'draft' })).toContain('not_for_sale');
    expect(issues({ ...base, Status: 'archived' })).toContain('not_for_sale');
    expect(issues({ ...base, Status: 'active', Published: 'false' })).toContain('not_for_sale');
    expect(issues({ ...base, Status: 'active', Published: 'true' })).not.toContain('not_for_sale');
  });
});

describe('UPCs that lost their leading zero', () => {
  it('restores the zero when the 12-digit form passes the check digit, and says so', () => {
    // 036000291452 is a valid UPC-A; a spreadsheet wrote it 36000291452.
    const { gtin, issue } = cleanGtin('36000291452');
    expect(gtin).toBe('036000291452');
    expect(issue?.code).toBe('gtin.leading_zero_restored');
  });

  it('rejects 11 digits whose 12-digit form fails the check digit', () => {
    const { gtin, issue } = cleanGtin('36000291453');
    expect(gtin).toBeUndefined();
    expect(issue?.code).toBe('gtin_length');
  });

  it('reports the restore as an issue of the normalized record', () => {
    const row = { id: '1', title: 'Soup', upc: '36000291452' };
    const { product, issues } = normalizeRecord(row, resolveMapping(Object.keys(row)));
    expect(product.gtin).toBe('036000291452');
    expect(issues).toContainEqual(expect.objectContaining({ field: 'gtin', code: 'gtin.leading_zero_restored', value: '36000291452' }));
  });
});

describe('availability words of real price files', () => {
  it.each([
    ['Special Order', 'backorder'],
    ['More on the Way', 'out_of_stock'],
    ['sold', 'out_of_stock'],
    ['32 available', 'in_stock'],
    ['0 available', 'out_of_stock'],
    ['5 in stock', 'in_stock'],
  ])('%s is %s', (text, expected) => {
    expect(normalizeAvailability(text).availability).toBe(expected);
  });

  it('still refuses words it does not know', () => {
    expect(normalizeAvailability('32 apples').issue?.code).toBe('availability_unknown');
    expect(normalizeAvailability('sold by weight').issue?.code).toBe('availability_unknown');
  });
});

describe('numeric google_product_category', () => {
  it('is kept as the taxonomy id, and a text path from another column still counts', () => {
    const row = { id: '1', title: 'Phone', google_product_category: '267', product_type: 'Phones > Smartphones' };
    const { product } = normalizeRecord(row, resolveMapping(Object.keys(row), { preset: 'google-merchant' }));
    expect(product.taxonomyId).toBe('267');
    expect(product.categoryPath).toBe('Phones > Smartphones');
  });

  it('is no category path on its own; a path with digits stays a path', () => {
    const only = { id: '1', title: 'Phone', google_product_category: '267' };
    const a = normalizeRecord(only, resolveMapping(Object.keys(only))).product;
    expect(a.taxonomyId).toBe('267');
    expect(a.categoryPath).toBeUndefined();
    const text = { id: '1', title: 'TV', category: 'TVs > 4K 55 inch' };
    expect(normalizeRecord(text, resolveMapping(Object.keys(text))).product).toMatchObject({ categoryPath: 'TVs > 4K 55 inch' });
  });

  it('resolves through the taxonomy file', () => {
    const taxonomy = parseTaxonomy('222 - Electronics\n267 - Electronics > Communications > Telephony > Mobile Phones\n');
    expect(lookupTaxonomyPath(taxonomy, '267')).toBe('Electronics > Communications > Telephony > Mobile Phones');
    expect(lookupTaxonomyPath(taxonomy, '999')).toBeUndefined();
  });
});
