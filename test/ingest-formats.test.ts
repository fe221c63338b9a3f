import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, INPUT_FORMATS, INPUTS_END, INPUTS_START, formatOfContent, formatTable, readInputsBlock } from '../src/ingest/formats.js';
import { openSource } from '../src/ingest/source.js';
import type { RawItem, RawRecord } from '../src/ingest/types.js';
import { numberText } from '../src/ingest/xlsx-cell.js';
import { findColumn, ID_COLUMNS, TITLE_COLUMNS } from '../src/ingest/columns.js';
import { ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const inputsPage = readFileSync(join(ROOT, 'docs', 'inputs.md'), 'utf8');

async function recordsOf(file: string, options = {}): Promise<RawRecord[]> {
  const source = await openSource(file, options);
  const out: RawItem[] = [];
  for await (const item of source.items) out.push(item);
  return out.flatMap((i) => (i.kind === 'record' ? [i] : []));
}

describe('the input format registry', () => {
  it('is what the input table of docs/inputs.md shows (regenerate: npm run docs)', () => {
    const block = readInputsBlock(inputsPage);
    expect(block, `docs/inputs.md needs ${INPUTS_START} and ${INPUTS_END}`).toBeDefined();
    expect(block).toBe(formatTable());
    for (const format of INPUT_FORMATS) expect(block).toContain(`| \`${format.name}\` |`);
  });

  it('gives every format an extension of its own and a rejects form', () => {
    const extensions = INPUT_FORMATS.flatMap((f) => f.extensions);
    expect(new Set(extensions).size).toBe(extensions.length);
    expect(FORMAT_NAMES).toEqual(['csv', 'tsv', 'json', 'jsonl', 'xml', 'xlsx']);
  });

  it.each([
    ['<?xml version="1.0"?><rss/>', 'xml'],
    ['\ufeff  <rss version="2.0">', 'xml'],
    ['<feed xmlns="http://www.w3.org/2005/Atom">', 'xml'],
    ['[{"id":1}]', 'json'],
    ['{"id":1}\n', 'jsonl'],
    ['PK\x03\x04rest', 'xlsx'],
    ['id,title\n', undefined],
  ])('recognizes %j by content as %s', (head, format) => {
    expect(formatOfContent(Buffer.from(head, 'utf8'))?.name).toBe(format);
  });

  it('reads a file of unknown extension by its content, and lists the formats when the content does not tell', async () => {
    const tmp = tempDir();
    const feed = tmp.write('export.dat', '<rss><channel><item><id>1</id><title>Hat</title></item></channel></rss>');
    expect((await recordsOf(feed)).map((r) => r.fields.title)).toEqual(['Hat']);
    const csv = tmp.write('export.foo', 'id,title\n1,Hat\n');
    await expect(openSource(csv, {})).rejects.toThrow(
      /cannot tell the format from the extension '\.foo' or from the content: assay reads \.csv \.txt \(csv\).*\.xml .*\(xml\), \.xlsx .*\(xlsx\); any of them gzipped \(\.gz\); name the format with --format csv\|tsv\|json\|jsonl\|xml\|xlsx$/,
    );
  });

  it('refuses --format csv on a feed instead of reading it as blank lines', async () => {
    const tmp = tempDir();
    const feed = tmp.write('google_feed.xml', '<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>\n');
    await expect(openSource(feed, { format: 'csv' })).rejects.toThrow(
      /--format csv says CSV, but the content is a Merchant Center feed .*: load it with --format xml$/,
    );
  });
});

describe('gzip', () => {
  it('reads any format through .gz, and gzip under another name by its magic bytes', async () => {
    const tmp = tempDir();
    const csv = 'id,title\nZ1,Zipped\nZ2,Also\n';
    expect((await recordsOf(tmp.write('catalog.csv.gz', gzipSync(csv)))).map((r) => r.fields.id)).toEqual(['Z1', 'Z2']);
    expect((await recordsOf(tmp.write('catalog.csv', gzipSync(csv)))).map((r) => r.fields.id)).toEqual(['Z1', 'Z2']);
    const feed = readFileSync(join(ROOT, 'fixtures', 'feeds', 'merchant-rss.xml'));
    expect(await recordsOf(tmp.write('feed.xml.gz', gzipSync(feed)))).toHaveLength(3);
    expect(await recordsOf(tmp.write('feed.bin', gzipSync(feed)))).toHaveLength(3);
  });

  it('refuses a .gz name on content that is not gzip', async () => {
    const tmp = tempDir();
    await expect(openSource(tmp.write('plain.csv.gz', 'id,title\n1,a\n'), {})).rejects.toThrow(/the name ends in \.gz but the content is not gzip-compressed/);
  });
});

describe('xlsx', () => {
  it('reads the sample workbook as the sheet shows it: GTINs in full, padded formats, dates, merged header, no trailing columns', async () => {
    const rows = await recordsOf(join(ROOT, 'fixtures', 'sample.xlsx'));
    const csvIds = readFileSync(join(ROOT, 'fixtures', 'sample.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(rows.map((r) => r.fields.id)).toEqual(csvIds);
    const first = rows[0].fields;
    expect(first.gtin).toBe('4006381333931');
    expect(rows[1].fields.gtin).toBe('036000291452');
    expect(first.listed_on).toBe('2026-01-10');
    expect(first.additional_image_link).toBe('https://img.example.test/np/tb45-back.jpg');
    expect(first['additional_image_link (2)']).toBe('https://img.example.test/np/tb45-side.jpg');
    expect(Object.keys(first).filter((k) => k.startsWith('column_'))).toEqual([]);
    expect(rows[0].line).toBe(2);
  });

  it('picks a sheet by name and lists the sheets when there is none of that name', async () => {
    const file = join(ROOT, 'fixtures', 'sample.xlsx');
    expect((await recordsOf(file, { sheet: 'Notes', format: 'xlsx' })).length).toBe(0);
    await expect(recordsOf(file, { sheet: 'Prices' })).rejects.toThrow(/no sheet named 'Prices': the workbook's sheets are 'Products', 'Notes'$/);
  });

  it.each([
    [887276123456, 'General', '887276123456'],
    [12345678901234, 'General', '12345678901234'],
    [0.1 + 0.2, 'General', '0.3'],
    [36000291452, '000000000000', '036000291452'],
    [19.9, '0.00', '19.90'],
    [1299, '#,##0.00', '1299.00'],
    [0.25, '0%', '25%'],
    [42, '@', '42'],
    [-3.5, 'General', '-3.5'],
  ])('writes %d in format %s as %s', (value, format, text) => {
    expect(numberText(value, format)).toBe(text);
  });
});

describe('id and title columns of Merchant Center feeds', () => {
  it('are found under the g: prefix in any format, after the plain names', () => {
    expect(findColumn(['g:id', 'g:title', 'g:price'], ID_COLUMNS)).toBe('g:id');
    expect(findColumn(['g:id', 'g:title'], TITLE_COLUMNS)).toBe('g:title');
    expect(findColumn(['G:ID', 'title'], ID_COLUMNS)).toBe('G:ID');
    expect(findColumn(['g:id', 'id'], ID_COLUMNS)).toBe('id');
    expect(findColumn(['g:item_group_id'], ID_COLUMNS)).toBeUndefined();
  });
});
