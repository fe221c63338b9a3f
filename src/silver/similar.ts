/**
 * Similar titles: a TF-IDF cosine between products that share a rare title word, kept only when
 * each is the other's best match and no veto holds. Near-linear: a product is compared only with
 * the holders of its words that at most `maxBlock` products hold. Pure. Its weights and best
 * matches depend on the whole catalog, so normalize runs it over the whole catalog whenever keys
 * change, and marks stale the products whose similar match moved.
 */
import { brandKey, brandTokens } from './brands.js';
import { titleTokens } from './duplicates.js';
import { variantSignature } from './model-codes.js';

const STOP_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'for', 'with', 'of', 'by', 'in', 'on', 'to', 'from', 'at']);

/** A product as the similarity step reads it, from its title and brand spelling. */
export function similarItem(seq: number, title: string, brand: string): SimilarItem {
  const tokens = titleTokens(title);
  const own = new Set(brandTokens(brand));
  return { seq, brand: brandKey(brand), words: [...new Set(tokens.filter((w) => !STOP_WORDS.has(w) && !own.has(w)))], signature: variantSignature(tokens) };
}

export interface SimilarItem {
  seq: number;
  /** Brand key, empty when unknown: two known brands must agree. */
  brand: string;
  /** Title words, brand words and stop words left out. */
  words: string[];
  /** Variant signature (`variantSignature`): colours, capacities, pack sizes, editions must agree. */
  signature: string;
  /** A valid GTIN (its key): two different GTINs are two products, however alike their titles. */
  gtin?: string;
}

export interface SimilarOptions {
  /** Words held by more products than this block nothing (they are not rare). */
  maxBlock: number;
  /** Lowest cosine kept. */
  threshold: number;
}

export const SIMILAR_DEFAULTS: SimilarOptions = { maxBlock: 50, threshold: 0.5 };

/** Whether a veto keeps two products apart: known brands differ, signatures or GTINs differ, or each has a number the other lacks. */
export function isVetoed(a: SimilarItem, b: SimilarItem): boolean {
  if (a.brand && b.brand && a.brand !== b.brand) return true;
  if (a.signature !== b.signature) return true;
  if (a.gtin && b.gtin && a.gtin !== b.gtin) return true;
  const numbersOnly = (x: SimilarItem, y: SimilarItem) => x.words.some((w) => /\d/.test(w) && !y.words.includes(w));
  return numbersOnly(a, b) && numbersOnly(b, a);
}

/** Pairs `[later, earlier, cosine]` of mutual best matches, ordered by the later seq. */
export function similarPairs(items: SimilarItem[], options: SimilarOptions = SIMILAR_DEFAULTS): [number, number, number][] {
  const df = new Map<string, number>();
  for (const item of items) for (const word of new Set(item.words)) df.set(word, (df.get(word) ?? 0) + 1);
  const vectors = items.map((item) => weigh(item.words, df, items.length));
  const holders = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const word of new Set(item.words)) if (df.get(word)! <= options.maxBlock) (holders.get(word) ?? holders.set(word, []).get(word)!).push(i);
  });
  const best = items.map((item, i) => {
    let found = -1;
    let score = 0;
    const seen = new Set<number>();
    for (const word of new Set(item.words)) {
      for (const j of holders.get(word) ?? []) {
        if (j === i || seen.has(j)) continue;
        seen.add(j);
        if (isVetoed(item, items[j])) continue;
        const s = cosine(vectors[i], vectors[j]);
        if (s > score || (s === score && found >= 0 && items[j].seq < items[found].seq)) [found, score] = [j, s];
      }
    }
    return { found, score };
  });
  const pairs: [number, number, number][] = [];
  best.forEach(({ found, score }, i) => {
    if (found < 0 || score < options.threshold || best[found].found !== i) return;
    const [a, b] = [items[i], items[found]];
    if (a.seq > b.seq) pairs.push([a.seq, b.seq, score]);
  });
  return pairs.sort((x, y) => x[0] - y[0]);
}

function weigh(words: string[], df: Map<string, number>, n: number): Map<string, number> {
  const vector = new Map<string, number>();
  for (const word of new Set(words)) vector.set(word, Math.log(n / df.get(word)!));
  let norm = 0;
  for (const v of vector.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [word, v] of vector) vector.set(word, v / norm);
  return vector;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let sum = 0;
  for (const [word, v] of a) sum += v * (b.get(word) ?? 0);
  return sum;
}
