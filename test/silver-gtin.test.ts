import { describe, expect, it } from 'vitest';
import { checkDigit, cleanGtin, hasValidCheckDigit, restrictedReason, toGtin14 } from '../src/silver/gtin.js';

describe('cleanGtin', () => {
  it.each([
    ['4006381333931', '4006381333931'],
    ['036000291452', '036000291452'],
    ['96385074', '96385074'],
    ['10012345678902', '10012345678902'],
    ['9780143007234', '9780143007234'],
    ["'0850064060010", '0850064060010'],
    [' 4006-3813-3393-1 ', '4006381333931'],
    ['4 006381 333931', '4006381333931'],
    ['00036000291452', '00036000291452'],
  ])('%j is %s', (text, gtin) => {
    expect(cleanGtin(text)).toEqual({ gtin });
  });

  it.each([
    ['8.87E+11', 'gtin_scientific'],
    ['8,50006E+12', 'gtin_scientific'],
    ['00o27000382493', 'gtin_letters'],
    ['ABC123', 'gtin_letters'],
    ['4006381333931.0', 'gtin_format'],
    ['1234567', 'gtin_length'],
    ['8500000001', 'gtin_length'],
    ['4006381333932', 'gtin_check_digit'],
    ['036000291453', 'gtin_check_digit'],
  ])('%j is refused with %s', (text, code) => {
    const result = cleanGtin(text);
    expect(result.gtin).toBeUndefined();
    expect(result.issue?.code).toBe(code);
  });

  it.each([
    ['2212345678907', 'GTIN-13 with prefix 2'],
    ['212345678909', 'UPC-A starting with 2 (GS1 02x)'],
    ['412345678903', 'UPC-A starting with 4 (GS1 04x)'],
    ['512345678900', 'coupon UPC-A (GS1 05x)'],
    ['0512345678900', 'the same coupon as GTIN-13'],
    ['00512345678900', 'the same coupon as GTIN-14'],
    ['9811234567891', 'coupon prefix 981'],
    ['9912345678909', 'coupon prefix 99'],
    ['21234569', 'GTIN-8 with prefix 2'],
    ['01234565', 'GTIN-8 with prefix 0 (UPC-E)'],
    ['00000000959742', 'GTIN-8 padded to 14'],
  ])('%j is restricted: %s', (text) => {
    const result = cleanGtin(text);
    // A real GS1 number: kept in silver, flagged so Gold and feed readiness can hold it back.
    expect(result.gtin).toBe(text);
    expect(result.issue?.code).toBe('gtin_restricted');
  });
});

describe('check digits', () => {
  it('computes the GS1 check digit', () => {
    expect(checkDigit('400638133393')).toBe(1);
    expect(checkDigit('03600029145')).toBe(2);
    expect(checkDigit('9638507')).toBe(4);
  });

  it('validates a complete GTIN', () => {
    expect(hasValidCheckDigit('5901234123457')).toBe(true);
    expect(hasValidCheckDigit('5901234123458')).toBe(false);
  });
});

describe('toGtin14', () => {
  it('pads every length to 14 digits so forms compare equal', () => {
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('96385074')).toBe('00000096385074');
  });
});

describe('restrictedReason', () => {
  it('accepts ordinary prefixes', () => {
    expect(restrictedReason('4006381333931')).toBeUndefined();
    expect(restrictedReason('036000291452')).toBeUndefined();
    expect(restrictedReason('96385074')).toBeUndefined();
    expect(restrictedReason('021234567893')).toBeUndefined();
  });
});
