/** Brand linking (see docs/normalize.md#3-link-brands): fold spelling variants of one brand to one canonical name. */
import { UserError } from '../errors.js';

/** Legal-form words dropped from the end of a brand name; `Nike Inc.` is the brand Nike. */
// biome-ignore format: a table filled by hand, several entries to a line
const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'gmbh', 'mbh', 'ag', 'kg', 'co', 'corp',
  'corporation', 'company', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'plc', 'pty', 'oy', 'ab', 'kk',
]);

const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower case without diacritics (`Crème` → `creme`); compatibility forms folded (`ﬁ` → `fi`). */
export function foldText(text: string): string {
  // ASCII holds no marks and no compatibility forms: lower case is all there is to fold.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Words of a brand name: `&` reads as `and`; apostrophes and dots join (`Levi's`, `S.A.`); a
 * web address's `.com` and a leading `The` go (`STARTECH.COM` is StarTech, `The Board Dudes`
 * is Board Dudes).
 */
export function brandTokens(name: string): string[] {
  const words = foldText(name)
    .replace(/\.(com|net|org|co\.uk|de)\b/g, ' ')
    .replace(/^\s*the\s+(?=\S)/, '')
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  let end = words.length;
  // Keep at least one word, so a brand named `Co` still has a key.
  while (end > 1 && (LEGAL_SUFFIXES.has(words[end - 1]) || words[end - 1] === 'and')) end--;
  return words.slice(0, end);
}

/** Keys already computed, by spelling: a catalog holds a few thousand spellings, each used by many products. */
const brandKeys = new Map<string, string>();
const MAX_MEMO = 10_000;

/**
 * The key that spelling variants of one brand share: `NIKE`, `Nike Inc.`, ` nike `, `Nike, Inc`
 * all give `nike`; `up&up` and `Up & Up` give `upandup`. Words are joined without spaces so that
 * `Coca-Cola`, `Coca Cola` and `CocaCola` meet. Empty when the name has no letters or digits.
 */
export function brandKey(name: string): string {
  let key = brandKeys.get(name);
  if (key === undefined) {
    if (brandKeys.size >= MAX_MEMO) brandKeys.clear();
    key = brandTokens(name).join('');
    brandKeys.set(name, key);
  }
  return key;
}

export interface UserBrand {
  name: string;
  aliases?: string[];
}

export interface BrandLinkerOptions {
  userBrands?: UserBrand[];
  /** With a user list, a brand not in it is an error instead of falling back to the catalog. */
  strict?: boolean;
  /** Every brand spelling of the catalog with how many products use it. */
  spellingCounts: Iterable<[spelling: string, count: number]>;
}

export type BrandLink = { brand: string; linked: boolean; source: 'user' | 'catalog' | 'none' } | { error: string; code: 'brand_not_found' };

export interface BrandEntry {
  canonical: string;
  key: string;
  /** Other spellings of the brand: the user's aliases and the catalog's variants. */
  aliases: string[];
  source: 'user' | 'catalog';
}

export interface BrandLinker {
  link(spelling: string): BrandLink;
  /** The brands table to persist, ordered by key. */
  entries(): BrandEntry[];
}

export function createBrandLinker(options: BrandLinkerOptions): BrandLinker {
  const user = indexUserBrands(options.userBrands ?? []);
  const strict = Boolean(options.strict) && options.userBrands !== undefined;
  const { groups: catalog, mergedInto } = mergeShorterNames(groupSpellings(options.spellingCounts));
  const catalogCanonical = new Map<string, string>();
  for (const [key, counts] of catalog) catalogCanonical.set(key, pickCanonical(counts));

  return {
    link(spelling) {
      const cleaned = cleanSpelling(spelling);
      const key = brandKey(cleaned);
      const userBrand = user.get(key);
      if (userBrand) return { brand: userBrand.name, linked: true, source: 'user' };
      if (strict) return { error: `brand not found: '${cleaned}'`, code: 'brand_not_found' };
      const target = mergedInto.get(key)?.target ?? '';
      const targetBrand = user.get(target);
      if (targetBrand) return { brand: targetBrand.name, linked: true, source: 'user' };
      const canonical = catalogCanonical.get(key) ?? catalogCanonical.get(target);
      if (canonical !== undefined) return { brand: canonical, linked: true, source: 'catalog' };
      return { brand: cleaned, linked: false, source: 'none' };
    },
    entries() {
      const result: BrandEntry[] = [];
      for (const [key, brand] of user) {
        if (brandKey(brand.name) !== key) continue;
        const aliases = new Set(brand.aliases.map(cleanSpelling));
        for (const aliasKey of brand.keys) for (const spelling of catalog.get(aliasKey)?.keys() ?? []) aliases.add(spelling);
        aliases.delete(brand.name);
        result.push({ canonical: brand.name, key, aliases: [...aliases].sort(), source: 'user' });
      }
      if (!strict) {
        for (const [key, counts] of catalog) {
          if (user.has(key)) continue;
          const canonical = catalogCanonical.get(key) as string;
          const aliases = [...counts.keys()].filter((spelling) => spelling !== canonical).sort();
          result.push({ canonical, key, aliases, source: 'catalog' });
        }
        // A folded spelling keeps its own entry naming where it went, so a product is marked
        // stale when its brand starts or stops folding into a shorter name.
        for (const [key, { target, spellings }] of mergedInto) {
          if (user.has(key) || user.has(target)) continue;
          const canonical = catalogCanonical.get(target) as string;
          result.push({ canonical, key, aliases: spellings.filter((spelling) => spelling !== canonical).sort(), source: 'catalog' });
        }
      }
      return result.sort((a, b) => compare(a.key, b.key));
    },
  };
}

interface IndexedUserBrand {
  name: string;
  aliases: string[];
  keys: string[];
}

/** A brand list entry normalize refuses: `entry` indexes the list, `alias` the entry's aliases when one is at fault. */
export interface BrandListProblem {
  code: 'brand_list_invalid' | 'brand_list_conflict';
  entry: number;
  alias?: number;
  message: string;
}

/** Every entry of a user's brand list that normalize would refuse, in list order (config validate reports them all). */
export function checkUserBrands(brands: UserBrand[]): BrandListProblem[] {
  return indexBrandList(brands).problems;
}

function indexUserBrands(brands: UserBrand[]): Map<string, IndexedUserBrand> {
  const { byKey, problems } = indexBrandList(brands);
  if (problems.length > 0) throw new UserError(problems[0].code, `brand list: ${problems[0].message}`);
  return byKey;
}

function indexBrandList(brands: UserBrand[]): { byKey: Map<string, IndexedUserBrand>; problems: BrandListProblem[] } {
  const byKey = new Map<string, IndexedUserBrand>();
  const problems: BrandListProblem[] = [];
  brands.forEach((brand, entry) => {
    const name = cleanSpelling(brand.name);
    const aliases = (brand.aliases ?? []).map(cleanSpelling);
    if (brandKey(name) === '') {
      problems.push({ code: 'brand_list_invalid', entry, message: `'${brand.name}' has no letters or digits: give it a name` });
      return;
    }
    // Each key with the spelling it came from: -1 for the name, else the alias's index.
    const sources = new Map<string, number>();
    [name, ...aliases].forEach((spelling, i) => {
      const key = brandKey(spelling);
      if (key && !sources.has(key)) sources.set(key, i - 1);
    });
    const indexed = { name, aliases, keys: [...sources.keys()] };
    for (const [key, from] of sources) {
      const taken = byKey.get(key);
      if (taken && taken.name !== name) {
        problems.push({
          code: 'brand_list_conflict',
          entry,
          ...(from >= 0 ? { alias: from } : {}),
          message: `'${name}' and '${taken.name}' both claim the spelling key '${key}': keep it on one brand`,
        });
      }
      if (!taken) byKey.set(key, indexed);
    }
  });
  return { byKey, problems };
}

/**
 * The brand of a brand cell that holds a product title (`SCANFROST – AC FAN – SFRF18RCB – 18"`):
 * the words before the first spaced dash, when they are one to three words and what follows
 * names a product (two words or more, or a model number). Undefined when the cell is a name.
 */
export function cutBrandCell(cell: string): string | undefined {
  const parts = cell.split(/\s+[-–—|]\s+/);
  if (parts.length < 2) return undefined;
  const head = parts[0].trim();
  const rest = parts.slice(1).join(' ');
  const headWords = head.split(/\s+/).filter(Boolean);
  if (headWords.length === 0 || headWords.length > 3 || !/\p{L}/u.test(head)) return undefined;
  const restWords = rest.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  const hasCode = restWords.some((word) => /\p{L}/u.test(word) && /\d/.test(word));
  return restWords.length >= 2 || hasCode ? head : undefined;
}

/** Trailing words of a company's name that the same brand often goes without: `Kingston Technology` is Kingston. */
const CORPORATE_WORDS = [
  'technology',
  'technologies',
  'manufacturing',
  'electronics',
  'international',
  'data',
  'systems',
  'products',
  'industries',
  'group',
  'usa',
];

/**
 * The shorter name a spelling may be folded to, only if the catalog has it: corporate words
 * off the end (`Smead Manufacturing Company` → Smead, `Oki Data` → OKI) or a possessive
 * (`Hershey's` → Hershey). Without the shorter name in the catalog nothing moves: `Data` alone
 * is a word, not a suffix, and `Levi's` stays Levi's.
 */
function shorterKeys(spelling: string): string[] {
  const words = brandTokens(spelling);
  const out: string[] = [];
  let end = words.length;
  while (end > 1 && CORPORATE_WORDS.includes(words[end - 1])) out.push(words.slice(0, --end).join(''));
  if (/['’]s\s*$/i.test(spelling.trim())) out.push(brandKey(spelling.trim().replace(/['’]s\s*$/i, '')));
  return out.filter(Boolean);
}

/** Spellings whose shorter name the catalog holds join that name's group; `mergedInto` says which key went where. */
function mergeShorterNames(byKey: Map<string, Map<string, number>>): {
  groups: Map<string, Map<string, number>>;
  mergedInto: Map<string, { target: string; spellings: string[] }>;
} {
  const mergedInto = new Map<string, { target: string; spellings: string[] }>();
  for (const [key, counts] of [...byKey]) {
    const target = [...counts.keys()].flatMap(shorterKeys).find((shorter) => shorter !== key && byKey.has(shorter));
    if (!target) continue;
    const into = byKey.get(target)!;
    for (const [spelling, count] of counts) into.set(spelling, (into.get(spelling) ?? 0) + count);
    byKey.delete(key);
    mergedInto.set(key, { target, spellings: [...counts.keys()] });
  }
  return { groups: byKey, mergedInto };
}

function groupSpellings(spellingCounts: Iterable<[string, number]>): Map<string, Map<string, number>> {
  const byKey = new Map<string, Map<string, number>>();
  for (const [raw, count] of spellingCounts) {
    const spelling = cleanSpelling(raw);
    const key = brandKey(spelling);
    if (key === '') continue;
    let counts = byKey.get(key);
    if (!counts) {
      counts = new Map();
      byKey.set(key, counts);
    }
    counts.set(spelling, (counts.get(spelling) ?? 0) + count);
  }
  return byKey;
}

/** The most used spelling; on a tie one in mixed case (`Nike` over `NIKE`, `nike`), then the first by code point. */
function pickCanonical(counts: Map<string, number>): string {
  let best = '';
  let bestRank: [number, number] = [-1, -1];
  for (const [spelling, count] of counts) {
    const rank: [number, number] = [count, isSingleCase(spelling) ? 0 : 1];
    const better = rank[0] !== bestRank[0] ? rank[0] > bestRank[0] : rank[1] !== bestRank[1] ? rank[1] > bestRank[1] : compare(spelling, best) < 0;
    if (better) [best, bestRank] = [spelling, rank];
  }
  return best;
}

function isSingleCase(spelling: string): boolean {
  return spelling === spelling.toUpperCase() || spelling === spelling.toLowerCase();
}

function cleanSpelling(spelling: string): string {
  return spelling.replace(/\s+/g, ' ').trim();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
