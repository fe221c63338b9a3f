import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { jsonOf, runCli, type CliResult } from './helpers/cli.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

interface LoadJson {
  schemaVersion: number;
  files: string[];
  total: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { file: string; line: number; code: string; reason: string }[];
  warnings: { file: string; message: string }[];
  duration_ms: number;
}

const load = (tmp: TempDir, args: string[], input?: string) => runCli(['load', ...args], { cwd: tmp.dir, input });

/** One line on stderr, prefixed `assay:`, without a stack trace. */
function expectCleanFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^assay: /);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

function catalogRows(path: string): { id: string; bronze: Record<string, string>; source_file: string; source_line: number }[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, bronze, source_file, source_line FROM products ORDER BY seq').all() as {
      id: string;
      bronze: string;
      source_file: string;
      source_line: number;
    }[];
    return rows.map((r) => ({ ...r, bronze: JSON.parse(r.bronze) as Record<string, string> }));
  } finally {
    db.close();
  }
}

const BROKEN = [
  'id,title,price',
  'P2,Alpha,1.00',
  'P3,Beta,2.00',
  'P4,Gamma,3.00',
  'P5,Delta,4.00',
  'P6,Epsilon,5.00',
  'P7,"Zeta never closes,6.00',
  'P8,Eta,7.00',
  'P9,Theta,8.00',
  'P10,Iota,9.00',
  'P11,Kappa,10.00',
  'P12,,11.00',
  'P13,Mu,12.00',
].join('\n');

describe('assay load (end to end)', () => {
  it('loads a CSV and prints one JSON document of the documented shape', async () => {
    const tmp = tempDir();
    tmp.write('p.csv', 'id,title,price\nA1,"Tent, 2 person",99.00\nA2,Stove,24.50\n');
    const result = await load(tmp, ['p.csv', '--db', 'c.db', '--json']);
    expect(result.code).toBe(0);
    const json = jsonOf<LoadJson>(result);
    expect(Object.keys(json).sort()).toEqual([
      'created',
      'duration_ms',
      'errors',
      'files',
      'rows',
      'schemaVersion',
      'total',
      'unchanged',
      'updated',
      'warnings',
    ]);
    expect(json).toMatchObject({ schemaVersion: 1, files: ['p.csv'], total: 2, rows: 2, created: 2, updated: 0, unchanged: 0, errors: [], warnings: [] });
    expect(Number.isInteger(json.duration_ms) && json.duration_ms >= 0).toBe(true);
    expect(catalogRows(tmp.path('c.db'))).toEqual([
      { id: 'A1', bronze: { id: 'A1', title: 'Tent, 2 person', price: '99.00' }, source_file: 'p.csv', source_line: 2 },
      { id: 'A2', bronze: { id: 'A2', title: 'Stove', price: '24.50' }, source_file: 'p.csv', source_line: 3 },
    ]);
  });

  it('names the unclosed quote on line 7 and the missing title on line 12, loads every other row, and writes a rejects file', async () => {
    const tmp = tempDir();
    tmp.write('broken.csv', BROKEN + '\n');
    const result = await load(tmp, ['broken.csv', '--db', 'c.db', '--json', '--rejects', 'rejects.csv']);
    expect(result.code).toBe(0);
    const json = jsonOf<LoadJson>(result);
    expect(json.errors).toEqual([
      { file: 'broken.csv', line: 7, code: 'unclosed_quote', reason: expect.stringMatching(/unclosed quote/) },
      { file: 'broken.csv', line: 12, code: 'no_title', reason: "no title (column 'title' is empty)" },
    ]);
    expect(json).toMatchObject({ rows: 12, total: 10, created: 10 });
    expect(catalogRows(tmp.path('c.db')).map((r) => r.id)).toEqual(['P2', 'P3', 'P4', 'P5', 'P6', 'P8', 'P9', 'P10', 'P11', 'P13']);

    const rejects = readFileSync(tmp.path('rejects.csv'), 'utf8').trimEnd().split('\n').sort();
    expect(rejects).toEqual(
      [
        'id,title,price,_assay_file,_assay_line,_assay_reason',
        `P7,"Zeta never closes,6.00,broken.csv,7,${json.errors[0].reason}`,
        "P12,,11.00,broken.csv,12,no title (column 'title' is empty)",
      ].sort(),
    );

    // Fixed by hand, the rejects file loads; the _assay_ columns are dropped.
    writeFileSync(tmp.path('fixed.csv'), readFileSync(tmp.path('rejects.csv'), 'utf8').replace('"Zeta never closes', 'Zeta').replace('P12,,', 'P12,Lambda,'));
    const again = jsonOf<LoadJson>(await load(tmp, ['fixed.csv', '--db', 'c.db', '--json']));
    expect(again).toMatchObject({ created: 2, errors: [] });
    expect(catalogRows(tmp.path('c.db')).find((r) => r.id === 'P12')!.bronze).toEqual({ id: 'P12', title: 'Lambda', price: '11.00' });
  });

  it.each([
    [',', 'rejects.csv', []],
    ['\t', 'rejects.tsv', ['--delimiter', 'tab']],
  ])(
    'rejects with %j: cells holding , ; or tab are quoted, the file name and reason escaped, and the fixed file loads the same values',
    async (d, rejectsFile, flags) => {
      const tmp = tempDir();
      const rows = [
        ['id', 'title', 'color;=x', 'price'],
        ['A1', 'Tent', 'red;=1+1', '10'],
        ['A2;=2+2', '', 'blue\t@SUM(A1)', '-5,+1'],
      ];
      const quote = (cell: string) => (/[",;\t]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
      tmp.write('feed;=1+1.txt', rows.map((r) => r.map(quote).join(d)).join('\n') + '\n');
      const result = await load(tmp, ['feed;=1+1.txt', '--format', 'csv', ...flags, '--db', 'c.db', '--rejects', rejectsFile]);
      expect(result.code, result.stderr).toBe(0);
      const written = readFileSync(tmp.path(rejectsFile), 'utf8');
      expect(written).toBe(
        [
          ['id', 'title', '"color;=x"', 'price', '_assay_file', '_assay_line', '_assay_reason'],
          ['"A2;=2+2"', '', '"blue\t@SUM(A1)"', '"-5,+1"', `"feed;'=1+1.txt"`, '3', "no title (column 'title' is empty)"],
        ]
          .map((r) => r.join(d))
          .join('\n') + '\n',
      );

      tmp.write('fixed.txt', written.replace(`"A2;=2+2"${d}${d}`, `"A2;=2+2"${d}Lamp${d}`));
      const again = await load(tmp, ['fixed.txt', '--format', 'csv', ...flags, '--db', 'c.db', '--json']);
      expect(jsonOf<LoadJson>(again)).toMatchObject({ created: 1, errors: [] });
      expect(catalogRows(tmp.path('c.db')).find((r) => r.id === 'A2;=2+2')!.bronze).toEqual({
        id: 'A2;=2+2',
        title: 'Lamp',
        'color;=x': 'blue\t@SUM(A1)',
        price: '-5,+1',
      });
    },
  );

  it("prints its summary, with the error lines, on stdout: the command's output", async () => {
    const tmp = tempDir();
    tmp.write('broken.csv', BROKEN);
    const result = await load(tmp, ['broken.csv', '--db', 'c.db']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created\s+10/);
    expect(result.stdout).toMatch(/errors\s+2/);
    expect(result.stdout).toMatch(/broken\.csv line 7: unclosed quote/);
    expect(result.stdout).toMatch(/broken\.csv line 12: no title/);
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stderr).toBe('');
  });

  it('reports unchanged and updated products on a second load', async () => {
    const tmp = tempDir();
    tmp.write('p.csv', 'id,title\n1,One\n2,Two\n');
    await load(tmp, ['p.csv', '--db', 'c.db']);
    expect(jsonOf<LoadJson>(await load(tmp, ['p.csv', '--db', 'c.db', '--json']))).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    tmp.write('p.csv', 'id,title\n1,One\n2,Two!\n');
    expect(jsonOf<LoadJson>(await load(tmp, ['p.csv', '--db', 'c.db', '--json']))).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it('--strict loads nothing and exits 2 when a row has an error', async () => {
    const tmp = tempDir();
    tmp.write('broken.csv', BROKEN);
    const result = await load(tmp, ['broken.csv', '--db', 'c.db', '--strict', '--json']);
    expectCleanFailure(result, /--strict: 2 row error\(s\), nothing was loaded/);
    expect(catalogRows(tmp.path('c.db'))).toEqual([]);
  });

  it('--max-field-mb: a row, line or element over it is one error naming file, line, column, size and flag; the rows after it load', async () => {
    const tmp = tempDir();
    const inner = Array.from({ length: 3000 }, (_, i) => `PHANTOM${i},Phantom ${i},said "hi"`).join('\n');
    tmp.write('long.csv', `id,title,description\n1,First,x\n2,Second,"${inner.replaceAll('"', '""')}"\n3,Third,y\n`);
    tmp.write('long.jsonl', `{"id":"4","title":"Fourth"}\n{"id":"5","title":"Fifth","description":"${'x'.repeat(100_000)}"}\n{"id":"6","title":"Sixth"}\n`);
    const result = await load(tmp, ['long.csv', 'long.jsonl', '--db', 'c.db', '--max-field-mb', '0.05', '--json']);
    expect(result.code).toBe(0);
    const doc = jsonOf<LoadJson>(result);
    expect(doc.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      ['long.csv', 3, 'row_too_large'],
      ['long.jsonl', 2, 'row_too_large'],
    ]);
    expect(doc.errors[0].reason).toMatch(
      /^the row is 0\.\d+ MB \(the largest field is column 'description'\), over the 0\.05 MB that --max-field-mb allows: raise --max-field-mb/,
    );
    expect(doc.errors[1].reason).toMatch(/^the line is 0\.\d+ MB, over the 0\.05 MB that --max-field-mb allows/);
    expect(catalogRows(tmp.path('c.db')).map((r) => [r.id, r.source_line])).toEqual([
      ['1', 2],
      ['3', 3003],
      ['4', 1],
      ['6', 3],
    ]);
  });

  it('refuses a --max-field-mb that is not a number above 0', async () => {
    const tmp = tempDir();
    tmp.write('p.csv', 'id,title\n1,a\n');
    expectCleanFailure(await load(tmp, ['p.csv', '--db', 'c.db', '--max-field-mb', '0']), /--max-field-mb takes a number above 0, got '0'/);
  });

  it('reads a file of many batches in its worker thread exactly as stdin is read in the main thread', async () => {
    const lines = ['id,title,image,note', 'A,Alpha,https://i.test/a1.jpg,'];
    for (let i = 0; i < 12_000; i++) {
      if (i === 3000) lines.push('B,,https://i.test/b.jpg,no title and no product B yet');
      if (i === 6000) lines.push('A,,https://i.test/a2.jpg,continues A from the first batch');
      if (i === 9000) lines.push('Q,"never closes,,');
      lines.push(`N${i},Product ${i} 20 €,,"line one\nline two"`);
    }
    lines.push('A,Alpha again,https://i.test/a3.jpg,');
    const text = lines.join('\n') + '\n';
    const tmp = tempDir();
    tmp.write('big.csv', text);
    const fromFile = await load(tmp, ['big.csv', '--db', 'file.db', '--json']);
    const fromStdin = await load(tmp, ['-', '--format', 'csv', '--db', 'stdin.db', '--json'], text);
    expect([fromFile.code, fromStdin.code]).toEqual([0, 0]);
    const summary = (result: CliResult) => {
      const { duration_ms: _, files: __, ...rest } = jsonOf<LoadJson>(result);
      return { ...rest, errors: rest.errors.map(({ file: ___, ...e }) => e), warnings: rest.warnings.map(({ file: ____, ...w }) => w) };
    };
    expect(summary(fromFile)).toEqual(summary(fromStdin));
    expect(summary(fromFile)).toMatchObject({
      rows: 12_005,
      created: 12_001,
      errors: [
        { line: 6003, code: 'no_title' },
        { line: 18_005, code: 'unclosed_quote' },
      ],
    });
    const rows = (path: string) => catalogRows(tmp.path(path)).map(({ source_file: _, ...r }) => r);
    expect(rows('file.db')).toEqual(rows('stdin.db'));
    expect(catalogRows(tmp.path('file.db'))[0].bronze.image).toBe('https://i.test/a1.jpg | https://i.test/a2.jpg | https://i.test/a3.jpg');
    expect(jsonOf<LoadJson>(await load(tmp, ['big.csv', '--db', 'file.db', '--json']))).toMatchObject({ created: 0, updated: 0, unchanged: 12_001 });
  });

  it('reads stdin with - and --format, for CSV and JSON Lines', async () => {
    const tmp = tempDir();
    const csv = await load(tmp, ['-', '--format', 'csv', '--db', 'c.db', '--json'], 'sku;name\nS1;Piped one\nS2;Piped two\n');
    expect(csv.code).toBe(0);
    expect(jsonOf<LoadJson>(csv)).toMatchObject({ files: ['-'], created: 2, errors: [] });
    const jsonl = await load(tmp, ['-', '--format', 'jsonl', '--db', 'c.db', '--json'], '{"id":"J1","title":"Line one"}\n{oops\n');
    expect(jsonl.code).toBe(0);
    expect(jsonOf<LoadJson>(jsonl)).toMatchObject({ created: 1, errors: [{ file: '-', line: 2, code: 'bad_json' }] });
    expect(catalogRows(tmp.path('c.db')).map((r) => [r.id, r.source_file])).toEqual([
      ['S1', 'stdin'],
      ['S2', 'stdin'],
      ['J1', 'stdin'],
    ]);
  });

  it('loads Latin-1 with --encoding latin1 and keeps the accents', async () => {
    const tmp = tempDir();
    tmp.write('latin.csv', Buffer.from('id,title\n1,Crème brûlée dish\n', 'latin1'));
    const result = await load(tmp, ['latin.csv', '--db', 'c.db', '--encoding', 'latin1', '--json']);
    expect(jsonOf<LoadJson>(result)).toMatchObject({ created: 1, warnings: [] });
    expect(catalogRows(tmp.path('c.db'))[0].bronze.title).toBe('Crème brûlée dish');
  });

  it.each([
    ['a JSON array', 'p.json', '[\n{"title":"no id here"},\n{"id":"J2","title":"Two"},\n{"name":"x","title":"Three"}\n]\n', 2],
    ['JSON Lines', 'p.jsonl', '{"title":"no id here"}\n{"id":"J2","title":"Two"}\n{"name":"x","title":"Three"}\n', 1],
  ])('in %s, a record without an id key is a row error, not the end of the file', async (_what, name, text, first) => {
    const tmp = tempDir();
    tmp.write(name, text);
    const json = jsonOf<LoadJson>(await load(tmp, [name, '--db', 'c.db', '--json']));
    expect(json).toMatchObject({ created: 1, rows: 3 });
    expect(json.errors.map((e) => [e.line, e.code, e.reason])).toEqual([
      [first, 'no_id', expect.stringMatching(/^no id key in this record/)],
      [first + 2, 'no_id', "no id (column 'id' is empty)"],
    ]);
    expect(catalogRows(tmp.path('c.db')).map((r) => r.id)).toEqual(['J2']);
  });

  it('takes the id from --id-column, and refuses a column that is not there', async () => {
    const tmp = tempDir();
    tmp.write('p.csv', 'GTIN-14,name\n00012345678905,Thing\n');
    expect(jsonOf<LoadJson>(await load(tmp, ['p.csv', '--db', 'c.db', '--id-column', 'GTIN-14', '--json']))).toMatchObject({ created: 1 });
    expect(catalogRows(tmp.path('c.db'))[0].id).toBe('00012345678905');
    expectCleanFailure(await load(tmp, ['p.csv', '--db', 'c.db', '--id-column', 'EAN']), /no column 'EAN'/);
  });

  describe('exits 2 with one clear line and no stack trace for', () => {
    const makeFolder = (name: string) => (t: TempDir) => {
      mkdirSync(t.path(name));
      return name;
    };
    const makeFile = (name: string, content: string | Uint8Array) => (t: TempDir) => {
      t.write(name, content);
      return name;
    };
    it.each([
      ['a missing file', (_t: TempDir) => 'nope.csv', /nope\.csv: no such file/],
      ['a directory', makeFolder('folder'), /folder is a directory/],
      ['a directory named like a CSV', makeFolder('dir.csv'), /dir\.csv is a directory/],
      ['an empty file', makeFile('empty.csv', ''), /empty\.csv: the file is empty/],
      ['an unknown extension', makeFile('p.foo', 'id,title\n1,a\n'), /p\.foo: cannot tell the format.*assay reads .*--format/],
      ['CSV text named .xlsx', makeFile('p.xlsx', 'id,title\n1,a\n'), /p\.xlsx: not an Excel workbook .*--format csv/],
      [
        'a binary file',
        makeFile(
          'photo.csv',
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
        ),
        /photo\.csv: this looks like a binary file/,
      ],
      ['a file with no id column', makeFile('p.csv', 'name,price\nLamp,3\n'), /p\.csv: no id column found.*--id-column/],
      ['a header with no id column and no records', makeFile('p.csv', 'name,price\n'), /p\.csv: no id column found.*--id-column/],
      ['a JSON object instead of an array', makeFile('p.json', '{"id":"1","title":"a"}'), /p\.json: .*expected a JSON array/],
    ])('%s', async (_what, make, pattern) => {
      const tmp = tempDir();
      const file = make(tmp);
      expectCleanFailure(await load(tmp, [file, '--db', 'c.db', '--json']), pattern);
    });

    it.each([
      ['empty stdin', '', /^assay: stdin: the input is empty/],
      ['a JSON object on stdin', '{"id": "1"}', /^assay: stdin: line 1, column 1 \(character 0\): expected a JSON array/],
    ])('%s, naming stdin rather than -', async (_what, input, pattern) => {
      const tmp = tempDir();
      expectCleanFailure(await load(tmp, ['-', '--format', 'json', '--db', 'c.db'], input), pattern);
    });

    it('stdin without --format: read by its content, or asked for --format when the content does not show it', async () => {
      const tmp = tempDir();
      expect(jsonOf<LoadJson>(await load(tmp, ['-', '--db', 'c.db', '--json'], '{"g:id":"S1","g:title":"Piped"}\n'))).toMatchObject({ created: 1, errors: [] });
      expectCleanFailure(
        await load(tmp, ['-', '--db', 'c.db'], 'id,title\n1,a\n'),
        /^assay: reading stdin \(-\) needs --format csv\|tsv\|json\|jsonl\|xml\|xlsx \(its content does not show which\)\n$/,
      );
    });

    it.each([
      ['the input file itself, which it would overwrite', (t: TempDir) => t.path('p.csv'), /--rejects .*p\.csv is also an input file/],
      ['a directory', (t: TempDir) => t.dir, /--rejects .* is a directory/],
      ['a file in a folder that does not exist', (t: TempDir) => t.path('nope/rejects.csv'), /--rejects .*rejects\.csv: its folder does not exist/],
    ])('--rejects naming %s; nothing is loaded and the input is kept', async (_what, target, pattern) => {
      const tmp = tempDir();
      const input = 'id,title\n1,a\n,no id\n';
      tmp.write('p.csv', input);
      expectCleanFailure(await load(tmp, ['p.csv', '--db', 'c.db', '--rejects', target(tmp)]), pattern);
      expect(readFileSync(tmp.path('p.csv'), 'utf8')).toBe(input);
      expect(existsSync(tmp.path('c.db'))).toBe(false);
    });

    it('a --db file that is not SQLite, which is left untouched', async () => {
      const tmp = tempDir();
      tmp.write('p.csv', 'id,title\n1,a\n');
      tmp.write('notes.txt', 'my shopping list\n');
      expectCleanFailure(await load(tmp, ['p.csv', '--db', 'notes.txt']), /notes\.txt is not a SQLite file/);
      expect(readFileSync(tmp.path('notes.txt'), 'utf8')).toBe('my shopping list\n');
    });

    it('a --db catalog whose schema_version table was dropped, which is left untouched', async () => {
      const tmp = tempDir();
      tmp.write('p.csv', 'id,title\n1,a\n');
      expect((await load(tmp, ['p.csv', '--db', 'c.db'])).code).toBe(0);
      const db = new Database(tmp.path('c.db'));
      db.exec('DROP TABLE schema_version');
      db.close();
      const before = readFileSync(tmp.path('c.db'));
      expectCleanFailure(await load(tmp, ['p.csv', '--db', 'c.db']), /c\.db is not an assay catalog, or it is damaged: it has no schema_version table/);
      expect(readFileSync(tmp.path('c.db')).equals(before)).toBe(true);
    });

    it('an unknown --encoding', async () => {
      const tmp = tempDir();
      tmp.write('p.csv', 'id,title\n1,a\n');
      expectCleanFailure(await load(tmp, ['p.csv', '--db', 'c.db', '--encoding', 'ebcdic']), /unknown --encoding 'ebcdic'/);
    });
  });

  it('uses ASSAY_DB when --db is not given', async () => {
    const tmp = tempDir();
    tmp.write('p.csv', 'id,title\n1,a\n');
    const result = await runCli(['load', 'p.csv', '--json'], { cwd: tmp.dir, env: { ASSAY_DB: 'from-env.db' } });
    expect(result.code).toBe(0);
    expect(catalogRows(tmp.path('from-env.db')).map((r) => r.id)).toEqual(['1']);
  });
});
