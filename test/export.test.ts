import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createSummary } from '../src/gold/summary.js';
import { neutralizeFormula } from '../src/csv-cell.js';
import { CSV_HEADER } from '../src/report/export/csv.js';
import { HTML_MAX_PRODUCTS, HTML_PAGE_ROWS } from '../src/report/export/html.js';
import { writeExport, type ExportFormat } from '../src/report/export/index.js';
import type { ExportRecord } from '../src/report/export/record.js';
import { checkWellFormed, isLiveFormula, scored, spreadsheetCells, unscored } from './helpers/export.js';
import { tempDir } from './helpers/tmp.js';

const summary = createSummary().finish();
const options = { threshold: 65, exportedAt: '2025-01-02T03:04:05.678Z' };

async function exported(format: ExportFormat, records: Iterable<ExportRecord>): Promise<{ text: string; count: number }> {
  const out = tempDir().path(`out.${format}`);
  const count = await writeExport(format, out, records, summary, options);
  return { text: readFileSync(out, 'utf8'), count };
}

describe('csv formula escaping', () => {
  it.each([
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+1', "'+1"],
    ['@a', "'@a"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['-', "'-"],
  ])('escapes %j', (cell, expected) => expect(neutralizeFormula(cell)).toBe(expected));

  it.each(['-3', '-0.5', 'Trail 45L', 'a=b', ''])('leaves %j as it is', (cell) => expect(neutralizeFormula(cell)).toBe(cell));

  it.each([
    ['foo;=1+1;bar', "foo;'=1+1;bar"],
    ['ID;=2+2', "ID;'=2+2"],
    ['a\t+1', "a\t'+1"],
    ['a,@x', "a,'@x"],
    ['a\n-2+3', "a\n'-2+3"],
    ['a\r\n=1', "a\r\n'=1"],
    ['a; =1', "a;' =1"],
    ['a;"=1"', `a;'"=1"`],
    [' =1', "' =1"],
    ['\t=1', "'\t'=1"],
  ])('escapes %j after a separator or line break too', (cell, expected) => expect(neutralizeFormula(cell)).toBe(expected));

  it.each(['a;-3', 'x;y', '10,5', 'a\tb', 'gtin:10;title:4.57'])('leaves %j as it is', (cell) => expect(neutralizeFormula(cell)).toBe(cell));
});

const HOSTILE_CELLS = [
  'foo;=1+1;bar',
  'ID;=2+2',
  '=1+1',
  'a\t=1+1',
  'a,+1',
  'x\n@SUM(A1)',
  'x\r\n-2+3',
  'x; =1+1',
  'x;"=1+1"',
  '"=1+1"',
  '\t=1',
  ' =1',
  'x;\t=1',
  'a,b;c\td',
  'plain;text',
];

describe('csv export in , ; and tab locales', () => {
  const records = HOSTILE_CELLS.map((cell, i) => scored(i % 2 ? cell : `${cell}${i}`, { title: cell, brand: cell, score: 40 }));

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('no cell a spreadsheet splitting on %j makes starts a formula (%s)', async (separator) => {
    const { text } = await exported('csv', records);
    const live = spreadsheetCells(text, separator).filter(isLiveFormula);
    expect(live).toEqual([]);
  });

  it('quotes every cell holding ; or tab, and a CSV reader gets the escaped text back', async () => {
    const { text } = await exported('csv', records);
    expect(text).toContain('"foo;\'=1+1;bar"');
    expect(text).toContain('"plain;text"');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.title)).toEqual(HOSTILE_CELLS.map(neutralizeFormula));
    expect(rows.map((r) => r.brand)).toEqual(HOSTILE_CELLS.map(neutralizeFormula));
  });
});

describe('csv export', () => {
  it('writes one RFC 4180 row per product that parses back, formulas escaped', async () => {
    const tricky = scored('=HYPERLINK("http://x")', {
      title: 'Tent, "2 person"\nlight',
      brand: '@evil',
      score: 42,
      gaps: [
        { field: 'gtin', pointsLost: 10, reasons: ['gtin.missing'] },
        { field: 'title', pointsLost: 4.567, reasons: ['title.no_type'] },
      ],
    });
    const { text, count } = await exported('csv', [tricky, unscored('p2', 'bronze')]);
    expect(count).toBe(2);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(CSV_HEADER);
    expect(rows[0]).toMatchObject({
      id: `'=HYPERLINK("http://x")`,
      title: 'Tent, "2 person"\nlight',
      brand: "'@evil",
      score: '42',
      band: 'warning',
      identity: '10',
      gaps: 'gtin:10;title:4.57',
      missing_fields: 'gtin',
      feed_ready: 'false',
      duplicate_of: 'p0',
      broken_url_count: '1',
      broken_urls: 'https://img.example.test/a.jpg',
    });
    expect(rows[1]).toMatchObject({ id: 'p2', stage: 'bronze', score: '', band: '', gaps: '', broken_url_count: '' });
  });

  it('streams a large export without holding it', async () => {
    function* many() {
      for (let i = 0; i < 20_000; i++) yield scored(`p${i}`);
    }
    const { text, count } = await exported('csv', many());
    expect(count).toBe(20_000);
    expect(text.split('\r\n').length).toBe(20_002);
  });
});

describe('json and jsonl export', () => {
  it('json: one document with the summary and every record', async () => {
    const { text } = await exported('json', [scored('p1'), unscored('p2', 'silver')]);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ schemaVersion: 1, exportedAt: options.exportedAt, catalogSummary: summary });
    expect(doc.products.map((p: ExportRecord) => p.id)).toEqual(['p1', 'p2']);
    expect(doc.products[0]).toEqual(scored('p1'));
    expect(Object.keys(doc.products[0])).toEqual(['id', 'stage', 'title', 'brand', 'record', 'silver', 'gold', 'rubricVersion']);
  });

  it('json: an empty export is still one document', async () => {
    expect(JSON.parse((await exported('json', [])).text).products).toEqual([]);
  });

  it('jsonl: one record a line', async () => {
    const { text } = await exported('jsonl', [scored('p1'), scored('p2')]);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([scored('p1'), scored('p2')]);
  });
});

describe('junit export', () => {
  const records = [
    scored('ok', { score: 90 }),
    scored('low', { title: 'A <b>"bold"</b> & \'odd\' \u0001 title', score: 42 }),
    unscored('new', 'bronze'),
    unscored('bad', 'silver', 'normalize exploded'),
  ];

  it('is well-formed XML with counts that match the cases', async () => {
    const { text, count } = await exported('junit', records);
    expect(count).toBe(4);
    checkWellFormed(text);
    expect(text.match(/<testsuite /g)).toHaveLength(2);
    expect(text.match(/<testcase /g)).toHaveLength(8);
    expect(text.match(/<failure /g)).toHaveLength(3);
    expect(text).toMatch(/<testsuites name="assay" tests="8" failures="3" errors="1" skipped="1"/);
    expect(text).toMatch(/<testsuite name="assay.gold" tests="4" failures="3" errors="0" skipped="0"/);
    expect(text).toMatch(/<testsuite name="assay.silver" tests="4" failures="0" errors="1" skipped="1"/);
  });

  it('the well-formedness check itself rejects broken XML', () => {
    for (const bad of ['<a><b></a>', '<a>x & y</a>', '<a x="<">', '<a/><b/>', '<a>1 < 2</a>', '<a>']) expect(() => checkWellFormed(bad), bad).toThrow();
    expect(() => checkWellFormed('<?xml version="1.0"?>\n<a x="&amp;"><b/>t &lt; u</a>\n')).not.toThrow();
  });

  it('fails a product under the threshold with its gaps, escaped', async () => {
    const { text } = await exported('junit', records);
    expect(text).toContain('name="low A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; &apos;odd&apos; \uFFFD title"');
    expect(text).toContain('<failure message="score 42 &lt; 65" type="below_threshold">gtin: -10 points</failure>');
    expect(text).toMatch(/classname="assay.unscored" name="new"[\s\S]*?type="not_scored"/);
    expect(text).toContain('<error message="normalize exploded" type="normalize_error"/>');
  });
});

describe('html export', () => {
  it('embeds the products as JSON that no title can break out of', async () => {
    const evil = scored('x', { title: '</script><script>alert(1)</script><!--' });
    const { text } = await exported('html', [evil, scored('y')]);
    expect(text.match(/<script/g)).toHaveLength(2);
    const json = /<script type="application\/json" id="product-data">(.*?)<\/script>/s.exec(text)?.[1] ?? '';
    expect(JSON.parse(json).map((p: { title: string }) => p.title)).toEqual([evil.title, 'Product y title']);
    expect(text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(text).toMatch(/<svg id="distribution"/);
    expect(text).toMatch(/<table id="products"[ >]/);
    expect(text).not.toMatch(/(src|href)="https?:/);
  });

  it(`keeps at most ${HTML_MAX_PRODUCTS} products and renders ${HTML_PAGE_ROWS} rows server-side`, async () => {
    function* many() {
      for (let i = 0; i < HTML_MAX_PRODUCTS + 5; i++) yield scored(`p${i}`);
    }
    const { text, count } = await exported('html', many());
    // The count is what the page holds; the page says how many it left out.
    expect(count).toBe(HTML_MAX_PRODUCTS);
    expect(text).toContain(
      `the table lists ${HTML_MAX_PRODUCTS.toLocaleString('en-US')} of the ${(HTML_MAX_PRODUCTS + 5).toLocaleString('en-US')} matching products`,
    );
    const tbody = /<table id="products"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(text)?.[1] ?? '';
    expect(tbody.match(/<tr>/g)).toHaveLength(HTML_PAGE_ROWS);
    expect(text).toContain('5 more products are left out of this page');
  });
});

describe('the output file', () => {
  it('is not left half-written when the export fails', async () => {
    const dir = tempDir();
    function* failing() {
      yield scored('p1');
      throw new Error('disk on fire');
    }
    await expect(writeExport('csv', dir.path('out.csv'), failing(), summary, options)).rejects.toThrow('disk on fire');
    expect(existsSync(dir.path('out.csv'))).toBe(false);
    expect(readdirSync(dir.dir)).toEqual([]);
  });

  it('names a missing folder as a user error', async () => {
    await expect(writeExport('csv', tempDir().path('no/such/out.csv'), [], summary, options)).rejects.toMatchObject({ code: 'export_unwritable' });
  });
});
