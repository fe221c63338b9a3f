import type { RuleIssue } from './text.js';

const SEPARATORS = /[\s\-\u00a0\u2010-\u2015]+/g;
const LEADING_APOSTROPHE = /^['’‘]/;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e\+?\d+$/i;
const DIGITS = /^\d+$/;
const LETTERS = /\p{L}/u;
const VALID_LENGTHS = new Set([8, 12, 13, 14]);

export interface CleanedGtin {
  gtin?: string;
  issue?: RuleIssue;
}

/**
 * Clean a GTIN cell: spaces, dashes and a leading spreadsheet apostrophe go; the rest must be
 * 8, 12, 13 or 14 digits with a valid GS1 check digit. A valid number in a range Merchant Center
 * refuses (restricted circulation, coupons) is kept, since it is a real GS1 number, and flagged.
 * The digits keep the length they were given (a UPC-A stays 12 long); compare with toGtin14.
 */
export function cleanGtin(text: string): CleanedGtin {
  const compact = text.trim().replace(LEADING_APOSTROPHE, '').replace(SEPARATORS, '');
  if (SCIENTIFIC.test(compact)) {
    return issue('gtin_scientific', `GTIN in scientific notation (a spreadsheet rounded it): '${compact}'`);
  }
  if (!DIGITS.test(compact)) {
    if (LETTERS.test(compact)) return issue('gtin_letters', `GTIN holds letters: '${compact}'`);
    return issue('gtin_format', `GTIN holds characters other than digits: '${compact}'`);
  }
  if (compact.length === 11 && hasValidCheckDigit(`0${compact}`)) return restoreLeadingZero(compact);
  if (!VALID_LENGTHS.has(compact.length)) {
    return issue('gtin_length', `GTIN must have 8, 12, 13 or 14 digits, not ${compact.length}: '${compact}'`);
  }
  if (!hasValidCheckDigit(compact)) {
    const expected = checkDigit(compact.slice(0, -1));
    return issue('gtin_check_digit', `GTIN check digit is wrong (expected ${expected}): '${compact}'`);
  }
  const restriction = restrictedReason(compact);
  if (restriction !== undefined) return { gtin: compact, issue: { code: 'gtin_restricted', message: `${restriction}: '${compact}'` } };
  return { gtin: compact };
}

/** The GS1 check digit (mod 10, weights 3 and 1 from the right) of the digits before it. */
export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  return digits.length > 1 && checkDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Left-pad to 14 digits: the one form in which GTINs of every length compare equal. */
export function toGtin14(digits: string): string {
  return digits.padStart(14, '0');
}

/**
 * Why Merchant Center refuses a GTIN, or undefined. Prefixes are read on the GTIN-13 form
 * (a GTIN-14 without its packaging indicator, a UPC-A with a leading 0), so a UPC starting
 * with 2 or 4 is caught as GS1 prefix 02x or 04x. A GTIN-8 (GTIN-13 form 00000xxxxxxxx)
 * has its own prefixes: 0 and 2 are restricted circulation (an 8-digit code starting with 0
 * is usually a UPC-E that must be expanded to its UPC-A).
 */
export function restrictedReason(digits: string): string | undefined {
  const gtin13 = toGtin14(digits).slice(1);
  if (gtin13.startsWith('00000')) {
    const first = gtin13[5];
    return first === '0' || first === '2' ? 'restricted-circulation GTIN-8 (prefix 0 or 2)' : undefined;
  }
  if (gtin13[0] === '2') return 'restricted-circulation GTIN (prefix 2)';
  if (gtin13.startsWith('02') || gtin13.startsWith('04')) return 'restricted-circulation GTIN (prefix 02 or 04)';
  if (gtin13.startsWith('05')) return 'coupon GTIN (prefix 05)';
  const prefix3 = gtin13.slice(0, 3);
  if (prefix3 >= '981' && prefix3 <= '984') return 'coupon GTIN (prefix 981-984)';
  if (gtin13.startsWith('99')) return 'coupon GTIN (prefix 99)';
  return undefined;
}

/**
 * A UPC-A is 12 digits and many start with 0 (GS1 company prefixes 00-09 in the US and Canada);
 * a spreadsheet that reads the column as a number drops that zero. The 11 digits left are no GTIN,
 * but when the 12-digit form passes the GS1 check digit it is the code that was meant: restored,
 * and reported, never silently. Its restricted-range check still applies.
 */
function restoreLeadingZero(digits: string): CleanedGtin {
  const gtin = `0${digits}`;
  const restriction = restrictedReason(gtin);
  if (restriction !== undefined) return { gtin, issue: { code: 'gtin_restricted', message: `${restriction} (leading zero restored): '${gtin}'` } };
  return { gtin, issue: { code: 'gtin.leading_zero_restored', message: `11-digit GTIN read as the UPC-A '${gtin}': a spreadsheet dropped its leading zero` } };
}

function issue(code: string, message: string): CleanedGtin {
  return { issue: { code, message } };
}
