/**
 * Brand spellings that may be one brand but that normalize never folds on its own: typos
 * (`Great Vaulue`) and near names (`Belkin` / `Delkin`) look alike and are often different
 * makers. They are listed with their evidence for a person to accept into the config's brand list.
 */
import { brandKey } from './brands.js';

export interface BrandSide {
  key: string;
  /** The spellings the catalog uses for this key, most used first, with their product counts. */
  spellings: [spelling: string, products: number][];
  products: number;
}

export interface BrandSuggestion {
  a: BrandSide;
  b: BrandSide;
  /** Letters to add, drop or change to turn one key into the other (1 or 2). */
  edits: number;
  /** Products of one brand whose title (brand words aside) a product of the other also has. */
  sharedTitles: number;
}

const MIN_KEY_LENGTH = 4;

/** The brands a catalog's spellings group into, keyed as normalize keys them. */
export function brandSides(spellingCounts: Iterable<[string, number]>): Map<string, BrandSide> {
  const sides = new Map<string, BrandSide>();
  for (const [spelling, count] of spellingCounts) {
    const key = brandKey(spelling);
    if (!key) continue;
    let side = sides.get(key);
    if (!side) {
      side = { key, spellings: [], products: 0 };
      sides.set(key, side);
    }
    side.spellings.push([spelling.trim(), count]);
    side.products += count;
  }
  for (const side of sides.values()) side.spellings.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return sides;
}

/**
 * Pairs of brand keys at most two edits apart, found through their one-letter deletions (each
 * key and its deletions share a bucket), so no pair of brands is compared unless they share one.
 */
export function nearBrandPairs(keys: Iterable<string>): [string, string, number][] {
  const buckets = new Map<string, Set<string>>();
  for (const key of keys) {
    if ([...key].length < MIN_KEY_LENGTH) continue;
    for (const variant of deletions(key)) {
      let bucket = buckets.get(variant);
      if (!bucket) {
        bucket = new Set();
        buckets.set(variant, bucket);
      }
      bucket.add(key);
    }
  }
  const pairs = new Map<string, [string, string, number]>();
  for (const bucket of buckets.values()) {
    if (bucket.size < 2) continue;
    const members = [...bucket].sort();
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const id = `${members[i]}\u0000${members[j]}`;
        const edits = editDistance(members[i], members[j]);
        if (!pairs.has(id) && edits <= 2) pairs.set(id, [members[i], members[j], edits]);
      }
    }
  }
  return [...pairs.values()];
}

/** Suggestions, the best evidenced first: shared titles, then products. */
export function suggestBrandMerges(sides: Map<string, BrandSide>, sharedTitles: (a: string, b: string) => number = () => 0): BrandSuggestion[] {
  return nearBrandPairs(sides.keys())
    .map(([a, b, edits]) => ({ a: sides.get(a)!, b: sides.get(b)!, edits, sharedTitles: sharedTitles(a, b) }))
    .sort((x, y) => y.sharedTitles - x.sharedTitles || y.a.products + y.b.products - (x.a.products + x.b.products) || (x.a.key < y.a.key ? -1 : 1));
}

function deletions(key: string): string[] {
  const chars = [...key];
  return [key, ...chars.map((_, i) => [...chars.slice(0, i), ...chars.slice(i + 1)].join(''))];
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[y.length];
}
