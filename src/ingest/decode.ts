import { TextDecoder } from 'node:util';
import { incompleteTail, scanUtf8 } from './utf8-scan.js';
import { UserError } from '../errors.js';

/** The encodings assay decodes, by their canonical names; parseEncoding also takes a few aliases. */
export const ENCODING_NAMES = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;
export type Encoding = (typeof ENCODING_NAMES)[number];

export function parseEncoding(value: string): Encoding {
  const v = value.toLowerCase();
  if (v === 'utf8' || v === 'utf-8') return 'utf-8';
  if (v === 'utf-16le' || v === 'utf-16be') return v;
  if (v === 'latin1' || v === 'iso-8859-1') return 'latin1';
  if (v === 'windows-1252' || v === 'cp1252') return 'windows-1252';
  throw new UserError('bad_encoding', `unknown --encoding '${value}': use one of ${ENCODING_NAMES.join(', ')}`);
}

/**
 * What the first bytes of a file say about its encoding. Some tools write a UTF-8 BOM and then
 * UTF-16 (with or without its own BOM): the NULs of UTF-16 never occur in UTF-8 text, so that
 * is read as UTF-16, every row as written, and flagged `afterUtf8Bom` for a warning.
 */
export function sniffEncoding(head: Uint8Array): { encoding: Encoding; bomLength: number; afterUtf8Bom?: true } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    const inner = sniffEncoding(head.subarray(3)) ?? { encoding: sniffUtf16(head.subarray(3)), bomLength: 0 };
    if (inner.encoding?.startsWith('utf-16')) return { encoding: inner.encoding, bomLength: 3 + inner.bomLength, afterUtf8Bom: true };
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

export interface BinaryKind {
  what: string;
  /** What to do instead, when there is something better to say than "check the file name". */
  hint?: string;
}

const EXPORT_SHEET = 'if it is a spreadsheet workbook, export the sheet as CSV';
const SIGNATURES: [number[] | string, number, BinaryKind][] = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0, { what: 'a PNG image' }],
  [[0xff, 0xd8, 0xff], 0, { what: 'a JPEG image' }],
  ['GIF8', 0, { what: 'a GIF image' }],
  ['WEBP', 8, { what: 'a WebP image' }],
  ['%PDF-', 0, { what: 'a PDF document' }],
  [[0x50, 0x4b, 0x03, 0x04], 0, { what: 'a ZIP archive', hint: EXPORT_SHEET }],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0, { what: 'an Office document', hint: EXPORT_SHEET }],
  [[0x1f, 0x8b], 0, { what: 'a gzip archive', hint: 'decompress it, or pipe it in: gunzip -c FILE | assay load - --format csv' }],
  ['SQLite format 3\0', 0, { what: 'a SQLite database' }],
];

function hasSignature(head: Uint8Array, signature: number[] | string, at: number): boolean {
  const bytes = typeof signature === 'string' ? [...signature].map((c) => c.charCodeAt(0)) : signature;
  return head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
}

/**
 * What kind of binary file the first bytes belong to, or undefined for text. Known
 * signatures first; then control bytes that text never holds (NUL aside: stray NULs
 * are dropped from text, and UTF-16 is half NULs). Compressed or random bytes hold
 * about 11% of them; a text file none, or a lone DOS end-of-file mark.
 */
export function binaryKind(head: Uint8Array): BinaryKind | undefined {
  for (const [signature, at, what] of SIGNATURES) if (hasSignature(head, signature, at)) return what;
  const n = Math.min(head.length, 8192);
  let controls = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) controls++;
    else if (b === 0x7f) controls++;
  }
  if (controls >= 4 && controls > n / 100) return { what: 'binary data' };
  if (nul > n * 0.9) return { what: 'NUL bytes' };
  return undefined;
}

export function looksBinary(head: Uint8Array): boolean {
  return binaryKind(head) !== undefined;
}

/** UTF-16 without a BOM: ASCII text with a NUL in every other byte (odd places LE, even places BE). */
export function sniffUtf16(head: Uint8Array): Encoding | undefined {
  const pairs = Math.floor(Math.min(head.length, 8192) / 2);
  if (pairs < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) even++;
    if (head[2 * i + 1] === 0) odd++;
  }
  if (odd >= pairs * 0.7 && even <= pairs * 0.05) return 'utf-16le';
  if (even >= pairs * 0.7 && odd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

export interface DecodeReport {
  encoding: Encoding;
  /** Count of byte sequences that were not valid in the encoding (replaced by U+FFFD). */
  invalidSequences: number;
  /** NUL characters dropped from the text. */
  nulBytes: number;
  /** The file starts with a UTF-8 BOM but holds UTF-16, read as such. */
  utf16AfterUtf8Bom?: boolean;
  /** Lines (after line endings are folded) of the first invalid sequence and the first NUL, for the warnings. */
  firstInvalidLine?: number;
  firstNulLine?: number;
  /** UTF-8 only: invalid sequences that are one byte reading as a Windows-1252 character, as in Latin-1 text. */
  latin1Like?: number;
}

/**
 * Turns a byte stream into text chunks: BOM removed, encoding decoded
 * incrementally, line endings folded to \n (CRLF and lone CR alike), NUL dropped.
 * A piece of a file from its middle (`linesBefore` lines in) has no BOM to look for.
 */
export async function* decodeStream(
  source: AsyncIterable<Uint8Array>,
  requested: Encoding | undefined,
  report: DecodeReport,
  linesBefore?: number,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let pendingCr = false;
  const lines = { before: linesBefore ?? 0 };
  // A BOM is up to 3 bytes, and a pipe may hand over fewer than that first.
  let head: Uint8Array | undefined;
  const start = (bytes: Uint8Array): Uint8Array => {
    const sniffed = linesBefore === undefined ? sniffEncoding(bytes) : undefined;
    const encoding = requested ?? sniffed?.encoding ?? 'utf-8';
    report.encoding = encoding;
    if (sniffed?.afterUtf8Bom && !requested) report.utf16AfterUtf8Bom = true;
    decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding);
    return sniffed && (!requested || requested === sniffed.encoding) ? bytes.subarray(sniffed.bomLength) : bytes;
  };
  // UTF-8 text may hold U+FFFD as a character: only the bytes tell a literal one from a replacement.
  let carry: Uint8Array = new Uint8Array(0);
  const scanBytes = (bytes: Uint8Array, text: string, final: boolean) => {
    const whole = carry.length > 0 ? concat(carry, bytes) : bytes;
    carry = final ? new Uint8Array(0) : incompleteTail(whole);
    if (!text.includes('\uFFFD')) return;
    const scan = scanUtf8(final ? whole : whole.subarray(0, whole.length - carry.length), final);
    if (scan.invalid === 0) return;
    report.invalidSequences += scan.invalid;
    report.firstInvalidLine ??= lines.before + 1 + scan.linesBefore!;
    report.latin1Like = (report.latin1Like ?? 0) + scan.latin1Like;
  };
  const step = (bytes: Uint8Array): string | undefined => {
    let text = decoder!.decode(bytes, { stream: true });
    if (report.encoding === 'utf-8') scanBytes(bytes, text, false);
    if (text.length === 0) return undefined;
    if (pendingCr) text = '\r' + text;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    return text ? clean(text, report, lines) : undefined;
  };
  for await (const chunk of source) {
    let bytes = chunk;
    if (!decoder) {
      bytes = head ? concat(head, chunk) : chunk;
      if (bytes.length < BOM_BYTES) {
        head = bytes;
        continue;
      }
      bytes = start(bytes);
    }
    const text = step(bytes);
    if (text) yield text;
  }
  if (!decoder && head) {
    const text = step(start(head));
    if (text) yield text;
  }
  let tail = decoder ? (decoder as TextDecoder).decode() : '';
  if (decoder && report.encoding === 'utf-8') scanBytes(new Uint8Array(0), tail, true);
  if (pendingCr) tail = '\r' + tail;
  if (tail) yield clean(tail, report, lines);
}

const BOM_BYTES = 3;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function clean(text: string, report: DecodeReport, lines: { before: number }): string {
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  // UTF-8 is counted from the bytes (see scanBytes); other encodings have no literal U+FFFD to confuse.
  const invalid = report.encoding === 'utf-8' ? -1 : text.indexOf('\uFFFD');
  if (invalid !== -1) {
    report.invalidSequences += countOf(text, '\uFFFD');
    report.firstInvalidLine ??= lines.before + 1 + countOf(text.slice(0, invalid), '\n');
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    report.nulBytes += countOf(text, '\0');
    report.firstNulLine ??= lines.before + 1 + countOf(text.slice(0, nul), '\n');
    text = text.replaceAll('\0', '');
  }
  if (report.firstInvalidLine === undefined || report.firstNulLine === undefined) lines.before += countOf(text, '\n');
  return text;
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}
