import type { SilverOutcome } from '../silver/assemble.js';
import type {
  Availability,
  BrokenUrl,
  Condition,
  DuplicateLinkReason,
  FieldIssue,
  SilverContext,
  SilverProduct,
  SilverResult,
  UrlState,
} from '../silver/product.js';

/**
 * The silver table keeps each Silver field in a column of its own; only lists and open-ended
 * maps are JSON. A row without a record (attributes NULL) or without a context (issues NULL)
 * comes from a catalog written before both were kept for every product.
 */
export interface SilverColumns {
  status: 'success' | 'error';
  error: string | null;
  sku: string | null;
  gtin: string | null;
  mpn: string | null;
  title: string | null;
  description: string | null;
  short_description: string | null;
  brand: string | null;
  category_path: string | null;
  taxonomy_id: string | null;
  price: number | null;
  original_price: number | null;
  currency: string | null;
  availability: string | null;
  primary_image_url: string | null;
  /** JSON list. */
  additional_image_urls: string | null;
  product_url: string | null;
  condition: string | null;
  /** 1 or 0. */
  identifier_exists: number | null;
  /** JSON object. */
  attributes: string | null;
  fields_normalized: number;
  urls_validated: number;
  duplicate_of: string | null;
  duplicate_reason: string | null;
  duplicate_value: string | null;
  /** How many image URLs are broken. */
  broken_urls: number;
  /** JSON list of {url, reason, detail?}. */
  broken_url_list: string;
  brand_linked: number | null;
  /** JSON object, URL to state. */
  image_states: string | null;
  /** JSON list. */
  issues: string | null;
  /** JSON list, or NULL when no field came from the store settings. */
  from_store: string | null;
}

/** The silver columns that hold the layer's content, in table order (everything but hashes and times). */
export const SILVER_CONTENT_COLUMNS = [
  'status',
  'error',
  'sku',
  'gtin',
  'mpn',
  'title',
  'description',
  'short_description',
  'brand',
  'category_path',
  'taxonomy_id',
  'price',
  'original_price',
  'currency',
  'availability',
  'primary_image_url',
  'additional_image_urls',
  'product_url',
  'condition',
  'identifier_exists',
  'attributes',
  'fields_normalized',
  'urls_validated',
  'duplicate_of',
  'duplicate_reason',
  'duplicate_value',
  'broken_urls',
  'broken_url_list',
  'brand_linked',
  'image_states',
  'issues',
  'from_store',
] as const satisfies readonly (keyof SilverColumns)[];

/** `s.status, s.error, ...`: the content columns of `silver s` for a SELECT. */
export const SILVER_SELECT = SILVER_CONTENT_COLUMNS.map((column) => `s.${column}`).join(', ');

/**
 * The record's optional fields in the order normalizing sets them, so a record read back
 * serializes as the JSON text the catalog kept before it had columns.
 */
const RECORD_FIELDS = [
  ['sku', 'sku'],
  ['mpn', 'mpn'],
  ['title', 'title'],
  ['description', 'description'],
  ['shortDescription', 'short_description'],
  ['brand', 'brand'],
  ['gtin', 'gtin'],
  ['categoryPath', 'category_path'],
  ['taxonomyId', 'taxonomy_id'],
  ['price', 'price'],
  ['originalPrice', 'original_price'],
  ['currency', 'currency'],
  ['condition', 'condition'],
  ['identifierExists', 'identifier_exists'],
  ['availability', 'availability'],
  ['primaryImageUrl', 'primary_image_url'],
  ['productUrl', 'product_url'],
] as const satisfies readonly (readonly [keyof SilverProduct, keyof SilverColumns])[];

/** A JSON list as stored; most are empty, which needs no JSON.parse. */
function parseList<T>(text: string): T[] {
  return text === '[]' ? [] : (JSON.parse(text) as T[]);
}

/**
 * The columns of a row read as an array in SILVER_CONTENT_COLUMNS order (a test holds the two
 * lists together). Written out as one literal: V8 then makes the object in one step, about a
 * tenth of the time of setting 32 keys in a loop, and analyze makes one per product.
 */
export function silverColumnsOf(values: readonly unknown[]): SilverColumns {
  const v = values as never[];
  return {
    status: v[0],
    error: v[1],
    sku: v[2],
    gtin: v[3],
    mpn: v[4],
    title: v[5],
    description: v[6],
    short_description: v[7],
    brand: v[8],
    category_path: v[9],
    taxonomy_id: v[10],
    price: v[11],
    original_price: v[12],
    currency: v[13],
    availability: v[14],
    primary_image_url: v[15],
    additional_image_urls: v[16],
    product_url: v[17],
    condition: v[18],
    identifier_exists: v[19],
    attributes: v[20],
    fields_normalized: v[21],
    urls_validated: v[22],
    duplicate_of: v[23],
    duplicate_reason: v[24],
    duplicate_value: v[25],
    broken_urls: v[26],
    broken_url_list: v[27],
    brand_linked: v[28],
    image_states: v[29],
    issues: v[30],
    from_store: v[31],
  };
}

/** The Silver record of a row, or null when the row has none. */
export function recordOf(id: string, row: SilverColumns): SilverProduct | null {
  if (row.attributes === null) return null;
  const record: SilverProduct = {
    id,
    additionalImageUrls: row.additional_image_urls === null ? [] : parseList<string>(row.additional_image_urls),
    attributes: JSON.parse(row.attributes) as Record<string, string>,
  };
  const fields = record as unknown as Record<string, unknown>;
  for (const [field, column] of RECORD_FIELDS) {
    const value = row[column];
    if (value !== null) fields[field] = field === 'identifierExists' ? value === 1 : value;
  }
  return record;
}

export function resultOf(id: string, row: SilverColumns): SilverResult {
  const result: SilverResult = {
    productId: id,
    status: row.status,
    fieldsNormalized: row.fields_normalized,
    duplicateOf: row.duplicate_of,
    duplicateReason: row.duplicate_reason as DuplicateLinkReason | null,
    duplicateValue: row.duplicate_value,
    urlsValidated: row.urls_validated,
    brokenUrls: parseList<BrokenUrl>(row.broken_url_list),
  };
  if (row.error !== null) result.error = row.error;
  return result;
}

/** What Gold needs beside the record, or null when the row has none. */
export function contextOf(row: SilverColumns): SilverContext | null {
  if (row.issues === null) return null;
  const context: SilverContext = {
    duplicateOf: row.duplicate_of,
    imageStates: row.image_states === null ? {} : (JSON.parse(row.image_states) as Record<string, UrlState>),
    brandLinked: row.brand_linked === 1,
    issues: parseList<FieldIssue>(row.issues),
  };
  if (row.from_store !== null) context.fromStore = JSON.parse(row.from_store) as string[];
  return context;
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
/** Most lists are empty: their text needs no JSON.stringify. */
const listText = (list: readonly unknown[]): string => (list.length === 0 ? '[]' : JSON.stringify(list));

/** The columns of an assembled product, in SILVER_CONTENT_COLUMNS order. */
export function columnsOf(outcome: SilverOutcome): unknown[] {
  const { product: p, result: r, context: c } = outcome;
  return [
    r.status,
    orNull(r.error),
    orNull(p.sku),
    orNull(p.gtin),
    orNull(p.mpn),
    orNull(p.title),
    orNull(p.description),
    orNull(p.shortDescription),
    orNull(p.brand),
    orNull(p.categoryPath),
    orNull(p.taxonomyId),
    orNull(p.price),
    orNull(p.originalPrice),
    orNull(p.currency),
    orNull<Availability>(p.availability),
    orNull(p.primaryImageUrl),
    listText(p.additionalImageUrls),
    orNull(p.productUrl),
    orNull<Condition>(p.condition),
    p.identifierExists === undefined ? null : p.identifierExists ? 1 : 0,
    JSON.stringify(p.attributes),
    r.fieldsNormalized,
    r.urlsValidated,
    r.duplicateOf,
    orNull(r.duplicateReason),
    orNull(r.duplicateValue),
    r.brokenUrls.length,
    listText(r.brokenUrls),
    c.brandLinked ? 1 : 0,
    JSON.stringify(c.imageStates),
    listText(c.issues),
    c.fromStore === undefined ? null : JSON.stringify(c.fromStore),
  ];
}
