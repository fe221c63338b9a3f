import type { SilverContext } from '../silver/product.js';
/** GS1 check digit over 8, 12, 13 or 14 digits. Silver drops invalid GTINs; Gold checks again so it never trusts a hand-edited layer. */
export function isValidGtin(gtin: string): boolean {
  const length = gtin.length;
  if (length !== 8 && length !== 12 && length !== 13 && length !== 14) return false;
  let sum = 0;
  for (let i = 0; i < length - 1; i++) {
    const digit = gtin.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    // Weights alternate 3,1 counting from the digit next to the check digit.
    sum += (length - 1 - i) % 2 === 1 ? digit * 3 : digit;
  }
  const check = gtin.charCodeAt(length - 1) - 48;
  return check >= 0 && check <= 9 && (10 - (sum % 10)) % 10 === check;
}

/** Active ISO 4217 codes; fund and precious-metal codes (XAU, XDR, ...) are left out since no shop prices in them. */
const CURRENCY_CODES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT ' +
  'LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR ' +
  'NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP ' +
  'STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD ' +
  'XCG XOF XPF YER ZAR ZMW ZWG';

const CURRENCIES: ReadonlySet<string> = new Set(CURRENCY_CODES.split(' '));

export function isValidCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Absolute http(s) URL with a host; cheap enough to run per product without building a URL object. */
export function isHttpUrl(url: string): boolean {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start < 0 || url.length <= start) return false;
  const first = url.charCodeAt(start);
  return first !== 47 && first !== 63 && first !== 35 && url.indexOf(' ') === -1;
}

/** Silver keeps a GTIN from a range Merchant Center refuses, and says so in the product's issues. */
export function isRestrictedGtin(ctx: SilverContext): boolean {
  for (const issue of ctx.issues) if (issue.field === 'gtin' && issue.code === 'gtin_restricted') return true;
  return false;
}
