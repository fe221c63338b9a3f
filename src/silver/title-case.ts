const HAS_UPPER = /\p{Lu}/u;
const HAS_LOWER = /\p{Ll}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const NUMBER_WITH_UNIT = /^(\d+(?:[.,]\d+)?)(\p{L}+)$/u;
const PLAIN_NUMBER = /^\d+(?:[.,]\d+)?$/;
const HAS_DIGIT = /\d/;
const COMPOUND_SEPARATOR = /([-/])/;
const PHRASE_END = /[:|–—]$|^-$/;

/** Words kept in a fixed spelling wherever they appear, keyed by their lower-case form. */
const FIXED_WORDS = new Map(
  [
    'USB', 'USB-A', 'USB-C', 'CD-ROM', 'DVD-ROM', 'HDMI', 'LED', 'LCD', 'OLED', 'QLED', 'UHD', 'FHD', 'HD', 'HDR', 'TV',
    'PC', 'DVD', 'CD', 'GPS', 'SSD', 'HDD', 'RAM', 'CPU', 'GPU', 'NFC', 'AC', 'DC', 'UV', 'LTE',
    'DIY', 'BBQ', 'SPF', 'SD', 'SIM', 'PVC', 'LP', 'UK', 'EU', 'USA', 'XXS', 'XS', 'XL', 'XXL',
    'XXXL', 'XXXXL', 'II', 'III',
    'IV', 'VI', 'VII', 'VIII', 'IX', 'WiFi', 'Wi-Fi', 'iPhone', 'iPad', 'iPod', 'iOS', 'MacBook',
    'AirPods', 'PlayStation', 'eBook', 'LEGO', 'NASA', 'NBA', 'NFL', 'ANC', 'RGB', 'VR', 'AR', 'AI',
  ].map((word) => [word.toLowerCase(), word]),
);

/** Units written after a number (`32GB`, `100 ml`), keyed by their lower-case form. */
const UNITS = new Map(
  [
    'mm', 'cm', 'm', 'km', 'in', 'ft', 'yd', 'mg', 'g', 'kg', 'lb', 'lbs', 'oz', 'fl', 'ml', 'cl',
    'dl', 'L', 'ltr', 'gal', 'qt', 'pt', 'W', 'kW', 'V', 'A', 'mA', 'mAh', 'Wh', 'kWh', 'Hz', 'kHz',
    'MHz', 'GHz', 'KB', 'MB', 'GB', 'TB', 'PB', 'MP', 'K', 'p', 'fps', 'mph', 'rpm', 'ct', 'pc',
    'pcs', 'pk', 'pack', 'x', 'XS', 'XL', 'XXL', 'XXXL', 'D', 'st', 'nd', 'rd', 'th', 's', 'yr',
    'yrs', 'mo', 'cc', 'dB',
  ].map((unit) => [unit.toLowerCase(), unit]),
);

const SMALL_WORDS = new Set([
  'a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'of', 'on', 'in', 'at', 'to', 'by', 'with',
  'from', 'per', 'vs', 'via', 'as', 'into', 'onto', 'x',
]);

/** True when the text has letters and they are all upper case or all lower case. */
export function isSingleCase(text: string): boolean {
  return HAS_UPPER.test(text) !== HAS_LOWER.test(text);
}

/** Title-case a title written in all caps or all lower case; a mixed-case title is returned as is. */
export function fixTitleCase(title: string): string {
  return isSingleCase(title) ? toTitleCase(title) : title;
}

/** Title-case every word, keeping acronyms, units after numbers and small words mid-title. */
export function toTitleCase(text: string): string {
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
      const cased = caseCore(core, startsPhrase || start > 0, previousCore);
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

function caseCore(core: string, startsPhrase: boolean, previous: string): string {
  const lower = core.toLowerCase();
  const fixed = FIXED_WORDS.get(lower);
  if (fixed !== undefined) return fixed;
  if (PLAIN_NUMBER.test(previous) && UNITS.has(lower)) return UNITS.get(lower)!;
  const withUnit = NUMBER_WITH_UNIT.exec(lower);
  if (withUnit !== null) {
    return withUnit[1] + (UNITS.get(withUnit[2]) ?? withUnit[2].toUpperCase());
  }
  if (COMPOUND_SEPARATOR.test(core)) return caseCompound(core, startsPhrase);
  // Letters mixed with digits are model numbers (`PS5`, `RTX3080`): upper case reads best.
  if (HAS_DIGIT.test(core)) return core.toUpperCase();
  if (!startsPhrase && SMALL_WORDS.has(lower)) return lower;
  return capitalize(lower);
}

function caseCompound(core: string, startsPhrase: boolean): string {
  const pieces = core.split(COMPOUND_SEPARATOR);
  let previous = '';
  for (let i = 0; i < pieces.length; i += 2) {
    if (pieces[i].length > 0) pieces[i] = caseCore(pieces[i], startsPhrase || i > 0, previous);
    previous = pieces[i];
  }
  return pieces.join('');
}

function capitalize(lower: string): string {
  const first = lower.codePointAt(0)!;
  const width = first > 0xffff ? 2 : 1;
  return String.fromCodePoint(first).toUpperCase() + lower.slice(width);
}
