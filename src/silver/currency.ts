import type { RuleIssue } from './text.js';

/**
 * ISO 4217 codes of currencies in circulation (list one, 2025), without fund, precious-metal
 * and testing codes (BOV, CHE, XAU, XTS, XXX...), which never price a product.
 * Withdrawn codes (HRK, SLL, VEF, ZWL, CUC, MRO, STD) are refused on purpose.
 */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR ' +
    'KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK ' +
    'MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR ' +
    'SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/**
 * Currency signs. Where one sign serves several currencies the most common reading wins
 * (`$` USD, `¥` JPY, `kr`-style signs are left out); an explicit ISO code in the text beats it.
 */
// biome-ignore format: a table filled by hand, several entries to a line
const SYMBOLS = new Map<string, string>([
  ['$', 'USD'], ['us$', 'USD'], ['€', 'EUR'], ['£', 'GBP'], ['¥', 'JPY'], ['円', 'JPY'],
  ['元', 'CNY'], ['rmb', 'CNY'], ['₹', 'INR'], ['rs', 'INR'], ['rs.', 'INR'], ['₩', 'KRW'],
  ['₽', 'RUB'], ['₺', 'TRY'], ['₪', 'ILS'], ['₫', 'VND'], ['₱', 'PHP'], ['฿', 'THB'],
  ['₴', 'UAH'], ['₦', 'NGN'], ['₡', 'CRC'], ['₲', 'PYG'], ['₸', 'KZT'], ['₾', 'GEL'],
  ['₼', 'AZN'], ['৳', 'BDT'], ['₭', 'LAK'], ['₮', 'MNT'], ['zł', 'PLN'], ['kč', 'CZK'],
  ['r$', 'BRL'], ['c$', 'CAD'], ['ca$', 'CAD'], ['a$', 'AUD'], ['au$', 'AUD'], ['nz$', 'NZD'],
  ['hk$', 'HKD'], ['s$', 'SGD'], ['mx$', 'MXN'], ['nt$', 'TWD'], ['fr.', 'CHF'], ['د.إ', 'AED'],
  ['ر.س', 'SAR'], ['﷼', 'SAR'], ['دج', 'DZD'], ['د.م.', 'MAD'],
]);

/** True for an upper-case ISO 4217 code of a currency in circulation. */
export function isCurrencyCode(code: string): boolean {
  return ISO_4217.has(code);
}

/** The ISO code a currency sign stands for (`€` → EUR), case-insensitive for letter signs. */
export function currencyFromSymbol(symbol: string): string | undefined {
  return SYMBOLS.get(symbol) ?? SYMBOLS.get(symbol.toLowerCase());
}

/** A code or sign as written in a cell (`usd`, `€`, ` EUR `) to its ISO 4217 code, or undefined. */
export function toCurrencyCode(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 3) {
    const upper = trimmed.toUpperCase();
    if (ISO_4217.has(upper)) return upper;
  }
  return currencyFromSymbol(trimmed);
}

/** Normalize a currency cell; an unknown code or sign is an issue. */
export function normalizeCurrency(text: string): { currency?: string; issue?: RuleIssue } {
  const currency = toCurrencyCode(text);
  if (currency !== undefined) return { currency };
  return {
    issue: { code: 'currency_unknown', message: `not an ISO 4217 currency code or known sign: '${text.trim()}'` },
  };
}
