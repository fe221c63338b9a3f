/**
 * Model numbers and variant words in product titles. Two shops rarely write a title the same
 * way, but they copy the maker's model number (`KX-TG9333T`, `KXTG9333T`), and it is the best
 * signal two listings name one product. Pure: strings in, strings out.
 */
import { foldText } from './brands.js';

/** A number with a unit is a measure, not a model: `16GB`, `1080p`, `55in`, `2.4GHz`, `3rd`, a duration (`22mo`, `3yr`, `30days`). */
const MEASURE =
  /^\d+(\.\d+)?(gb|tb|mb|kb|ghz|mhz|khz|hz|in|inch|inches|p|i|mm|cm|m|ft|ml|cl|dl|l|g|kg|mg|mcg|iu|oz|floz|qt|gal|pt|cc|lb|lbs|v|w|kw|mw|ah|mah|db|lm|nm|yd|sq|x|pk|pack|ct|pc|pcs|bit|bits|d|k|st|nd|rd|th|s|h|hr|hrs|hour|hours|min|sec|day|days|wk|wks|week|weeks|mo|mos|mth|mths|month|months|yr|yrs|year|years|user|users|u|mp|dpi|ppm|rpm|fps|gbps|mbps|ms|gsm|ply)$/;
/** `50x50`, `60x60x85`: dimensions, not models. */
const DIMENSIONS = /^\d+(\.\d+)?(x\d+(\.\d+)?)+$/;
/**
 * A word of four letters or more with one or two digits after it (`learn2`, `toolbox2`) names a
 * series or an edition, and `win32`, `x64` a platform: not a maker's model number (`bcd48` is one).
 */
const WORD_AND_NUMBER = /^([a-z]{4,}\d{1,2}|win(16|32|64)|x(64|86))$/;
/** One or two digits and then a word counts things (`1cpu`, `2dvd`, `2video`): a quantity, not a maker's model number. */
const COUNT_OF_THINGS = /^\d{1,2}[a-z]{3,}$/;
/** `1998-2003`, `2007-08`, `2006`: years and year ranges. */
const YEARS = /^(19|20)\d\d((19|20)?\d\d)?$/;
/** What follows these words names the product an accessory fits, not the accessory itself. */
const FITS = /\b(for|fits|fit|compatible with|works with|replaces|replacement for)\b/;
const WORD_AND_GAP = /([a-z0-9\-/.]+)([^a-z0-9\-/.]*)/g;
const HAS_DIGIT = /\d/;
const MIN_CODE_LENGTH = 4;
const MAX_CODES = 2;

/** Whether a folded run of letters and digits can be a model number: both kinds of character, not a measure, year or version. */
export function isModelCode(code: string): boolean {
  if (code.length < MIN_CODE_LENGTH || !/\d/.test(code) || !/[a-z]/.test(code)) return false;
  return !MEASURE.test(code) && !DIMENSIONS.test(code) && !WORD_AND_NUMBER.test(code) && !COUNT_OF_THINGS.test(code) && !YEARS.test(code) && !/^v\d/.test(code);
}

/**
 * One word's code, its pieces joined across `-`, `/` and `.`; empty for a version (`r11.5`,
 * `v2.0`) or when a piece is a measure or a year (`1st-3rd`, `preschool-1st`, `2007-08`).
 */
function joinedCode(word: string): string {
  // Without a digit no piece is a measure or a year: only the separators go.
  if (!HAS_DIGIT.test(word)) return foldCode(word);
  if (/^[a-z]{1,2}\d+(\.\d+)+$/.test(word)) return '';
  const pieces = word.split(/[-/.]+/).filter(Boolean);
  if (pieces.length > 1 && pieces.some((piece) => MEASURE.test(piece) || YEARS.test(piece))) return '';
  return foldCode(word);
}

/** A short run of letters that may start a code written apart (`KX TG9333T`), not a unit (`mg 100`). */
function isCodePrefix(word: string): boolean {
  return /^[a-z]{1,3}$/.test(word) && !MEASURE.test(`1${word}`);
}

/** Letters and digits only: `KX-TG9333T`, `kx tg9333t` and `KXTG9333T` all give `kxtg9333t`. */
export function foldCode(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, '');
}

/**
 * The model numbers a title names: runs of letters and digits joined across `-`, `/` and `.`,
 * and across a space after a short letter prefix when letters follow the digits (`KX TG9333T`, `DVD 2930CI`, never `oil 1000`). Codes after
 * "for", "fits" or "compatible with" are left out; a title with more than two codes gives none,
 * since it lists things rather than naming one.
 */
export function modelCodes(title: string): string[] {
  return modelCodesOfFolded(foldText(title));
}

/** `modelCodes` of a title already folded by `foldText`. */
export function modelCodesOfFolded(folded: string): string[] {
  let text = folded;
  const fits = FITS.exec(text);
  if (fits) text = text.slice(0, fits.index);
  // Words with what separates each from the next: only a plain space lets a prefix join.
  const words: { word: string; spaced: boolean }[] = [];
  WORD_AND_GAP.lastIndex = 0;
  for (let match = WORD_AND_GAP.exec(text); match !== null; match = WORD_AND_GAP.exec(text)) {
    words.push({ word: match[1].replace(/^[-/.]+|[-/.]+$/g, ''), spaced: /^ +$/.test(match[2]) });
  }
  const codes = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let code = joinedCode(words[i].word);
    const next = words[i + 1]?.word ?? '';
    if (words[i].spaced && isCodePrefix(code) && /^\d[a-z0-9]*[a-z][a-z0-9]*$/.test(next)) {
      const joined = code + joinedCode(next);
      if (!MEASURE.test(next) && !YEARS.test(next) && isModelCode(joined)) {
        code = joined;
        i++;
      }
    }
    if (isModelCode(code)) codes.add(code);
  }
  return codes.size > MAX_CODES ? [] : [...codes];
}

// biome-ignore format: a table filled by hand, several entries to a line
const COLORS = new Set([
  'black', 'white', 'red', 'blue', 'green', 'yellow', 'orange', 'purple', 'pink', 'brown', 'grey', 'gray', 'silver',
  'beige', 'navy', 'teal', 'cyan', 'magenta', 'violet', 'maroon', 'turquoise', 'ivory', 'charcoal', 'graphite', 'bronze',
]);
/** Edition words, with their short forms: `Pro` and `Professional` are one edition. */
const EDITIONS = new Map([
  ...['upgrade', 'upg', 'upgrd', 'pbupgrd'].map((w) => [w, 'upgrade'] as const),
  ...['academic', 'edu', 'education', 'student', 'teacher'].map((w) => [w, 'academic'] as const),
  ...['professional', 'pro'].map((w) => [w, 'professional'] as const),
  ...['standard', 'std'].map((w) => [w, 'standard'] as const),
  ...['deluxe', 'dlx'].map((w) => [w, 'deluxe'] as const),
  ...['premium', 'home', 'enterprise', 'oem', 'ultimate', 'platinum', 'express', 'lite', 'trial', 'basic', 'business', 'server'].map((w) => [w, w] as const),
]);
const CAPACITY = /^\d+(\.\d+)?(gb|tb|mb)$/;
const PACK = /^\d+(pk|pack|ct|count|pc|pcs)$/;

/**
 * What tells variants of one product apart, from title words (as `titleTokens` gives them,
 * units joined to numbers) and variant attributes: colours, capacities, pack sizes and
 * editions, sorted. Two listings whose signatures differ are never duplicates: `16gb` is not
 * `32gb`, an upgrade is not the full version. Empty when the words name none.
 */
export function variantSignature(tokens: readonly string[]): string {
  return signatureOf(variantMarks(tokens));
}

/** The marks of `variantSignature` these tokens add to `marks`. */
export function variantMarks(tokens: readonly string[], marks = new Set<string>()): Set<string> {
  for (const token of tokens) {
    if (COLORS.has(token)) marks.add(token === 'grey' ? 'gray' : token);
    else if (EDITIONS.has(token)) marks.add(EDITIONS.get(token)!);
    // Capacities and pack sizes start with a digit.
    else if (!isDigit(token.charCodeAt(0))) continue;
    else if (CAPACITY.test(token)) marks.add(token);
    else if (PACK.test(token)) marks.add(`${token.match(/^\d+/)![0]}pk`);
  }
  return marks;
}

/** The signature of these marks: sorted, joined by commas. */
export function signatureOf(marks: Set<string>): string {
  return marks.size === 0 ? '' : [...marks].sort().join(',');
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
