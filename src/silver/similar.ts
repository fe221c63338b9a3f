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

const SIMILAR_DEFAULTS: SimilarOptions = { maxBlock: 50, threshold: 0.5 };

/** Whether a veto keeps two products apart: known brands differ, signatures or GTINs differ, or each has a number the other lacks. */
export function isVetoed(a: SimilarItem, b: SimilarItem): boolean {
  if (a.brand && b.brand && a.brand !== b.brand) return true;
  if (a.signature !== b.signature) return true;
  if (a.gtin && b.gtin && a.gtin !== b.gtin) return true;
  const numbersOnly = (x: SimilarItem, y: SimilarItem) => x.words.some((w) => /\d/.test(w) && !y.words.includes(w));
  return numbersOnly(a, b) && numbersOnly(b, a);
}

/**
 * Pairs `[later, earlier, cosine]` of mutual best matches, ordered by the later seq. Items are read
 * once, into interned word ids in one typed array (a million products fit in tens of MB), so
 * the caller may stream them.
 */
export function similarPairs(items: Iterable<SimilarItem>, options: SimilarOptions = SIMILAR_DEFAULTS): [number, number, number][] {
  const words = new Interner();
  const labels = new Interner();
  const df: number[] = [];
  const seqs: number[] = [];
  const brands: number[] = [];
  const signatures: number[] = [];
  // A GTIN key is 14 digits: exact as a double, no string kept per product.
  const gtins: number[] = [];
  // Every product's sorted word ids, one after another: one typed array for the whole catalog.
  let pool = new Int32Array(1 << 16);
  const starts: number[] = [0];
  for (const item of items) {
    const ids = Int32Array.from(new Set(item.words), (word) => words.id(word)).sort();
    for (const id of ids) df[id] = (df[id] ?? 0) + 1;
    const at = starts[starts.length - 1];
    while (at + ids.length > pool.length) {
      const grown = new Int32Array(pool.length * 2);
      grown.set(pool);
      pool = grown;
    }
    pool.set(ids, at);
    starts.push(at + ids.length);
    seqs.push(item.seq);
    brands.push(item.brand ? labels.id(item.brand) : -1);
    signatures.push(labels.id(`#${item.signature}`));
    gtins.push(item.gtin ? Number(item.gtin) : -1);
  }
  const wordsOf = (i: number) => pool.subarray(starts[i], starts[i + 1]);
  const n = seqs.length;
  const idf = Float64Array.from(df, (count) => Math.log(n / count));
  const hasDigit = Uint8Array.from(words.values, (word) => (/\d/.test(word) ? 1 : 0));
  const norms = new Float64Array(n);
  // A block needs two holders: words of one product block nothing and take no memory.
  const holders = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const id of wordsOf(i)) {
      sum += idf[id] * idf[id];
      if (df[id] >= 2 && df[id] <= options.maxBlock) (holders.get(id) ?? holders.set(id, []).get(id)!).push(i);
    }
    norms[i] = Math.sqrt(sum) || 1;
  }
  const vetoed = (i: number, j: number) =>
    (brands[i] >= 0 && brands[j] >= 0 && brands[i] !== brands[j]) ||
    signatures[i] !== signatures[j] ||
    (gtins[i] >= 0 && gtins[j] >= 0 && gtins[i] !== gtins[j]) ||
    (hasOwnNumber(wordsOf(i), wordsOf(j), hasDigit) && hasOwnNumber(wordsOf(j), wordsOf(i), hasDigit));
  const cosine = (i: number, j: number) => {
    const [a, b] = [wordsOf(i), wordsOf(j)];
    let sum = 0;
    for (let x = 0, y = 0; x < a.length && y < b.length; ) {
      if (a[x] === b[y]) {
        sum += idf[a[x]] ** 2;
        x++;
        y++;
      } else if (a[x] < b[y]) x++;
      else y++;
    }
    return sum / (norms[i] * norms[j]);
  };
  const bestOf = new Int32Array(n).fill(-1);
  const scoreOf = new Float64Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    seen.clear();
    for (const id of wordsOf(i)) {
      for (const j of holders.get(id) ?? []) {
        if (j === i || seen.has(j)) continue;
        seen.add(j);
        if (vetoed(i, j)) continue;
        const s = cosine(i, j);
        const found = bestOf[i];
        if (s > scoreOf[i] || (s === scoreOf[i] && found >= 0 && seqs[j] < seqs[found])) [bestOf[i], scoreOf[i]] = [j, s];
      }
    }
  }
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const j = bestOf[i];
    if (j < 0 || scoreOf[i] < options.threshold || bestOf[j] !== i || seqs[i] < seqs[j]) continue;
    pairs.push([seqs[i], seqs[j], scoreOf[i]]);
  }
  return pairs.sort((x, y) => x[0] - y[0]);
}

/** Whether `a` (sorted word ids) has a word with a digit that `b` lacks. */
function hasOwnNumber(a: Int32Array, b: Int32Array, hasDigit: Uint8Array): boolean {
  for (const id of a) if (hasDigit[id] && !b.includes(id)) return true;
  return false;
}

class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      this.ids.set(value, id);
    }
    return id;
  }
}
