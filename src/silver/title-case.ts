const HAS_UPPER = /\p{Lu}/u;
const HAS_LOWER = /\p{Ll}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const NUMBER_WITH_UNIT = /^(\d+(?:[.,]\d+)?)(\p{L}+)$/u;
const PLAIN_NUMBER = /^\d+(?:[.,]\d+)?$/;
const HAS_DIGIT = /\d/;
const COMPOUND_SEPARATOR = /([-/])/;
const PHRASE_END = /[:|–—]$|^-$/;

/** Words kept in a fixed spelling wherever they appear, keyed by their lower-case form. */
// biome-ignore format: a table filled by hand, several entries to a line
const FIXED_WORDS = new Map(
  [
    'USB', 'USB-A', 'USB-C', 'CD-ROM', 'DVD-ROM', 'HDMI', 'LED', 'LCD', 'OLED', 'QLED', 'UHD', 'FHD', 'HD', 'HDR', 'TV',
    'PC', 'DVD', 'CD', 'GPS', 'SSD', 'HDD', 'RAM', 'CPU', 'GPU', 'NFC', 'AC', 'DC', 'UV', 'LTE',
    'DIY', 'BBQ', 'SPF', 'SD', 'SIM', 'PVC', 'LP', 'UK', 'EU', 'USA', 'XXS', 'XS', 'XL', 'XXL',
    'XXXL', 'XXXXL', 'II', 'III',
    'IV', 'VI', 'VII', 'VIII', 'IX', 'WiFi', 'Wi-Fi', 'iPhone', 'iPad', 'iPod', 'iOS', 'MacBook',
    'AirPods', 'PlayStation', 'eBook', 'LEGO', 'NASA', 'NBA', 'NFL', 'ANC', 'RGB', 'VR', 'AR', 'AI',
    // EU food quality labels, written on packs in every language: AOP/AOC, IGP, DOP, PDO, PGI; UHT milk.
    'AOP', 'AOC', 'IGP', 'DOP', 'DOCG', 'PDO', 'PGI', 'UHT',
  ].map((word) => [word.toLowerCase(), word]),
);

/** Units written after a number (`32GB`, `100 ml`), keyed by their lower-case form. */
// biome-ignore format: a table filled by hand, several entries to a line
const UNITS = new Map(
  [
    'mm', 'cm', 'm', 'km', 'in', 'ft', 'yd', 'mg', 'g', 'kg', 'lb', 'lbs', 'oz', 'fl', 'ml', 'cl',
    'dl', 'L', 'ltr', 'gal', 'qt', 'pt', 'W', 'kW', 'V', 'A', 'mA', 'mAh', 'Wh', 'kWh', 'Hz', 'kHz',
    'MHz', 'GHz', 'KB', 'MB', 'GB', 'TB', 'PB', 'MP', 'K', 'p', 'fps', 'mph', 'rpm', 'ct', 'pc',
    'pcs', 'pk', 'pack', 'x', 'XS', 'XL', 'XXL', 'XXXL', 'D', 'st', 'nd', 'rd', 'th', 's', 'yr',
    'yrs', 'mo', 'cc', 'dB',
  ].map((unit) => [unit.toLowerCase(), unit]),
);

// biome-ignore format: a table filled by hand, several entries to a line
const SMALL_WORDS = new Set([
  'a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'of', 'on', 'in', 'at', 'to', 'by', 'with',
  'from', 'per', 'vs', 'via', 'as', 'into', 'onto', 'x',
]);

/** True when the text has letters and they are all upper case or all lower case. */
export function isSingleCase(text: string): boolean {
  return HAS_UPPER.test(text) !== HAS_LOWER.test(text);
}

/** Common words that tell English titles from titles in other European languages. */
const ENGLISH_WORDS = new Set([
  'the',
  'and',
  'with',
  'for',
  'of',
  'to',
  'by',
  'from',
  'your',
  'without',
  'men',
  'mens',
  'women',
  'womens',
  'kids',
  'pack',
  'set',
  'new',
  'in',
  'on',
]);
// biome-ignore format: a table filled by hand, several entries to a line
const OTHER_WORDS = new Set([
  // French, German, Spanish, Italian, Dutch, Portuguese
  'de', 'du', 'des', 'le', 'la', 'les', 'et', 'au', 'aux', 'à', 'avec', 'sans', 'pour', 'sur', 'une',
  'der', 'die', 'das', 'und', 'mit', 'für', 'von', 'zum', 'zur', 'ohne', 'ein', 'eine', 'aus',
  'el', 'los', 'las', 'y', 'con', 'para', 'del', 'sin', 'una',
  'il', 'di', 'della', 'per', 'e', 'senza', 'al', 'alla',
  'het', 'een', 'van', 'voor', 'met', 'en', 'zonder',
  'do', 'da', 'dos', 'das', 'com', 'em', 'sem',
]);
const NON_ENGLISH_LETTER = /[\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/u;

/**
 * Whether a title reads as English: its common words, and letters English does not use
 * (`é`, `ß`, Cyrillic). Undecided titles (brand and model names) count as English.
 */
export function isEnglishTitle(text: string): boolean {
  let english = 0;
  let other = NON_ENGLISH_LETTER.test(text) ? 1 : 0;
  for (const word of text.toLowerCase().split(/[^\p{L}']+/u)) {
    if (ENGLISH_WORDS.has(word)) english++;
    else if (OTHER_WORDS.has(word)) other++;
  }
  return english >= other;
}

/**
 * Re-case a title written in all caps or all lower case; a mixed-case title is returned as is.
 * Title Case is an English convention: other languages write titles in sentence case
 * (`Cuisse de poulet au curry`), so `language` (a BCP 47 tag such as `fr`), else the
 * title's own words, decide which.
 */
export function fixTitleCase(title: string, language?: string): string {
  if (!isSingleCase(title)) return title;
  const english = language !== undefined ? language.toLowerCase().startsWith('en') : isEnglishTitle(title);
  return english ? toTitleCase(title) : toSentenceCase(title);
}

/** Sentence case: the first word capitalized, the rest lower case, keeping acronyms, units and model numbers. */
function toSentenceCase(text: string): string {
  return recase(text, true);
}

/** Title-case every word, keeping acronyms, units after numbers and small words mid-title. */
export function toTitleCase(text: string): string {
  return recase(text, false);
}

function recase(text: string, sentence: boolean): string {
  const wasUpper = !HAS_LOWER.test(text);
  const words = text.split(' ');
  let previousCore = '';
  let startsPhrase = true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.length === 0) continue;
    const start = firstWordChar(word);
    const end = lastWordChar(word) + 1;
    const core = start < end ? word.slice(start, end) : '';
    if (core.length > 0) {
      const cased = caseCore(core, startsPhrase || (!sentence && start > 0), previousCore, sentence, wasUpper);
      words[i] = word.slice(0, start) + cased + word.slice(end);
    }
    previousCore = core;
    startsPhrase = PHRASE_END.test(word);
  }
  return words.join(' ');
}

function isWordChar(word: string, index: number): boolean {
  const code = word.charCodeAt(index);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return WORD_CHAR.test(word[index]) || (code >= 0xd800 && code <= 0xdfff);
}

function firstWordChar(word: string): number {
  let i = 0;
  while (i < word.length && !isWordChar(word, i)) i++;
  return i;
}

function lastWordChar(word: string): number {
  let i = word.length - 1;
  while (i >= 0 && !isWordChar(word, i)) i--;
  return i;
}

// An all-caps word of three letters or more without a vowel is an acronym (`BBQ`, `PVC`, `TNT`).
const VOWEL = /[aeiouyàâäáãåæéèêëíìîïóòôöõøœúùûüýÿ]/;
const LETTERS_ONLY = /^\p{L}{3,}$/u;

function caseCore(core: string, startsPhrase: boolean, previous: string, sentence = false, wasUpper = false): string {
  const lower = core.toLowerCase();
  const fixed = FIXED_WORDS.get(lower);
  if (fixed !== undefined) return fixed;
  if (wasUpper && LETTERS_ONLY.test(core) && !VOWEL.test(lower)) return core;
  if (PLAIN_NUMBER.test(previous) && UNITS.has(lower)) return UNITS.get(lower)!;
  const withUnit = NUMBER_WITH_UNIT.exec(lower);
  if (withUnit !== null) {
    return withUnit[1] + (UNITS.get(withUnit[2]) ?? withUnit[2].toUpperCase());
  }
  if (COMPOUND_SEPARATOR.test(core)) return caseCompound(core, startsPhrase, sentence, wasUpper);
  // Letters mixed with digits are model numbers (`PS5`, `RTX3080`): upper case reads best.
  if (HAS_DIGIT.test(core)) return core.toUpperCase();
  if (sentence) return startsPhrase ? capitalize(lower) : lower;
  if (!startsPhrase && SMALL_WORDS.has(lower)) return lower;
  return capitalize(lower);
}

function caseCompound(core: string, startsPhrase: boolean, sentence: boolean, wasUpper: boolean): string {
  const pieces = core.split(COMPOUND_SEPARATOR);
  let previous = '';
  for (let i = 0; i < pieces.length; i += 2) {
    if (pieces[i].length > 0) pieces[i] = caseCore(pieces[i], startsPhrase || (!sentence && i > 0), previous, sentence, wasUpper);
    previous = pieces[i];
  }
  return pieces.join('');
}

function capitalize(lower: string): string {
  const first = lower.codePointAt(0)!;
  const width = first > 0xffff ? 2 : 1;
  return String.fromCodePoint(first).toUpperCase() + lower.slice(width);
}
