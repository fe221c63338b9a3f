import { readCsv } from './csv.js';
import { readJsonArray, readJsonl } from './json.js';
import type { Format, RawItem } from './types.js';
import { readXlsx } from './xlsx.js';
import { readXmlFeed } from './xml.js';

/** What a reader is handed: the decoded text for text formats, the bytes for the others. */
export interface ReaderInput {
  /** How messages name the source: the file, `stdin` or the URL. */
  label: string;
  text: () => AsyncIterable<string>;
  bytes: AsyncIterable<Uint8Array>;
  delimiter?: string;
  sheet?: string;
  /** The id column a flag or the mapping names: a CSV title line before the header is told by it. */
  idColumn?: string;
  /** The largest row, line or element read, in bytes; one over it is a row error. */
  maxFieldBytes?: number;
}

/**
 * One input format: how it is named, how its first bytes give it away when the name does not,
 * how it is read, and what a --rejects file of it holds. Adding a format touches this list and
 * the reader; flags, help, messages and the table of docs/inputs.md are made from it.
 */
export interface InputFormat {
  name: Format;
  title: string;
  extensions: readonly string[];
  /** How the content is recognized, in words, for the docs. */
  sign: string;
  /** Whether the first bytes (decoded as Latin-1, BOM and leading space dropped) are this format. */
  recognize?: (head: string, bytes: Uint8Array) => boolean;
  /** Text formats are decoded (BOM, --encoding, line endings) before their reader sees them. */
  isText: boolean;
  rejects: 'csv' | 'jsonl';
  example: string;
  read: (input: ReaderInput) => AsyncIterable<RawItem>;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const XML_START = /^<(\?xml|rss[\s>]|feed[\s>]|!--)/;

export const INPUT_FORMATS: readonly InputFormat[] = [
  {
    name: 'csv',
    title: 'CSV',
    extensions: ['.csv', '.txt'],
    sign: 'by name only (text with a header row)',
    isText: true,
    rejects: 'csv',
    example: 'assay load products.csv',
    read: (i) => readCsv(i.text(), { file: i.label, delimiter: i.delimiter, idColumn: i.idColumn, maxFieldBytes: i.maxFieldBytes }),
  },
  {
    name: 'tsv',
    title: 'TSV',
    extensions: ['.tsv', '.tab'],
    sign: 'by name only',
    isText: true,
    rejects: 'csv',
    example: 'assay load google_feed.tsv',
    read: (i) => readCsv(i.text(), { file: i.label, delimiter: i.delimiter ?? '\t', idColumn: i.idColumn, maxFieldBytes: i.maxFieldBytes }),
  },
  {
    name: 'json',
    title: 'JSON array',
    extensions: ['.json'],
    sign: 'starts with `[`',
    recognize: (head) => head.startsWith('['),
    isText: true,
    rejects: 'jsonl',
    example: 'assay load products.json',
    read: (i) => readJsonArray(i.text(), i.label, i.maxFieldBytes),
  },
  {
    name: 'jsonl',
    title: 'JSON Lines',
    extensions: ['.jsonl', '.ndjson'],
    sign: 'starts with `{`',
    recognize: (head) => head.startsWith('{'),
    isText: true,
    rejects: 'jsonl',
    example: 'assay load products.jsonl',
    read: (i) => readJsonl(i.text(), i.maxFieldBytes),
  },
  {
    name: 'xml',
    title: 'Merchant Center feed (RSS 2.0 or Atom 1.0)',
    extensions: ['.xml', '.rss', '.atom'],
    sign: 'starts with `<?xml`, `<rss` or `<feed`',
    recognize: (head) => XML_START.test(head),
    isText: true,
    rejects: 'jsonl',
    example: 'assay load google_feed.xml',
    read: (i) => readXmlFeed(i.text(), i.label),
  },
  {
    name: 'xlsx',
    title: 'Excel workbook',
    extensions: ['.xlsx', '.xlsm'],
    sign: 'ZIP magic bytes `PK\\x03\\x04`',
    recognize: (_head, bytes) => ZIP.every((b, i) => bytes[i] === b),
    isText: false,
    rejects: 'csv',
    example: 'assay load supplier.xlsx --sheet Products',
    read: (i) => readXlsx(i.bytes, i.label, i.sheet),
  },
];

/** Compressions any format may come in; the name's last extension, or the magic bytes, give it away. */
const COMPRESSIONS = [{ name: 'gzip', extension: '.gz', magic: [0x1f, 0x8b], example: 'assay load catalog.csv.gz' }] as const;

export const FORMAT_NAMES = INPUT_FORMATS.map((f) => f.name);

export function formatNamed(name: Format): InputFormat {
  return INPUT_FORMATS.find((f) => f.name === name)!;
}

export function formatOfExtension(ext: string): InputFormat | undefined {
  const e = ext.toLowerCase();
  return INPUT_FORMATS.find((f) => f.extensions.includes(e));
}

/** The format the first bytes show, when they show one. */
export function formatOfContent(bytes: Uint8Array): InputFormat | undefined {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '')
    .replace(/\0/g, '')
    .trimStart();
  return INPUT_FORMATS.find((f) => f.recognize?.(head, bytes));
}

export function isGzip(bytes: Uint8Array): boolean {
  return COMPRESSIONS[0].magic.every((b, i) => bytes[i] === b);
}

/** Every extension assay reads, for messages: `.csv .txt (CSV), .tsv ...`. */
export function describeFormats(): string {
  const list = INPUT_FORMATS.map((f) => `${f.extensions.join(' ')} (${f.name})`).join(', ');
  return `${list}; any of them gzipped (${COMPRESSIONS.map((c) => c.extension).join(' ')})`;
}

/** The table of input formats of docs/inputs.md, made from the registry. */
export function formatTable(): string {
  const rows = INPUT_FORMATS.map(
    (f) =>
      `| \`${f.name}\` | ${f.title} | ${f.extensions.map((e) => `\`${e}\``).join(' ')} | ${f.sign} | ${f.rejects === 'csv' ? 'CSV' : 'JSON Lines'} | \`${f.example}\` |`,
  );
  const gz = COMPRESSIONS.map(
    (c) =>
      `| (${c.name}) | any of the above, compressed | \`${c.extension}\` after the format's own | magic bytes \`1f 8b\` | as the inner format | \`${c.example}\` |`,
  );
  return ['| `--format` | what | extensions | recognized by content | `--rejects` file | example |', '|---|---|---|---|---|---|', ...rows, ...gz].join('\n');
}

export const INPUTS_START = '<!-- inputs:start -->';
export const INPUTS_END = '<!-- inputs:end -->';

/** The generated table between the markers of docs/inputs.md, or undefined when they are missing. */
export function readInputsBlock(readme: string): string | undefined {
  const start = readme.indexOf(INPUTS_START);
  const end = readme.indexOf(INPUTS_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + INPUTS_START.length, end).trim();
}
