const NEWLINE = 10;
const QUOTE = 34;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Finds where a CSV record ends without keeping its text: how a row too large to read
 * is passed over. It follows quotes as the reader does (a quote opens a field only at
 * its start, `""` inside is a quote, text after a closing quote is kept), so the lines
 * inside a long quoted field never pass for rows. Blank lines before the record are skipped.
 */
export class RecordEnd {
  /** Blank lines before the record. */
  blankLines = 0;
  /** Line breaks inside the record. */
  newlines = 0;
  /** UTF-8 bytes of the record. */
  bytes = 0;
  /** Index of the record's longest field (in characters). */
  largestField = 0;
  private state = State.FieldStart;
  private started = false;
  private ended = false;
  private field = 0;
  private fieldLength = 0;
  private largestLength = -1;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Reads on in `text`; the index of the line break that ends the record, or -1 if it goes on. */
  scan(text: string): number {
    let i = 0;
    if (!this.started) {
      while (i < text.length && text.charCodeAt(i) === NEWLINE) i++;
      this.blankLines += i;
      if (i === text.length) return -1;
      this.started = true;
    }
    const from = i;
    let fieldFrom = i;
    let end = -1;
    // The next line break, found once: a quoted field with many quotes must not search on to it again and again.
    let newline = text.indexOf('\n', i);
    for (; i < text.length; i++) {
      if (this.state === State.Quoted) {
        const quote = text.indexOf('"', i);
        const stop = quote === -1 ? text.length : quote;
        for (; newline !== -1 && newline < stop; newline = text.indexOf('\n', newline + 1)) this.newlines++;
        i = stop;
        if (quote !== -1) this.state = State.QuoteInQuoted;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.state === State.QuoteInQuoted && c === QUOTE) {
        this.state = State.Quoted;
      } else if (c === NEWLINE || c === this.delimiter) {
        this.endField(this.fieldLength + i - fieldFrom);
        fieldFrom = i + 1;
        if (c === NEWLINE) {
          this.ended = true;
          end = i;
          break;
        }
        this.state = State.FieldStart;
      } else if (this.state === State.FieldStart) {
        this.state = c === QUOTE ? State.Quoted : State.Unquoted;
      } else if (this.state === State.QuoteInQuoted) {
        this.state = State.Unquoted;
      }
    }
    this.bytes += Buffer.byteLength(end === -1 ? text.slice(from) : text.slice(from, end));
    if (end === -1) this.fieldLength += text.length - fieldFrom;
    return end;
  }

  private endField(length: number): void {
    if (length > this.largestLength) {
      this.largestLength = length;
      this.largestField = this.field;
    }
    this.field++;
    this.fieldLength = 0;
  }

  /** Where the input ends: a record that ran on to it ends there. */
  close(): void {
    if (!this.ended) this.endField(this.fieldLength);
    this.ended = true;
  }
}
