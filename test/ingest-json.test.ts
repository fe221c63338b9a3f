import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { readJsonArray, readJsonl, readObject } from '../src/ingest/json.js';
import { loadFiles } from '../src/ingest/load.js';
import type { RawItem } from '../src/ingest/types.js';
import { openCatalog } from '../src/store/catalog.js';
import { tempDir } from './helpers/tmp.js';

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** The items as the tests compare them: records without the parsed object (`json`) they carry for id checks. */
async function collect(items: AsyncIterable<RawItem>): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const item of items) {
    if (item.kind !== 'record') out.push(item);
    else {
      const { json: _json, ...rest } = item;
      out.push(rest);
    }
  }
  return out;
}

const array = (text: string, size = 1 << 20, limit?: number) => collect(readJsonArray(pieces(text, size), 'products.json', limit));
const lines = (text: string, size = 1 << 20, limit?: number) => collect(readJsonl(pieces(text, size), limit));

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const ARRAY = `[
  {"id": "1", "title": "Tent", "price": 99.5, "inStock": true, "tags": ["a", "b"], "dims": {"w": 2, "h": {"cm": 120}}},
  {"id": "2", "title": "Brace } and ] and \\" and [ in a string", "note": null},
  {"id": "3",
   "title": "Starts on line 4"}
]
`;

describe('readJsonArray', () => {
  it.each([1, 2, 3, 16, 1 << 20])('streams the elements one by one in chunks of %i characters', async (size) => {
    const items = await array(ARRAY, size);
    expect(items).toEqual([
      {
        kind: 'record',
        line: 2,
        fields: { id: '1', title: 'Tent', price: '99.5', inStock: 'true', tags: '["a","b"]', 'dims.w': '2', 'dims.h.cm': '120' },
      },
      { kind: 'record', line: 3, fields: { id: '2', title: 'Brace } and ] and " and [ in a string', note: '' } },
      { kind: 'record', line: 4, fields: { id: '3', title: 'Starts on line 4' } },
    ]);
  });

  it('yields each element before the rest of the array has arrived', async () => {
    const fed: string[] = [];
    async function* slow(): AsyncGenerator<string> {
      for (const piece of ['[{"id":"1","title":"a"}', ',{"id":"2",', '"title":"b"}]']) {
        fed.push(piece);
        yield piece;
      }
    }
    const iterator = readJsonArray(slow(), 'f.json')[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: 'record', fields: { id: '1' } });
    expect(fed).toHaveLength(1);
    expect((await collect({ [Symbol.asyncIterator]: () => iterator })).length).toBe(1);
  });

  it('reports a syntax error inside one element as a row error and reads the others', async () => {
    const items = await array('[\n{"id":"1","title":"a"},\n{"id":"2","title":"b",},\n{"id":"3","title":"c"}\n]', 4);
    expect(items.map((i) => [i.kind, (i as { line: number }).line])).toEqual([
      ['record', 2],
      ['error', 3],
      ['record', 4],
    ]);
    expect(items[1]).toMatchObject({ code: 'bad_json', raw: '{"id":"2","title":"b",}' });
    expect((items[1] as { reason: string }).reason).toBe('invalid JSON at line 3, column 23 (character 48): expected a property name in double quotes');
  });

  it.each([1, 7, 1 << 20])('locates an error on a later line of a multi-line element in the file, in chunks of %i', async (size) => {
    const items = await array('[\n  {"id": "1",\n   "title": "a",\n   "price": NaN}\n]', size);
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'error',
        line: 2,
        reason: 'invalid JSON at line 4, column 13 (character 45): NaN is not a JSON value: write null or a string',
      }),
    ]);
  });

  it('keeps numbers and arrays as written, however the text is chunked', async () => {
    for (const size of [1, 3, 1 << 20]) {
      const items = await array('[{"id": 12345678901234567890, "title": "t", "price": 1e309, "w": -0, "sizes": [1.50, 2]}]', size);
      expect(items).toEqual([{ kind: 'record', line: 1, fields: { id: '12345678901234567890', title: 't', price: '1e309', w: '-0', sizes: '[1.50,2]' } }]);
    }
  });

  it('refuses an object that is not an array, saying what to do', async () => {
    const error = await userError(array('{"id": "1", "title": "a"}'));
    expect(error.code).toBe('json_not_array');
    expect(error.message).toMatch(
      /products\.json: line 1, column 1 \(character 0\): expected a JSON array of product objects, found an object.*\[ \.\.\. \].*JSON Lines/,
    );
  });

  it.each([
    ['a top-level scalar', 'null', 'json_not_array'],
    ['an unclosed array', '[{"id":"1","title":"a"}', 'json_truncated'],
    ['an element cut off', '[{"id":"1","title":"a"},\n {"id":"2"', 'json_truncated'],
    ['text after the array', '[{"id":"1"}] trailing', 'json_trailing'],
    ['nothing but spaces', '  \n ', 'empty_file'],
  ])('refuses %s', async (_what, text, code) => {
    expect((await userError(array(text))).code).toBe(code);
  });

  it('reads an element that is not an object as a row error, and the elements after it, however the text is chunked', async () => {
    const text = '[{"id":"1"}, null, 5,\n "a, string ]", [1, {"x": "]"}], true, {"id":"2"}]';
    for (const size of [1, 4, 1 << 20]) {
      const items = await array(text, size);
      expect(items.map((item) => (item.kind === 'record' ? item.fields.id : item.kind === 'error' ? `${item.line}: ${item.reason}` : item.kind))).toEqual([
        '1',
        '1: the element is not a JSON object (found null)',
        '1: the element is not a JSON object (found 5)',
        '2: the element is not a JSON object (found "a, string ]")',
        '2: the element is not a JSON object (found an array)',
        '2: the element is not a JSON object (found true)',
        '2',
      ]);
    }
  });

  it('reads an empty array as no rows', async () => {
    expect(await array(' [ ] ')).toEqual([]);
  });
});

describe('readJsonl', () => {
  it.each([1, 5, 1 << 20])('reports one bad line and reads the others, in chunks of %i', async (size) => {
    const text = '{"id":"1","title":"a"}\n{"id":"2", bad}\n\n[1,2]\n{"id":"5","title":"e"}';
    const items = await lines(text, size);
    expect(items).toEqual([
      { kind: 'record', line: 1, fields: { id: '1', title: 'a' } },
      expect.objectContaining({
        kind: 'error',
        line: 2,
        code: 'bad_json',
        raw: '{"id":"2", bad}',
        reason: 'invalid JSON at column 12: expected a property name in double quotes',
      }),
      expect.objectContaining({ kind: 'error', line: 4, code: 'not_object', raw: '[1,2]' }),
      { kind: 'record', line: 5, fields: { id: '5', title: 'e' } },
    ]);
  });
});

describe('JSON with a size limit', () => {
  const lineAndOutcome = (i: RawItem) => (i.kind === 'record' ? [i.line, i.fields.id] : i.kind === 'error' ? [i.line, i.code] : [i.kind]);
  const long = (n: number) => 'lorem \\"ipsum\\" {[, '.repeat(n);

  it.each([1, 7, 4096, 1 << 20])('reports a JSON Lines line over the limit as one row error and reads the lines after it, in chunks of %i', async (size) => {
    const text = `{"id":"1","title":"a"}\n{"id":"2","title":"b","desc":"${long(200)}"}\n{"id":"3","title":"c","desc":"${long(50)}"}\n`;
    const items = await lines(text, size, 2000);
    expect(items.map(lineAndOutcome)).toEqual([
      [1, '1'],
      [2, 'row_too_large'],
      [3, '3'],
    ]);
    expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^the line is [\d.]+ MB, over the [\d.]+ MB that --max-field-mb allows/) });
  });

  it.each([1, 7, 4096, 1 << 20])('reports an array element over the limit as one row error and reads the elements after it, in chunks of %i', async (size) => {
    const text = `[{"id":"1","title":"a"},\n{"id":"2","desc":"${long(200)}"},\n"${long(200)}",\n{"id":"4","title":"d","desc":"${long(50)}"}]`;
    const items = await array(text, size, 2000);
    expect(items.map(lineAndOutcome)).toEqual([
      [1, '1'],
      [2, 'row_too_large'],
      [3, 'row_too_large'],
      [4, '4'],
    ]);
    expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^the element is [\d.]+ MB, over the [\d.]+ MB that --max-field-mb allows/) });
  });
});

// How the time grows with a line's length is measured by `npm run bench` (the long-fields case).
describe('long JSON Lines lines', () => {
  it('are read whole: a 16 MB line is one record with its whole value, and the line after it is read', async () => {
    const copies = Math.round((16 * 1024 * 1024) / 12);
    const items = await lines(`{"id":"1","title":"a","desc":"${'lorem ipsum '.repeat(copies)}"}\n{"id":"2","title":"b"}\n`, 64 * 1024);
    expect(items.map((i) => (i.kind === 'record' ? [i.line, i.fields.id] : [i.kind]))).toEqual([
      [1, '1'],
      [2, '2'],
    ]);
    const desc = items[0].kind === 'record' ? items[0].fields.desc : '';
    expect(desc.length).toBe(copies * 12);
    expect(desc === 'lorem ipsum '.repeat(copies)).toBe(true);
  }, 60_000);
});

describe('JSON errors at the end of the file', () => {
  it('says where the file ends and where the unfinished element started', async () => {
    const error = await userError(array('[\n  {"id": "1", "title": "a"},\n  {"id": "2", "ti'));
    expect(error.message).toBe(
      'products.json: line 3, column 18 (character 48): the file ends before the JSON array is closed; the element that starts on line 3 is not complete; the elements before it were loaded',
    );
  });
});

describe('readObject', () => {
  it('keeps every value as text and flattens nested objects with dots', () => {
    expect(readObject('{"a": 1, "b": false, "c": null, "d": {"e": "x", "f": [1, {"g": 2}]}}')?.fields).toEqual({
      a: '1',
      b: 'false',
      c: '',
      'd.e': 'x',
      'd.f': '[1,{"g":2}]',
    });
  });

  it('says when the text is JSON but not an object', () => {
    expect(readObject('[1]')).toBeUndefined();
    expect(readObject('"x"')).toBeUndefined();
  });
});

describe('loading JSON files', () => {
  it('loads a JSON array with a broken element: the others are created, the broken one is an error with its line', async () => {
    const tmp = tempDir();
    const file = tmp.write('p.json', '[\n{"id":"1","title":"a"},\n{"id":"2","title":},\n{"id":"3","title":"c"}\n]\n');
    const db = openCatalog(tmp.path('catalog.db'));
    try {
      const summary = await loadFiles(db, [file]);
      expect(summary).toMatchObject({ rows: 3, total: 2, created: 2 });
      expect(summary.errors).toEqual([expect.objectContaining({ file, line: 3, code: 'bad_json' })]);
      expect((db.prepare('SELECT id FROM products ORDER BY id').all() as { id: string }[]).map((r) => r.id)).toEqual(['1', '3']);
    } finally {
      db.close();
    }
  });

  it('loads JSON Lines from a .ndjson file', async () => {
    const tmp = tempDir();
    const file = tmp.write('p.ndjson', '{"sku":"A","name":"Alpha"}\n{"sku":"B","name":"Beta"}\n');
    const db = openCatalog(tmp.path('catalog.db'));
    try {
      const summary = await loadFiles(db, [file]);
      expect(summary).toMatchObject({ rows: 2, created: 2, errors: [] });
    } finally {
      db.close();
    }
  });
});

describe('keys that repeat, or collide once flattened', () => {
  const own = (fields: Record<string, string>) => Object.entries(fields);

  it('keeps __proto__, constructor, toString, valueOf and hasOwnProperty as fields, at the top and nested', async () => {
    const [item] = await lines(
      '{"id": "P1", "__proto__": "a", "constructor": "b", "toString": "c", "valueOf": "d", "hasOwnProperty": "e", "x": {"__proto__": "f"}}',
    );
    expect(item.kind === 'record' && own(item.fields)).toEqual([
      ['id', 'P1'],
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
      ['valueOf', 'd'],
      ['hasOwnProperty', 'e'],
      ['x.__proto__', 'f'],
    ]);
  });

  it('renames a repeated key as a repeated CSV header is (the first keeps the name) and says so', async () => {
    const [item] = await array('[{"id": "1", "title": "a", "title": "b", "title": "c", "title (2)": "d"}]');
    expect(item).toMatchObject({
      kind: 'record',
      renamed: [
        { from: 'title', to: 'title (3)' },
        { from: 'title', to: 'title (4)' },
      ],
    });
    expect(item.kind === 'record' && own(item.fields)).toEqual([
      ['id', '1'],
      ['title', 'a'],
      ['title (3)', 'b'],
      ['title (4)', 'c'],
      ['title (2)', 'd'],
    ]);
  });

  it('renames a dotted key that a nested key flattens onto, in either order, and a key repeated inside a nested object', async () => {
    const [first, second, third] = await lines(
      ['{"id": "1", "a.b": "flat", "a": {"b": "nested"}}', '{"id": "2", "a": {"b": "nested"}, "a.b": "flat"}', '{"id": "3", "a": {"b": 1, "b": 2}}'].join('\n'),
    );
    expect(first.kind === 'record' && own(first.fields)).toEqual([
      ['id', '1'],
      ['a.b', 'flat'],
      ['a.b (2)', 'nested'],
    ]);
    expect(second.kind === 'record' && own(second.fields)).toEqual([
      ['id', '2'],
      ['a.b', 'nested'],
      ['a.b (2)', 'flat'],
    ]);
    expect(third.kind === 'record' && own(third.fields)).toEqual([
      ['id', '3'],
      ['a.b', '1'],
      ['a.b (2)', '2'],
    ]);
    expect(first).toMatchObject({ renamed: [{ from: 'a.b', to: 'a.b (2)' }] });
  });

  it('keeps every value of a repeated key as written: numbers, arrays, booleans, null and nested objects', async () => {
    const [item] = await lines('{"id": "1", "v": 1.50, "v": [1, 2], "v": true, "v": null, "v": {"w": "x"}, "v": "s"}');
    expect(item.kind === 'record' && own(item.fields)).toEqual([
      ['id', '1'],
      ['v', '1.50'],
      ['v (2)', '[1,2]'],
      ['v (3)', 'true'],
      ['v (4)', ''],
      ['v.w', 'x'],
      ['v (5)', 's'],
    ]);
  });

  it('renames nothing when no key repeats', async () => {
    const [item] = await array('[{"id": "1", "a": {"b": "x"}, "a.c": "y", "s": "a: b, \\"c\\": d"}]');
    expect(item).not.toHaveProperty('renamed');
  });

  it('warns once per file when loading, naming the line and the new name of the first few', async () => {
    const tmp = tempDir();
    const file = tmp.write(
      'p.jsonl',
      ['{"id": "1", "title": "a", "title": "b"}', '{"id": "2", "title": "c"}', '{"id": "3", "title": "d", "title": "e"}'].join('\n'),
    );
    const db = openCatalog(tmp.path('c.db'));
    try {
      const summary = await loadFiles(db, [file]);
      expect(summary.warnings.map((w) => w.message)).toEqual([
        "repeated keys renamed so no value is lost (a nested key counts under its dotted name): line 1 'title' is 'title (2)'; line 3 'title' is 'title (2)'",
      ]);
    } finally {
      db.close();
    }
  });
});
