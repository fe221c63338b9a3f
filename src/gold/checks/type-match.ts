const WORD_SEPARATOR = /[\s&,/()+]+/;
/** Words that qualify a type rather than name it ("Men's Shoes" is named by "shoe"). */
// biome-ignore format: a table filled by hand, several entries to a line
const QUALIFIERS: ReadonlySet<string> = new Set([
  'and', 'or', 'for', 'the', 'with', 'of', 'other', 'misc', 'men', "men's", 'mens', 'women', "women's", 'womens',
  'kids', "kids'", 'unisex', 'boys', 'girls', 'baby',
]);

/** Reduce a plural to a prefix both forms share: "batteries" → "batter", "dresses" → "dress", "shoes" → "shoe". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3);
  if (word.endsWith('sses') || word.endsWith('shes') || word.endsWith('ches') || word.endsWith('xes')) {
    return word.slice(0, -2);
  }
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function stemsOf(type: string): string[] {
  const stems: string[] = [];
  for (const word of type.toLowerCase().split(WORD_SEPARATOR)) {
    if (word.length >= 2 && !QUALIFIERS.has(word)) stems.push(stem(word));
  }
  return stems;
}

/** Catalogs reuse a few hundred category leaves, so their stems are kept; the cap bounds memory. */
const CACHE_LIMIT = 4096;
const stemCache = new Map<string, string[]>();

function cachedStems(type: string): string[] {
  let stems = stemCache.get(type);
  if (stems === undefined) {
    if (stemCache.size >= CACHE_LIMIT) stemCache.clear();
    stems = stemsOf(type);
    stemCache.set(type, stems);
  }
  return stems;
}

let lastText = '';
let lastLower = '';

/** Lowercase text; the title checks ask for the same title one after another, so the last one is kept. */
export function lowerCased(text: string): string {
  if (text !== lastText) {
    lastLower = text.toLowerCase();
    lastText = text;
  }
  return lastLower;
}

/** The title names the type when it contains any meaningful word of it, singular or plural. */
export function namesType(title: string, type: string): boolean {
  const lower = lowerCased(title);
  const stems = cachedStems(type);
  if (stems.length === 0) return lower.includes(type.toLowerCase());
  for (const word of stems) {
    if (lower.includes(word)) return true;
  }
  return false;
}
