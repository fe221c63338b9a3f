import type { BronzeInput } from '../store/bronze.js';
import { hashOf } from '../store/bronze-hash.js';
import type { RowError } from './types.js';

/**
 * A batch of products as UTF-8 in one buffer: each id and JSON text, with their end
 * offsets. It crosses from the reader thread without a copy, its buffers are used
 * again and again (touching fresh memory costs more than filling it, and a product's
 * JSON dies young instead of waiting for its batch), and the writer binds the bytes as they are.
 */
export interface PackedBatch {
  kind: 'batch';
  /** The row errors met since the last batch, in file order before this batch's records. */
  errors: RowError[];
  /**
   * For each error, how many of this batch's products came before it: the product open when it
   * was met is the next one. Batches cut elsewhere (pieces of a file read apart) put it by this.
   */
  anchors: number[];
  /** The file's rows read so far. */
  rows: number;
  file: string;
  bytes: Uint8Array;
  ends: Uint32Array;
  lines: Uint32Array;
  incomplete: [number, string][];
  /** Each product's bronze hash, when the reader computed them (see BatchBuilder). */
  hashes?: string[];
}

/** A batch's first buffer; it grows when the products are larger. */
const START_BYTES = 8 * 1024 * 1024;
/** A buffer grown past this for one long record is not used again: it would stay alive for the rest of the load. */
const MAX_SPARE_BYTES = 4 * START_BYTES;
/** Texts longer than this are measured rather than given room for 3 bytes a character. */
const MEASURED_CHARS = 1024 * 1024;
// encodeInto is several times faster than Buffer#write for many short strings.
const encoder = new TextEncoder();
const EMPTY = Buffer.alloc(0);

export class BatchBuilder {
  private errors: RowError[] = [];
  private anchors: number[] = [];
  private bytes: Buffer = EMPTY;
  private at = 0;
  private ends: number[] = [];
  private lines: number[] = [];
  private incomplete: [number, string][] = [];
  private hashes: string[] | undefined;

  /**
   * `spares` are buffers of batches already written, handed back by the writer. With `hashes`,
   * each product's bronze hash is computed here, off the writer's thread, where readers are several.
   */
  constructor(
    private readonly file: string,
    private readonly spares: ArrayBuffer[],
    hashes = false,
  ) {
    if (hashes) this.hashes = [];
  }

  get size(): number {
    return this.lines.length;
  }

  get errorCount(): number {
    return this.errors.length;
  }

  addError(error: RowError): void {
    this.errors.push(error);
    this.anchors.push(this.lines.length);
  }

  add(id: string, json: string, line: number, incomplete: string | undefined): void {
    if (incomplete !== undefined) this.incomplete.push([this.lines.length, incomplete]);
    this.ends.push(this.put(id), this.put(json));
    this.lines.push(line);
    this.hashes?.push(hashOf(json));
  }

  take(rows: number): PackedBatch {
    const batch: PackedBatch = {
      kind: 'batch',
      errors: this.errors,
      anchors: this.anchors,
      rows,
      file: this.file,
      // A batch of row errors alone has a buffer of its own too: it is handed back like any other.
      bytes: this.bytes === EMPTY ? new Uint8Array(0) : this.bytes.subarray(0, this.at),
      ends: Uint32Array.from(this.ends),
      lines: Uint32Array.from(this.lines),
      incomplete: this.incomplete,
      ...(this.hashes ? { hashes: this.hashes } : {}),
    };
    if (this.hashes) this.hashes = [];
    this.errors = [];
    this.anchors = [];
    this.ends = [];
    this.lines = [];
    this.incomplete = [];
    this.at = 0;
    // The next buffer is taken when the next batch needs it: a piece's last batch needs none.
    this.bytes = EMPTY;
    return batch;
  }

  private buffer(): Buffer {
    let spare = this.spares.pop();
    while (spare && (spare.byteLength > MAX_SPARE_BYTES || spare.byteLength === 0)) spare = this.spares.pop();
    return spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(START_BYTES);
  }

  private put(text: string): number {
    if (this.bytes === EMPTY) this.bytes = this.buffer();
    if (this.at + text.length * 3 > this.bytes.length) {
      const need = this.at + (text.length > MEASURED_CHARS ? Buffer.byteLength(text) : text.length * 3);
      if (need > this.bytes.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, need));
        this.bytes.copy(grown, 0, 0, this.at);
        this.bytes = grown;
      }
    }
    this.at += encoder.encodeInto(text, this.bytes.subarray(this.at)).written;
    return this.at;
  }
}

/** The batch's records; their JSON bytes are views on the batch's buffer, good until it is handed back. */
export function unpack(batch: PackedBatch): BronzeInput[] {
  const { ends, lines, file } = batch;
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const records: BronzeInput[] = new Array(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const id = bytes.toString('utf8', at, ends[2 * i]);
    const json = bytes.subarray(ends[2 * i], ends[2 * i + 1]);
    at = ends[2 * i + 1];
    records[i] = { id, json, file, line: lines[i] };
  }
  for (const [i, reason] of batch.incomplete) records[i].incomplete = reason;
  if (batch.hashes) for (let i = 0; i < records.length; i++) records[i].hash = batch.hashes[i];
  return records;
}
