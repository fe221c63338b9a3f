import { describe, expect, it } from 'vitest';
import { brandKey } from '../src/silver/brands.js';
import { corporateKey, duplicateKeys, reasonOfKey, titleTokens } from '../src/silver/duplicates.js';
import { isModelCode, modelCodes, variantSignature } from '../src/silver/model-codes.js';
import type { SilverProduct } from '../src/silver/product.js';
import { product } from './helpers/product.js';

const keysOf = (fields: Partial<SilverProduct>) => duplicateKeys(product(fields), brandKey(fields.brand ?? ''));
const shared = (a: Partial<SilverProduct>, b: Partial<SilverProduct>) => keysOf(a).filter((key) => keysOf(b).includes(key));
const signature = (title: string) => variantSignature(titleTokens(title));

describe('modelCodes', () => {
  it('joins a code across dashes, slashes, dots and a space after a short prefix', () => {
    expect(modelCodes('Panasonic KX-TG9333T cordless phone')).toEqual(['kxtg9333t']);
    expect(modelCodes('panasonic kxtg9333t')).toEqual(['kxtg9333t']);
    expect(modelCodes('Denon DVD 2930CI player')).toEqual(['dvd2930ci']);
    expect(modelCodes('HP CE278A/78A toner')).toEqual(['ce278a78a']);
    expect(modelCodes('Photoshop CS3')).toEqual([]);
  });

  it('skips measures with a unit, and keeps a code that only looks like one', () => {
    for (const measure of ['16gb', '1080p', '55in', '2.4ghz', '500ml', '50cl', '3rd']) expect(isModelCode(measure.replace('.', ''))).toBe(false);
    expect(modelCodes('Sony 55in 1080p TV 16GB 2.4GHz')).toEqual([]);
    expect(isModelCode('kdl55w800')).toBe(true);
  });

  it('`ext 22mo` is a duration (22 months), not a code: two SecurID terms of different sizes share none', () => {
    for (const duration of ['22mo', '12mos', '3yr', '36months', '90days', '2wk', '24hr']) expect(isModelCode(duration)).toBe(false);
    expect(modelCodes('emc securid appl mnt - entupg /ext 22mo per u 1005-150 - app0001500ue22')).toEqual(['app0001500ue22']);
    const a = { brand: 'EMC', title: 'emc securid appl mnt - ent/ ext 22mo per u 3505-5k - app0005000ee22' };
    const b = { brand: 'EMC', title: 'emc securid appl mnt - entupg /ext 22mo per u 1005-150 - app0001500ue22' };
    expect(shared(a, b)).toEqual([]);
  });

  it('a real code that starts with letters still counts, though its letters spell a duration unit', () => {
    for (const code of ['hr20', 'kx22mo', 'mo1234', 'wk400d']) expect(isModelCode(code)).toBe(true);
    expect(modelCodes('DirecTV HR20 receiver')).toEqual(['hr20']);
    expect(shared({ brand: 'Acme', title: 'Acme KX22MO LED desk lamp' }, { brand: 'Acme', title: 'KX22MO lamp, desk' })).toEqual(['m:acme|kx22mo']);
  });

  it('skips dimensions, paper weights and plies, but not a code with an x inside', () => {
    for (const measure of ['50x50', '60x60x85', '250gsm', '2ply']) expect(isModelCode(measure)).toBe(false);
    expect(modelCodes('SCANFROST cooker 50x50 CK-5402')).toEqual(['ck5402']);
    expect(isModelCode('x230t')).toBe(true);
  });

  it('skips a count of things (1cpu, 2dvd: a quantity), but not a code with digits after its letters', () => {
    for (const count of ['1cpu', '2dvd', '2video', '10users']) expect(isModelCode(count)).toBe(false);
    expect(modelCodes('Server Standard 1CPU license')).toEqual([]);
    for (const model of ['2dv100', '3d200', '9jx4']) expect(isModelCode(model)).toBe(true);
  });

  it('skips a word with one or two digits after it (a platform or a series), but not a model with more', () => {
    for (const word of ['win32', 'win64', 'learn2', 'toolbox2']) expect(isModelCode(word)).toBe(false);
    expect(modelCodes('Microsoft Office SBE 2007 Win32')).toEqual([]);
    for (const model of ['bcd48', 'eco1800', 'ce278a', 'ric10wp', 'sfrf18rcb']) expect(isModelCode(model)).toBe(true);
  });

  it('skips years and year ranges, but not a code with a year in it', () => {
    expect(modelCodes('Tax Planner 2007-2008')).toEqual([]);
    expect(modelCodes('Breakfast Tea, 1.41 oz')).toEqual([]);
    expect(modelCodes('Cod Liver Oil 1000 mg 100 soft gels')).toEqual([]);
    expect(modelCodes('QuickBooks Pro 2007')).toEqual([]);
    expect(modelCodes('Office 2007')).toEqual([]);
    expect(modelCodes('Sage vernfp2007rt')).toEqual(['vernfp2007rt']);
  });

  it('skips codes after "for", "fits" or "compatible with": accessories name what they fit', () => {
    expect(modelCodes('Leather case for Canon SD1000')).toEqual([]);
    expect(modelCodes('Battery compatible with NP-FW50')).toEqual([]);
    expect(modelCodes('Canon SD1000 camera with case')).toEqual(['sd1000']);
  });

  it('skips versions and ranges of measures, but not a code with a dot in it', () => {
    expect(modelCodes('ArcServe backup r11.5 sp1')).toEqual([]);
    expect(modelCodes('Adventure Workshop 1st-3rd grade, preschool-1st')).toEqual([]);
    expect(modelCodes('Router WRT54G.V2')).toEqual(['wrt54gv2']);
  });

  it('gives no code for a title that names more than two', () => {
    expect(modelCodes('Kit AB100 CD200 EF300')).toEqual([]);
    expect(modelCodes('Kit AB100 CD200')).toEqual(['ab100', 'cd200']);
  });
});

describe('variantSignature', () => {
  it('names colours, capacities, pack sizes and editions, in one spelling', () => {
    expect(signature('iPod Nano 4 GB Silver')).toBe('4gb,silver');
    expect(signature('Premiere Pro CS3 Upgrade')).toBe(signature('premiere professional cs3 upg'));
    expect(signature('Pens 12 pack')).toBe(signature('Pens 12pk'));
  });

  it('is empty when the title names no variant', () => {
    expect(signature('Panasonic KX-TG9333T cordless phone')).toBe('');
  });
});

describe('model number keys', () => {
  it("links one brand's model number however it is written, and says so", () => {
    const keys = shared({ brand: 'Panasonic', title: 'KX-TG9333T DECT phone' }, { brand: 'PANASONIC', title: 'Cordless KXTG9333T' });
    expect(keys).toEqual(['m:panasonic|kxtg9333t']);
    expect(reasonOfKey(keys[0])).toEqual({ reason: 'model', value: 'kxtg9333t' });
  });

  it('keeps apart one model number under two known brands', () => {
    expect(shared({ brand: 'Panasonic', title: 'KX-TG9333T' }, { brand: 'Philips', title: 'KX-TG9333T' })).toEqual([]);
  });

  it('lets a product without a brand meet one whose brand its title names, in a corporate spelling', () => {
    expect(shared({ brand: 'LG', title: 'Monitor W2252TQ' }, { title: 'LG Electronics W2252TQ 22in monitor' })).toEqual(['m:lg|w2252tq']);
    expect(shared({ brand: 'Tech Craft', title: 'TV stand BCD48' }, { title: 'techcraft bcd48 stand' })).toEqual(['m:techcraft|bcd48']);
    expect(shared({ brand: 'LG', title: 'Monitor W2252TQ' }, { title: 'Samsung W2252TQ 22in monitor' })).toEqual([]);
  });

  it('keys an MPN column with its brand as mpn, and it meets the same code in a title', () => {
    const keys = shared({ brand: 'HP', mpn: 'CE-278A' }, { brand: 'HP Inc.', mpn: 'ce278a' });
    expect(keys.map((key) => reasonOfKey(key).reason)).toContain('mpn');
    expect(shared({ brand: 'HP', mpn: 'CE278A' }, { brand: 'hp', title: 'Toner CE278A' })).toEqual(['m:hp|ce278a']);
  });

  it('drops corporate words from a brand only for model keys', () => {
    expect(corporateKey('Oki Data')).toBe('oki');
    expect(corporateKey('Kingston Technology')).toBe('kingston');
    expect(corporateKey('Data')).toBe('data');
  });
});

describe('vetoes', () => {
  it('keeps apart listings that differ in colour, capacity, pack size or edition, whatever key they share', () => {
    expect(shared({ brand: 'Apple', title: 'iPod MA980LL 4GB' }, { brand: 'Apple', title: 'iPod MA980LL 8GB' })).toEqual([]);
    expect(shared({ gtin: '036000291452', title: 'Tee red' }, { gtin: '036000291452', title: 'Tee blue' })).toEqual([]);
    expect(shared({ sku: 'PEN-100', title: 'Pens 12 pack' }, { sku: 'PEN-100', title: 'Pens 24 pack' })).toEqual([]);
    expect(shared({ brand: 'Adobe', mpn: 'AB1234', title: 'Photoshop upgrade' }, { brand: 'Adobe', mpn: 'AB1234', title: 'Photoshop' })).toEqual([]);
  });

  it('keeps apart one SKU in two colour columns, but lets one GTIN meet a listing without a colour column', () => {
    const tee = (attributes: Record<string, string>, ids: Partial<SilverProduct>) => ({ title: 'Basic Tee', attributes, ...ids });
    expect(shared(tee({ color: 'Red' }, { sku: 'TEE-1' }), tee({ color: 'Blue' }, { sku: 'TEE-1' }))).toEqual([]);
    expect(shared(tee({ color: 'Silver' }, { gtin: '5901234123457' }), tee({}, { gtin: '5901234123457' }))).toHaveLength(1);
  });

  it('lets them meet when colour, capacity, pack size and edition agree', () => {
    expect(shared({ brand: 'Apple', title: 'iPod MA980LL 4GB' }, { brand: 'Apple', title: 'iPod nano 4 gb MA980LL' })).toHaveLength(1);
    expect(shared({ gtin: '036000291452', title: 'Tee red' }, { gtin: '0036000291452', title: 'T-shirt, red' })).toHaveLength(1);
  });

  it('keeps apart title keys whose model numbers conflict', () => {
    expect(shared({ brand: 'Canon', title: 'PowerShot SD1000' }, { brand: 'Canon', title: 'PowerShot SD1100' })).toEqual([]);
  });
});
