import { TITLE_PUNCTUATION_MAX_RUN, TITLE_PUNCTUATION_MAX_SHARE } from '../bounds.js';

const LOWERCASE_LETTER = /\p{Ll}/u;

/** Acronyms alone ("USB-C 4K HDMI") are not shouting; two or more long words in capitals are. */
const CAPS_MIN_WORDS = 2;
const CAPS_WORD_MIN_LETTERS = 4;

/** Any lowercase letter; ASCII text, most titles, is settled without the regular expression. */
function hasLowercase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) return true;
    if (code >= 128) return LOWERCASE_LETTER.test(text);
  }
  return false;
}

export function isAllCaps(title: string): boolean {
  if (hasLowercase(title)) return false;
  let words = 0;
  let run = 0;
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code >= 65 && code <= 90) {
      if (++run === CAPS_WORD_MIN_LETTERS) words++;
    } else {
      run = 0;
    }
  }
  return words >= CAPS_MIN_WORDS;
}

/** ASCII punctuation and symbols; other scripts count as text, which is what they almost always are. */
function isPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}

export function isPunctuationStuffed(title: string): boolean {
  let count = 0;
  let run = 0;
  for (let i = 0; i < title.length; i++) {
    if (isPunctuation(title.charCodeAt(i))) {
      count++;
      if (++run >= TITLE_PUNCTUATION_MAX_RUN) return true;
    } else {
      run = 0;
    }
  }
  return count > title.length * TITLE_PUNCTUATION_MAX_SHARE;
}
