import { createReadStream } from 'node:fs';
import type { ReadOptions } from './batches.js';
import { readCsv, type CsvPiece } from './csv.js';
import { decodeStream, type DecodeReport } from './decode.js';
import { BatchBuilder, type PackedBatch } from './packed-batch.js';
import { ProductFolder, type OpenProduct } from './product-folder.js';
import type { RepeatExample } from './repeats.js';
import type { RawItem } from './types.js';

const READ_CHUNK = 64 * 1024;

/** A piece to read: bytes [start, end) of the file; a piece after the first comes with the header. */
export interface PieceJob {
  kind: 'piece';
  id: number;
  start: number;
  end: number;
  linesBefore: number;
  isLast: boolean;
  delimiter: string | undefined;
  header?: string[];
}

/** The first piece's header line, as soon as it is read, with the warnings met before it. */
export interface PieceHeader {
  kind: 'header';
  id: number;
  columns: string[];
  delimiter: string;
  warnings: string[];
}

/** What one piece read: its products and row errors, and what it leaves to the pieces around it. */
export interface PieceResult {
  kind: 'piece';
  id: number;
  batch: PackedBatch;
  /** The piece's first rows, up to the first of a second id, unread (a piece after the first). */
  seam: RawItem[];
  /** Whether the seam is the whole piece: no second id in it. */
  isAllSeam: boolean;
  /** The product still open at its end, for the next piece's seam. */
  open: OpenProduct | undefined;
  rows: number;
  repeats: { count: number; examples: RepeatExample[] };
  decode: DecodeReport;
  settled: boolean;
  resumeLine: number;
}

/**
 * Reads one piece of a CSV file into products (see readInPieces). The first piece's header is
 * handed to `onHeader` as soon as it is read, with the warnings met before it.
 */
export async function readPiece(
  file: string,
  options: ReadOptions,
  job: PieceJob,
  spares: ArrayBuffer[],
  onHeader: (header: PieceHeader) => void,
): Promise<PieceResult> {
  const decode: DecodeReport = { encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 };
  const bytes = createReadStream(file, { start: job.start, end: job.end - 1, highWaterMark: READ_CHUNK });
  const isFirst = job.header === undefined;
  const text = decodeStream(bytes, isFirst ? options.encoding : 'utf-8', decode, isFirst ? undefined : job.linesBefore);
  const piece: CsvPiece = {
    isLast: job.isLast,
    ...(job.header && job.delimiter ? { start: { delimiter: job.delimiter, header: job.header, linesBefore: job.linesBefore } } : {}),
  };
  const warnings: string[] = [];
  let batch: PackedBatch | undefined;
  const folder = new ProductFolder(
    file,
    options,
    new BatchBuilder(file, spares, true),
    (message) => {
      if (message.kind === 'warning') warnings.push(message.message);
      else if (message.kind === 'header') {
        const header: PieceHeader = { kind: 'header', id: job.id, columns: message.columns, delimiter: piece.delimiter!, warnings: warnings.splice(0) };
        onHeader(header);
      } else batch = message;
    },
    Infinity,
    !isFirst,
  );
  if (job.header) folder.useHeader(job.header);
  const csv = { file, delimiter: job.delimiter, idColumn: options.idColumn ?? options.mappedId, maxFieldBytes: options.maxFieldBytes };
  for await (const item of readCsv(text, csv, piece)) folder.handle(item);
  folder.flush();
  return {
    kind: 'piece',
    id: job.id,
    batch: batch!,
    seam: folder.seam,
    isAllSeam: folder.holdsSeam,
    open: folder.open,
    rows: folder.rows,
    repeats: { count: folder.repeats.count, examples: folder.repeats.examples },
    decode,
    settled: job.isLast || piece.settled === true,
    resumeLine: piece.resumeLine ?? 0,
  };
}
