import { Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { UserError } from '../errors.js';
import { uniqueNames } from './names.js';
import { readPreamble } from './csv-preamble.js';
import { sniffDelimiter } from './csv-sniff.js';
import { RecordEnd } from './csv-record-end.js';
import { DEFAULT_MAX_FIELD_MB, megabytes, tooLargeReason } from './limits.js';
import type { HeaderRename, RawItem } from './types.js';

const REFEED_CHUNK = 1024 * 1024;
/** Sniff on at most this much text when the header line has not ended yet. */
const SNIFF_LIMIT = 1024 * 1024;

interface Failure {
  code: string;
  /** Absolute line where the parser noticed the problem. */
  errorLine: number;
  /** Records the parser handed over before the failed one. */
  records: number;
}

/**
 * Where a piece of a file read apart starts, and how it ended. A piece after the first starts at
 * a record boundary after the header, with that header and delimiter. A piece that is not the
 * last is settled when every record in it ended inside it: then its rows are what one reader of
 * the whole file gives. Otherwise the rows of its last record onward are dropped, and the file
 * is to be read on from `resumeLine` (a record starts there, since every row before it was read).
 */
export interface CsvPiece {
  start?: { delimiter: string; header: string[]; linesBefore: number };
  isLast: boolean;
  /** Set as soon as the reader knows it (the first piece's header line). */
  delimiter?: string;
  settled?: boolean;
  resumeLine?: number;
}

/**
 * Reads CSV text chunks (line endings already folded to \n) into records keyed by
 * header. A malformed row (an unclosed quote, a bad closing quote, a wrong column
 * count) becomes a row error and parsing starts again on the next line, so one bad
 * row never swallows the rows after it.
 */
export async function* readCsv(
  chunks: AsyncIterable<string>,
  options: { delimiter?: string; file: string; idColumn?: string; maxFieldBytes?: number },
  piece?: CsvPiece,
): AsyncGenerator<RawItem> {
  const limit = options.maxFieldBytes ?? megabytes(DEFAULT_MAX_FIELD_MB);
  const begun = piece?.start;
  let reader: CsvReader | undefined = begun && new CsvReader(begun.delimiter, options.file, limit, begun);
  // The delimiter is sniffed on the whole header line, and a title or `sep=` line before it is
  // found on whole lines: a pipe may hand over less than a line at first.
  let head = '';
  const start = function* (final: boolean): Generator<RawItem> {
    const preamble = readPreamble(head, options, final);
    if (!preamble) return;
    reader = new CsvReader(options.delimiter ?? preamble.sepDelimiter ?? sniffDelimiter(preamble.text), options.file, limit);
    if (piece) piece.delimiter = reader.delimiter;
    if (preamble.warning) yield { kind: 'warning', message: preamble.warning };
    yield* reader.push(preamble.text);
    head = '';
  };
  for await (const chunk of chunks) {
    if (!reader) {
      head += chunk;
      yield* start(head.length >= SNIFF_LIMIT);
      continue;
    }
    yield* reader.push(chunk);
  }
  if (piece && !piece.isLast) {
    // Where the piece ends is not where the file does: a header still unread is read again whole.
    if (reader) yield* (reader as CsvReader).finishPiece(piece);
    else Object.assign(piece, { settled: false, resumeLine: 1 });
    return;
  }
  if (!reader && head) yield* start(true);
  if (!reader) return;
  yield* (reader as CsvReader).finish();
}

class CsvReader {
  private header: string[] | undefined;
  private parser: Parser;
  private skips: Failure[] = [];
  private failure: Failure | undefined;
  /** Records the current parser has handed over. */
  private records = 0;
  /** Lines of the file before the current parser's first line. */
  private lineOffset = 0;
  /** Text not yet known to be parsed well, as it came in: each piece with the line its first character is on. */
  private pieces: { text: string; line: number; atLineStart: boolean }[] = [];
  /** The line the next character of input is on. */
  private inputLine = 1;
  private lastEnd = 0;
  /** A row over the size limit being passed over, and the line it starts on. */
  private skipping: { end: RecordEnd; line: number } | undefined;

  constructor(
    readonly delimiter: string,
    private readonly file: string,
    private readonly limit: number,
    begun?: { header: string[]; linesBefore: number },
  ) {
    if (begun) {
      this.header = begun.header;
      this.lastEnd = this.lineOffset = begun.linesBefore;
      this.inputLine = begun.linesBefore + 1;
    }
    this.parser = this.startParser();
  }

  *push(chunk: string): Generator<RawItem> {
    if (this.skipping) {
      const end = this.skipping.end.scan(chunk);
      if (end === -1) return;
      yield* this.endSkip();
      chunk = chunk.slice(end + 1);
      if (!chunk) return;
    }
    this.keep(chunk);
    if (!this.failure) {
      this.parser.write(chunk);
      yield* this.collect();
    }
    yield* this.recover(false);
    if (!this.failure) this.trim();
  }

  /** Ends the input; yields (rather than gathers) the rows, as the rest after a late failure may be the whole file. */
  async *finish(): AsyncGenerator<RawItem> {
    if (this.skipping) yield* this.endSkip();
    for (;;) {
      if (!this.failure) {
        this.parser.end();
        await new Promise((resolve) => setImmediate(resolve));
        yield* this.collect();
      }
      const before = this.parser;
      yield* this.recover(true);
      if (this.parser === before && !this.failure) break;
    }
    if (!this.header) throw new UserError('empty_file', `${this.file}: the file holds only blank lines: expected a header row`);
  }

  /**
   * Ends a piece that is not the end of the file: its last rows are handed over only if no record
   * ran on to its end (an open quote, a row over the size limit, a failure not yet placed).
   */
  async *finishPiece(piece: CsvPiece): AsyncGenerator<RawItem> {
    const resumeLine = this.lastEnd + 1;
    let settled = !this.skipping && !this.failure && this.header !== undefined;
    const held: RawItem[] = [];
    if (settled) {
      this.parser.end();
      await new Promise((resolve) => setImmediate(resolve));
      for (const item of this.collect()) held.push(item);
      settled = !this.failure;
    }
    piece.settled = settled;
    piece.resumeLine = resumeLine;
    if (settled) yield* held;
  }

  private startParser(): Parser {
    this.skips = [];
    this.records = 0;
    // No `info` and no skip_empty_lines: line numbers are counted here from the records
    // (a blank line is a record of one empty cell), which saves csv-parse two object
    // spreads per record, about a tenth of its time.
    const parser = new Parser({
      delimiter: this.delimiter,
      // The decoder has folded every line ending to \n; left to discover it, csv-parse tries
      // three delimiters at every character of the first line (seconds for a 100,000-column header).
      record_delimiter: '\n',
      relax_column_count: true,
      skip_records_with_error: true,
      max_record_size: this.limit,
      on_skip: (err: { lines: number; records: number; code: string }) => {
        this.skips.push({ errorLine: this.lineOffset + err.lines, records: err.records, code: err.code });
      },
    } as unknown as ConstructorParameters<typeof Parser>[0]);
    parser.on('error', () => {});
    return parser;
  }

  /** Yields the rows parsed before the first failure; remembers the failure. */
  private *collect(): Generator<RawItem> {
    const rows: string[][] = [];
    for (let r = this.parser.read() as string[] | null; r !== null; r = this.parser.read() as string[] | null) rows.push(r);
    const skip = this.skips[0];
    const good = skip ? skip.records : Infinity;
    for (const record of rows) {
      if (this.records >= good) break;
      this.records++;
      const start = this.lastEnd + 1;
      const item = this.toItem(record, start);
      this.lastEnd = start + countNewlines(record);
      if (item) yield item;
    }
    if (skip) {
      this.failure = skip;
      this.parser.destroy();
    }
  }

  /** Reports the failed row once its line is complete, then parses again from the next line. */
  private *recover(ended: boolean): Generator<RawItem> {
    while (this.failure) {
      if (this.failure.code === 'CSV_MAX_RECORD_SIZE') {
        yield* this.startSkip(ended);
        return;
      }
      let line = this.lastEnd + 1;
      const text = this.textFrom(line);
      let cut = 0;
      while (text[cut] === '\n') {
        cut++;
        line++;
      }
      const lineEnd = text.indexOf('\n', cut);
      if (lineEnd === -1 && !ended) return;
      const raw = text.slice(cut, lineEnd === -1 ? undefined : lineEnd);
      const { code, errorLine } = this.failure;
      yield (errorLine === line && this.reparseRelaxed(raw, line)) || {
        kind: 'error',
        line,
        code: errorLine > line ? 'unclosed_quote' : csvCode(code),
        reason: csvReason(code, line, errorLine),
        raw,
      };
      this.failure = undefined;
      this.lastEnd = line;
      this.lineOffset = line;
      this.pieces = [];
      this.inputLine = line + 1;
      this.parser = this.startParser();
      // An unclosed quote is found only where the text ends, so the rest may be the whole file: feed it in pieces.
      const rest = lineEnd === -1 ? '' : text.slice(lineEnd + 1);
      let at = 0;
      while (at < rest.length && !this.failure) {
        const piece = rest.slice(at, at + REFEED_CHUNK);
        at += piece.length;
        this.keep(piece);
        this.parser.write(piece);
        yield* this.collect();
        if (!this.failure) this.trim();
      }
      if (at < rest.length) this.keep(rest.slice(at));
    }
  }

  /**
   * A row over the limit is passed over to its end, keeping none of it, so that the lines
   * inside a long quoted field never pass for rows; the rows after it are read again.
   */
  private *startSkip(ended: boolean): Generator<RawItem> {
    const line = this.lastEnd + 1;
    const skipping = { end: new RecordEnd(this.delimiter), line };
    const rest = this.textsFrom(line);
    this.failure = undefined;
    this.pieces = [];
    this.skipping = skipping;
    let at = 0;
    while (at < rest.length && this.skipping === skipping) {
      const end = skipping.end.scan(rest[at++]);
      if (end === -1) continue;
      yield* this.endSkip();
      yield* this.push(rest[at - 1].slice(end + 1));
    }
    for (; at < rest.length; at++) yield* this.push(rest[at]);
    if (ended && this.skipping) yield* this.endSkip();
  }

  /** Reports the row passed over and parses again from the line after it. */
  private *endSkip(): Generator<RawItem> {
    const { end, line: from } = this.skipping!;
    this.skipping = undefined;
    end.close();
    const line = from + end.blankLines;
    const last = line + end.newlines;
    if (!this.header) throw new UserError('header_too_large', `${this.file}: line ${line}: ${tooLargeReason('the header row', end.bytes, this.limit)}`);
    const reason = tooLargeReason('the row', end.bytes, this.limit, this.header[end.largestField]);
    yield { kind: 'error', line, code: 'row_too_large', reason };
    this.lastEnd = last;
    this.lineOffset = last;
    this.pieces = [];
    this.inputLine = last + 1;
    this.parser = this.startParser();
  }

  /** A stray quote inside an unquoted field fails the strict parse; read that one line leniently. */
  private reparseRelaxed(raw: string, line: number): RawItem | undefined {
    if (!this.header) return undefined;
    try {
      const rows = parseSync(raw, { delimiter: this.delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
      return rows.length === 1 ? this.toItem(rows[0], line) : undefined;
    } catch {
      return undefined;
    }
  }

  private toItem(values: string[], line: number): RawItem | undefined {
    // A row of empty cells (`,,,` as spreadsheets leave them, or only spaces) is a blank line, not a product.
    if (values.every((v) => v.trim() === '')) return undefined;
    if (!this.header) {
      const { columns, renamed } = makeHeader(values);
      this.header = columns;
      return { kind: 'header', columns, ...(renamed.length > 0 ? { renamed } : {}) };
    }
    const header = this.header;
    if (values.length !== header.length) {
      return {
        kind: 'error',
        line,
        code: 'column_count',
        reason: `expected ${header.length} columns, found ${values.length}`,
        raw: values.join(this.delimiter),
      };
    }
    // Without a prototype, a column named `__proto__` or `constructor` is a column like any other.
    const fields: Record<string, string> = Object.create(null);
    for (let i = 0; i < header.length; i++) fields[header[i]] = values[i];
    return { kind: 'record', line, fields };
  }

  /** Holds on to a piece of input until every row in it has been read well. */
  private keep(text: string): void {
    const last = this.pieces[this.pieces.length - 1];
    this.pieces.push({ text, line: this.inputLine, atLineStart: last === undefined || last.text.endsWith('\n') });
    this.inputLine += countOf(text, '\n');
  }

  /** Drops the pieces before the one holding the start of the first line not yet read well. */
  private trim(): void {
    const next = this.lastEnd + 1;
    let drop = 0;
    while (drop + 1 < this.pieces.length && (this.pieces[drop + 1].line < next || (this.pieces[drop + 1].line === next && this.pieces[drop + 1].atLineStart)))
      drop++;
    if (drop > 0) this.pieces.splice(0, drop);
  }

  /** The text kept, from the start of `line` on (the first piece never starts after that line). */
  private textFrom(line: number): string {
    return this.textsFrom(line).join('');
  }

  /** The same, piece by piece: a row over the limit is passed over without joining its text. */
  private textsFrom(line: number): string[] {
    const pieces = this.pieces;
    for (let p = 0; p < pieces.length; p++) {
      const { text, line: first } = pieces[p];
      let at = 0;
      for (let n = line - first; n > 0 && at !== -1; n--) {
        at = text.indexOf('\n', at);
        if (at !== -1) at++;
      }
      if (at !== -1) return [text.slice(at), ...pieces.slice(p + 1).map((piece) => piece.text)];
    }
    return [];
  }
}

/** Names every column: an empty name becomes `column_N`, a repeated one `name (2)`, so no value is lost. */
function makeHeader(values: string[]): { columns: string[]; renamed: HeaderRename[] } {
  const { names, renamed } = uniqueNames(
    values.map((raw) => raw.trim()),
    (index) => `column_${index + 1}`,
  );
  return { columns: names, renamed: renamed.map(({ index, from, to }) => ({ column: index + 1, from, to })) };
}

function countNewlines(values: string[]): number {
  let n = 0;
  for (const value of values) for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function csvCode(code: string): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'unclosed_quote';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'bad_quote';
  if (code === 'CSV_MAX_RECORD_SIZE') return 'row_too_large';
  return 'malformed_row';
}

function csvReason(code: string, line: number, errorLine: number): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'unclosed quote: the quoted field opened on this line never closes';
  if (errorLine > line) return `unclosed quote: the quoted field opened on this line runs on to line ${errorLine}`;
  return 'a quote in the middle of a field: quote the whole field and double the inner quotes';
}
