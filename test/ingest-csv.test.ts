import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/ingest/csv.js';
import { sniffDelimiter } from '../src/ingest/csv-sniff.js';
import { loadFiles } from '../src/ingest/load.js';
import { megabytes } from '../src/ingest/limits.js';
import { openSource } from '../src/ingest/source.js';
import type { RawItem, RawRecord, RowError } from '../src/ingest/types.js';
import { openCatalog } from '../src/store/catalog.js';
import { tempDir } from './helpers/tmp.js';

/** The text cut into pieces of `size` characters, as a slow pipe would hand it over. */
async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size = 1 << 20, delimiter?: string, maxFieldBytes?: number): Promise<RawItem[]> {
  const items: RawItem[] = [];
  for await (const item of readCsv(pieces(text, size), { file: 'test.csv', delimiter, maxFieldBytes })) items.push(item);
  return items;
}

const records = (items: RawItem[]) => items.filter((i): i is RawRecord => i.kind === 'record');
const errors = (items: RawItem[]) => items.filter((i): i is RowError => i.kind === 'error');
/** Every chunking a reader must be indifferent to: one character, a few, and the whole text. */
const SIZES = [1, 2, 5, 64, 1 << 20];

describe('sniffDelimiter', () => {
  it.each([
    ['id,title,price\n1,a,2', ','],
    ['id;title;price\n1;a;2,50', ';'],
    ['id\ttitle\tprice\n1\ta, b\t2', '\t'],
    ['id|title|price\n1|a|2', '|'],
  ])('picks the delimiter of %j', (text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter);
  });

  it('ignores delimiters inside quoted header names and looks at the header line only', () => {
    expect(sniffDelimiter('"a,b,c";"d,e";f\n1,2,3,4,5,6,7,8')).toBe(';');
  });

  it('skips blank lines before the header', () => {
    expect(sniffDelimiter('\n  \r\n\t\nid;title\n1;a,b')).toBe(';');
  });

  it('falls back to a comma when nothing splits the header', () => {
    expect(sniffDelimiter('title\nfoo')).toBe(',');
  });
});

describe('readCsv', () => {
  describe.each(SIZES)('in chunks of %i characters', (size) => {
    it.each([
      [',', 'id,title,price\n1,"Shoe, red",2.50\n'],
      [';', 'id;title;price\n1;Shoe, red;2,50\n'],
      ['\t', 'id\ttitle\tprice\n1\tShoe, red\t2,50\n'],
      ['|', 'id|title|price\n1|Shoe, red|2,50\n'],
    ])('sniffs %j and splits rows by it', async (_delimiter, text) => {
      const items = await read(text, size);
      expect(items[0]).toEqual({ kind: 'header', columns: ['id', 'title', 'price'] });
      expect(records(items)).toHaveLength(1);
      expect(records(items)[0].fields.title).toBe('Shoe, red');
    });

    it('keeps newlines inside quoted fields and numbers each row by the line it starts on', async () => {
      const text = 'id,title,desc\n1,a,"one\ntwo\nthree"\n2,b,x\n3,"c\n\nd",y\n4,d,z\n';
      const items = await read(text, size);
      expect(errors(items)).toEqual([]);
      expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([
        [2, '1'],
        [5, '2'],
        [6, '3'],
        [9, '4'],
      ]);
      expect(records(items)[0].fields.desc).toBe('one\ntwo\nthree');
      expect(records(items)[2].fields.title).toBe('c\n\nd');
    });

    it('reports an unclosed quote on its own line and reads every row after it', async () => {
      const lines = ['id,title,price', '1,a,1', '2,b,2', '3,c,3', '4,d,4', '5,e,5', '6,"f never closed,6', '7,g,7', '8,h,8', '9,i,9'];
      const items = await read(lines.join('\n') + '\n', size);
      expect(errors(items)).toEqual([expect.objectContaining({ line: 7, code: 'unclosed_quote', raw: '6,"f never closed,6' })]);
      expect(errors(items)[0].reason).toMatch(/unclosed quote/);
      expect(records(items).map((r) => r.fields.id)).toEqual(['1', '2', '3', '4', '5', '7', '8', '9']);
      expect(records(items).map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 8, 9, 10]);
    });

    it('reports an unclosed quote that swallows later lines on the line where it opened', async () => {
      const items = await read('id,title,desc\n1,a,"runs on\n2,b,y\n3,c,"ok"\n4,d,e\n', size);
      expect(errors(items)).toHaveLength(1);
      expect(errors(items)[0]).toMatchObject({ line: 2, code: 'unclosed_quote' });
      expect(errors(items)[0].reason).toMatch(/unclosed quote.*line 4/);
      expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([
        [3, '2'],
        [4, '3'],
        [5, '4'],
      ]);
    });

    it('reads a stray quote inside an unquoted field as part of the text', async () => {
      const items = await read('id,title,price\n1,Pizza tray 12" round,1\n2,b"c"d,2\n3,c,3\n', size);
      expect(errors(items)).toEqual([]);
      expect(records(items).map((r) => r.fields.title)).toEqual(['Pizza tray 12" round', 'b"c"d', 'c']);
    });

    it('keeps text after a closing quote as written, quotes and all', async () => {
      const items = await read('id,title,price\n1,"bad"x,1\n2,"ok",2\n', size);
      expect(errors(items)).toEqual([]);
      expect(records(items).map((r) => r.fields.title)).toEqual(['"bad"x', 'ok']);
    });

    it('reports rows with too few or too many columns and keeps the rest', async () => {
      const items = await read('id,title,price\n1,a,1\n2,b\n3,c,3,extra\n4,d,4\n', size);
      expect(errors(items)).toEqual([
        expect.objectContaining({ line: 3, code: 'column_count', reason: 'expected 3 columns, found 2', raw: '2,b' }),
        expect.objectContaining({ line: 4, code: 'column_count', reason: 'expected 3 columns, found 4', raw: '3,c,3,extra' }),
      ]);
      expect(records(items).map((r) => r.fields.id)).toEqual(['1', '4']);
    });

    it('sniffs the delimiter on the header even after blank lines', async () => {
      const items = await read('\n \n\nid;title\n1;a, b\n', size);
      expect(records(items).map((r) => [r.line, r.fields.title])).toEqual([[5, 'a, b']]);
    });

    it('skips blank lines but still counts them for line numbers', async () => {
      const items = await read('id,title\n\n1,a\n\n\n2,b\n', size);
      expect(records(items).map((r) => r.line)).toEqual([3, 6]);
    });
  });

  it('reads every row after a quote that never closes, however many there are', async () => {
    const lines = ['id,title', '1,"never closed'];
    for (let n = 2; n <= 200_000; n++) lines.push(`${n},Product ${n}`);
    const items = await read(lines.join('\n') + '\n');
    expect(errors(items)).toEqual([expect.objectContaining({ line: 2, code: 'unclosed_quote' })]);
    const rows = records(items);
    expect(rows).toHaveLength(199_999);
    expect([rows[0].line, rows[0].fields.id, rows.at(-1)!.line, rows.at(-1)!.fields.id]).toEqual([3, '2', 200_001, '200000']);
  });

  it('names empty and repeated header cells so no column is lost, and says which it renamed', async () => {
    const items = await read('id,title,,title\n1,a,x,b\n');
    expect(items[0]).toEqual({
      kind: 'header',
      columns: ['id', 'title', 'column_3', 'title (2)'],
      renamed: [
        { column: 3, from: '', to: 'column_3' },
        { column: 4, from: 'title', to: 'title (2)' },
      ],
    });
    expect(records(items)[0].fields).toEqual({ id: '1', title: 'a', column_3: 'x', 'title (2)': 'b' });
  });

  it('never gives a renamed column a name the header already uses', async () => {
    const items = await read('id,a,a (2),a,column_5,\n1,p,q,r,s,t\n');
    expect(items[0]).toMatchObject({ columns: ['id', 'a', 'a (2)', 'a (3)', 'column_5', 'column_6'] });
    expect(records(items)[0].fields).toEqual({ id: '1', a: 'p', 'a (2)': 'q', 'a (3)': 'r', column_5: 's', column_6: 't' });
  });

  it('keeps a name the header writes further right for that column, not for a made-up one', async () => {
    const items = await read('id,,column_2,a,a (2)\n1,p,q,r,s\n');
    expect(items[0]).toMatchObject({ columns: ['id', 'column_2 (2)', 'column_2', 'a', 'a (2)'] });
    expect(records(items)[0].fields).toEqual({ id: '1', 'column_2 (2)': 'p', column_2: 'q', a: 'r', 'a (2)': 's' });
  });

  it('reads lines of spaces before the header and between rows as blank lines', async () => {
    const items = await read('  \n,,\nid,title\n \t \n1,a\n  ,  \n2,b\n');
    expect(items[0]).toEqual({ kind: 'header', columns: ['id', 'title'] });
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([
      [5, '1'],
      [7, '2'],
    ]);
  });

  it('refuses a file of blank lines, saying so', async () => {
    await expect(read('\n  \n\t\n,,\n')).rejects.toThrow(/test\.csv: the file holds only blank lines/);
  });

  it('uses a given delimiter instead of sniffing', async () => {
    const items = await read('id;title,x\n1;a,b\n', 1 << 20, ';');
    expect(records(items)[0].fields).toEqual({ id: '1', 'title,x': 'a,b' });
  });

  it('skips rows whose cells are all empty, as spreadsheets write them', async () => {
    const items = await read('id,title,price\n1,a,1\n,,\n2,b,2\n,,\n');
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => r.fields.id)).toEqual(['1', '2']);
  });
});

describe('a title or sep= line before the header', () => {
  async function readWith(text: string, size: number, options: { delimiter?: string; idColumn?: string } = {}): Promise<RawItem[]> {
    const items: RawItem[] = [];
    for await (const item of readCsv(pieces(text, size), { file: 'test.csv', ...options })) items.push(item);
    return items;
  }
  const header = (items: RawItem[]) => items.flatMap((i) => (i.kind === 'header' ? [i.columns] : []))[0];
  const warnings = (items: RawItem[]) => items.flatMap((i) => (i.kind === 'warning' ? [i.message] : []));

  it.each(SIZES)('skips a title line with a warning, and rows keep their own line numbers (chunks of %i)', async (size) => {
    const items = await readWith('Product export 2026-12-01\nid,title\n1,a\n2\n', size);
    expect(warnings(items)).toEqual(["skipped line 1 ('Product export 2026-12-01') before the header on line 2: a title, not column names"]);
    expect(header(items)).toEqual(['id', 'title']);
    expect(records(items).map((r) => r.line)).toEqual([3]);
    expect(errors(items)).toEqual([expect.objectContaining({ line: 4, code: 'column_count' })]);
  });

  it('skips several title lines, padded with empty cells as spreadsheets write them, across blank lines', async () => {
    const items = await readWith('Report,,\n\nGenerated by shop,,\nsku,name,price\nS1,A,1\n', 3);
    expect(warnings(items)).toEqual(["skipped lines 1 and 3 ('Report', 'Generated by shop') before the header on line 4: a title, not column names"]);
    expect(records(items).map((r) => [r.line, r.fields.sku])).toEqual([[5, 'S1']]);
  });

  it('tells the header by the id column --id-column names', async () => {
    expect(header(await readWith('Export\nEAN,name\n1,a\n', 64, { idColumn: 'EAN' }))).toEqual(['EAN', 'name']);
    expect(header(await readWith('Export\nEAN,name\n1,a\n', 64))).toEqual(['Export']);
  });

  it.each([
    ['a one-column header that is an id column', 'sku\nA1\nA2\n', ['sku']],
    ['a header without an id column', 'name,price\nLamp,3\n', ['name', 'price']],
    ['a first line with two fields', 'Report, Q4 2026\nid,title\n1,a\n', ['Report', 'Q4 2026']],
    ['a next line without an id column', 'Products\nname,price\nLamp,3\n', ['Products']],
  ])('keeps the first line as the header when it could be one: %s', async (_what, text, columns) => {
    const items = await readWith(text, 2);
    expect(header(items)).toEqual(columns);
    expect(warnings(items)).toEqual([]);
  });

  it.each(SIZES)('honours an Excel sep= first line over sniffing, and skips it (chunks of %i)', async (size) => {
    // The header's commas outnumber its semicolons, so sniffing alone would split it on commas.
    const items = await readWith('sep=;\nid;title;notes (size, colour, care)\n1;Mug;big, red, wash\n2;Cup\n', size);
    expect(header(items)).toEqual(['id', 'title', 'notes (size, colour, care)']);
    expect(records(items).map((r) => [r.line, r.fields['notes (size, colour, care)']])).toEqual([[3, 'big, red, wash']]);
    expect(errors(items)).toEqual([expect.objectContaining({ line: 4, code: 'column_count' })]);
    expect(warnings(items)).toEqual([]);
  });

  it('reads sep= with a tab, and lets --delimiter win over it', async () => {
    expect(header(await readWith('sep=\t\nid\ttitle, long\n1\ta\n', 64))).toEqual(['id', 'title, long']);
    expect(header(await readWith('SEP=;\nid,title\n1,a\n', 64, { delimiter: ',' }))).toEqual(['id', 'title']);
  });
});

describe('readCsv with a field size limit', () => {
  /** Lines that look like rows, as a long description holds them: none may become a product. */
  const inner = (n: number) => Array.from({ length: n }, (_, i) => `PHANTOM${i},Phantom ${i},said ""hi""`).join('\n');

  describe.each([1, 7, 4096, 1 << 20])('in chunks of %i characters', (size) => {
    it('reports a quoted field over the limit as one row error on its line, and reads the rows after it', async () => {
      const text = `id,title,desc\n1,a,x\n2,b,"${inner(200)}"\n3,c,"two\nlines"\n\n4,d,y\n`;
      const items = await read(text, size, undefined, 2000);
      expect(errors(items)).toEqual([expect.objectContaining({ line: 3, code: 'row_too_large' })]);
      expect(errors(items)[0].reason).toMatch(/^the row is [\d.]+ MB \(the largest field is column 'desc'\), over the [\d.]+ MB that --max-field-mb allows/);
      expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([
        [2, '1'],
        [203, '3'],
        [206, '4'],
      ]);
    });

    it('reports an unquoted field over the limit as one row error instead of loading it', async () => {
      const items = await read(`id,title,desc\n1,${'a'.repeat(5000)},x\n2,b,y\n`, size, undefined, 2000);
      expect(errors(items)).toEqual([expect.objectContaining({ line: 2, code: 'row_too_large' })]);
      expect(errors(items)[0].reason).toMatch(/column 'title'/);
      expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([[3, '2']]);
    });
  });

  // How the time grows with the field's length is measured by `npm run bench` (the long-fields case).
  it('reads a quoted field of 8 MB, inner lines and doubled quotes included, whole as one field', async () => {
    const inner1 = `${inner(1)}\n`;
    const copies = Math.round((8 * 1024 * 1024) / inner1.length);
    const items = await read(`id,title,desc\n1,a,"${inner1.repeat(copies)}"\n2,b,x\n`, 64 * 1024);
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([
      [2, '1'],
      [2 + copies + 1, '2'],
    ]);
    const desc = records(items)[0].fields.desc;
    expect(desc.length).toBe(copies * (inner1.length - 2));
    expect(desc === 'PHANTOM0,Phantom 0,said "hi"\n'.repeat(copies)).toBe(true);
  }, 60_000);

  it('keeps a limit of a tiny fraction of a megabyte, never reading it as no limit, and refuses a header over it', async () => {
    await expect(read('id,title\n1,a\n', 64, undefined, megabytes(1e-9))).rejects.toMatchObject({
      code: 'header_too_large',
      message: expect.stringMatching(/line 1: the header row is/),
    });
  });

  it('loads a field just under the limit whole', async () => {
    const items = await read(`id,title,desc\n1,a,"${inner(60)}"\n2,b,y\n`, 64, undefined, 4000);
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => r.fields.desc.split('\n').length)).toEqual([60, 1]);
  });

  it('reports a quoted field over the limit that never closes, on the line where it opened', async () => {
    const items = await read(`id,title,desc\n1,a,x\n2,b,"${inner(200)}\n`, 4096, undefined, 2000);
    expect(errors(items)).toEqual([expect.objectContaining({ line: 3, code: 'row_too_large' })]);
    expect(records(items).map((r) => r.fields.id)).toEqual(['1']);
  });

  it('passes over several rows over the limit in a row', async () => {
    const big = `"${inner(100)}"`;
    const items = await read(`id,title,desc\n1,a,${big}\n2,b,${big}\n3,c,x\n`, 100, undefined, 1000);
    expect(errors(items).map((e) => [e.line, e.code])).toEqual([
      [2, 'row_too_large'],
      [102, 'row_too_large'],
    ]);
    expect(records(items).map((r) => [r.line, r.fields.id])).toEqual([[202, '3']]);
  });
});

describe('CSV files', () => {
  it('reads CRLF, LF and lone CR line endings mixed in one file, also inside quotes', async () => {
    const tmp = tempDir();
    const file = tmp.write('mixed.csv', 'id,title,desc\r\n1,a,x\n2,b,"multi\r\nline"\r3,c,z\r\n');
    const source = await openSource(file, {});
    const items: RawItem[] = [];
    for await (const item of source.items) items.push(item);
    expect(errors(items)).toEqual([]);
    expect(records(items).map((r) => [r.line, r.fields.id, r.fields.desc])).toEqual([
      [2, '1', 'x'],
      [3, '2', 'multi\nline'],
      [5, '3', 'z'],
    ]);
  });

  it('loads every row but an unclosed quote on line 7 and a row without a title on line 12, naming both lines', async () => {
    const tmp = tempDir();
    const lines = ['id,title,price'];
    for (let n = 2; n <= 15; n++) {
      if (n === 7) lines.push(`P${n},"Broken quote,9.99`);
      else if (n === 12) lines.push(`P${n},,9.99`);
      else lines.push(`P${n},Product ${n},9.99`);
    }
    const file = tmp.write('broken.csv', lines.join('\n') + '\n');
    const db = openCatalog(tmp.path('catalog.db'));
    try {
      const summary = await loadFiles(db, [file]);
      expect(summary.errors.map((e) => [e.line, e.code])).toEqual([
        [7, 'unclosed_quote'],
        [12, 'no_title'],
      ]);
      expect(summary.errors.every((e) => e.file === file)).toBe(true);
      expect(summary.rows).toBe(14);
      expect(summary.created).toBe(12);
      const ids = (db.prepare('SELECT id FROM products ORDER BY source_line').all() as { id: string }[]).map((r) => r.id);
      expect(ids).toEqual(['P2', 'P3', 'P4', 'P5', 'P6', 'P8', 'P9', 'P10', 'P11', 'P13', 'P14', 'P15']);
    } finally {
      db.close();
    }
  });
});

describe('column names that are members of every JavaScript object', () => {
  it('reads __proto__, constructor, toString, valueOf and hasOwnProperty as columns like any other', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const [row] = records(await read(`id,${names.join(',')}\nP1,a,b,c,d,e\n`));
    expect(Object.keys(row.fields)).toEqual(['id', ...names]);
    expect(names.map((n) => row.fields[n])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
