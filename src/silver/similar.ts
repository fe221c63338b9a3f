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
  const scratch: number[] = [];
  for (const item of items) {
    // The item's distinct word ids, sorted, appended to the pool without a per-item array.
    scratch.length = 0;
    for (const word of item.words) scratch.push(words.id(word));
    scratch.sort((x, y) => x - y);
    const at = starts[starts.length - 1];
    while (at + scratch.length > pool.length) {
      const grown = new Int32Array(pool.length * 2);
      grown.set(pool);
      pool = grown;
    }
    let end = at;
    for (let k = 0; k < scratch.length; k++) {
      const id = scratch[k];
      if (k > 0 && id === scratch[k - 1]) continue;
      pool[end++] = id;
      while (df.length <= id) df.push(0);
      df[id]++;
    }
    starts.push(end);
    seqs.push(item.seq);
    brands.push(item.brand ? labels.id(item.brand) : -1);
    signatures.push(labels.id(`#${item.signature}`));
    gtins.push(item.gtin ? Number(item.gtin) : -1);
  }
  const n = seqs.length;
  const idf = Float64Array.from(df, (count) => Math.log(n / count));
  const hasDigit = Uint8Array.from(words.values, (word) => (/\d/.test(word) ? 1 : 0));
  const norms = new Float64Array(n);
  // The holders of each blocking word, one after another in one typed array (word w's from
  // firstHolder[w] to firstHolder[w + 1]): a million products make no million small arrays.
  // A block needs two holders: words of one product block nothing and take no room.
  const blocks = (id: number) => df[id] >= 2 && df[id] <= options.maxBlock;
  const firstHolder = new Int32Array(df.length + 1);
  for (let id = 0; id < df.length; id++) firstHolder[id + 1] = firstHolder[id] + (blocks(id) ? df[id] : 0);
  const holders = new Int32Array(firstHolder[df.length]);
  const filled = firstHolder.slice(0, df.length);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let w = starts[i]; w < starts[i + 1]; w++) {
      const id = pool[w];
      sum += idf[id] * idf[id];
      if (blocks(id)) holders[filled[id]++] = i;
    }
    norms[i] = Math.sqrt(sum) || 1;
  }
  // Products are compared through index ranges of the pool: no typed-array view per comparison.
  const vetoed = (i: number, j: number) =>
    (brands[i] >= 0 && brands[j] >= 0 && brands[i] !== brands[j]) ||
    signatures[i] !== signatures[j] ||
    (gtins[i] >= 0 && gtins[j] >= 0 && gtins[i] !== gtins[j]) ||
    (hasOwnNumber(pool, starts[i], starts[i + 1], starts[j], starts[j + 1], hasDigit) &&
      hasOwnNumber(pool, starts[j], starts[j + 1], starts[i], starts[i + 1], hasDigit));
  const cosine = (i: number, j: number) => {
    let sum = 0;
    for (let x = starts[i], y = starts[j], xEnd = starts[i + 1], yEnd = starts[j + 1]; x < xEnd && y < yEnd; ) {
      if (pool[x] === pool[y]) {
        sum += idf[pool[x]] ** 2;
        x++;
        y++;
      } else if (pool[x] < pool[y]) x++;
      else y++;
    }
    return sum / (norms[i] * norms[j]);
  };
  const bestOf = new Int32Array(n).fill(-1);
  const scoreOf = new Float64Array(n);
  // lastSeenBy[j] === i: product i has already compared j (through another shared word).
  const lastSeenBy = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let w = starts[i]; w < starts[i + 1]; w++) {
      const id = pool[w];
      for (let h = firstHolder[id]; h < firstHolder[id + 1]; h++) {
        const j = holders[h];
        if (j === i || lastSeenBy[j] === i) continue;
        lastSeenBy[j] = i;
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

/** Whether the word ids pool[aFrom..aTo) hold a word with a digit that pool[bFrom..bTo) lacks (both sorted). */
function hasOwnNumber(pool: Int32Array, aFrom: number, aTo: number, bFrom: number, bTo: number, hasDigit: Uint8Array): boolean {
  for (let x = aFrom, y = bFrom; x < aTo; x++) {
    if (!hasDigit[pool[x]]) continue;
    while (y < bTo && pool[y] < pool[x]) y++;
    if (y === bTo || pool[y] !== pool[x]) return true;
  }
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
