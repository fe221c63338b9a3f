/** Brand linking (SPEC section 4, item 3): fold spelling variants of one brand to one canonical name. */
import { UserError } from '../errors.js';

/** Legal-form words dropped from the end of a brand name; `Nike Inc.` is the brand Nike. */
const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'gmbh', 'mbh', 'ag', 'kg', 'co', 'corp',
  'corporation', 'company', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'plc', 'pty', 'oy', 'ab', 'kk',
]);

/** Lower case without diacritics (`Crème` → `creme`); compatibility forms folded (`ﬁ` → `fi`). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Words of a brand name: `&` reads as `and`; apostrophes and dots join (`Levi's`, `S.A.`). */
export function brandTokens(name: string): string[] {
  const words = foldText(name)
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  let end = words.length;
  // Keep at least one word, so a brand named `Co` still has a key.
  while (end > 1 && (LEGAL_SUFFIXES.has(words[end - 1]) || words[end - 1] === 'and')) end--;
  return words.slice(0, end);
}

/**
 * The key that spelling variants of one brand share: `NIKE`, `Nike Inc.`, ` nike `, `Nike, Inc`
 * all give `nike`; `up&up` and `Up & Up` give `upandup`. Words are joined without spaces so that
 * `Coca-Cola`, `Coca Cola` and `CocaCola` meet. Empty when the name has no letters or digits.
 */
export function brandKey(name: string): string {
  return brandTokens(name).join('');
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

export type BrandLink =
  | { brand: string; linked: boolean; source: 'user' | 'catalog' | 'none' }
  | { error: string; code: 'brand_not_found' };

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
  const catalog = groupSpellings(options.spellingCounts);
  const catalogCanonical = new Map<string, string>();
  for (const [key, counts] of catalog) catalogCanonical.set(key, pickCanonical(counts));

  return {
    link(spelling) {
      const cleaned = cleanSpelling(spelling);
      const key = brandKey(cleaned);
      const userBrand = user.get(key);
      if (userBrand) return { brand: userBrand.name, linked: true, source: 'user' };
      if (strict) return { error: `brand not found: '${cleaned}'`, code: 'brand_not_found' };
      const canonical = catalogCanonical.get(key);
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

function indexUserBrands(brands: UserBrand[]): Map<string, IndexedUserBrand> {
  const byKey = new Map<string, IndexedUserBrand>();
  for (const brand of brands) {
    const name = cleanSpelling(brand.name);
    const aliases = (brand.aliases ?? []).map(cleanSpelling);
    const keys = [...new Set([name, ...aliases].map(brandKey).filter(Boolean))];
    if (brandKey(name) === '') {
      throw new UserError('brand_list_invalid', `brand list: '${brand.name}' has no letters or digits: give it a name`);
    }
    const indexed = { name, aliases, keys };
    for (const key of keys) {
      const taken = byKey.get(key);
      if (taken && taken.name !== name) {
        throw new UserError(
          'brand_list_conflict',
          `brand list: '${name}' and '${taken.name}' both claim the spelling key '${key}': keep it on one brand`,
        );
      }
      if (!taken) byKey.set(key, indexed);
    }
  }
  return byKey;
}

function groupSpellings(spellingCounts: Iterable<[string, number]>): Map<string, Map<string, number>> {
  const byKey = new Map<string, Map<string, number>>();
  for (const [raw, count] of spellingCounts) {
    const spelling = cleanSpelling(raw);
    const key = brandKey(spelling);
    if (key === '') continue;
    let counts = byKey.get(key);
    if (!counts) byKey.set(key, (counts = new Map()));
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
    const better =
      rank[0] !== bestRank[0] ? rank[0] > bestRank[0] : rank[1] !== bestRank[1] ? rank[1] > bestRank[1] : compare(spelling, best) < 0;
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
