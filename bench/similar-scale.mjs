// The similar-title pass alone, on titles drawn from a Zipf vocabulary: the generated bench
// catalogs use so few words that none is rare enough to block, so their case never compares
// two products. Here the rare words grow with the catalog as in real titles; one in ten
// products is an earlier one's title with a word swapped. Prints, per size, the comparisons a
// product may meet through its blocking words, the pairs found, the time and the heap, and
// the ratio of the times. Pure: no catalog, no child process.
//
// Usage: npm run build && node bench/similar-scale.mjs [--sizes 100000,1000000] [--dist DIR]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { count, ROOT, round } from './lib.mjs';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, dist: { type: 'string' } } });
const dist = resolve(values.dist ?? `${ROOT}/dist`);
const { similarPairs } = await import(`${dist}/silver/similar.js`);
const VOCABULARY = 2_000_000;
const MAX_BLOCK = 50;

/** Seeded xorshift32 in [0, 1). */
function random(seed) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** `n` similarity items: 6 to 13 words of rank drawn with probability about 1/rank, letters only (no number veto). */
function* items(n) {
  const next = random(42);
  const harmonic = Math.log(VOCABULARY) + 0.5772;
  const word = () =>
    Math.min(Math.floor(Math.exp(next() * harmonic)), VOCABULARY)
      .toString(26)
      .replace(/\d/g, (d) => 'qrstuvwxyz'[d]);
  let previous = [];
  for (let seq = 0; seq < n; seq++) {
    const words = [...new Set(Array.from({ length: 6 + Math.floor(next() * 8) }, word))];
    if (seq > 0 && next() < 0.1) {
      yield { seq, brand: '', words: [...new Set([...previous.slice(1), words[0]])], signature: '' };
      continue;
    }
    previous = words;
    yield { seq, brand: `b${Math.floor(next() * 500)}`, words, signature: '' };
  }
}

/** Upper bound of the comparisons per product: each blocking word's holders meet each other. */
function visitsPerProduct(n) {
  const df = new Map();
  for (const item of items(n)) for (const w of item.words) df.set(w, (df.get(w) ?? 0) + 1);
  let visits = 0;
  for (const holders of df.values()) if (holders >= 2 && holders <= MAX_BLOCK) visits += holders * (holders - 1);
  return visits / n;
}

const times = [];
for (const n of values.sizes.split(',').map(Number)) {
  const visits = visitsPerProduct(n);
  globalThis.gc?.();
  const start = performance.now();
  const pairs = similarPairs(items(n), { maxBlock: MAX_BLOCK, threshold: 0.5 });
  const seconds = (performance.now() - start) / 1000;
  times.push(seconds);
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  console.log(
    `${count(n)} products: ${round(visits, 1)} comparisons per product at most, ${count(pairs.length)} pairs, ${round(seconds, 2)} s, heap ${heapMb} MB`,
  );
}
if (times.length > 1) console.log(`time ratio, largest to smallest: ${round(times.at(-1) / times[0], 2)}`);
