import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { binaryKind, decodeStream, parseEncoding, sniffEncoding, sniffUtf16, type DecodeReport, type Encoding } from './decode.js';
import { describeFormats, FORMAT_NAMES, formatNamed, formatOfContent, formatOfExtension, isGzip, type InputFormat } from './formats.js';
import type { Format, RawItem } from './types.js';
import { declaredEncoding } from './xml.js';

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
  sheet?: string;
  /** The bytes, when they come from elsewhere than the file system (a download); `file` then only names them. */
  bytes?: AsyncIterable<Uint8Array>;
}

export interface Source {
  file: string;
  format: Format;
  items: AsyncIterable<RawItem>;
  decode: DecodeReport;
}

/** The format a file name gives, without looking inside (a `.gz` is looked through). */
export function formatOf(file: string, given?: Format): Format {
  if (given) return given;
  if (file === '-') throw new UserError('format_required', `reading stdin (-) needs --format ${FORMAT_NAMES.join('|')}`);
  const format = formatOfExtension(extname(stripGz(file)));
  if (!format) throw unknownFormat(file, stripGz(file));
  return format.name;
}

/** Opens one catalog file (or stdin, or downloaded bytes) as a stream of raw records and row errors. */
export async function openSource(file: string, options: SourceOptions): Promise<Source> {
  // A missing file or a directory is named as such before its extension is judged.
  if (file !== '-' && !options.bytes) checkFile(file);
  // Messages name stdin as the summary does, not as '-'.
  const label = file === '-' ? 'stdin' : file;
  const bytes = options.bytes ?? (file === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : createReadStream(file, { highWaterMark: READ_CHUNK }));
  let { head, stream } = await peek(bytes);
  if (head.length === 0) throw new UserError('empty_file', `${label}: the ${file === '-' ? 'input' : 'file'} is empty: expected a header row or records`);
  let name = file === '-' ? '' : pathOf(file);
  if (isGzip(head) || extname(name).toLowerCase() === '.gz') {
    if (!isGzip(head)) throw new UserError('not_gzip', `${label}: the name ends in .gz but the content is not gzip-compressed: rename it without .gz`);
    ({ head, stream } = await peek(gunzip(stream, label)));
    if (head.length === 0) throw new UserError('empty_file', `${label}: the compressed file is empty: expected a header row or records`);
    name = stripGz(name);
  }
  const format = pickFormat(name, options.format, head, label, file === '-');
  const decode: DecodeReport = { encoding: options.encoding ?? 'utf-8', invalidSequences: 0, nulBytes: 0 };
  if (!format.isText) {
    checkWorkbook(head, label);
    return { file, format: format.name, items: format.read({ label, bytes: stream, text: noText, sheet: options.sheet }), decode };
  }
  const encoding = options.encoding ?? (sniffEncoding(head) ? undefined : (sniffUtf16(head) ?? xmlEncoding(format, head, label)));
  const binary = sniffEncoding(head) || encoding?.startsWith('utf-16') ? undefined : binaryKind(head);
  if (binary) {
    throw new UserError(
      'binary_file',
      `${label}: this looks like a binary file (${binary.what}), not ${format.title} text: ${binary.hint ?? 'check the file name'}`,
    );
  }
  decode.encoding = encoding ?? 'utf-8';
  const items = format.read({
    label,
    bytes: stream,
    text: () => decodeStream(stream, encoding, decode),
    delimiter: options.delimiter,
    idColumn: options.idColumn ?? options.mappedId,
    maxFieldBytes: options.maxFieldBytes,
  });
  return { file, format: format.name, items, decode };
}

/**
 * The format: the flag, else the name's extension, else what the first bytes show. A name or flag
 * that says one text format while the bytes plainly show a feed or a workbook is refused, not misread.
 */
function pickFormat(name: string, given: Format | undefined, head: Uint8Array, label: string, isStdin: boolean): InputFormat {
  const shown = formatOfContent(head);
  const named = given ? formatNamed(given) : formatOfExtension(extname(name));
  if (named) {
    if (shown && shown !== named && (shown.name === 'xml' || shown.name === 'xlsx') && named.name !== 'xlsx') {
      const how = given ? `--format ${given}` : `the extension '${extname(name)}'`;
      throw new UserError(
        'format_mismatch',
        `${label}: ${how} says ${named.title}, but the content is ${article(shown.title)}: load it with --format ${shown.name}`,
      );
    }
    return named;
  }
  if (shown) return shown;
  if (isStdin) throw new UserError('format_required', `reading stdin (-) needs --format ${FORMAT_NAMES.join('|')} (its content does not show which)`);
  throw unknownFormat(label, name);
}

function unknownFormat(label: string, name: string): UserError {
  const ext = extname(name);
  const what = ext ? `the extension '${ext}'` : 'a name without extension';
  return new UserError(
    'unknown_format',
    `${label}: cannot tell the format from ${what} or from the content: assay reads ${describeFormats()}; name the format with --format ${FORMAT_NAMES.join('|')}`,
  );
}

function article(title: string): string {
  return /^[AEIOUX]/i.test(title) ? `an ${title}` : `a ${title}`;
}

/** An .xlsx is a ZIP archive; anything else named so gets a line saying what it is instead. */
function checkWorkbook(head: Uint8Array, label: string): void {
  if (formatOfContent(head)?.name === 'xlsx') return;
  const cfb = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => head[i] === b);
  if (cfb && Buffer.from(head).includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
    throw new UserError(
      'xlsx_encrypted',
      `${label}: the workbook is password-protected: open it, save a copy without a password (or export the sheet as CSV) and load that`,
    );
  }
  if (cfb) throw new UserError('xlsx_legacy', `${label}: this is an Excel 97-2003 (.xls) workbook: save it as .xlsx or export the sheet as CSV`);
  const shown = formatOfContent(head);
  const text = !binaryKind(head);
  const instead = shown
    ? `it is ${article(shown.title)}: load it with --format ${shown.name}`
    : text
      ? 'it is plain text: if it is CSV, load it with --format csv'
      : 'check the file';
  throw new UserError('not_xlsx', `${label}: not an Excel workbook (an .xlsx file is a ZIP archive): ${instead}`);
}

/** The encoding an XML feed declares, for feeds without a BOM; one assay cannot read is refused. */
function xmlEncoding(format: InputFormat, head: Uint8Array, label: string): Encoding | undefined {
  if (format.name !== 'xml') return undefined;
  const declared = declaredEncoding(head);
  if (!declared) return undefined;
  const name = declared.toLowerCase();
  if (name === 'utf-16') return undefined;
  if (name === 'us-ascii' || name === 'ascii') return 'utf-8';
  try {
    return parseEncoding(name);
  } catch {
    throw new UserError(
      'unknown_encoding',
      `${label}: the feed declares encoding '${declared}', which assay does not read: save it as UTF-8 (or UTF-16, Latin-1, windows-1252)`,
    );
  }
}

/** Inflates gzip as it streams; a cut or damaged stream ends as a user error after what came through. */
async function* gunzip(source: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  const inflate = Readable.from(source).pipe(createGunzip());
  try {
    for await (const chunk of inflate) yield chunk as Uint8Array;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const why = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'it is cut off' : `it is damaged: ${(error as Error).message}`;
    throw new UserError(
      'gzip_damaged',
      `${label}: the gzip data ends early (${why}): the rows before that point were loaded; fetch or copy the file whole and load it again`,
    );
  }
}

function noText(): AsyncIterable<string> {
  throw new Error('a binary format has no text');
}

function stripGz(name: string): string {
  return name.toLowerCase().endsWith('.gz') ? name.slice(0, -3) : name;
}

function pathOf(file: string): string {
  if (!/^https?:\/\//i.test(file)) return file;
  try {
    return new URL(file).pathname;
  } catch {
    return file;
  }
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
