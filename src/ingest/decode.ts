import { TextDecoder } from 'node:util';
import { UserError } from '../errors.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

export const ENCODINGS: readonly string[] = ['utf-8', 'utf8', 'utf-16le', 'utf-16be', 'latin1', 'iso-8859-1', 'windows-1252', 'cp1252'];

export function parseEncoding(value: string): Encoding {
  const v = value.toLowerCase();
  if (v === 'utf8' || v === 'utf-8') return 'utf-8';
  if (v === 'utf-16le' || v === 'utf-16be') return v;
  if (v === 'latin1' || v === 'iso-8859-1') return 'latin1';
  if (v === 'windows-1252' || v === 'cp1252') return 'windows-1252';
  throw new UserError('bad_encoding', `unknown --encoding '${value}': use one of utf-8, utf-16le, utf-16be, latin1, windows-1252`);
}

/** What the first bytes of a file say about its encoding. */
export function sniffEncoding(head: Uint8Array): { encoding: Encoding; bomLength: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/** Binary files carry NUL bytes or image signatures near the start; text files (UTF-8, Latin-1) do not. */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  let nul = 0;
  for (let i = 0; i < n; i++) if (head[i] === 0) nul++;
  return nul > 0 && nul >= n / 64;
}

export interface DecodeReport {
  encoding: Encoding;
  /** Count of byte sequences that were not valid in the encoding (replaced by U+FFFD). */
  invalidSequences: number;
  /** NUL characters dropped from the text. */
  nulBytes: number;
}

/**
 * Turns a byte stream into text chunks: BOM removed, encoding decoded
 * incrementally, line endings folded to \n (CRLF and lone CR alike), NUL dropped.
 */
export async function* decodeStream(
  source: AsyncIterable<Uint8Array>,
  requested: Encoding | undefined,
  report: DecodeReport,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let pendingCr = false;
  // A BOM is up to 3 bytes, and a pipe may hand over fewer than that first.
  let head: Uint8Array | undefined;
  const start = (bytes: Uint8Array): Uint8Array => {
    const sniffed = sniffEncoding(bytes);
    const encoding = requested ?? sniffed?.encoding ?? 'utf-8';
    report.encoding = encoding;
    decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding);
    return sniffed && (!requested || requested === sniffed.encoding) ? bytes.subarray(sniffed.bomLength) : bytes;
  };
  const step = (bytes: Uint8Array): string | undefined => {
    let text = decoder!.decode(bytes, { stream: true });
    if (text.length === 0) return undefined;
    if (pendingCr) text = '\r' + text;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    return text ? clean(text, report) : undefined;
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
  if (pendingCr) tail = '\r' + tail;
  if (tail) yield clean(tail, report);
}

const BOM_BYTES = 3;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function clean(text: string, report: DecodeReport): string {
  if (text.includes('\uFFFD')) report.invalidSequences += countOf(text, '\uFFFD');
  if (text.includes('\0')) {
    report.nulBytes += countOf(text, '\0');
    text = text.replaceAll('\0', '');
  }
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}
