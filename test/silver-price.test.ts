import { describe, expect, it } from 'vitest';
import { parseAmount, parsePrice, salePriceIssue } from '../src/silver/price.js';

describe('parsePrice', () => {
  it.each([
    ['19.99', 19.99, undefined],
    ['0.00', 0, undefined],
    ['.5', 0.5, undefined],
    ['$1,299.00', 1299, 'USD'],
    ['15.00 USD', 15, 'USD'],
    ['USD 15', 15, 'USD'],
    ['1.299,00 €', 1299, 'EUR'],
    ['1 299,00 EUR', 1299, 'EUR'],
    ['352 AED', 352, 'AED'],
    ['£5', 5, 'GBP'],
    ['€ 12,50', 12.5, 'EUR'],
    ['1,299', 1299, undefined],
    ['1.299', 1299, undefined],
    ['0.299', 0.299, undefined],
    ['1,234,567.89', 1234567.89, undefined],
    ["1'299.50 CHF", 1299.5, 'CHF'],
    ['1\u00a0299,00\u00a0€', 1299, 'EUR'],
    ['12.500 KWD', 12.5, 'KWD'],
    ['usd 7', 7, 'USD'],
    ['US$ 10', 10, 'USD'],
    ['R$ 49,90', 49.9, 'BRL'],
    ['$15 CAD', 15, 'CAD'],
    ['  19.99  ', 19.99, undefined],
  ])('%s is %d %s', (text, amount, currency) => {
    expect(parsePrice(text)).toEqual(currency === undefined ? { amount } : { amount, currency });
  });

  it.each(['', 'free', '$', '10 - 20', '1.2.3', 'call us', '12,34,5'])('%j is not a price', (text) => {
    expect(parsePrice(text).issue?.code).toBe('price_unparseable');
    expect(parsePrice(text).amount).toBeUndefined();
  });

  it('reports a negative price', () => {
    expect(parsePrice('-5.00').issue?.code).toBe('price_negative');
  });

  it('keeps the amount but reports unknown currency text', () => {
    const parsed = parsePrice('15 bucks');
    expect(parsed.amount).toBe(15);
    expect(parsed.currency).toBeUndefined();
    expect(parsed.issue?.code).toBe('price_unknown_currency');
  });
});

describe('parseAmount', () => {
  it('reads the last separator as decimal when 1-2 digits follow', () => {
    expect(parseAmount('1,5')).toBe(1.5);
    expect(parseAmount('1.50')).toBe(1.5);
  });

  it('reads a repeated separator as thousands grouping', () => {
    expect(parseAmount('1.000.000')).toBe(1_000_000);
  });

  it('reads 3 digits after one separator as decimals for three-decimal currencies', () => {
    expect(parseAmount('1,299', true)).toBe(1.299);
  });

  it('accepts Indian digit grouping', () => {
    expect(parseAmount('1,29,900.00')).toBe(129900);
  });
});

describe('salePriceIssue', () => {
  const p = (text: string) => parsePrice(text);

  it('takes a sale price below the price, in the same currency or without one', () => {
    expect(salePriceIssue(p('10'), p('8'))).toBeUndefined();
    expect(salePriceIssue(p('10 EUR'), p('9.99'))).toBeUndefined();
    expect(salePriceIssue(p('€10'), p('8 EUR'))).toBeUndefined();
    expect(salePriceIssue(p('10'), p('0'))).toBeUndefined();
  });

  it('takes a sale price when there is no usable price to compare it with', () => {
    expect(salePriceIssue(undefined, p('8'))).toBeUndefined();
    expect(salePriceIssue(p('abc'), p('8'))).toBeUndefined();
  });

  it('ignores a sale price that is not below the price', () => {
    expect(salePriceIssue(p('10'), p('12'))).toEqual({
      code: 'sale_price_not_lower',
      message: 'the sale price 12 is not lower than the price 10: the sale price is ignored',
    });
    expect(salePriceIssue(p('10'), p('10.00'))).toMatchObject({ code: 'sale_price_not_lower' });
  });

  it('ignores a sale price in another currency than the price', () => {
    expect(salePriceIssue(p('10 EUR'), p('8 USD'))).toMatchObject({
      code: 'sale_price_currency',
      message: 'the sale price is in USD, the price in EUR: the sale price is ignored',
    });
  });
});
