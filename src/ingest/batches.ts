import type { DecodeReport, Encoding } from './decode.js';
import type { RepeatExample, RepeatPolicy } from './repeats.js';
import { BatchBuilder, type PackedBatch } from './packed-batch.js';
import { ProductFolder } from './product-folder.js';
import { openSource } from './source.js';
import type { Format } from './types.js';

export const BATCH_SIZE = 5000;

/** What reading one file needs: plain data, so that it can be handed to a worker thread. */
export interface ReadOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: string;
  sheet?: string;
  idColumn?: string;
  /** Source columns the mapping sends to id and title, when the user gave a mapping. */
  mappedId?: string;
  mappedTitle?: string;
  /** The largest row, line or element read, in bytes. */
  maxFieldBytes?: number;
  /** Bytes already open (a download): read in the thread that holds them, never handed to a worker. */
  bytes?: AsyncIterable<Uint8Array>;
  /** A repeated id that is not a continuation row: fold (default), first, last or error. */
  onRepeat?: RepeatPolicy;
}

/** What reading a file hands to the writer, in file order. */
export type ReadMessage =
  | { kind: 'header'; columns: string[] }
  | { kind: 'warning'; message: string }
  | { kind: 'repeats'; count: number; examples: RepeatExample[] }
  | PackedBatch
  | { kind: 'end'; rows: number };

/**
 * Reads one file into batches of bronze records: folds consecutive rows that share
 * an id, checks id and title, and serializes each product once it is complete.
 * `spares` takes back the buffers of written batches.
 */
export async function* readBatches(file: string, options: ReadOptions, spares: ArrayBuffer[] = []): AsyncGenerator<ReadMessage> {
  const source = await openSource(file, options);
  const name = file === '-' ? 'stdin' : file;
  const out: ReadMessage[] = [];
  const folder = new ProductFolder(name, options, new BatchBuilder(name, spares), (message) => out.push(message), BATCH_SIZE);
  let failed = false;
  let failure: unknown;
  try {
    for await (const item of source.items) {
      folder.handle(item);
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  // Rows read before a failure (a JSON array cut off mid-way) still load.
  folder.close();
  folder.flushRest();
  yield* out;
  if (failed) throw failure;
  if (!folder.columns && folder.noIdColumn) throw folder.noIdColumn;
  const { repeats } = folder;
  if (repeats.count > 0) yield { kind: 'repeats', count: repeats.count, examples: repeats.examples };
  if (folder.keyRenameCount > 0) yield { kind: 'warning', message: describeKeyRenames(folder.keyRenames, folder.keyRenameCount) };
  yield* decodeWarnings(source.decode);
  yield { kind: 'end', rows: folder.rows };
}

/** What decoding met, said once at the end of the file. */
export function* decodeWarnings(decode: DecodeReport): Generator<ReadMessage> {
  if (decode.utf16AfterUtf8Bom) {
    const name = decode.encoding.toUpperCase().replace('LE', ' LE').replace('BE', ' BE');
    yield {
      kind: 'warning',
      message: `the file starts with a UTF-8 byte-order mark but holds ${name} text: it was read as ${name}; save it again as UTF-8 to silence this`,
    };
  }
  if (decode.invalidSequences > 0) {
    yield {
      kind: 'warning',
      message: `${decode.invalidSequences} byte sequence(s) are not valid ${decode.encoding} and were replaced with U+FFFD (first on line ${decode.firstInvalidLine})${latin1Hint(decode)}`,
    };
  }
  if (decode.nulBytes > 0) yield { kind: 'warning', message: `${decode.nulBytes} NUL byte(s) were removed (first on line ${decode.firstNulLine})` };
}

// The advice to reload as Latin-1 is only given where the bad bytes read as Latin-1 text: following
// it on a UTF-8 file would turn every accented letter into two (`Vitória` → `VitÃ³ria`).
// A few stray sequences (a character cut in two by an earlier conversion) do not make a file any less Latin-1.
const LATIN1_SHARE = 0.8;

function latin1Hint(decode: { encoding: string; invalidSequences: number; latin1Like?: number }): string {
  if (decode.encoding !== 'utf-8') return '';
  const share = (decode.latin1Like ?? 0) / decode.invalidSequences;
  return share >= LATIN1_SHARE ? ': if the file is Latin-1, load it again with --encoding latin1' : ': the file is damaged or in another encoding';
}

function describeKeyRenames(shown: { line: number; from: string; to: string }[], count: number): string {
  const listed = shown.map((r) => `line ${r.line} '${r.from}' is '${r.to}'`).join('; ');
  const more = count > shown.length ? `; and ${count - shown.length} more` : '';
  return `repeated keys renamed so no value is lost (a nested key counts under its dotted name): ${listed}${more}`;
}
