/**
 * Duplicate detection (see docs/duplicates.md) by blocking keys: each product yields a few keys and
 * products that share a key are duplicates. With an index on the key this stays near-linear; no
 * pair of products is ever compared directly.
 */
import { brandTokens, foldText } from './brands.js';
import { foldCode, modelCodesOfFolded, signatureOf, variantMarks } from './model-codes.js';
import type { DuplicateLinkReason, SilverProduct } from './product.js';

/** Bumped when keys or links change meaning, so catalogs indexed before are indexed again. */
export const DUPLICATE_RULES_VERSION = 6;

/** Why two products were linked, from the key they share (`i:` stands for a similar title, found outside the key index). */
export type DuplicateReason = DuplicateLinkReason;

/** Key prefixes in the order a reason is preferred when one candidate shares several keys. */
const REASON_OF_PREFIX: [string, DuplicateReason][] = [
  ['g:', 'gtin'],
  ['s:', 'sku'],
  ['p:', 'mpn'],
  ['m:', 'model'],
  ['t:', 'title'],
  ['i:', 'similar-title'],
];

/**
 * The code a key names, without the variant signature after `#` (`s:100#brown` is `s:100`):
 * the placeholder cap counts a code's holders whatever their signatures.
 */
export function codeOfKey(key: string): string {
  const end = key.indexOf('#');
  return end < 0 ? key : key.slice(0, end);
}

/** The reason a shared key gives, and the value shared (without brand or variant parts). */
export function reasonOfKey(key: string): { reason: DuplicateReason; value: string } {
  const reason = REASON_OF_PREFIX.find(([prefix]) => key.startsWith(prefix))?.[1] ?? 'title';
  const body = codeOfKey(key).slice(2);
  return { reason, value: reason === 'gtin' || reason === 'sku' ? body : body.slice(body.indexOf('|') + 1) };
}

/** One product as the key index holds it: `seq` is the load order, lower is earlier. */
export interface DuplicateRef {
  id: string;
  seq: number;
}

/** GTIN-8/12/13/14 in its 14-digit form, so a UPC-A and the same code as EAN-13 meet; undefined when invalid. */
export function gtinKey(gtin: string | undefined): string | undefined {
  const digits = (gtin ?? '').trim();
  if (!/^(\d{8}|\d{12,14})$/.test(digits) || !hasValidCheckDigit(digits)) return undefined;
  const padded = digits.padStart(14, '0');
  return /^0+$/.test(padded) ? undefined : padded;
}

/**
 * Whether a GTIN veto keeps a product from linking to a candidate through `key`: both hold a valid
 * GTIN (their `g:` keys, as `duplicateKeys` gives them) and the GTINs differ. GS1 allocates a GTIN
 * to one trade item, and its GTIN Management Standard asks for a new GTIN whenever a change matters
 * to the buyer (voltage, formula, net content, ...): two different GTINs are two products, whatever
 * SKU, MPN, model number or title they share. A missing GTIN vetoes nothing, and the GTIN key itself
 * links only equal GTINs. The variant signature after `#` is not part of the GTIN.
 */
export function gtinVetoes(key: string, ownGtinKey: string | undefined, otherGtinKey: string | undefined): boolean {
  if (key.startsWith('g:') || ownGtinKey === undefined || otherGtinKey === undefined) return false;
  return codeOfKey(ownGtinKey) !== codeOfKey(otherGtinKey);
}

function hasValidCheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** Placeholders people type into a SKU column when there is none. */
const JUNK_SKUS = new Set(['na', 'n/a', 'none', 'null', 'nil', 'undefined', 'unknown', 'tbd', 'tba', 'sku', 'test', 'default']);
const MIN_SKU_LENGTH = 3;

/** Case, spacing, dashes, dots and `#` folded (`AB-12 3` ≡ `ab#123`); undefined for empty or placeholder SKUs. A `#` in a key ends its code. */
export function skuKey(sku: string | undefined): string | undefined {
  const folded = foldText(sku ?? '').trim();
  if (JUNK_SKUS.has(folded)) return undefined;
  const key = folded.replace(/^'+/, '').replace(/[\s\-_.#\u2010-\u2015]+/g, '');
  if (key.length < MIN_SKU_LENGTH || JUNK_SKUS.has(key) || /^(.)\1*$/.test(key)) return undefined;
  return key;
}

/** Attributes that tell variants apart: `Shirt` in red is not a duplicate of `Shirt` in blue. */
const VARIANT_ATTRIBUTES = ['color', 'size', 'material', 'gender', 'ageGroup'];

/**
 * The blocking keys of a product: `g:` valid GTIN, `s:` normalized SKU, `t:` brand and title.
 * `brand` is the key of the product's canonical brand (`brandKey`), empty when it has none.
 */
export function duplicateKeys(product: SilverProduct, brand: string): string[] {
  const keys: string[] = [];
  const variant: string[] = [];
  for (const name of VARIANT_ATTRIBUTES) {
    const value = product.attributes[name];
    if (value !== undefined) for (const token of attributeTokens(value)) variant.push(token);
  }
  const title = foldText(product.title ?? '');
  const tokens = tokensOfFolded(title);
  // Every key but the title's (which holds every word already) carries the variant signature of
  // the title, so two listings that differ in colour, capacity, pack size or edition never share
  // a key. Variant columns count for SKUs too, which shops reuse across a product's colours and
  // sizes; a GTIN already names one variant, and a listing without a colour column may still be it.
  const marks = variantMarks(tokens);
  const signature = signatureOf(marks);
  const tail = signature ? `#${signature}` : '';
  const gtin = gtinKey(product.gtin);
  if (gtin) keys.push(`g:${gtin}${tail}`);
  const sku = skuKey(product.sku);
  if (sku) {
    const skuSignature = variant.length === 0 ? signature : signatureOf(variantMarks(variant, marks));
    keys.push(`s:${sku}${skuSignature ? `#${skuSignature}` : ''}`);
  }
  const mpn = foldCode(product.mpn ?? '');
  const brands = brand !== '' ? [corporateKey(brand)] : ['', ...guessedBrands(tokens)];
  if (mpn.length >= MIN_SKU_LENGTH + 1 && /\d/.test(mpn)) for (const b of brands) keys.push(`p:${b}|${mpn}${tail}`, `m:${b}|${mpn}${tail}`);
  for (const code of modelCodesOfFolded(title)) for (const b of brands) keys.push(`m:${b}|${code}${tail}`);
  for (const key of titleKeys(tokens, brand, variant)) keys.push(`t:${key}`);
  // A dozen keys at most: a scan finds repeats sooner than a set of them would.
  return keys.filter((key, i) => keys.indexOf(key) === i);
}

/** Words that follow a maker's name in its legal or trading name: `LG Electronics` is LG, `Oki Data` is OKI. */
// biome-ignore format: a table filled by hand, several entries to a line
const CORPORATE_WORDS = new Set([
  'technology', 'technologies', 'manufacturing', 'electronics', 'international', 'data', 'systems', 'software',
  'products', 'industries', 'group', 'usa', 'america', 'com', 'company', 'corporation', 'interactive', 'multimedia',
]);

/** A brand key for model numbers: the brand's words without trailing corporate words, joined. */
export function corporateKey(brand: string): string {
  let key = corporateKeys.get(brand);
  if (key === undefined) {
    const words = brandTokens(brand);
    let end = words.length;
    while (end > 1 && CORPORATE_WORDS.has(words[end - 1])) end--;
    key = words.slice(0, end).join('');
    remember(corporateKeys, brand, key);
  }
  return key;
}

// Brands and variant cells repeat across a catalog (a few thousand brands, a few dozen colours
// and sizes): each is worked out once. Bounded, so a catalog of unique values cannot fill memory.
const MAX_REMEMBERED = 10_000;
const corporateKeys = new Map<string, string>();
const attributeTokenLists = new Map<string, readonly string[]>();

function remember<T>(memo: Map<string, T>, key: string, value: T): void {
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  memo.set(key, value);
}

/** `titleTokens` of a variant attribute's value. */
function attributeTokens(value: string): readonly string[] {
  let tokens = attributeTokenLists.get(value);
  if (tokens === undefined) {
    tokens = titleTokens(value);
    remember(attributeTokenLists, value, tokens);
  }
  return tokens;
}

const GUESSED_WORDS = 3;

/**
 * Brands a product without one may carry in its title: each of its first words that is not a
 * stop word or a code, and each pair of them joined (`tech craft` is TechCraft). A model number
 * keyed under one of these meets the same number under a known brand, never another brand's.
 */
function guessedBrands(tokens: string[]): string[] {
  const words = tokens.slice(0, GUESSED_WORDS);
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    if (STOP_WORDS.has(words[i]) || /\d/.test(words[i])) continue;
    out.add(corporateKey(words[i]));
    const next = words[i + 1];
    if (next && !STOP_WORDS.has(next) && !/\d/.test(next)) out.add(corporateKey(`${words[i]} ${next}`));
  }
  out.delete('');
  return [...out];
}

/**
 * Title keys as `brand|title`. The brand's words are taken out of the title, so `Nike Air Max` by
 * Nike meets `Air Max` by Nike. A product without a brand may name it in its first word, so it
 * also offers that word as the brand: `adobe photoshop cs3` meets `photoshop cs3` by Adobe. A
 * two-word guess doubled recall on the Amazon-Google benchmark but cost precision (0.881 against
 * 0.902); a wrong link costs users more than a missed one.
 */
function titleKeys(tokens: string[], brand: string, variant: string[]): string[] {
  if (brand !== '') {
    const key = titleKey(withoutBrand(tokens, brand), variant);
    return key ? [`${brand}|${key}`] : [];
  }
  const keys: string[] = [];
  const whole = titleKey(tokens, variant);
  if (whole) keys.push(`|${whole}`);
  const guessed = brandTokens(tokens[0] ?? '').join('');
  const rest = titleKey(tokens.slice(1), variant);
  if (tokens.length > 1 && !STOP_WORDS.has(tokens[0]) && guessed && rest) keys.push(`${guessed}|${rest}`);
  return keys;
}

/** Drops the first run of title words that spells the brand (`up & up`, `up&up` for `upandup`). */
function withoutBrand(tokens: string[], brand: string): string[] {
  for (let start = 0; start < tokens.length; start++) {
    let joined = '';
    for (let end = start; end < tokens.length && joined.length < brand.length; end++) {
      joined += tokens[end];
      if (joined === brand) return [...tokens.slice(0, start), ...tokens.slice(end + 1)];
    }
  }
  return tokens;
}

/**
 * The duplicate a product links to, or null when it is canonical. `candidatesByKey` holds, per key
 * of the product, the products of the index that share it (the lowest seq of each key is enough).
 * Only strictly earlier products count, and `rootOf` (the link already stored for a product)
 * is followed down to the root, so links always point at a lower seq and never form a cycle.
 */
export function findDuplicate(
  ownSeq: number,
  candidatesByKey: Map<string, DuplicateRef[]>,
  rootOf: (ref: DuplicateRef) => DuplicateRef | null | undefined = () => null,
): DuplicateRef | null {
  const found = findDuplicateWithKey(ownSeq, candidatesByKey, rootOf);
  return found && { id: found.id, seq: found.seq };
}

/** `findDuplicate` with the key that proposed the link (the strongest kind, when several share the candidate). */
export function findDuplicateWithKey(
  ownSeq: number,
  candidatesByKey: Map<string, DuplicateRef[]>,
  rootOf: (ref: DuplicateRef) => DuplicateRef | null | undefined = () => null,
): (DuplicateRef & { key: string }) | null {
  let best: DuplicateRef | null = null;
  let bestKey = '';
  for (const [key, candidates] of candidatesByKey) {
    for (const candidate of candidates) {
      if (candidate.seq >= ownSeq) continue;
      if (best === null || isEarlier(candidate, best)) [best, bestKey] = [candidate, key];
      else if (candidate.seq === best.seq && candidate.id === best.id && rankOf(key) < rankOf(bestKey)) bestKey = key;
    }
  }
  for (let next = best && rootOf(best); best && next && next.seq < best.seq; next = rootOf(best)) best = next;
  return best === null ? null : { id: best.id, seq: best.seq, key: bestKey };
}

function rankOf(key: string): number {
  const rank = REASON_OF_PREFIX.findIndex(([prefix]) => key.startsWith(prefix));
  return rank < 0 ? REASON_OF_PREFIX.length : rank;
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'for', 'with', 'of', 'by', 'in', 'on', 'to', 'from', 'at']);
/** Units written apart or joined to their number (`500 ml`, `500ml`) are joined. */
// biome-ignore format: a table filled by hand, several entries to a line
const UNITS = new Set([
  'ml', 'l', 'g', 'kg', 'mg', 'oz', 'lb', 'lbs', 'mm', 'cm', 'm', 'ft', 'inch', 'gb', 'tb', 'mb',
  'pk', 'pack', 'ct', 'count', 'pc', 'pcs', 'v', 'w', 'mah', 'hz', 'khz', 'mhz', 'ghz',
]);

/** Words of a title: folded, `&` read as `and`, punctuation gone except decimal points (`6.0`). */
export function titleTokens(text: string): string[] {
  return tokensOfFolded(foldText(text));
}

function tokensOfFolded(folded: string): string[] {
  const tokens: string[] = [];
  for (const piece of folded
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}.]+/u)) {
    const word = piece.includes('.') ? piece.replace(/(?<!\d)\.|\.(?!\d)/g, '') : piece;
    if (word.length === 0) continue;
    const last = tokens.length - 1;
    if (UNITS.has(word) && last >= 0 && /^\d+(\.\d+)?$/.test(tokens[last])) tokens[last] += word;
    else tokens.push(word);
  }
  return tokens;
}

/**
 * Near-identical means the same words, whatever their order, case, accents, punctuation or
 * repetition, stop words aside. Numbers stay, so `office 2003` never meets `office 2007`.
 * Undefined when fewer than two words are left: one word names too many products.
 */
function titleKey(tokens: string[], variant: string[]): string | undefined {
  const words = new Set<string>();
  for (const token of tokens) if (!STOP_WORDS.has(token)) words.add(token);
  if (words.size < MIN_TITLE_WORDS) return undefined;
  for (const word of variant) if (!STOP_WORDS.has(word)) words.add(word);
  return Array.from(words).sort(compareText).join(' ');
}

/** Code unit order, as `sort()` without a comparator gives it for strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MIN_TITLE_WORDS = 2;

function isEarlier(a: DuplicateRef, b: DuplicateRef): boolean {
  return a.seq !== b.seq ? a.seq < b.seq : a.id < b.id;
}
