/** The product schema of the Silver layer (see docs/json.md#silver-product). */

export const AVAILABILITIES = ['in_stock', 'out_of_stock', 'preorder', 'backorder'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

const CONDITIONS = ['new', 'refurbished', 'used'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface SilverProduct {
  id: string;
  sku?: string;
  gtin?: string;
  mpn?: string;
  title?: string;
  description?: string;
  shortDescription?: string;
  brand?: string;
  categoryPath?: string;
  /** Google product taxonomy id, when the category path matched the taxonomy file. */
  taxonomyId?: string;
  price?: number;
  originalPrice?: number;
  currency?: string;
  availability?: Availability;
  primaryImageUrl?: string;
  additionalImageUrls: string[];
  productUrl?: string;
  condition?: Condition;
  /** false when the feed says the product has no GTIN or MPN to give (`identifier_exists = no`). */
  identifierExists?: boolean;
  attributes: Record<string, string>;
}

/** Schema fields a source column can be mapped onto (attributes.X targets an attribute). */
export const SCHEMA_FIELDS = [
  'id',
  'sku',
  'gtin',
  'mpn',
  'title',
  'description',
  'shortDescription',
  'brand',
  'categoryPath',
  'price',
  'originalPrice',
  'currency',
  'availability',
  'primaryImageUrl',
  'additionalImageUrls',
  'productUrl',
  'condition',
  'identifierExists',
] as const;
export type SchemaField = (typeof SCHEMA_FIELDS)[number];

/** A problem found in one field while normalizing; the product still normalizes. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
  value?: string;
}

/** What a URL check concluded. `unchecked`: syntax valid but no request made (offline). */
export type UrlState = 'valid' | 'broken' | 'unchecked';

export interface BrokenUrl {
  url: string;
  reason: string;
  detail?: string;
}

export type DuplicateLinkReason = 'gtin' | 'sku' | 'mpn' | 'model' | 'title' | 'similar-title';

/** The Silver result of one product. */
export interface SilverResult {
  productId: string;
  status: 'success' | 'error';
  fieldsNormalized: number;
  duplicateOf: string | null;
  /** Why the product is a duplicate: the kind of key it shares with `duplicateOf`, and the shared value. */
  duplicateReason?: DuplicateLinkReason | null;
  duplicateValue?: string | null;
  urlsValidated: number;
  brokenUrls: BrokenUrl[];
  error?: string;
}

/** What Gold needs to know about a product beyond its silver record. */
export interface SilverContext {
  duplicateOf: string | null;
  /** State of every image URL of the product, keyed by URL. */
  imageStates: Record<string, UrlState>;
  /** True when the brand was linked to a canonical brand entry. */
  brandLinked: boolean;
  issues: FieldIssue[];
  /** Fields whose value came from a store setting rather than the product's own data. */
  fromStore?: string[];
}
