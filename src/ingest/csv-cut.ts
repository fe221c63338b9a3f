import { closeSync, openSync, readSync } from 'node:fs';

const NEWLINE = 10;
const RETURN = 13;
const QUOTE = 34;
const BLOCK = 64 * 1024;

/** A piece of a file: bytes [start, end), and the line breaks before it. */
export interface Cut {
  start: number;
  end: number;
  linesBefore: number;
  /** The line breaks in the piece (0 for the last: not needed). */
  lines: number;
  isLast: boolean;
}

/**
 * Cuts a CSV file into pieces of about `bytes` each, at record boundaries: after a line break
 * outside quotes, counting every quote from the piece's start (a quoted field's `""` counts
 * twice). That holds for any well-formed file; a stray quote can mislead it, which the reader of
 * the piece before then finds (a record runs on past its end) and the file is read on from there.
 * Line breaks are counted as the reader folds them: CRLF, LF and a lone CR are one each.
 */
export class CsvCutter {
  private readonly fd: number;
  /** Buffers used again for every piece: fresh memory costs more to touch than to fill. */
  private readonly bulk: Buffer;
  private readonly block = Buffer.allocUnsafe(BLOCK);

  constructor(
    file: string,
    private readonly size: number,
    private readonly bytes: number,
  ) {
    this.fd = openSync(file, 'r');
    this.bulk = Buffer.allocUnsafe(Math.max(1, bytes - 1));
  }

  /** The piece that starts at `start`; to the end of the file when no boundary is found, or little would be left. */
  cut(start: number, linesBefore: number, toEnd = false): Cut {
    const last = { start, end: this.size, linesBefore, lines: 0, isLast: true };
    if (toEnd || this.size - start < 2 * this.bytes) return last;
    // The piece's bulk is only counted; its end is looked for after it, block by block.
    const bulk = this.read(start, this.bytes - 1, this.bulk);
    let quotes = countOf(bulk, QUOTE);
    let lines = countOf(bulk, NEWLINE) + this.loneReturns(bulk, start);
    for (let at = start + bulk.length; at < this.size; at += BLOCK) {
      const block = this.read(at, BLOCK, this.block);
      let quote = block.indexOf(QUOTE);
      for (let newline = block.indexOf(NEWLINE); newline !== -1; newline = block.indexOf(NEWLINE, newline + 1)) {
        for (; quote !== -1 && quote < newline; quote = block.indexOf(QUOTE, quote + 1)) quotes++;
        lines++;
        if (quotes % 2 === 0) {
          const end = at + newline + 1;
          if (this.size - end < this.bytes / 2) return last;
          return { start, end, linesBefore, lines: lines + this.loneReturns(block.subarray(0, newline), at), isLast: false };
        }
      }
      for (; quote !== -1; quote = block.indexOf(QUOTE, quote + 1)) quotes++;
      lines += this.loneReturns(block, at);
    }
    return last;
  }

  /** Where line `line` starts, counting from a piece's start. */
  offsetOfLine(start: number, linesBefore: number, line: number): number {
    let lines = linesBefore;
    if (line - 1 === lines) return start;
    for (let at = start; at < this.size; at += BLOCK) {
      const block = this.read(at, BLOCK, this.block);
      for (let i = 0; i < block.length; i++) {
        const c = block[i];
        if (c === NEWLINE || (c === RETURN && this.byteAfter(block, i, at) !== NEWLINE)) {
          lines++;
          if (lines === line - 1) return at + i + 1;
        }
      }
    }
    return this.size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Line breaks that are a CR alone (old Mac files), which the reader counts as lines too. */
  private loneReturns(bytes: Buffer, at: number): number {
    let n = 0;
    for (let i = bytes.indexOf(RETURN); i !== -1; i = bytes.indexOf(RETURN, i + 1)) if (this.byteAfter(bytes, i, at) !== NEWLINE) n++;
    return n;
  }

  private byteAfter(bytes: Buffer, i: number, at: number): number | undefined {
    return i + 1 < bytes.length ? bytes[i + 1] : this.read(at + i + 1, 1, Buffer.alloc(1))[0];
  }

  private read(at: number, length: number, into: Buffer): Buffer {
    const got = readSync(this.fd, into, 0, Math.min(length, into.length), at);
    return into.subarray(0, got);
  }
}

function countOf(bytes: Buffer, byte: number): number {
  let n = 0;
  for (let i = bytes.indexOf(byte); i !== -1; i = bytes.indexOf(byte, i + 1)) n++;
  return n;
}
