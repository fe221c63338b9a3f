import { describe, expect, it } from 'vitest';
import { findColumn, ID_COLUMNS, TITLE_COLUMNS } from '../src/ingest/columns.js';
import { foldFields } from '../src/ingest/fold.js';
import { columnKey } from '../src/silver/aliases.js';
import { availabilityFromVariants, normalizeAvailability } from '../src/silver/availability.js';
import { cleanGtin } from '../src/silver/gtin.js';
import { lookupTaxonomyPath, parseTaxonomy } from '../src/silver/taxonomy.js';
import { applyMapping, resolveMapping } from '../src/silver/mapping.js';
import { normalizeRecord } from '../src/silver/normalize-record.js';
import { fixTitleCase, isEnglishTitle } from '../src/silver/title-case.js';

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
  const base = {
    Handle: 'tee',
    Title: 'Tee',
    'Variant SKU': 'S',
    'Variant Price': '20',
    'Variant Inventory Tracker': 'shopify',
    'Variant Inventory Qty': '0',
    'Variant Inventory Policy': 'deny',
  };

  it('fold keeps every variant stock entry, blanks included, and skips image rows', () => {
    const second = {
      Handle: 'tee',
      Title: '',
      'Variant SKU': 'M',
      'Variant Price': '20',
      'Variant Inventory Tracker': '',
      'Variant Inventory Qty': '2',
      'Variant Inventory Policy': 'deny',
    };
    const image = {
      Handle: 'tee',
      Title: '',
      'Variant SKU': '',
      'Variant Price': '',
      'Variant Inventory Tracker': '',
      'Variant Inventory Qty': '',
      'Variant Inventory Policy': '',
      'Image Src': 'x',
    };
    const folded = foldFields(foldFields(base, second), image);
    expect(folded['Variant Inventory Tracker']).toBe('shopify | ');
    expect(folded['Variant Inventory Qty']).toBe('0 | 2');
    expect(folded['Variant SKU']).toBe('S');
  });

  it('a product is in stock when any variant is', () => {
    expect(
      availabilityFromVariants(
        [
          { tracker: 'shopify', quantity: '0', policy: 'deny' },
          { tracker: 'shopify', quantity: '2', policy: 'deny' },
        ],
        true,
      ),
    ).toBe('in_stock');
    expect(
      availabilityFromVariants(
        [
          { tracker: 'shopify', quantity: '0', policy: 'deny' },
          { tracker: 'shopify', quantity: '0', policy: 'deny' },
        ],
        true,
      ),
    ).toBe('out_of_stock');
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

describe('text cells as exports write them', () => {
  const normalize = (row: Record<string, string>) => normalizeRecord(row, resolveMapping(Object.keys(row))).product;

  it('decodes HTML entities in titles, brands and attributes, numeric ones without a semicolon too', () => {
    const p = normalize({ id: '1', title: '&quot;Baguette Lyonnais&quot; &#40;2 x 250 G&#41', brand: 'Boulangerie &amp; Co', finish: '250&deg;C' });
    expect(p.title).toBe('"Baguette Lyonnais" (2 x 250 G)');
    expect(p.brand).toBe('Boulangerie & Co');
    expect(p.attributes.finish).toBe('250°C');
  });

  it('decodes entities in category paths, separators included', () => {
    expect(normalize({ id: '1', title: 'Rake', category: 'Home &amp; Garden &gt; Tools' }).categoryPath).toBe('Home & Garden > Tools');
    expect(normalize({ id: '1', title: 'Rake', category: 'Home & Garden > Tools' }).categoryPath).toBe('Home & Garden > Tools');
  });

  it('leaves an ampersand that starts no entity alone', () => {
    expect(normalize({ id: '1', title: 'Salt & Pepper &unknown; Mill' }).title).toBe('Salt & Pepper &unknown; Mill');
  });

  it('reads JSON array cells as lists: the first category, every image, tags joined', () => {
    const p = normalize({
      id: '1',
      title: 'Bread',
      category: '["Laptops", "Computers"]',
      images: '["https://x.example/a.jpg","https://x.example/b.jpg"]',
      tags: '["bread","french"]',
    });
    expect(p.categoryPath).toBe('Laptops');
    expect(p.primaryImageUrl).toBe('https://x.example/a.jpg');
    expect(p.additionalImageUrls).toEqual(['https://x.example/b.jpg']);
    expect(p.attributes.tags).toBe('bread, french');
  });

  it('keeps a cell that only looks like a list as text', () => {
    const p = normalize({ id: '1', title: '[NEW] Lamp', category: '[Drinkware]', note: '[1, {"a": 2}]' });
    expect(p.title).toBe('[NEW] Lamp');
    expect(p.categoryPath).toBe('[Drinkware]');
    expect(p.attributes.note).toBe('[1, {"a": 2}]');
  });
});

describe('title case only for English', () => {
  it('writes other languages in sentence case', () => {
    expect(fixTitleCase('cuisse de poulet direct au four curry')).toBe('Cuisse de poulet direct au four curry');
    expect(fixTitleCase('KÄSE MIT KRÄUTERN 200G')).toBe('Käse mit kräutern 200g');
  });

  it('keeps title case for English and undecided titles', () => {
    expect(fixTitleCase('stainless steel bottle with lid')).toBe('Stainless Steel Bottle with Lid');
    expect(isEnglishTitle('samsung galaxy s21')).toBe(true);
    expect(isEnglishTitle('poulet au curry')).toBe(false);
  });

  it('follows the store language when given', () => {
    expect(fixTitleCase('poulet roti', 'en-US')).toBe('Poulet Roti');
    expect(fixTitleCase('the big lamp', 'fr')).toBe('The big lamp');
  });

  it('never loses an acronym or a unit', () => {
    expect(fixTitleCase('PAINS CHOCO AOP X 5')).toBe('Pains Choco AOP x 5');
    expect(fixTitleCase('FROMAGE AOP DE SAVOIE 250 G')).toBe('Fromage AOP de savoie 250 g');
    expect(fixTitleCase('BBQ TONGS PVC HANDLE')).toBe('BBQ Tongs PVC Handle');
    // A word with vowels is a word, not an acronym.
    expect(fixTitleCase('RED CAR')).toBe('Red Car');
  });
});
