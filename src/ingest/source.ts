import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { readCsv } from './csv.js';
import { binaryKind, decodeStream, sniffEncoding, sniffUtf16, type DecodeReport, type Encoding } from './decode.js';
import { readJsonArray, readJsonl } from './json.js';
import { FORMATS, type Format, type RawItem } from './types.js';

const EXTENSIONS = new Map<string, Format>([
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.txt', 'csv'],
  ['.json', 'json'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
]);
const READ_CHUNK = 64 * 1024;

export interface SourceOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: string;
  /** The id column a --id-column flag or the mapping names: a title line before the header is told by it. */
  idColumn?: string;
  mappedId?: string;
  /** The largest row, line or element read, in bytes; one over it is a row error. */
  maxFieldBytes?: number;
}

export interface Source {
  file: string;
  format: Format;
  items: AsyncIterable<RawItem>;
  decode: DecodeReport;
}

export function formatOf(file: string, given?: Format): Format {
  if (given) return given;
  if (file === '-') throw new UserError('format_required', 'reading stdin (-) needs --format csv|tsv|json|jsonl');
  const format = EXTENSIONS.get(extname(file).toLowerCase());
  if (!format) {
    throw new UserError('unknown_format', `${file}: cannot tell the format from the extension '${extname(file)}': name it with --format ${FORMATS.join('|')}`);
  }
  return format;
}

/** Opens one catalog file (or stdin) as a stream of raw records and row errors. */
export async function openSource(file: string, options: SourceOptions): Promise<Source> {
  // A missing file or a directory is named as such before its extension is judged.
  if (file !== '-') checkFile(file);
  const format = formatOf(file, options.format);
  const bytes = file === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : createReadStream(file, { highWaterMark: READ_CHUNK });
  const { head, stream } = await peek(bytes);
  // Messages name stdin as the summary does, not as '-'.
  const label = file === '-' ? 'stdin' : file;
  if (head.length === 0) throw new UserError('empty_file', `${label}: the ${file === '-' ? 'input' : 'file'} is empty: expected a header row or records`);
  const encoding = options.encoding ?? (sniffEncoding(head) ? undefined : sniffUtf16(head));
  const binary = sniffEncoding(head) || encoding?.startsWith('utf-16') ? undefined : binaryKind(head);
  if (binary) {
    throw new UserError('binary_file', `${label}: this looks like a binary file (${binary.what}), not ${format.toUpperCase()} text: ${binary.hint ?? 'check the file name'}`);
  }
  const decode: DecodeReport = { encoding: encoding ?? 'utf-8', invalidSequences: 0, nulBytes: 0 };
  const text = decodeStream(stream, encoding, decode);
  const items = readItems(format, text, label, options);
  return { file, format, items, decode };
}

function readItems(format: Format, text: AsyncIterable<string>, file: string, options: SourceOptions): AsyncIterable<RawItem> {
  const { delimiter, maxFieldBytes } = options;
  if (format === 'json') return readJsonArray(text, file, maxFieldBytes);
  if (format === 'jsonl') return readJsonl(text, maxFieldBytes);
  return readCsv(text, { file, delimiter: delimiter ?? (format === 'tsv' ? '\t' : undefined), idColumn: options.idColumn ?? options.mappedId, maxFieldBytes });
}

function checkFile(file: string): void {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError('file_missing', `${file}: no such file: check the path`);
    if (code === 'EACCES') throw new UserError('file_unreadable', `${file}: permission denied: check the file's permissions`);
    throw new UserError('file_unreadable', `${file}: cannot read it (${code})`);
  }
  if (stat.isDirectory()) throw new UserError('file_is_directory', `${file} is a directory: name the catalog files inside it`);
}

/** Reads the first chunk so the file can be judged, then hands back a stream that still starts at byte 0. */
async function peek(source: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw new UserError('file_unreadable', `cannot read input: ${(error as Error).message}`);
  }
  const head = first.done ? new Uint8Array() : first.value;
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield head;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  }
  return { head, stream: rest() };
}
