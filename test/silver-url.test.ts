import { describe, expect, it } from 'vitest';
import { normalizeUrl, normalizeUrlList, splitUrlList } from '../src/silver/url.js';

describe('normalizeUrl', () => {
  it.each([
    ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/a.jpg'],
    ['http://example.com/a.jpg', 'http://example.com/a.jpg'],
    ['//cdn.example.com/a.jpg', 'https://cdn.example.com/a.jpg'],
    ['www.example.com/a.jpg', 'https://www.example.com/a.jpg'],
    ['shop.example.com:8080/p/1', 'https://shop.example.com:8080/p/1'],
    ['https://example.com/my image.jpg', 'https://example.com/my%20image.jpg'],
    ['  HTTPS://Example.COM/A.jpg  ', 'https://example.com/A.jpg'],
    ['https://example.com/p?id=1&size=m', 'https://example.com/p?id=1&size=m'],
  ])('%j is %s', (text, url) => {
    expect(normalizeUrl(text)).toEqual({ url });
  });

  it.each(['ftp://example.com/a.jpg', 'data:image/png;base64,AAAA', 'javascript:alert(1)', 'mailto:a@example.com', 'file:///etc/passwd'])(
    '%j has a bad scheme',
    (text) => {
      expect(normalizeUrl(text).issue?.code).toBe('bad_scheme');
    },
  );

  it.each(['/images/a.jpg', 'a.jpg', 'not a url', 'https://', 'http://exa mple.com/a.jpg', ''])('%j is bad syntax', (text) => {
    expect(normalizeUrl(text).issue?.code).toBe('bad_syntax');
  });
});

describe('splitUrlList', () => {
  it('splits on pipes, commas, newlines and whitespace between URLs', () => {
    expect(splitUrlList('https://a.com/1.jpg|https://a.com/2.jpg')).toEqual(['https://a.com/1.jpg', 'https://a.com/2.jpg']);
    expect(splitUrlList('https://a.com/1.jpg, https://a.com/2.jpg')).toEqual(['https://a.com/1.jpg', 'https://a.com/2.jpg']);
    expect(splitUrlList('https://a.com/1.jpg\nhttps://a.com/2.jpg https://a.com/3.jpg')).toHaveLength(3);
  });

  it('keeps commas and spaces that are part of one URL', () => {
    expect(splitUrlList('https://res.example.com/w_300,h_200/a.jpg')).toEqual(['https://res.example.com/w_300,h_200/a.jpg']);
    expect(splitUrlList('https://a.com/my image.jpg')).toEqual(['https://a.com/my image.jpg']);
  });

  it('parses a JSON array', () => {
    expect(splitUrlList('["https://a.com/1.jpg", "https://a.com/2.jpg", 3, " "]')).toEqual(['https://a.com/1.jpg', 'https://a.com/2.jpg']);
  });

  it('returns nothing for an empty cell', () => {
    expect(splitUrlList('   ')).toEqual([]);
  });
});

describe('normalizeUrlList', () => {
  it('keeps order, drops duplicates and reports bad items', () => {
    const result = normalizeUrlList(['https://a.com/1.jpg | //a.com/2.jpg', 'https://a.com/1.jpg, ftp://a.com/3.jpg']);
    expect(result.urls).toEqual(['https://a.com/1.jpg', 'https://a.com/2.jpg']);
    expect(result.issues.map((issue) => issue.code)).toEqual(['bad_scheme']);
  });
});

describe('normalizeUrl fast path', () => {
  it.each([
    'https://cdn.example.com/s/files/1/a.jpg?v=1760646579',
    'https://cdn.example.com/a/./b.jpg',
    'https://cdn.example.com/a/%2E%2E/b.jpg',
    'https://cdn.example.com/a/../b.jpg',
    'https://cdn.example.com:443/b.jpg',
    'https://CDN.example.com/b.jpg',
    'https://cdn.example.com/b.jpg?q=a%20b&x=~!$*#frag',
    'https://cdn.example.com/',
    'http://1.2.3.4/a.jpg',
    'https://xn--bcher-kva.example/a.jpg',
  ])('prints %s as the WHATWG parser does', (url) => {
    expect(normalizeUrl(url).url).toBe(new URL(url).href);
  });
});
