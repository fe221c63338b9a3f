#!/usr/bin/env node
// Regenerates fixtures/bad/: one file per kind of bad input, and manifest.json saying what
// `assay load` must make of each (flags, exit code, the products loaded, the error lines).
// Run: node scripts/make-bad-corpus.mjs. The content is fixed (no clock, no randomness), so a
// second run writes the same bytes. Cases over ~1 MB are not committed: test/bad-input.test.ts
// writes them into a temp folder with caseBytes().
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const lf = (...lines) => lines.join('\n') + '\n';
const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** 10 MB of text with commas, doubled quotes and line breaks, so the field must be quoted. */
export const BIG_FIELD_BYTES = 10 * 1024 * 1024;
function bigField() {
  const unit = 'Lorem ipsum, dolor "sit" amet.\n';
  const text = unit.repeat(Math.ceil(BIG_FIELD_BYTES / unit.length)).slice(0, BIG_FIELD_BYTES);
  return { text, lines: text.split('\n').length - 1 };
}

export const WIDE_COLUMNS = 100_000;
function wideHeader() {
  const names = ['id', 'title'];
  for (let i = 3; i <= WIDE_COLUMNS; i++) names.push(`attr_${i}`);
  const full = ['W1', 'Wide product'];
  for (let i = 3; i <= WIDE_COLUMNS; i++) full.push(i % 1000 === 0 ? `v${i}` : '');
  return lf(names.join(','), full.join(','), 'W2,Short row,only three');
}

/** A 1x1 PNG, built by hand (stored deflate block) so its bytes never depend on a zlib version. */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const u32 = (n) => Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
  };
  const scanline = Buffer.from([0, 0xd9, 0x3a, 0x2b, 0xff]);
  let a = 1;
  let b = 0;
  for (const x of scanline) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const zdata = Buffer.concat([Buffer.from([0x78, 0x01, 0x01, 5, 0, 0xfa, 0xff]), scanline, u32(((b << 16) | a) >>> 0)]);
  const ihdr = Buffer.concat([u32(1), u32(1), Buffer.from([8, 6, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zdata),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Bytes that look like compressed data and carry no known signature (xorshift32, fixed seed). */
function noise(length) {
  const out = Buffer.alloc(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const DEEP_PREFIX = '{"id":"D2","title":"Deep","x":';
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)'];
const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * Every case: `file`, what it is, the load `flags`, the `exit` code, the `ids` loaded (in load
 * order), the `errors` as `{line, reason}` (reason a regex source), the `warnings` and the stderr
 * `message` (regex sources), and optionally the exact `bronze` of some products (or the length of
 * a field, or the number of columns), and the escaped ids `export --format csv` must write. `big`
 * cases are generated into a temp folder by the test instead of being committed.
 */
export /** Names every JavaScript object inherits: a column may be called any of them. */
const BUILTIN_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
/** `{ __proto__: '__proto__-1', ... }` built with computed keys, so `__proto__` is a key, not the prototype. */
const BUILTIN_VALUES = (n) => Object.fromEntries(BUILTIN_NAMES.map((name) => [name, `${name}-${n}`]));

const CASES = [
  {
    file: 'unclosed-quote.csv',
    what: 'a quoted field opened on line 4 that never closes',
    exit: 0,
    ids: ['U1', 'U2', 'U4', 'U5'],
    errors: [{ line: 4, reason: '^unclosed quote' }],
    content: () => lf('id,title,price', 'U1,First,1.00', 'U2,Second,2.00', 'U3,"Third never closes,3.00', 'U4,Fourth,4.00', 'U5,Fifth,5.00'),
  },
  {
    file: 'stray-quote.csv',
    what: 'quotes inside unquoted fields, read as literal quotes',
    exit: 0,
    ids: ['S1', 'S2', 'S3'],
    bronze: { S1: { id: 'S1', title: 'Pizza tray 12" round', price: '9.99' }, S2: { id: 'S2', title: 'The "best" pan', price: '5' } },
    content: () => lf('id,title,price', 'S1,Pizza tray 12" round,9.99', 'S2,The "best" pan,5', 'S3,Plain,1'),
  },
  {
    file: 'wrong-column-count.csv',
    what: 'a row with too few columns and one with too many',
    exit: 0,
    ids: ['C1', 'C4'],
    errors: [
      { line: 3, reason: '^expected 3 columns, found 2$' },
      { line: 4, reason: '^expected 3 columns, found 5$' },
    ],
    content: () => lf('id,title,price', 'C1,One,1', 'C2,Two', 'C3,Three,3,extra,more', 'C4,Four,4'),
  },
  {
    file: 'header-only.csv',
    what: 'a header and no rows (and no final line break)',
    exit: 0,
    ids: [],
    content: () => 'id,title,price',
  },
  {
    file: 'empty.csv',
    what: 'zero bytes',
    exit: 2,
    ids: [],
    message: '^assay: empty\\.csv: the file is empty',
    content: () => '',
  },
  {
    file: 'blank-lines.csv',
    what: 'only blank lines: empty, spaces, tabs, CRLF',
    exit: 2,
    ids: [],
    message: '^assay: blank-lines\\.csv: .*only blank lines',
    content: () => '\n\n   \r\n\t\n\r\n\n',
  },
  {
    file: 'duplicate-headers.csv',
    what: 'a column name used twice, and once more in another case',
    exit: 0,
    ids: ['D1', 'D2'],
    warnings: ["^warning: duplicate-headers\\.csv: header columns renamed so no value is lost: column 4 'color' \\(a repeated name\\) is 'color \\(2\\)'$"],
    bronze: { D1: { id: 'D1', title: 'Mug', color: 'red', 'color (2)': 'blue', Color: 'green' } },
    content: () => lf('id,title,color,color,Color', 'D1,Mug,red,blue,green', 'D2,Cup,,,'),
  },
  {
    file: 'header-with-bom.csv',
    what: 'a UTF-8 BOM before the header: the first column is `id`, not `\\uFEFFid`',
    exit: 0,
    ids: ['B1', 'B2'],
    bronze: { B1: { id: 'B1', title: 'Crème' } },
    content: () => bytes([0xef, 0xbb, 0xbf], lf('id,title', 'B1,Crème', 'B2,Brûlée')),
  },
  {
    file: 'header-without-bom.csv',
    what: 'the same file without the BOM, for comparison',
    exit: 0,
    ids: ['B1', 'B2'],
    bronze: { B1: { id: 'B1', title: 'Crème' } },
    content: () => lf('id,title', 'B1,Crème', 'B2,Brûlée'),
  },
  {
    file: 'utf16le-bom.csv',
    what: 'UTF-16 LE with a BOM, CRLF line endings, text outside Latin-1',
    exit: 0,
    ids: ['W1', 'W2'],
    bronze: { W1: { id: 'W1', title: 'Ünïcödé ✓ 日本 😀' } },
    content: () => bytes([0xff, 0xfe], Buffer.from('id,title\r\nW1,Ünïcödé ✓ 日本 😀\r\nW2,Plain\r\n', 'utf16le')),
  },
  {
    file: 'utf16le-no-bom.csv',
    what: 'UTF-16 LE without a BOM, found by the NUL in every other byte',
    exit: 0,
    ids: ['W1', 'W2'],
    bronze: { W1: { id: 'W1', title: 'Ünïcödé ✓' } },
    content: () => Buffer.from('id,title\nW1,Ünïcödé ✓\nW2,Plain\n', 'utf16le'),
  },
  {
    file: 'latin1-no-encoding.csv',
    what: 'Latin-1 bytes loaded without --encoding: rows load with U+FFFD and a warning naming the first line and the flag',
    exit: 0,
    ids: ['L1', 'L2', 'L3'],
    warnings: ['latin1-no-encoding\\.csv: 4 byte sequence\\(s\\) are not valid utf-8 .*first on line 3.*--encoding latin1'],
    bronze: { L2: { id: 'L2', title: 'Caf\uFFFD cr\uFFFDme' } },
    content: () => Buffer.from(lf('id,title', 'L1,Plain', 'L2,Café crème', 'L3,Déjà'), 'latin1'),
  },
  {
    file: 'latin1-no-encoding.csv',
    case: 'latin1-with-encoding',
    what: 'the same file with --encoding latin1: the accents kept, no warning',
    flags: ['--encoding', 'latin1'],
    exit: 0,
    ids: ['L1', 'L2', 'L3'],
    bronze: { L2: { id: 'L2', title: 'Café crème' }, L3: { id: 'L3', title: 'Déjà' } },
  },
  {
    file: 'invalid-utf8.csv',
    what: 'invalid UTF-8: a bad continuation, an encoded surrogate, a lone continuation byte, a sequence cut off at the end',
    exit: 0,
    ids: ['V1', 'V2', 'V3', 'V4', 'V5'],
    warnings: ['invalid-utf8\\.csv: \\d+ byte sequence\\(s\\) are not valid utf-8 .*first on line 3'],
    bronze: { V1: { id: 'V1', title: 'Valid ✓' } },
    content: () =>
      bytes('id,title\nV1,Valid ✓\nV2,bad ', [0xc3, 0x28], '\nV3,surrogate ', [0xed, 0xa0, 0x80], '\nV4,lone ', [0x80], ' byte\nV5,cut ', [0xe2, 0x82]),
  },
  {
    file: 'nul-bytes.csv',
    what: 'NUL bytes inside fields and on a line of their own: dropped, counted, the rows load',
    exit: 0,
    ids: ['N1', 'N2', 'N3'],
    warnings: ['nul-bytes\\.csv: 4 NUL byte\\(s\\) were removed \\(first on line 3\\)'],
    bronze: { N2: { id: 'N2', title: 'Nul inside' } },
    content: () => bytes('id,title\nN1,Clean\nN2,Nul', [0], ' inside\n', [0, 0], '\nN3,Trailing', [0], '\n'),
  },
  {
    file: 'image.csv',
    what: 'a PNG image named .csv',
    exit: 2,
    ids: [],
    message: '^assay: image\\.csv: this looks like a binary file \\(a PNG image\\)',
    content: () => png(),
  },
  {
    file: 'binary-noise.csv',
    what: 'bytes with no known signature that are not text',
    exit: 2,
    ids: [],
    message: '^assay: binary-noise\\.csv: this looks like a binary file',
    content: () => noise(4096),
  },
  {
    file: 'big-field.csv',
    what: 'a quoted field of 10 MB with commas, quotes and line breaks; a bad row after it is reported on its true line',
    big: true,
    exit: 0,
    ids: ['G1', 'G2', 'G4'],
    bronzeLengths: { G2: { description: BIG_FIELD_BYTES } },
    errors: [{ line: 4 + bigField().lines, reason: '^expected 3 columns, found 2$' }],
    content: () => {
      const { text } = bigField();
      return lf('id,title,description', 'G1,Before,short', `G2,Big,${csvCell(text)}`, 'G3,Bad row', 'G4,After,short');
    },
  },
  {
    file: 'wide-header.csv',
    what: 'a header of 100,000 columns: a full row loads, a short row is an error',
    big: true,
    exit: 0,
    ids: ['W1'],
    bronzeColumns: { W1: WIDE_COLUMNS },
    errors: [{ line: 3, reason: `^expected ${WIDE_COLUMNS} columns, found 3$` }],
    content: wideHeader,
  },
  {
    file: 'mixed-line-endings.csv',
    what: 'CRLF, LF and lone CR in one file, also inside a quoted field',
    exit: 0,
    ids: ['M1', 'M2', 'M3', 'M4'],
    bronze: { M2: { id: 'M2', title: 'Two', desc: 'multi\nline' } },
    content: () => 'id,title,desc\r\nM1,One,x\nM2,Two,"multi\r\nline"\rM3,Three,z\r\nM4,Four,w',
  },
  {
    file: 'object-not-array.json',
    what: 'a JSON object where an array of products belongs',
    exit: 2,
    ids: [],
    message: '^assay: object-not-array\\.json: line 1, column 1 .*expected a JSON array of product objects, found an object',
    content: () => '{"products": [{"id": "O1", "title": "Inside"}]}\n',
  },
  {
    file: 'syntax-error.json',
    what: 'a missing comma inside one element, at line 3, column 32 (character 65): that element is an error, the others load',
    exit: 0,
    ids: ['J1', 'J3'],
    errors: [{ line: 3, reason: "^invalid JSON at line 3, column 32 \\(character 65\\): expected ',' or '}' after a property value$" }],
    content: () => '[\n  {"id": "J1", "title": "One"},\n  {"id": "J2", "title": "Two"  "price": 2},\n  {"id": "J3", "title": "Three"}\n]\n',
  },
  {
    file: 'truncated.json',
    what: 'an array cut off in the middle of an element: the complete elements load, then exit 2 with the position',
    exit: 2,
    ids: ['T1', 'T2'],
    message:
      '^assay: truncated\\.json: line 4, column 20 \\(character 85\\): the file ends before the JSON array is closed; the element that starts on line 4 is not complete; the elements before it were loaded$',
    content: () => '[\n  {"id": "T1", "title": "One"},\n  {"id": "T2", "title": "Two"},\n  {"id": "T3", "tit',
  },
  {
    file: 'bad-line.jsonl',
    what: 'JSON Lines with one broken line among good ones',
    exit: 0,
    ids: ['L1', 'L2', 'L4', 'L5'],
    errors: [{ line: 3, reason: "^invalid JSON at column 28: expected ',' or '}' after a property value$" }],
    content: () =>
      lf(
        '{"id":"L1","title":"One"}',
        '{"id":"L2","title":"Two"}',
        '{"id":"L3","title":"Three" "price":3}',
        '{"id":"L4","title":"Four"}',
        '',
        '{"id":"L5","title":"Five"}',
      ),
  },
  {
    file: 'deep-nesting.jsonl',
    what: 'a line nested 10,000 objects deep (it overflowed the stack when flattened): an error at the 65th level, the other lines load',
    exit: 0,
    ids: ['D1', 'D3'],
    errors: [{ line: 2, reason: `^invalid JSON at column ${DEEP_PREFIX.length + 1 + 5 * 63}: objects and arrays nest more than 64 levels deep$` }],
    content: () => lf('{"id":"D1","title":"Flat"}', DEEP_PREFIX + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_001), '{"id":"D3","title":"Flat too"}'),
  },
  {
    file: 'numbers.csv',
    what: 'number-like cells: bronze keeps them as written',
    exit: 0,
    ids: ['X1', 'X2', 'X3'],
    bronze: {
      X1: { id: 'X1', title: 'Huge', price: '1e309', weight: '-0' },
      X2: { id: 'X2', title: 'Not a number', price: 'NaN', weight: '-0.0' },
      X3: { id: 'X3', title: 'Long', price: '12345678901234567890.10', weight: '1.50' },
    },
    content: () => lf('id,title,price,weight', 'X1,Huge,1e309,-0', 'X2,Not a number,NaN,-0.0', 'X3,Long,12345678901234567890.10,1.50'),
  },
  {
    file: 'numbers.json',
    what: 'JSON numbers that do not survive a round trip through a double: bronze keeps their source text; NaN is not JSON',
    exit: 0,
    ids: ['X1', 'X2', 'X3'],
    errors: [{ line: 5, reason: '^invalid JSON at line 5, column 41 \\(character 302\\): NaN is not a JSON value: write null or a string$' }],
    bronze: {
      X1: { id: 'X1', title: 'Huge', price: '1e309', weight: '-0', tiny: '1e-400' },
      X2: { id: 'X2', title: 'Long', price: '12345678901234567890.10', weight: '1.50', sizes: '[-0,1e309,2.50]' },
      X3: { id: 'X3', title: 'Nested', price: '0', 'dims.w': '1E+2' },
    },
    content: () =>
      [
        '[',
        '  {"id": "X1", "title": "Huge", "price": 1e309, "weight": -0, "tiny": 1e-400},',
        '  {"id": "X2", "title": "Long", "price": 12345678901234567890.10, "weight": 1.50, "sizes": [ -0, 1e309, 2.50 ]},',
        '  {"id": "X3", "title": "Nested", "price": 0, "dims": {"w": 1E+2}},',
        '  {"id": "X4", "title": "NaN", "price": NaN}',
        ']',
        '',
      ].join('\n'),
  },
  {
    file: 'ids-case-space.csv',
    what: 'ids that differ only in surrounding spaces (one product) or in case (two products); an id of spaces is no id',
    exit: 0,
    ids: ['A1', 'a1'],
    errors: [{ line: 6, reason: "^no id \\(column 'id' is empty\\)$" }],
    warnings: ["2 row\\(s\\) repeat an id already read \\(line 3 'A1', line 5 'A1'\\): folded"],
    bronze: { A1: { id: 'A1', title: 'First', color: 'red' }, a1: { id: 'a1', title: 'Lower case', color: '' } },
    content: () => lf('id,title,color', 'A1,First,', 'A1 ,Trailing space,red', 'a1,Lower case,', ' A1\t,Leading space,blue', '   ,Spaces only,'),
  },
  {
    file: 'formula-cells.csv',
    what: 'cells a spreadsheet would run as formulas: kept as they are in bronze, escaped by export --format csv',
    exit: 0,
    ids: [...FORMULAS],
    bronze: Object.fromEntries(FORMULAS.map((f) => [f, { id: f, title: f, brand: f }])),
    exportIds: FORMULAS.map((f) => `'${f}`),
    content: () => lf('id,title,brand', ...FORMULAS.map((f) => [f, f, f].map(csvCell).join(','))),
  },
  {
    file: 'builtin-names.csv',
    what: 'columns named like members of every JavaScript object (__proto__, constructor, toString...): columns like any other',
    exit: 0,
    ids: ['N1', 'N2'],
    bronze: { N1: { id: 'N1', title: 'Hat', price: '10', ...BUILTIN_VALUES('1') } },
    content: () =>
      lf(
        ['id', 'title', 'price', ...BUILTIN_NAMES].join(','),
        ['N1', 'Hat', '10', ...BUILTIN_NAMES.map((n) => `${n}-1`)].join(','),
        ['N2', 'Cap', '12', ...BUILTIN_NAMES.map((n) => `${n}-2`)].join(','),
      ),
  },
  {
    case: 'builtin-names.csv --id-column __proto__',
    file: 'builtin-names.csv',
    what: 'the id taken from a column named __proto__',
    flags: ['--id-column', '__proto__'],
    exit: 0,
    ids: ['__proto__-1', '__proto__-2'],
    bronze: { '__proto__-1': { id: 'N1', title: 'Hat', price: '10', ...BUILTIN_VALUES('1') } },
  },
  {
    file: 'builtin-names.json',
    what: 'JSON keys named like members of every JavaScript object, at the top and nested',
    exit: 0,
    ids: ['N1', 'N2'],
    bronze: {
      N1: { id: 'N1', title: 'Hat', price: '10', ...BUILTIN_VALUES('1') },
      N2: { id: 'N2', title: 'Cap', '__proto__.constructor': 'nested', 'toString.valueOf': 'deeper' },
    },
    content: () =>
      lf(
        '[',
        `  ${JSON.stringify({ id: 'N1', title: 'Hat', price: 10, ...BUILTIN_VALUES('1') }).replace('"price":"10"', '"price":10')},`,
        '  {"id": "N2", "title": "Cap", "__proto__": {"constructor": "nested"}, "toString": {"valueOf": "deeper"}}',
        ']',
      ),
  },
  {
    file: 'repeated-keys.json',
    what: 'a key repeated in one object, and a dotted key beside the nested key that flattens onto it: renamed, never dropped',
    exit: 0,
    ids: ['R1', 'R2', 'R3'],
    warnings: [
      "^warning: repeated-keys\\.json: repeated keys renamed so no value is lost \\(a nested key counts under its dotted name\\): line 2 'title' is 'title \\(2\\)'; line 3 'size\\.eu' is 'size\\.eu \\(2\\)'; line 4 'dims\\.w' is 'dims\\.w \\(2\\)'$",
    ],
    bronze: {
      R1: { id: 'R1', title: 'First', 'title (2)': 'Second', price: '5' },
      R2: { id: 'R2', title: 'Dotted', 'size.eu': '42', 'size.eu (2)': '43' },
      R3: { id: 'R3', title: 'Nested', 'dims.w': '1', 'dims.w (2)': '2', 'dims.h': '3' },
    },
    content: () =>
      lf(
        '[',
        '  {"id": "R1", "title": "First", "title": "Second", "price": 5},',
        '  {"id": "R2", "title": "Dotted", "size.eu": "42", "size": {"eu": 43}},',
        '  {"id": "R3", "title": "Nested", "dims": {"w": 1, "w": 2, "h": 3}}',
        ']',
      ),
  },
  {
    file: 'repeated-keys.jsonl',
    what: 'the same in JSON Lines, with a key repeated three times',
    exit: 0,
    ids: ['L1', 'L2'],
    warnings: [
      "^warning: repeated-keys\\.jsonl: repeated keys renamed so no value is lost .*: line 1 'color' is 'color \\(2\\)'; line 1 'color' is 'color \\(3\\)'$",
    ],
    bronze: { L1: { id: 'L1', title: 'Mug', color: 'red', 'color (2)': 'blue', 'color (3)': 'green' }, L2: { id: 'L2', title: 'Cup' } },
    content: () => lf('{"id": "L1", "title": "Mug", "color": "red", "color": "blue", "color": "green"}', '{"id": "L2", "title": "Cup"}'),
  },
  {
    file: 'object-id.json',
    what: 'an id given as a JSON object: that element is an error naming its line, the others load',
    exit: 0,
    ids: ['O1', 'O3'],
    errors: [{ line: 3, reason: "^the id \\(key 'id'\\) is an object: it must be a string or a number$" }],
    content: () => '[\n  {"id": "O1", "title": "One"},\n  {"id": {"x": 1}, "title": "Object id"},\n  {"id": "O3", "title": "Three"}\n]\n',
  },
  {
    file: 'object-id.jsonl',
    what: 'JSON Lines whose first line (and another) gives the id as an object: row errors, not a file without an id column',
    exit: 0,
    ids: ['J2'],
    errors: [
      { line: 1, reason: "^the id \\(key 'id'\\) is an object: it must be a string or a number$" },
      { line: 3, reason: "^the id \\(key 'id'\\) is an object: it must be a string or a number$" },
    ],
    content: () => lf('{"id": {"sku": "A"}, "title": "First"}', '{"id": "J2", "title": "Two"}', '{"id": {}, "title": "Empty object"}'),
  },
  {
    file: 'utf16le-after-utf8-bom.csv',
    what: 'a UTF-8 BOM followed by UTF-16 LE text: read as UTF-16 LE, every character kept, with a warning saying what the file is',
    exit: 0,
    ids: ['W1', 'W2'],
    warnings: ['^warning: utf16le-after-utf8-bom\\.csv: the file starts with a UTF-8 byte-order mark but holds UTF-16 LE text: it was read as UTF-16 LE'],
    bronze: { W1: { id: 'W1', title: 'Ünïcödé ✓ 日本' } },
    content: () => bytes([0xef, 0xbb, 0xbf], Buffer.from('id,title\r\nW1,Ünïcödé ✓ 日本\r\nW2,Plain\r\n', 'utf16le')),
  },
  {
    file: 'utf16le-after-utf8-bom.csv',
    case: 'utf16le-after-utf8-bom-with-encoding',
    what: 'the same file with --encoding utf-16le: the UTF-8 BOM is not read as text, no warning',
    flags: ['--encoding', 'utf-16le'],
    exit: 0,
    ids: ['W1', 'W2'],
    bronze: { W1: { id: 'W1', title: 'Ünïcödé ✓ 日本' } },
  },
  {
    file: 'utf16be-bom-after-utf8-bom.csv',
    what: 'a UTF-8 BOM, then a UTF-16 BE BOM and UTF-16 BE text',
    exit: 0,
    ids: ['W1', 'W2'],
    warnings: ['^warning: utf16be-bom-after-utf8-bom\\.csv: the file starts with a UTF-8 byte-order mark but holds UTF-16 BE text: it was read as UTF-16 BE'],
    bronze: { W1: { id: 'W1', title: 'Crème ✓' } },
    content: () => bytes([0xef, 0xbb, 0xbf, 0xfe, 0xff], Buffer.from('id,title\nW1,Crème ✓\nW2,Plain\n', 'utf16le').swap16()),
  },
  {
    file: 'title-line.csv',
    what: 'a title line before the header: skipped with a warning, the rows load, a bad row keeps its line number in the file',
    exit: 0,
    ids: ['T1', 'T3'],
    errors: [{ line: 4, reason: '^expected 3 columns, found 2$' }],
    warnings: ["^warning: title-line\\.csv: skipped line 1 \\('Product export 2026-12-01'\\) before the header on line 2: a title, not column names$"],
    bronze: { T1: { id: 'T1', title: 'One', price: '1' } },
    content: () => lf('Product export 2026-12-01', 'id,title,price', 'T1,One,1', 'T2,Two', 'T3,Three,3'),
  },
  {
    file: 'excel-sep.csv',
    what: "Excel's sep=; first line: ';' is the delimiter though the header holds more commas, the line is skipped, line numbers stay the file's",
    exit: 0,
    ids: ['E1', 'E3'],
    errors: [{ line: 4, reason: '^expected 3 columns, found 2$' }],
    bronze: { E1: { id: 'E1', title: 'Crème brûlée', 'notes (size, colour, care)': 'big, red, 1,50' } },
    content: () => lf('sep=;', 'id;title;notes (size, colour, care)', 'E1;Crème brûlée;big, red, 1,50', 'E2;Two', 'E3;Three;x'),
  },
  {
    file: 'malformed.xml',
    what: 'a feed whose third item breaks the XML (a mismatched closing tag): the items before it load, then exit 2 with line and column',
    exit: 2,
    ids: ['X1', 'X2'],
    message: '^assay: malformed\\.xml line 8, column \\d+: invalid XML \\(.*\\): the items before this point were loaded; fix the feed and load it again$',
    content: () =>
      lf(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>',
        '<item><g:id>X1</g:id><g:title>One</g:title></item>',
        '<item><g:id>X2</g:id><g:title>Two &amp; a half</g:title></item>',
        '<item>',
        '  <g:id>X3</g:id>',
        '  <g:title>Three</g:title>',
        '  <g:price>5 USD</g:cost>',
        '</item>',
        '</channel></rss>',
      ),
  },
  {
    file: 'truncated.xml',
    what: 'a feed cut off mid-item: the complete items load, then exit 2 saying it looks cut off',
    exit: 2,
    ids: ['C1', 'C2'],
    message: '^assay: truncated\\.xml .*invalid XML .*: the feed looks cut off: the items before this point were loaded; fetch it whole and load it again$',
    content: () =>
      [
        '<?xml version="1.0"?>',
        '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>',
        '<item><g:id>C1</g:id><g:title>One</g:title></item>',
        '<item><g:id>C2</g:id><g:title>Two</g:title></item>',
        '<item><g:id>C3</g:id><g:tit',
      ].join('\n'),
  },
  {
    file: 'html-page.xml',
    what: 'an HTML error page saved as feed.xml: not a feed, exit 2, nothing loaded',
    exit: 2,
    ids: [],
    message: "^assay: html-page\\.xml: this is an HTML page, not a product feed \\(a server's error or login page\\?\\): check the feed's address$",
    content: () => lf('<!DOCTYPE html>', '<html><head><title>503 Service Unavailable</title></head>', '<body><h1>Service Unavailable</h1></body></html>'),
  },
  {
    file: 'truncated.csv.gz',
    what: 'a gzip file cut off half-way: the rows inflated before the cut load, then exit 2',
    exit: 2,
    ids: ['G1', 'G2'],
    message:
      '^assay: truncated\\.csv\\.gz: the gzip data ends early \\(it is cut off\\): the rows before that point were loaded; fetch or copy the file whole and load it again$',
    // Stored (level 0) deflate blocks: the same bytes from every zlib version.
    content: () => {
      const text = lf('id,title', 'G1,One', 'G2,Two', 'G3,Three', 'G4,Four');
      const whole = gzipSync(Buffer.from(text), { level: 0 });
      return whole.subarray(0, 10 + 5 + 30);
    },
  },
  {
    file: 'csv-named.xlsx',
    what: 'a CSV file named .xlsx: says what it is and how to load it, exit 2',
    exit: 2,
    ids: [],
    message:
      '^assay: csv-named\\.xlsx: not an Excel workbook \\(an \\.xlsx file is a ZIP archive\\): it is plain text: if it is CSV, load it with --format csv$',
    content: () => lf('id,title', 'W1,Widget'),
  },
  {
    file: 'password.xlsx',
    what: 'a password-protected workbook (an encrypted OLE compound file): says to save a copy without a password, exit 2',
    exit: 2,
    ids: [],
    message:
      '^assay: password\\.xlsx: the workbook is password-protected: open it, save a copy without a password \\(or export the sheet as CSV\\) and load that$',
    // The compound-file signature and, where its directory would be, the stream name Office gives the encrypted workbook.
    content: () => {
      const out = Buffer.alloc(1536);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(out, 0);
      out.writeUInt16LE(0x3e, 24);
      out.writeUInt16LE(0x3, 26);
      out.writeUInt16LE(0xfffe, 28);
      out.writeUInt16LE(9, 30);
      Buffer.from('EncryptedPackage', 'utf16le').copy(out, 1024);
      return out;
    },
  },
  {
    file: 'feed-404.xml',
    what: 'a feed URL that answers 404 (served on 127.0.0.1): exit 3 with the status, nothing loaded',
    serve: { status: 404 },
    exit: 3,
    ids: [],
    message: '^assay: http://127\\.0\\.0\\.1:\\d+/feed-404\\.xml: download failed: the server answered HTTP 404; nothing from it was loaded$',
    content: () => lf('<html><body>Not Found</body></html>'),
  },
  {
    file: 'feed-500.xml',
    what: 'a feed URL that answers 500: exit 3 with the status, nothing loaded',
    serve: { status: 500 },
    exit: 3,
    ids: [],
    message: '^assay: http://127\\.0\\.0\\.1:\\d+/feed-500\\.xml: download failed: the server answered HTTP 500; nothing from it was loaded$',
    content: () => lf('Internal Server Error'),
  },
  {
    file: 'feed-redirect.xml',
    what: 'a feed URL that redirects to the cloud metadata address: refused before any connection, even with --allow-private-hosts, exit 2',
    serve: { status: 302, location: 'http://169.254.169.254/latest/meta-data/' },
    exit: 2,
    ids: [],
    message:
      '^assay: http://127\\.0\\.0\\.1:\\d+/feed-redirect\\.xml: refused to download from 169\\.254\\.169\\.254 \\(169\\.254\\.169\\.254 resolves to 169\\.254\\.169\\.254, a link-local or cloud metadata address\\)$',
    content: () => '',
  },
];

/** The case's bytes (the cases that reuse another case's file have none of their own). */
export function caseBytes(file) {
  const c = CASES.find((x) => x.file === file && x.content);
  if (!c) throw new Error(`no bad-input case writes ${file}`);
  const content = c.content();
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** What the test reads: every case without its content function. */
export function manifest() {
  return {
    about:
      'Bad-input corpus for assay load; regenerate with node scripts/make-bad-corpus.mjs. Cases marked big are written by test/bad-input.test.ts into a temp folder.',
    cases: CASES.map(({ content, ...c }) => ({
      case: c.case ?? c.file,
      file: c.file,
      what: c.what,
      flags: c.flags ?? [],
      exit: c.exit,
      loaded: c.ids.length,
      ids: c.ids,
      errors: c.errors ?? [],
      warnings: c.warnings ?? [],
      ...(c.message ? { message: c.message } : {}),
      ...(c.bronze ? { bronze: c.bronze } : {}),
      ...(c.bronzeLengths ? { bronzeLengths: c.bronzeLengths } : {}),
      ...(c.bronzeColumns ? { bronzeColumns: c.bronzeColumns } : {}),
      ...(c.exportIds ? { exportIds: c.exportIds } : {}),
      ...(c.big ? { big: true } : {}),
      ...(c.serve ? { serve: c.serve } : {}),
    })),
  };
}

export function manifestText() {
  return JSON.stringify(manifest(), null, 2) + '\n';
}

/** Writes the committed part of the corpus into `dir`, removing what is no longer a case. */
export function writeCorpus(dir) {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) rmSync(join(dir, name));
  for (const c of CASES) if (c.content && !c.big) writeFileSync(join(dir, c.file), caseBytes(c.file));
  writeFileSync(join(dir, 'manifest.json'), manifestText());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeCorpus(fileURLToPath(new URL('../fixtures/bad/', import.meta.url)));
}
