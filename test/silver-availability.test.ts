import { describe, expect, it } from 'vitest';
import { availabilityFromStock, availabilityKey, normalizeAvailability } from '../src/silver/availability.js';

describe('normalizeAvailability', () => {
  it.each([
    ['In Stock', 'in_stock'],
    ['instock', 'in_stock'],
    ['InStock', 'in_stock'],
    ['in_stock', 'in_stock'],
    ['in stock', 'in_stock'],
    ['available', 'in_stock'],
    ['yes', 'in_stock'],
    ['TRUE', 'in_stock'],
    ['1', 'in_stock'],
    ['25', 'in_stock'],
    ['https://schema.org/InStock', 'in_stock'],
    ['out of stock', 'out_of_stock'],
    ['outofstock', 'out_of_stock'],
    ['Out-Of-Stock', 'out_of_stock'],
    ['sold out', 'out_of_stock'],
    ['no', 'out_of_stock'],
    ['false', 'out_of_stock'],
    ['0', 'out_of_stock'],
    ['-2', 'out_of_stock'],
    ['discontinued', 'out_of_stock'],
    ['preorder', 'preorder'],
    ['pre-order', 'preorder'],
    ['Pre Order', 'preorder'],
    ['http://schema.org/PreOrder', 'preorder'],
    ['backorder', 'backorder'],
    ['on backorder', 'backorder'],
    ['onbackorder', 'backorder'],
    ['available for order', 'backorder'],
  ])('%j is %s', (text, availability) => {
    expect(normalizeAvailability(text)).toEqual({ availability });
  });

  it.each(['maybe', '', 'ask'])('%j is unknown', (text) => {
    expect(normalizeAvailability(text).issue?.code).toBe('availability_unknown');
  });
});

describe('availabilityFromStock', () => {
  it('reads a positive quantity as in stock', () => {
    expect(availabilityFromStock('3', undefined)).toBe('in_stock');
  });

  it('reads none left as out of stock, or backorder when the shop keeps selling', () => {
    expect(availabilityFromStock('0', 'deny')).toBe('out_of_stock');
    expect(availabilityFromStock('0', 'continue')).toBe('backorder');
    expect(availabilityFromStock('0', 'notify')).toBe('backorder');
    expect(availabilityFromStock('0', undefined)).toBe('out_of_stock');
  });

  it('passes text that is not a number through', () => {
    expect(availabilityFromStock('in stock', 'continue')).toBe('in stock');
    expect(availabilityFromStock(' ', undefined)).toBe(' ');
  });
});

describe('availabilityKey', () => {
  it('keeps letters and digits only, lower-cased', () => {
    expect(availabilityKey(' In_Stock! ')).toBe('instock');
  });
});
