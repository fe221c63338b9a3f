import { UserError } from '../errors.js';
import { attributeKey, columnKey, findAlias, FIRST_PATH_KEYS, type MappingTarget } from './aliases.js';
import { availabilityFromStock, availabilityFromVariants, type VariantStock } from './availability.js';
import { firstCategoryPath } from './category-path.js';
import { checkMappingRules, type MappingRule, type Transform } from './mapping-rules.js';
import { detectPreset, findPresetRule, isPresetName, PRESET_CHOICES, type PresetName } from './presets.js';
import type { SchemaField } from './product.js';
import { isBlank, type RuleIssue } from './text.js';

export type { MappingRule } from './mapping-rules.js';
export type { PresetName } from './presets.js';
export { detectPreset } from './presets.js';

export interface MappingOptions {
  /** A preset name, `none` for aliases only; when absent the preset is detected from the header. */
  preset?: string;
  rules?: readonly MappingRule[];
}

interface Binding {
  column: string;
  transform?: Transform;
  isFirstPath: boolean;
  rank: number;
}

interface Slot {
  target: MappingTarget;
  columns: Binding[];
}

/** A header's mapping, computed once and applied to every row of that header. */
export interface ResolvedMapping {
  preset?: PresetName;
  slots: readonly Slot[];
  /** Name/value column pairs: WooCommerce `Attribute 1 name`/`value(s)`, Shopify `Option1 Name`/`Value`. */
  pairs: ReadonlyArray<{ name: string; value: string }>;
  unmapped: ReadonlyArray<{ column: string; key: string }>;
  /** Problems that do not stop mapping, such as a rule naming a column the header lacks. */
  warnings: RuleIssue[];
}

export type RawFields = Partial<Record<Exclude<SchemaField, 'additionalImageUrls'>, string>> & {
  additionalImageUrls?: string[];
  /** Combined with the price once both are parsed: a sale price that is no price must not touch the price. */
  salePrice?: string;
  /** Shopify `Status` (active, draft, archived) and `Published`: reported when the listing is not for sale. */
  listingStatus?: string;
  published?: string;
  /** A Google product taxonomy id written as the category (`google_product_category` = `276`). */
  taxonomyId?: string;
};

type StockTarget = 'stockQuantity' | 'sellsWhenOut' | 'stockTracker';
const STOCK_TARGETS: ReadonlySet<MappingTarget> = new Set<StockTarget>(['stockQuantity', 'sellsWhenOut', 'stockTracker']);

export interface MappedRecord {
  raw: RawFields;
  attributes: Record<string, string>;
}

const PAIR_NAME = /^(?:attribute|option)(\d+)name$/;
const PAIR_VALUE = /^(?:attribute|option)(\d+)values?$/;
const PAIR_EXTRA = /^(?:attribute|option)\d+(?:visible|global|default|linkedto)$/;
const RANK_USER = 0;
const RANK_PRESET = 1_000;
const RANK_ALIAS = 2_000;

/** Decide, once per header, where every column goes: user rules, then the preset, then aliases. */
export function resolveMapping(header: readonly string[], options: MappingOptions = {}): ResolvedMapping {
  const preset = choosePreset(header, options.preset);
  const rules = checkMappingRules(options.rules ?? []);
  const slots = new Map<MappingTarget, Slot>();
  const bind = (target: MappingTarget, binding: Binding) => {
    const slot = slots.get(target) ?? { target, columns: [] };
    slot.columns.push(binding);
    slots.set(target, slot);
  };
  const warnings: RuleIssue[] = [];
  const keys = header.map(columnKey);
  const claimed = new Set<number>();
  rules.forEach((rule, order) => {
    let index = header.indexOf(rule.sourceField);
    if (index < 0) index = keys.indexOf(columnKey(rule.sourceField));
    if (index < 0) {
      const message = `mapping rule source '${rule.sourceField}' is not a column of this file`;
      warnings.push({ code: 'mapping_source_missing', message });
      return;
    }
    claimed.add(index);
    const binding = { column: header[index], transform: rule.transform, isFirstPath: false, rank: RANK_USER + order };
    bind(rule.target, binding);
  });
  const names = new Map<string, string>();
  const values = new Map<string, string>();
  const unmapped: Array<{ column: string; key: string }> = [];
  header.forEach((column, index) => {
    const key = keys[index];
    if (claimed.has(index) || key.length === 0) return;
    const presetRule = preset === undefined ? undefined : findPresetRule(preset, key);
    const match = presetRule ?? findAlias(key);
    if (match !== undefined) {
      const rank = (presetRule !== undefined ? RANK_PRESET : RANK_ALIAS) + match.order;
      bind(match.target, { column, isFirstPath: FIRST_PATH_KEYS.has(key), rank });
      return;
    }
    const name = PAIR_NAME.exec(key);
    const value = PAIR_VALUE.exec(key);
    if (name !== null) names.set(name[1], column);
    else if (value !== null) values.set(value[1], column);
    else if (!PAIR_EXTRA.test(key)) unmapped.push({ column, key: attributeKey(column) });
  });
  const pairs = [...names].flatMap(([n, name]) => (values.has(n) ? [{ name, value: values.get(n)! }] : []));
  for (const slot of slots.values()) slot.columns.sort((a, b) => a.rank - b.rank);
  return { preset, slots: [...slots.values()], pairs, unmapped, warnings };
}

function choosePreset(header: readonly string[], name: string | undefined): PresetName | undefined {
  if (name === undefined) return detectPreset(header);
  if (name === 'none') return undefined;
  if (isPresetName(name)) return name;
  throw new UserError('mapping_unknown_preset', `unknown preset '${name}': use ${PRESET_CHOICES.join(', ')}`);
}

/** Apply a resolved mapping to one row: raw field texts (not yet standardized) and attributes. */
export function applyMapping(fields: Readonly<Record<string, string>>, mapping: ResolvedMapping): MappedRecord {
  const raw: RawFields = {};
  // Attribute names come from the data: without a prototype, `constructor` or `__proto__` is a name like any other.
  const attributes: Record<string, string> = Object.create(null);
  // A blank tracker cell means something (stock not tracked), so stock cells are kept as written.
  const stock: Partial<Record<StockTarget, string>> = {};
  const extra: Partial<Record<'customProduct', string>> = {};
  let images: string[] | undefined;
  for (const { target, columns } of mapping.slots) {
    if (target === 'primaryImageUrl' || target === 'additionalImageUrls') {
      images = collectImages(fields, columns, target, raw, images);
      continue;
    }
    if (STOCK_TARGETS.has(target)) {
      stock[target as StockTarget] = fields[columns[0].column] ?? '';
      continue;
    }
    if (target === 'categoryPath') {
      collectCategory(fields, columns, raw);
      continue;
    }
    const value = firstFilled(fields, columns);
    if (value === undefined) continue;
    if (target.startsWith('attributes.')) attributes[target.slice(11)] = value;
    else if (target === 'customProduct') extra.customProduct = value;
    else raw[target as Exclude<keyof RawFields, 'additionalImageUrls'>] = value;
  }
  if (images !== undefined && images.length > 0) raw.additionalImageUrls = images;
  foldStock(raw, stock);
  // Shopify's "Custom Product" TRUE is Merchant Center's identifier_exists = no.
  if (extra.customProduct !== undefined && raw.identifierExists === undefined && /^(?:true|yes|1)$/i.test(extra.customProduct.trim()))
    raw.identifierExists = 'no';
  for (const pair of mapping.pairs) addPair(fields[pair.name], fields[pair.value], attributes);
  for (const { column, key } of mapping.unmapped) {
    const value = fields[column];
    if (!isBlank(value) && attributes[key] === undefined) attributes[key] = value;
  }
  return { raw, attributes };
}

function firstFilled(fields: Readonly<Record<string, string>>, columns: readonly Binding[]): string | undefined {
  for (const binding of columns) {
    const value = fields[binding.column];
    if (isBlank(value)) continue;
    const picked = binding.isFirstPath ? firstCategoryPath(value) : value;
    return binding.transform === undefined ? picked : binding.transform(picked);
  }
  return undefined;
}

// Merchant Center's google_product_category takes a taxonomy id or a path; an id is no path to show.
const TAXONOMY_ID = /^\s*(\d{1,7})\s*$/;

function collectCategory(fields: Readonly<Record<string, string>>, columns: readonly Binding[], raw: RawFields): void {
  for (const binding of columns) {
    const cell = fields[binding.column];
    if (isBlank(cell)) continue;
    const id = TAXONOMY_ID.exec(cell);
    if (id !== null) raw.taxonomyId ??= id[1];
    else if (raw.categoryPath === undefined) raw.categoryPath = firstFilled(fields, [binding]);
  }
}

// The first filled main-image cell is the primary; every other image cell joins the additional list.
function collectImages(
  fields: Readonly<Record<string, string>>,
  columns: readonly Binding[],
  target: 'primaryImageUrl' | 'additionalImageUrls',
  raw: RawFields,
  images: string[] | undefined,
): string[] | undefined {
  let list = images;
  for (const binding of columns) {
    const cell = fields[binding.column];
    if (isBlank(cell)) continue;
    const value = binding.transform === undefined ? cell : binding.transform(cell);
    if (target === 'primaryImageUrl' && raw.primaryImageUrl === undefined) raw.primaryImageUrl = value;
    else {
      list ??= [];
      list.push(value);
    }
  }
  return list;
}

// Folded Shopify rows carry one stock entry per variant, joined by ` | ` (see ingest's fold).
function foldStock(raw: RawFields, stock: Partial<Record<StockTarget, string>>): void {
  const trackers = splitVariants(stock.stockTracker);
  const quantities = splitVariants(stock.stockQuantity);
  const policies = splitVariants(stock.sellsWhenOut);
  // An availability column wins; a count in it (WooCommerce `In stock?`) still meets the backorder flag.
  if (raw.availability !== undefined) {
    raw.availability = availabilityFromStock(raw.availability, policies?.[0]);
    return;
  }
  const count = Math.max(trackers?.length ?? 0, quantities?.length ?? 0, policies?.length ?? 0);
  const variants: VariantStock[] = [];
  for (let i = 0; i < count; i++) variants.push({ tracker: trackers?.[i], quantity: quantities?.[i], policy: policies?.[i] });
  const availability = availabilityFromVariants(variants, trackers !== undefined);
  if (availability !== undefined) raw.availability = availability;
}

function splitVariants(cell: string | undefined): string[] | undefined {
  return cell === undefined ? undefined : cell.split('|').map((entry) => entry.trim());
}

// Shopify names a variant without options `Title` / `Default Title`: not an attribute.
function addPair(name: string | undefined, value: string | undefined, attributes: Record<string, string>): void {
  if (isBlank(name) || isBlank(value)) return;
  const key = attributeKey(name!);
  if (key.toLowerCase() === 'title' || key.length === 0) return;
  attributes[key] ??= value!;
}
