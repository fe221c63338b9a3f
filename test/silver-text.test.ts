import { describe, expect, it } from 'vitest';
import { cleanMultiline, cleanText, isBlank, removeControlChars } from '../src/silver/text.js';

describe('cleanText', () => {
  it('trims and collapses whitespace runs, newlines and tabs included', () => {
    expect(cleanText('  Blue \t  Shirt\n\nLarge  ')).toBe('Blue Shirt Large');
  });

  it('turns non-breaking and other unicode spaces into plain spaces', () => {
    expect(cleanText('Nike\u00a0Air\u2009Max\u3000')).toBe('Nike Air Max');
  });

  it('removes control and zero-width characters without adding spaces', () => {
    expect(cleanText('Sam\u0000sung\u200b Gal\u0007axy\ufeff')).toBe('Samsung Galaxy');
    expect(cleanText('\u0085price\u009f')).toBe('price');
  });

  it('returns clean text unchanged', () => {
    const text = 'Already clean text';
    expect(cleanText(text)).toBe(text);
  });
});

describe('cleanMultiline', () => {
  it('keeps single line breaks and collapses blank lines', () => {
    expect(cleanMultiline('First line  \r\n\r\n\n   second   line\rthird')).toBe('First line\nsecond line\nthird');
  });

  it('removes controls but not line breaks', () => {
    expect(cleanMultiline('a\u0001b\nc\td')).toBe('ab\nc d');
  });
});

describe('removeControlChars', () => {
  it('keeps tab, newline and carriage return', () => {
    expect(removeControlChars('a\tb\nc\rd\u001b')).toBe('a\tb\nc\rd');
  });
});

describe('isBlank', () => {
  it('is true for undefined, empty, whitespace and invisible characters', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t\n\u00a0')).toBe(true);
    expect(isBlank('\u200b\ufeff\u0000')).toBe(true);
  });

  it('is false when one visible character is there', () => {
    expect(isBlank(' 0 ')).toBe(false);
  });
});
