import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../src/silver/html.js';

describe('htmlToText', () => {
  it('removes tags and keeps their text', () => {
    expect(htmlToText('<p>A <strong>soft</strong> <a href="/x">cotton</a> tee</p>')).toBe('A soft cotton tee');
  });

  it('drops style and script blocks with their contents, and comments', () => {
    const html = '<style type="text/css">.a { color: red }</style><p>Hello</p><SCRIPT>alert(1)</SCRIPT><!-- note -->World';
    expect(htmlToText(html)).toBe('Hello\nWorld');
  });

  it('turns br, p, li and div into single line breaks', () => {
    const html = '<div>Features:<ul><li>Warm</li><li>Light</li></ul></div><p>Line one<br/>Line two<br>Line three</p>';
    expect(htmlToText(html)).toBe('Features:\nWarm\nLight\nLine one\nLine two\nLine three');
  });

  it('decodes named and numeric entities after removing tags', () => {
    expect(htmlToText('Tom&#39;s &amp; Jerry&#x27;s &lt;b&gt; caf&eacute;&nbsp;&ndash; 5&deg;')).toBe("Tom's & Jerry's <b> café – 5°");
  });

  it('collapses whitespace and blank lines', () => {
    expect(htmlToText('<p>  Soft   and\n\n  warm </p>\n\n\n<p></p><p>Washable</p>')).toBe('Soft and\nwarm\nWashable');
  });

  it('handles plain text without markup', () => {
    expect(htmlToText('  plain   text  ')).toBe('plain text');
  });

  it('drops an unclosed style block to the end', () => {
    expect(htmlToText('Intro<style>.x{}')).toBe('Intro');
  });

  it('separates table cells with spaces', () => {
    expect(htmlToText('<table><tr><td>Weight</td><td>2 kg</td></tr></table>')).toBe('Weight 2 kg');
  });
});

describe('decodeEntities', () => {
  it('leaves unknown entities and bare ampersands alone', () => {
    expect(decodeEntities('R&D &bogus; &')).toBe('R&D &bogus; &');
  });

  it('replaces invalid code points with the replacement character', () => {
    expect(decodeEntities('a&#0;b&#xD800;c')).toBe('a\ufffdb\ufffdc');
  });
});

describe('decodeEntities and the names of Object members', () => {
  it('leaves &constructor;, &toString;, &valueOf; and &hasOwnProperty; as text', () => {
    expect(decodeEntities('a &constructor; b &toString; &valueOf; &hasOwnProperty; &amp;')).toBe('a &constructor; b &toString; &valueOf; &hasOwnProperty; &');
  });
});
