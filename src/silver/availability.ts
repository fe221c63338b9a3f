import type { Availability } from './product.js';
import type { RuleIssue } from './text.js';

const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;
const INTEGER = /^[+-]?\d+(?:\.0+)?$/;
// `32 available`, `5 in stock`, `3 left`: a stock count in words.
const COUNT_IN_WORDS = /^(\d+)\s*(?:available|in stock|left|left in stock|units?|pcs|items?)$/i;
const SCHEMA_ORG = /^https?:\/\/schema\.org\//i;

/** Spellings keyed by their lower-case letters and digits only (`In Stock`, `in_stock` → instock). */
// biome-ignore format: a table filled by hand, several entries to a line
const SPELLINGS = new Map<string, Availability>([
  ...(['instock', 'available', 'yes', 'y', 'true', 'limitedavailability', 'lowstock', 'onlineonly',
    'instoreonly', 'instockonly', 'onhand', 'readytoship'] as const).map(
    (key) => [key, 'in_stock'] as const,
  ),
  ...(['outofstock', 'soldout', 'no', 'n', 'false', 'unavailable', 'notavailable', 'notinstock',
    'discontinued', 'outofstocknotify', 'sold', 'retired', 'moreontheway', 'notavailableonline'] as const).map((key) => [key, 'out_of_stock'] as const),
  ...(['preorder', 'presale', 'comingsoon', 'availableforpreorder'] as const).map(
    (key) => [key, 'preorder'] as const,
  ),
  // Retailer wording seen in price files: `More on the Way` is a restock not yet orderable, `Special
  // Order` is ordered from the supplier on demand (Merchant Center's backorder: orders accepted, not in stock).
  // Merchant Center's retired `available for order` meant "ships in 4 days or more": a backorder.
  ...(['backorder', 'onbackorder', 'backordered', 'availablefororder', 'madetoorder', 'onorder',
    'availableonbackorder', 'backorders', 'specialorder'] as const).map((key) => [key, 'backorder'] as const),
]);

/** The lookup key of an availability spelling: lower case, letters and digits only. */
export function availabilityKey(text: string): string {
  return text.trim().replace(SCHEMA_ORG, '').toLowerCase().replace(NOT_ALPHANUMERIC, '');
}

/**
 * Normalize an availability cell. Words and schema.org values map through a table; a whole
 * number is read as a stock quantity (`1`, `25` in stock; `0` or less out of stock), which is
 * how WooCommerce's `In stock?` column and stock-count columns are written.
 */
export function normalizeAvailability(text: string): { availability?: Availability; issue?: RuleIssue } {
  const trimmed = text.trim();
  if (INTEGER.test(trimmed)) return { availability: Number(trimmed) > 0 ? 'in_stock' : 'out_of_stock' };
  const count = COUNT_IN_WORDS.exec(trimmed);
  if (count !== null) return { availability: Number(count[1]) > 0 ? 'in_stock' : 'out_of_stock' };
  const availability = SPELLINGS.get(availabilityKey(trimmed));
  if (availability !== undefined) return { availability };
  return { issue: { code: 'availability_unknown', message: `unknown availability: '${trimmed}'` } };
}

/**
 * Availability from a stock quantity and whether the shop sells when none is left
 * (Shopify `Variant Inventory Policy` = continue, WooCommerce `Backorders allowed?` = 1/notify).
 */
export function availabilityFromStock(quantity: string, sellsWhenOut: string | undefined): string {
  const count = Number(quantity.trim());
  if (!Number.isFinite(count) || quantity.trim() === '') return quantity;
  if (count > 0) return 'in_stock';
  return sellsWhenOut !== undefined && isTruthyPolicy(sellsWhenOut) ? 'backorder' : 'out_of_stock';
}

function isTruthyPolicy(value: string): boolean {
  const key = availabilityKey(value);
  return key === 'continue' || key === '1' || key === 'yes' || key === 'true' || key === 'notify';
}

/** One variant's stock columns as written: a blank tracker means the shop does not count its stock. */
export interface VariantStock {
  tracker?: string;
  quantity?: string;
  policy?: string;
}

const RANK: Record<string, number> = { in_stock: 3, backorder: 2, out_of_stock: 1 };

/**
 * Availability of a product from its variants, as Shopify's product CSV describes them: a variant
 * whose `Variant Inventory Tracker` is blank is not tracked, so it is always for sale; a tracked one
 * sells when its quantity is above zero, or at zero when `Variant Inventory Policy` is `continue`.
 * The product is in stock when any variant is. Undefined when no variant says anything.
 * `hasTracker`: the export has a tracker column, so a blank one means "not tracked".
 */
export function availabilityFromVariants(variants: readonly VariantStock[], hasTracker: boolean): string | undefined {
  let best: string | undefined;
  for (const variant of variants) {
    const state = variantAvailability(variant, hasTracker);
    if (state !== undefined && (best === undefined || (RANK[state] ?? 0) > (RANK[best] ?? 0))) best = state;
  }
  return best;
}

function variantAvailability({ tracker, quantity, policy }: VariantStock, hasTracker: boolean): string | undefined {
  const sellsWhenOut = policy !== undefined && isTruthyPolicy(policy);
  if (hasTracker && (tracker === undefined || tracker.trim() === '')) return 'in_stock';
  if (quantity !== undefined && quantity.trim() !== '') return availabilityFromStock(quantity, policy);
  // No quantity written: a shop that sells when out of stock sells this variant either way.
  return sellsWhenOut ? 'in_stock' : undefined;
}
