import { attributeKey, columnKey, type MappingTarget } from './aliases.js';
import { normalizeAvailability } from './availability.js';
import { normalizeCurrency } from './currency.js';
import { cleanGtin } from './gtin.js';
import { parsePrice } from './price.js';
import { resolveMapping, type MappingOptions } from './mapping.js';
import type { PresetName } from './presets.js';
import { isBlank } from './text.js';
import { splitUrlList } from './url.js';

/** How a column reached its field: the user's rule, the preset, a built-in alias, an option pair, or none. */
/** Rows a column report judges by, of a file or of the loaded catalog. */
export const COLUMN_SAMPLE = 1000;

export type ColumnVia = 'rule' | `preset:${PresetName}` | 'alias' | 'option pair' | 'attributes' | 'ignored';

export interface ColumnLine {
  source: string;
  /** The field the column feeds (`attributes.NAME` for an attribute). */
  target: string;
  /** What the column is to that field, when it is one input among several (`stock count` for availability). */
  role?: string;
  via: ColumnVia;
  /** The first filled value of the sample, shortened. */
  sample?: string;
}

export interface ColumnSuggestion {
  source: string;
  target: string;
  /** A mapping rule to paste into a --mapping file or the config's `mapping`. */
  rule: { sourceField: string; targetField: string };
  evidence: string;
}

export interface ColumnReport {
  preset?: PresetName;
  columns: ColumnLine[];
  /** Fields the rubric grades that no column feeds. */
  unfed: string[];
  suggestions: ColumnSuggestion[];
}

/** Fields the Gold rubric grades, in the rubric's order (stock and sale columns fold into these). */
// biome-ignore format: a table filled by hand, several entries to a line
const GRADED_FIELDS = [
  'id', 'sku', 'gtin', 'mpn', 'title', 'description', 'shortDescription', 'brand', 'categoryPath', 'price',
  'currency', 'availability', 'primaryImageUrl', 'additionalImageUrls', 'productUrl',
  'attributes.color', 'attributes.size', 'attributes.material', 'attributes.gender', 'attributes.ageGroup',
] as const;

const FOLDS_INTO: Partial<Record<MappingTarget, readonly [string, string]>> = {
  salePrice: ['price', 'sale price'],
  stockQuantity: ['availability', 'stock count'],
  sellsWhenOut: ['availability', 'sells when out of stock'],
  stockTracker: ['availability', 'stock tracked'],
  listingStatus: ['availability', 'listing status'],
  published: ['availability', 'published'],
};

const SAMPLE_WIDTH = 60;
/** Share of a column's filled sample values that must fit for a suggestion. */
const FIT_SHARE = 0.8;
const IMAGE_URL = /^https?:\/\/\S+\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)(?:[?#]\S*)?$/i;
const ISO_CURRENCY = /^[A-Z]{3}$/;

/**
 * What a header means to Silver, judged from the header and a sample of rows: for every column
 * the field it feeds and why, the graded fields no column feeds, and suggestions from the
 * content of the columns that went to attributes. Pure: the caller reads the rows.
 */
export function describeColumns(header: readonly string[], rows: ReadonlyArray<Readonly<Record<string, string>>>, options: MappingOptions = {}): ColumnReport {
  const mapping = resolveMapping(header, options);
  const via = new Map<string, { target: string; role?: string; via: ColumnVia }>();
  for (const slot of mapping.slots) {
    const folded = FOLDS_INTO[slot.target];
    for (const binding of slot.columns) {
      const how: ColumnVia = binding.rank < 1000 ? 'rule' : binding.rank < 2000 ? `preset:${mapping.preset!}` : 'alias';
      via.set(binding.column, folded === undefined ? { target: slot.target, via: how } : { target: folded[0], role: folded[1], via: how });
    }
  }
  for (const pair of mapping.pairs) {
    via.set(pair.name, { target: 'attributes (name)', via: 'option pair' });
    via.set(pair.value, { target: 'attributes (value)', via: 'option pair' });
  }
  for (const { column, key } of mapping.unmapped) via.set(column, { target: `attributes.${key}`, via: 'attributes' });
  const columns: ColumnLine[] = header.map((source) => {
    const found = via.get(source) ?? { target: '', via: 'ignored' as const };
    const sample = firstFilled(rows, source);
    return sample === undefined ? { source, ...found } : { source, ...found, sample: shorten(sample) };
  });
  const fed = new Set<string>();
  for (const slot of mapping.slots) fed.add(FOLDS_INTO[slot.target]?.[0] ?? slot.target);
  // Option pairs feed the attribute their name column names (`Option1 Name` = Size).
  for (const pair of mapping.pairs) {
    for (const row of rows) if (!isBlank(cellOf(row, pair.name))) fed.add(`attributes.${attributeKey(cellOf(row, pair.name)!)}`);
  }
  for (const { key } of mapping.unmapped) fed.add(`attributes.${key}`);
  const cellsOf = (target: MappingTarget) =>
    mapping.slots.filter((slot) => slot.target === target).flatMap((slot) => slot.columns.flatMap((b) => rows.map((row) => cellOf(row, b.column) ?? '')));
  // A price written with its currency (`352 AED`) feeds the currency too.
  if (!fed.has('currency') && cellsOf('price').some((cell) => parsePrice(cell).currency !== undefined)) fed.add('currency');
  // An image cell holding a list, or Shopify's extra-image rows (one image a row, folded at load), feed the additional images.
  if (
    !fed.has('additionalImageUrls') &&
    fed.has('primaryImageUrl') &&
    (mapping.preset === 'shopify' || cellsOf('primaryImageUrl').some((cell) => splitUrlList(cell).length > 1))
  ) {
    fed.add('additionalImageUrls');
  }
  if (fed.has('sku') && !fed.has('id')) fed.add('id');
  const unfed = GRADED_FIELDS.filter((field) => !fed.has(field));
  const suggestions = suggest(
    mapping.unmapped.map((u) => u.column),
    rows,
    fed,
    header,
  );
  return { preset: mapping.preset, columns, unfed, suggestions };
}

// Column names come from the data: `constructor` or `valueOf` must not find Object's own members.
function cellOf(row: Readonly<Record<string, string>>, column: string): string | undefined {
  return Object.hasOwn(row, column) ? row[column] : undefined;
}

function firstFilled(rows: ReadonlyArray<Readonly<Record<string, string>>>, column: string): string | undefined {
  for (const row of rows) if (!isBlank(cellOf(row, column))) return cellOf(row, column);
  return undefined;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SAMPLE_WIDTH ? `${line.slice(0, SAMPLE_WIDTH - 1)}…` : line;
}

interface Test {
  target: string;
  fits: (value: string) => boolean;
  what: string;
}

const TESTS: readonly Test[] = [
  { target: 'gtin', fits: (v) => cleanGtin(v).gtin !== undefined, what: 'valid GTINs (GS1 check digit)' },
  { target: 'primaryImageUrl', fits: (v) => splitUrlList(v).every((url) => IMAGE_URL.test(url.trim())), what: 'URLs of image files' },
  { target: 'currency', fits: (v) => ISO_CURRENCY.test(v.trim()) && normalizeCurrency(v).currency !== undefined, what: 'ISO 4217 currency codes' },
  { target: 'availability', fits: isStockWord, what: 'stock words' },
];

// Yes/no and number columns (`Taxable`, `Gift Card`, `Fat (g)`) read as availability but say nothing of stock.
const YES_NO = /^(?:y|n|yes|no|true|false|[+-]?\d+(?:[.,]\d+)?)$/i;

function isStockWord(value: string): boolean {
  return !YES_NO.test(value.trim()) && normalizeAvailability(value).availability !== undefined;
}

function suggest(
  candidates: readonly string[],
  rows: ReadonlyArray<Readonly<Record<string, string>>>,
  fed: ReadonlySet<string>,
  header: readonly string[],
): ColumnSuggestion[] {
  const out: ColumnSuggestion[] = [];
  const add = (source: string, target: string, evidence: string) => {
    out.push({ source, target, rule: { sourceField: source, targetField: target }, evidence });
  };
  for (const source of candidates) {
    const values = rows.map((row) => cellOf(row, source)).filter((value): value is string => !isBlank(value));
    if (values.length === 0) continue;
    for (const test of TESTS) {
      const fitting = values.filter(test.fits).length;
      if (fitting / values.length < FIT_SHARE) continue;
      const target = test.target === 'primaryImageUrl' && fed.has('primaryImageUrl') ? 'additionalImageUrls' : test.target;
      add(source, target, `${fitting} of ${values.length} sampled values are ${test.what}`);
      break;
    }
  }
  // The id is chosen at load; a header that no rule, preset or alias gives an id can use any column of unique values.
  if (!fed.has('id') && rows.length > 1) {
    for (const source of header) {
      const values = rows.map((row) => cellOf(row, source)?.trim() ?? '');
      if (values.some((v) => v === '') || new Set(values).size !== values.length) continue;
      if (columnKey(source).length === 0) continue;
      add(source, 'id', `all ${values.length} sampled values are filled and unique`);
      break;
    }
  }
  return out;
}
