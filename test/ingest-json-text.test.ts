import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, locateJsonError, MAX_DEPTH, parseJsonText, quoteNumbers } from '../src/ingest/json-text.js';

describe('parseJsonText', () => {
  it('keeps numbers as their source text, where a double would change them', () => {
    expect(parseJsonText('{"a": 1e309, "b": -0, "c": 1.50, "d": 12345678901234567890, "e": 1E+2, "f": -1e-400, "g": 0}')).toEqual({
      a: '1e309',
      b: '-0',
      c: '1.50',
      d: '12345678901234567890',
      e: '1E+2',
      f: '-1e-400',
      g: '0',
    });
  });

  it('keeps arrays as their source text without spaces, and strings, booleans, null and nesting as JSON.parse does', () => {
    expect(parseJsonText('{"tags": [ "a, b", 1.0, [2, {"x": -0}] ], "s": "12 [3] \\"4\\"", "t": true, "n": null, "o": {"p": 5}}')).toEqual({
      tags: '["a, b",1.0,[2,{"x":-0}]]',
      s: '12 [3] "4"',
      t: true,
      n: null,
      o: { p: '5' },
    });
  });

  it('leaves the text alone where it has no number or array', () => {
    expect(quoteNumbers('{"id": "A-1", "ok": false}')).toBe('{"id": "A-1", "ok": false}');
  });

  it.each([
    ['{"a": NaN}', 6, 'NaN is not a JSON value: write null or a string'],
    ['{"a": -Infinity}', 6, '-Infinity is not a JSON value: write null or a string'],
    ['{"a": 1 "b": 2}', 8, "expected ',' or '}' after a property value"],
    ['{"a": 01}', 6, "'01' is not a JSON number"],
    ['{"a": 1.}', 6, "'1.' is not a JSON number"],
    ['{"a": [1, 2}', 11, "expected ',' or ']' after an array element"],
    ['{"a": "never closed}', 6, 'a string that never closes'],
    ['{"a": "two\nlines"}', 10, 'a line break inside a string: write it as \\n'],
    ['{"a": "\\x"}', 7, "an unknown escape '\\x' in a string"],
    ["{'a': 1}", 1, 'expected a property name in double quotes'],
    ['{"a" 1}', 5, "expected ':' after the property name"],
    ['{"a": 1,}', 8, 'expected a property name in double quotes'],
    ['{"a": 1', 7, 'the text ends inside an object'],
    ['{"a": 1} x', 9, 'unexpected text after the value'],
    ['{"a": tru}', 6, "unexpected 't' where a value should be"],
  ])('locates the error in %j at character %i', (text, offset, message) => {
    const error = (() => {
      try {
        parseJsonText(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ offset, message });
  });

  it('refuses values nested deeper than MAX_DEPTH (they would overflow the stack when flattened), naming where', () => {
    const deep = (n: number) => '{"a": '.repeat(n) + '1' + '}'.repeat(n);
    expect(parseJsonText(deep(MAX_DEPTH))).toBeTypeOf('object');
    expect(() => parseJsonText(deep(MAX_DEPTH + 1))).toThrow(expect.objectContaining({ code: 'too_deep', offset: 6 * MAX_DEPTH }));
    const wide = '{"a": [' + '[1], '.repeat(200) + '[2]], "s": "' + '{'.repeat(100) + '"}';
    expect(parseJsonText(wide)).toMatchObject({ s: '{'.repeat(100) });
    expect(() => parseJsonText('{"x": ' + '['.repeat(100_000) + ']'.repeat(99_999) + '}')).toThrow(expect.objectContaining({ code: 'too_deep' }));
  });

  it('finds no error in valid JSON, whatever its shape', () => {
    for (const text of ['{}', '[]', ' {"a": [ ], "b": {}, "c": "\\u00e9\\n", "d": -1.5e-3} ', '"x"', '-0']) expect(locateJsonError(text)).toBeUndefined();
  });
});
