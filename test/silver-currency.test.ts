import { describe, expect, it } from 'vitest';
import { currencyFromSymbol, isCurrencyCode, normalizeCurrency, toCurrencyCode } from '../src/silver/currency.js';

describe('normalizeCurrency', () => {
  it.each([
    ['USD', 'USD'],
    ['eur', 'EUR'],
    [' gbp ', 'GBP'],
    ['$', 'USD'],
    ['€', 'EUR'],
    ['£', 'GBP'],
    ['¥', 'JPY'],
    ['₹', 'INR'],
    ['₩', 'KRW'],
    ['zł', 'PLN'],
    ['R$', 'BRL'],
    ['د.إ', 'AED'],
  ])('%j is %s', (text, code) => {
    expect(normalizeCurrency(text)).toEqual({ currency: code });
  });

  it.each(['XYZ', 'dollars', 'HRK', 'XAU', ''])('refuses %j', (text) => {
    expect(normalizeCurrency(text).issue?.code).toBe('currency_unknown');
  });
});

describe('isCurrencyCode', () => {
  it('knows current codes, upper case only', () => {
    expect(isCurrencyCode('AED')).toBe(true);
    expect(isCurrencyCode('XOF')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('VEF')).toBe(false);
  });
});

describe('currencyFromSymbol', () => {
  it('matches letter signs case-insensitively', () => {
    expect(currencyFromSymbol('HK$')).toBe('HKD');
    expect(currencyFromSymbol('hk$')).toBe('HKD');
    expect(currencyFromSymbol('¤')).toBeUndefined();
  });
});

describe('toCurrencyCode', () => {
  it('prefers a code to a sign', () => {
    expect(toCurrencyCode('CAD')).toBe('CAD');
    expect(toCurrencyCode('C$')).toBe('CAD');
  });
});
