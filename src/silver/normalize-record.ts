import { cutBrandCell } from './brands.js';
import { normalizeAvailability } from './availability.js';
import { normalizeCategoryPath } from './category-path.js';
import { normalizeCurrency } from './currency.js';
import { cleanGtin } from './gtin.js';
import { decodeEntities, htmlToText } from './html.js';
import { parseJsonList } from './json-list.js';
import { applyMapping, type RawFields, type ResolvedMapping } from './mapping.js';
import { parsePrice, salePriceIssue, type ParsedPrice } from './price.js';
import type { Condition, FieldIssue, SilverProduct } from './product.js';
import { cleanText, type RuleIssue } from './text.js';
import { fixTitleCase } from './title-case.js';
import { normalizeUrl, normalizeUrlList } from './url.js';

export interface NormalizedRecord {
  product: SilverProduct;
  /** Fields filled from a store setting, not from the record. */
  fromStore: string[];
  issues: FieldIssue[];
  /** Schema fields whose value differs from the mapped source text (dropped invalid values not counted). */
  fieldsNormalized: number;
}

type TextField = 'id' | 'sku' | 'mpn' | 'title' | 'description' | 'shortDescription' | 'brand';

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

export interface NormalizeOptions {
  /**
   * Only the fields duplicate keys and brand linking read (id, sku, mpn, title, brand, gtin,
   * attributes), standardized exactly as in the full record: what the duplicate index needs
   * of every product, at a fraction of the cost.
   */
  identityOnly?: boolean;
  /** Store settings: the currency of prices that name none, the site relative links start from. */
  store?: StoreDefaults;
  /** The store's language (BCP 47): decides Title Case or sentence case for titles; absent, each title's words decide. */
  language?: string;
}

export interface StoreDefaults {
  currency?: string;
  baseUrl?: string;
}

/**
 * Map one bronze record and standardize every field. Invalid values (a bad GTIN, an
 * unparseable price, a non-http URL) are left out of the product and reported as issues.
 * `id` is the source id column, else the sku, else empty: the caller knows the bronze id.
 * `brand` is the cleaned source spelling; linking it to a canonical brand happens later.
 */
export function normalizeRecord(fields: Readonly<Record<string, string>>, mapping: ResolvedMapping, options: NormalizeOptions = {}): NormalizedRecord {
  const full = !options.identityOnly;
  const { raw, attributes } = applyMapping(fields, mapping);
  const product: SilverProduct = { id: '', additionalImageUrls: [], attributes: Object.create(null) as Record<string, string> };
  const issues: FieldIssue[] = [];
  const fromStore: string[] = [];
  const store = options.store ?? {};
  let changed = 0;
  const report = (field: string, issue: RuleIssue, value: string) => {
    issues.push({ field, code: issue.code, message: issue.message, value });
  };
  const setText = (field: TextField, value: string | undefined, clean: (text: string) => string) => {
    if (value === undefined) return;
    const cleaned = clean(value);
    if (cleaned !== value) changed++;
    if (cleaned.length > 0) product[field] = cleaned;
  };

  setText('id', raw.id ?? raw.sku, cleanText);
  setText('sku', raw.sku, cleanCode);
  setText('mpn', raw.mpn, cleanCode);
  setText('title', raw.title, (text) => fixTitleCase(cleanPlain(text), options.language));
  if (full) {
    setText('description', raw.description, htmlToText);
    setText('shortDescription', raw.shortDescription, htmlToText);
  }
  setText('brand', raw.brand, cleanPlain);
  const brandCut = product.brand === undefined ? undefined : cutBrandCell(product.brand);
  if (brandCut !== undefined) {
    report('brand', { code: 'brand_cut', message: `the brand cell held a product title: kept '${brandCut}'` }, product.brand!);
    product.brand = brandCut;
    changed++;
  }

  if (raw.gtin !== undefined) {
    const { gtin, issue } = cleanGtin(raw.gtin);
    if (gtin !== undefined) {
      product.gtin = gtin;
      if (gtin !== raw.gtin) changed++;
    }
    if (issue) report('gtin', issue, raw.gtin);
  }
  if (full) {
    if (raw.categoryPath !== undefined) {
      // A JSON list of categories (`["Laptops"]`) names the product's categories: the first is its path.
      const path = normalizeCategoryPath(decodeEntities(parseJsonList(raw.categoryPath)?.[0] ?? raw.categoryPath));
      if (path !== undefined) product.categoryPath = path;
      if (path !== raw.categoryPath) changed++;
    }
    if (raw.taxonomyId !== undefined) product.taxonomyId = raw.taxonomyId;
    changed += setPrices(raw, product, report);
    if (product.currency === undefined && product.price !== undefined && store.currency !== undefined) {
      product.currency = store.currency;
      fromStore.push('currency');
    }
    if (raw.condition !== undefined) {
      const condition = normalizeCondition(raw.condition);
      if (condition !== undefined) product.condition = condition;
      else report('condition', { code: 'condition_invalid', message: `'${raw.condition}' is not new, refurbished or used` }, raw.condition);
    }
    if (raw.identifierExists !== undefined) {
      const exists = parseYesNo(raw.identifierExists);
      if (exists !== undefined) product.identifierExists = exists;
      else report('identifierExists', { code: 'identifier_exists_invalid', message: `'${raw.identifierExists}' is not yes or no` }, raw.identifierExists);
    }
    if (raw.availability !== undefined) {
      const { availability, issue } = normalizeAvailability(raw.availability);
      if (availability !== undefined) {
        product.availability = availability;
        if (availability !== raw.availability) changed++;
      } else report('availability', issue!, raw.availability);
    }
    const absolute = (text: string, field: string) => {
      const resolved = resolveAgainst(text, store.baseUrl);
      if (resolved !== text && !fromStore.includes(field)) fromStore.push(field);
      return resolved;
    };
    if (store.baseUrl !== undefined) {
      if (raw.primaryImageUrl !== undefined) raw.primaryImageUrl = absolute(raw.primaryImageUrl, 'primaryImageUrl');
      if (raw.additionalImageUrls !== undefined) raw.additionalImageUrls = raw.additionalImageUrls.map((cell) => absolute(cell, 'additionalImageUrls'));
      if (raw.productUrl !== undefined) raw.productUrl = absolute(raw.productUrl, 'productUrl');
    }
    const notForSale = notForSaleIssue(raw);
    if (notForSale !== undefined) report('availability', notForSale, raw.listingStatus ?? raw.published ?? '');
    changed += setImages(raw, product, report);
    if (raw.productUrl !== undefined) {
      const { url, issue } = normalizeUrl(raw.productUrl);
      if (url !== undefined) {
        product.productUrl = url;
        if (url !== raw.productUrl) changed++;
      } else report('productUrl', issue!, raw.productUrl);
    }
  }
  let attributesChanged = false;
  for (const key in attributes) {
    const list = parseJsonList(attributes[key]);
    const value = cleanPlain(list === undefined ? attributes[key] : list.join(', '));
    if (value !== attributes[key]) attributesChanged = true;
    if (value.length > 0) product.attributes[key] = value;
  }
  if (attributesChanged) changed++;
  return { product, issues, fieldsNormalized: changed, fromStore };
}

const CONDITION_WORDS: Record<string, Condition> = {
  new: 'new',
  newcondition: 'new',
  brandnew: 'new',
  used: 'used',
  usedcondition: 'used',
  preowned: 'used',
  secondhand: 'used',
  refurbished: 'refurbished',
  refurbishedcondition: 'refurbished',
  renewed: 'refurbished',
  reconditioned: 'refurbished',
};

/** Merchant Center's new, refurbished or used, from the usual spellings (schema.org `NewCondition` too). */
function normalizeCondition(text: string): Condition | undefined {
  const key = text
    .toLowerCase()
    .replace(/^https?:\/\/schema\.org\//, '')
    .replace(/[^a-z]/g, '');
  return CONDITION_WORDS[key];
}

/** yes/no, true/false, 1/0 as feeds write them. */
function parseYesNo(text: string): boolean | undefined {
  const key = text.trim().toLowerCase();
  if (key === 'yes' || key === 'true' || key === '1' || key === 'y') return true;
  if (key === 'no' || key === 'false' || key === '0' || key === 'n') return false;
  return undefined;
}

/** A root-relative or bare path (`/products/x`, `products/x`) read against the store's address. */
function resolveAgainst(text: string, baseUrl: string | undefined): string {
  const trimmed = text.trim();
  if (baseUrl === undefined || trimmed.length === 0 || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return text;
  // `www.shop.com/x` names a host, not a path: left to URL normalizing, which adds the scheme.
  if (!trimmed.startsWith('/') && !trimmed.startsWith('.') && trimmed.split('/')[0].includes('.')) return text;
  try {
    return new URL(trimmed, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
  } catch {
    return text;
  }
}

// Spreadsheets force a cell to text with a leading apostrophe (`'100`): not part of the code.
function cleanCode(text: string): string {
  const cleaned = cleanText(text);
  return cleaned.startsWith("'") ? cleaned.slice(1).trimStart() : cleaned;
}

const HIDDEN_STATUSES = new Set(['draft', 'archived', 'unlisted']);
const UNPUBLISHED = new Set(['false', 'no', '0', 'n']);

/**
 * Shopify's product CSV: `Status` is active, draft or archived, and `Published` false keeps an
 * active product off the online store. Neither is for sale, whatever its stock says.
 */
function notForSaleIssue(raw: RawFields): RuleIssue | undefined {
  const status = raw.listingStatus?.trim().toLowerCase();
  if (status !== undefined && HIDDEN_STATUSES.has(status)) {
    return { code: 'not_for_sale', message: `status is '${status}': the product is not for sale` };
  }
  const published = raw.published?.trim().toLowerCase();
  if (published !== undefined && UNPUBLISHED.has(published)) {
    return { code: 'not_for_sale', message: `published is '${raw.published!.trim()}': the product is not on sale in the store` };
  }
  return undefined;
}

// Exports write entities in every text field, not only in HTML ones (`&quot;Baguette&quot;`, `250&deg;C`).
function cleanPlain(text: string): string {
  return cleanText(decodeEntities(text));
}

type Report = (field: string, issue: RuleIssue, value: string) => void;

const PRICE_FIELDS = ['price', 'salePrice', 'originalPrice'] as const;
type PriceField = (typeof PRICE_FIELDS)[number];

/**
 * Each price text is parsed on its own, and an unusable one is an issue on its own field only.
 * A usable sale price is the price paid, and the regular price becomes the original price, unless
 * the sale price is not below it (see salePriceIssue). The currency comes from the price text that
 * is used when it names one, else from a currency column.
 */
function setPrices(raw: RawFields, product: SilverProduct, report: Report): number {
  const parsed: Partial<Record<PriceField, ParsedPrice>> = {};
  for (const field of PRICE_FIELDS) {
    const text = raw[field];
    if (text === undefined) continue;
    const result = parsePrice(text);
    if (result.issue !== undefined) report(field, result.issue, text);
    if (result.amount !== undefined) parsed[field] = result;
  }
  const saleIssue = parsed.salePrice && salePriceIssue(parsed.price, parsed.salePrice);
  if (saleIssue) report('salePrice', saleIssue, raw.salePrice!);
  const isSale = parsed.salePrice !== undefined && saleIssue === undefined;
  let changed = 0;
  const set = (target: 'price' | 'originalPrice', from: PriceField) => {
    const value = parsed[from];
    if (value === undefined) return undefined;
    product[target] = value.amount;
    if (!PLAIN_NUMBER.test(raw[from]!)) changed++;
    return value.currency;
  };
  const paidCurrency = set('price', isSale ? 'salePrice' : 'price');
  const originalCurrency = set('originalPrice', isSale && parsed.originalPrice === undefined ? 'price' : 'originalPrice');
  const currencyFromPrice = paidCurrency ?? originalCurrency;
  let currencyFromColumn: string | undefined;
  if (raw.currency !== undefined) {
    const { currency, issue } = normalizeCurrency(raw.currency);
    if (issue !== undefined) report('currency', issue, raw.currency);
    currencyFromColumn = currency;
    if (currency !== undefined && currency !== raw.currency) changed++;
  }
  if (currencyFromPrice !== undefined && currencyFromColumn !== undefined && currencyFromPrice !== currencyFromColumn) {
    const message = `the price says ${currencyFromPrice}, the currency column ${currencyFromColumn}: the price wins`;
    report('currency', { code: 'currency_conflict', message }, raw.currency!);
  }
  const currency = currencyFromPrice ?? currencyFromColumn;
  if (currency !== undefined) product.currency = currency;
  return changed;
}

// Every image cell may hold a list; the first URL overall is the primary image.
function setImages(raw: RawFields, product: SilverProduct, report: Report): number {
  const primaryCells = raw.primaryImageUrl === undefined ? [] : [raw.primaryImageUrl];
  const otherCells = raw.additionalImageUrls ?? [];
  if (primaryCells.length === 0 && otherCells.length === 0) return 0;
  const primary = normalizeUrlList(primaryCells);
  const others = normalizeUrlList(otherCells);
  for (const issue of primary.issues) report('primaryImageUrl', issue, raw.primaryImageUrl!);
  for (const issue of others.issues) report('additionalImageUrls', issue, otherCells.join(' | '));
  const urls = primary.urls;
  for (const url of others.urls) if (!urls.includes(url)) urls.push(url);
  if (urls.length === 0) return 0;
  product.primaryImageUrl = urls[0];
  product.additionalImageUrls = urls.slice(1);
  let changed = urls[0] !== (raw.primaryImageUrl ?? otherCells[0]) ? 1 : 0;
  const expected = raw.primaryImageUrl === undefined ? otherCells.slice(1) : otherCells;
  const additional = product.additionalImageUrls;
  if (additional.length !== expected.length || additional.some((url, i) => url !== expected[i])) changed++;
  return changed;
}
