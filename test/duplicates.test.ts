import { describe, expect, it } from 'vitest';
import { brandKey } from '../src/silver/brands.js';
import { codeOfKey, duplicateKeys, findDuplicate, gtinKey, gtinVetoes, reasonOfKey, skuKey, type DuplicateRef } from '../src/silver/duplicates.js';
import type { SilverProduct } from '../src/silver/product.js';
import { product } from './helpers/product.js';

const keysOf = (fields: Partial<SilverProduct>) => duplicateKeys(product(fields), brandKey(fields.brand ?? ''));
const shareKey = (a: Partial<SilverProduct>, b: Partial<SilverProduct>) => keysOf(a).some((key) => keysOf(b).includes(key));

describe('gtinKey', () => {
  it('gives a UPC-A, its EAN-13 and GTIN-14 forms one key', () => {
    expect(gtinKey('036000291452')).toBe('00036000291452');
    expect(gtinKey('0036000291452')).toBe('00036000291452');
    expect(gtinKey('00036000291452')).toBe('00036000291452');
    expect(gtinKey('96385074')).toBe('00000096385074');
  });

  it('ignores invalid, wrong-length and all-zero GTINs', () => {
    expect(gtinKey('036000291453')).toBeUndefined();
    expect(gtinKey('12345')).toBeUndefined();
    expect(gtinKey('0360002914A2')).toBeUndefined();
    expect(gtinKey('00000000000000')).toBeUndefined();
    expect(gtinKey(undefined)).toBeUndefined();
  });
});

describe('skuKey', () => {
  it('folds case, spacing, dashes and dots', () => {
    expect(skuKey(' AB-12 3.x ')).toBe('ab123x');
    expect(skuKey("'100")).toBe('100');
  });

  it('folds a # away: it ends the code in a key, before the variant signature', () => {
    expect(skuKey('AB#123')).toBe('ab123');
    const keys = keysOf({ sku: 'AB#123', title: 'Camp chair', attributes: { color: 'Brown' } });
    expect(keys.filter((key) => key.startsWith('s:'))).toEqual(['s:ab123#brown']);
  });

  it.each(['', '0', '00000', 'n/a', 'N/A', 'none', '-', 'ab', 'xxx', 'Default'])('ignores the junk SKU %j', (sku) => {
    expect(skuKey(sku)).toBeUndefined();
  });
});

describe('codeOfKey', () => {
  it('drops the variant signature, which the shared value leaves out too', () => {
    expect(codeOfKey('s:100#beige,brown')).toBe('s:100');
    expect(codeOfKey('m:acme|ab1234')).toBe('m:acme|ab1234');
    expect(reasonOfKey('m:acme|ab1234#red')).toEqual({ reason: 'model', value: 'ab1234' });
  });
});

/** The keys two products share that no GTIN veto blocks: what may link them. */
const linkingKeys = (a: Partial<SilverProduct>, b: Partial<SilverProduct>) => {
  const [own, other] = [keysOf(a), keysOf(b)];
  const gtinOf = (keys: string[]) => keys.find((key) => key.startsWith('g:'));
  return own.filter((key) => other.includes(key) && !gtinVetoes(key, gtinOf(own), gtinOf(other)));
};

describe('gtinVetoes', () => {
  const blender = (title: string, gtin?: string) => ({ brand: 'Mondial', title, gtin });

  it('same model code, different valid GTINs: two products (220V vs 127V)', () => {
    const [v220, v127] = [blender('Mondial NBR-1000 blender 220V', '7891234567895'), blender('Mondial NBR1000 blender 127V', '7891234567888')];
    expect(keysOf(v220).filter((key) => keysOf(v127).includes(key))).toEqual(['m:mondial|nbr1000']);
    expect(linkingKeys(v220, v127)).toEqual([]);
  });

  it('same model code, one GTIN missing: still linked', () => {
    expect(linkingKeys(blender('Mondial NBR-1000 blender 220V', '7891234567895'), blender('Mondial NBR1000 blender 127V'))).toEqual(['m:mondial|nbr1000']);
  });

  it('same SKU, MPN or title, different valid GTINs: two products (dry-season vs rainy-season formula)', () => {
    const feed = (gtin: string) => ({ brand: 'Agro', title: 'Cattle mineral feed', sku: 'AG-77', mpn: 'AGM770', gtin });
    expect(linkingKeys(feed('4006381333931'), feed('5901234123457'))).toEqual([]);
  });

  it('one GTIN written as UPC-A and as EAN-13, under two variant signatures: not a conflict', () => {
    expect(gtinVetoes('s:ag77#red', 'g:00036000291452#red', 'g:00036000291452')).toBe(false);
    expect(gtinVetoes('g:00036000291452', 'g:00036000291452', 'g:00036000291452')).toBe(false);
    expect(linkingKeys({ sku: 'AG-77', gtin: '036000291452' }, { sku: 'AG77', gtin: '0036000291452' })).toEqual(['g:00036000291452', 's:ag77']);
  });
});

describe('duplicateKeys', () => {
  it('links by valid GTIN across its forms, and by normalized SKU', () => {
    expect(shareKey({ gtin: '036000291452' }, { gtin: '0036000291452' })).toBe(true);
    expect(shareKey({ sku: 'TS-100-RED' }, { sku: 'ts100red' })).toBe(true);
    expect(shareKey({ sku: 'n/a' }, { sku: 'N/A' })).toBe(false);
  });

  it('links near-identical titles of one brand: case, accents, punctuation, order, stop words, units', () => {
    const base = { brand: 'Nike', title: 'Air Max 90 Crème Running Shoe, 500 ml' };
    for (const title of ['air max 90 creme running shoe 500ml', 'NIKE Running Shoe - Air Max 90 Crème (500 ML)', 'The Air Max 90 Creme Running Shoe 500 ml']) {
      expect(shareKey(base, { brand: 'NIKE Inc.', title })).toBe(true);
    }
  });

  it('keeps apart titles that differ in a word or a number, or brands that differ', () => {
    const base = { brand: 'Adobe', title: 'Photoshop CS3' };
    expect(shareKey(base, { brand: 'Adobe', title: 'Photoshop CS3 Upgrade' })).toBe(false);
    expect(shareKey(base, { brand: 'Adobe', title: 'Photoshop CS2' })).toBe(false);
    expect(shareKey({ brand: 'Microsoft', title: 'Office 2007' }, { brand: 'Microsoft', title: 'Office 2003' })).toBe(false);
    expect(shareKey(base, { brand: 'Corel', title: 'Photoshop CS3' })).toBe(false);
    expect(shareKey({ brand: 'Nike', title: 'Shirt' }, { brand: 'Nike', title: 'Shirt' })).toBe(false);
  });

  it('keeps apart variants that name a different color or size', () => {
    const shirt = (color: string) => ({ brand: 'Acme', title: 'Basic Tee', attributes: { color } });
    expect(shareKey(shirt('Red'), shirt('red'))).toBe(true);
    expect(shareKey(shirt('Red'), shirt('Blue'))).toBe(false);
    expect(shareKey({ brand: 'Acme', title: 'Basic Tee Red' }, shirt('Red'))).toBe(true);
  });

  it('lets a product without a brand match one whose brand opens its title', () => {
    expect(shareKey({ brand: 'Adobe', title: 'Photoshop CS3' }, { title: 'adobe photoshop cs3' })).toBe(true);
    // Only the first word is tried as a brand: a two-word guess cost too much precision.
    expect(shareKey({ brand: 'Topics Entertainment', title: 'Math Success 2006' }, { title: 'topics entertainment math success 2006' })).toBe(false);
    expect(shareKey({ brand: 'Adobe', title: 'Photoshop CS3' }, { title: 'photoshop cs3' })).toBe(false);
    expect(shareKey({ title: 'photoshop cs3 extended' }, { title: 'Photoshop CS3 extended' })).toBe(true);
  });

  it('takes the brand out of the title wherever it stands, in any spelling', () => {
    expect(shareKey({ brand: 'Up & Up', title: 'up&up Cotton Swabs 500 ct' }, { brand: 'up and up', title: 'Cotton Swabs 500ct' })).toBe(true);
  });

  it('gives no key for an empty product', () => {
    expect(keysOf({})).toEqual([]);
  });
});

describe('findDuplicate', () => {
  const ref = (id: string, seq: number): DuplicateRef => ({ id, seq });

  it('links to the earliest loaded candidate over all keys', () => {
    const candidates = new Map([
      ['g:1', [ref('b', 5), ref('self', 9)]],
      ['s:x', [ref('a', 2), ref('later', 12)]],
    ]);
    expect(findDuplicate(9, candidates)).toEqual(ref('a', 2));
  });

  it('is canonical when no candidate was loaded earlier', () => {
    expect(findDuplicate(3, new Map([['g:1', [ref('self', 3), ref('later', 7)]]]))).toBeNull();
    expect(findDuplicate(3, new Map())).toBeNull();
  });

  it('follows stored links down to the root', () => {
    const links = new Map([
      [5, ref('b', 3)],
      [3, ref('a', 1)],
    ]);
    expect(findDuplicate(9, new Map([['t:x', [ref('c', 5)]]]), (r) => links.get(r.seq))).toEqual(ref('a', 1));
  });

  it('never follows a link that does not point lower, so broken stored links cannot loop', () => {
    const links = new Map([
      [5, ref('c', 8)],
      [8, ref('b', 5)],
    ]);
    expect(findDuplicate(9, new Map([['t:x', [ref('b', 5)]]]), (r) => links.get(r.seq))).toEqual(ref('b', 5));
  });

  it('gives the same links whatever order products are resolved in', () => {
    const keys = [['g:1'], ['g:1', 's:a'], ['s:a'], ['t:z'], ['t:z', 'g:1']];
    const resolve = (order: number[]) => {
      const links = new Map<number, DuplicateRef | null>();
      const rootOf = (r: DuplicateRef): DuplicateRef | null => {
        if (!links.has(r.seq)) links.set(r.seq, link(r.seq));
        return links.get(r.seq) ?? null;
      };
      const link = (seq: number) => {
        const candidates = new Map(keys[seq].map((key) => [key, keys.flatMap((k, s) => (k.includes(key) ? [ref(`p${s}`, s)] : []))]));
        return findDuplicate(seq, candidates, rootOf);
      };
      for (const seq of order) rootOf(ref(`p${seq}`, seq));
      return [0, 1, 2, 3, 4].map((seq) => links.get(seq)?.id ?? null);
    };
    expect(resolve([0, 1, 2, 3, 4])).toEqual([null, 'p0', 'p0', null, 'p0']);
    expect(resolve([4, 3, 2, 1, 0])).toEqual(resolve([0, 1, 2, 3, 4]));
  });
});
