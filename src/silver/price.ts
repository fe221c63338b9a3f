import { toCurrencyCode } from './currency.js';
import type { RuleIssue } from './text.js';

export interface ParsedPrice {
  amount?: number;
  currency?: string;
  issue?: RuleIssue;
}

// Currency text before and/or after one number. The number allows digit-group spaces
// (`1 299,00`), apostrophes (`1'299.00`) and a bare leading separator (`.5`).
const PRICE = /^([^\d.,+-]*?)\s*([+-]?)\s*(\d(?:[\d.,'’ \u00a0\u202f]*\d)?|[.,]\d+)\s*([^\d]*?)$/;
const PLAIN_DECIMAL = /^\d+(?:\.\d{1,2})?$/;
const GROUP_MARKS = /['’ \u00a0\u202f]/g;
const SEPARATORS = /[.,]/g;
const GROUPED_INTEGER = /^\d{1,3}(?:[.,]\d{2,3})+$/;
const ZEROS = /^0+$/;
const ISO_CODE = /^[a-z]{3}$/i;
// Currencies whose minor unit has three digits (ISO 4217 exponent 3).
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const NUMERIC = /^\d*(?:\.\d+)?$/;

/**
 * Parse a price cell: `19.99`, `$1,299.00`, `15.00 USD`, `USD 15`, `1.299,00 €`, `1 299,00 EUR`,
 * `.5`, `£5`. The currency comes from the text when present (sign or ISO code; a code wins over
 * a sign). An amount with an unknown currency text is returned with an issue.
 */
export function parsePrice(text: string): ParsedPrice {
  const trimmed = text.trim();
  if (PLAIN_DECIMAL.test(trimmed)) return { amount: Number(trimmed) };
  const match = trimmed.length > 0 ? PRICE.exec(trimmed) : null;
  if (match === null) return unparseable(trimmed);
  const [, before, sign, digits, after] = match;
  const { currency, issue } = currencyOf(before.trim(), after.trim(), trimmed);
  const amount = parseAmount(digits, currency !== undefined && THREE_DECIMALS.has(currency));
  if (amount === undefined) return unparseable(trimmed);
  if (sign === '-' && amount !== 0) {
    return { issue: { code: 'price_negative', message: `price is negative: '${trimmed}'` } };
  }
  return issue === undefined ? { amount, currency } : { amount, currency, issue };
}

/**
 * Why a sale price does not replace the price, or undefined when it does. Merchant Center's product
 * data specification (sale price [sale_price]) takes a sale price only below the price and in its
 * currency, and ignores it otherwise. Without a usable price there is nothing to compare with: the
 * sale price is then the price paid (the price's own issue says what is wrong with it).
 */
export function salePriceIssue(price: ParsedPrice | undefined, sale: ParsedPrice): RuleIssue | undefined {
  if (price?.amount === undefined || sale.amount === undefined) return undefined;
  if (price.currency !== undefined && sale.currency !== undefined && price.currency !== sale.currency) {
    return { code: 'sale_price_currency', message: `the sale price is in ${sale.currency}, the price in ${price.currency}: the sale price is ignored` };
  }
  if (sale.amount >= price.amount) {
    return { code: 'sale_price_not_lower', message: `the sale price ${sale.amount} is not lower than the price ${price.amount}: the sale price is ignored` };
  }
  return undefined;
}

function unparseable(text: string): ParsedPrice {
  return { issue: { code: 'price_unparseable', message: `not a price: '${text}'` } };
}

function currencyOf(before: string, after: string, text: string): { currency?: string; issue?: RuleIssue } {
  if (before.length === 0 && after.length === 0) return {};
  const fromBefore = before.length > 0 ? toCurrencyCode(before) : undefined;
  const fromAfter = after.length > 0 ? toCurrencyCode(after) : undefined;
  if ((before.length > 0 && fromBefore === undefined) || (after.length > 0 && fromAfter === undefined)) {
    const issue = { code: 'price_unknown_currency', message: `unknown currency in price: '${text}'` };
    return { currency: fromBefore ?? fromAfter, issue };
  }
  // `$15 USD`: a three-letter code is more precise than a sign several currencies share.
  if (ISO_CODE.test(after)) return { currency: fromAfter };
  if (ISO_CODE.test(before)) return { currency: fromBefore };
  return { currency: fromBefore ?? fromAfter };
}

/**
 * Digits with separators to a number. The last separator is the decimal point when it is
 * followed by 1-2 digits (or by 3+ digits after a lone `0`), or when both `.` and `,` occur;
 * a separator that repeats, or one followed by exactly 3 digits, groups thousands, except in
 * currencies with three decimals (`12.500 KWD` is 12.5).
 */
export function parseAmount(digits: string, hasThreeDecimals = false): number | undefined {
  const compact = digits.replace(GROUP_MARKS, '');
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  const last = Math.max(lastDot, lastComma);
  if (last < 0) return toNumber(compact);
  const mark = compact[last];
  const integer = compact.slice(0, last);
  const fraction = compact.slice(last + 1);
  const bothMarks = lastDot >= 0 && lastComma >= 0;
  const repeats = integer.includes(mark);
  let isDecimal: boolean;
  if (bothMarks) isDecimal = true;
  else if (repeats) isDecimal = false;
  else isDecimal = fraction.length !== 3 || hasThreeDecimals || integer === '' || ZEROS.test(integer);
  if (!isDecimal) return GROUPED_INTEGER.test(compact) ? toNumber(compact.replace(SEPARATORS, '')) : undefined;
  if (!bothMarks) return toNumber(`${integer}.${fraction}`);
  return GROUPED_INTEGER.test(integer) ? toNumber(`${integer.replace(SEPARATORS, '')}.${fraction}`) : undefined;
}

function toNumber(text: string): number | undefined {
  if (text.length === 0 || !NUMERIC.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
