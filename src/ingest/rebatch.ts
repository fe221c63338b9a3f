import { createReadStream } from 'node:fs';
import type { BronzeInput } from '../store/bronze.js';
import { BATCH_SIZE } from './batches.js';
import { decodeStream, type DecodeReport } from './decode.js';
import { unpack, type PackedBatch } from './packed-batch.js';
import type { RowError } from './types.js';

/** What decoding bytes [start, end) of a file meets, `linesBefore` lines in. */
export async function decodeBytes(file: string, start: number, end: number, linesBefore: number): Promise<DecodeReport> {
  const report: DecodeReport = { encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 };
  if (end > start) for await (const _ of decodeStream(createReadStream(file, { start, end: end - 1 }), 'utf-8', report, linesBefore));
  return report;
}

/** Takes what decoding met in a piece's dropped end out of the piece's report. */
export function leaveOut(piece: DecodeReport, tail: DecodeReport): void {
  piece.invalidSequences -= tail.invalidSequences;
  piece.nulBytes -= tail.nulBytes;
  if (piece.latin1Like !== undefined) piece.latin1Like -= tail.latin1Like ?? 0;
  if (tail.firstInvalidLine !== undefined && piece.firstInvalidLine === tail.firstInvalidLine) piece.firstInvalidLine = undefined;
  if (tail.firstNulLine !== undefined && piece.firstNulLine === tail.firstNulLine) piece.firstNulLine = undefined;
}

/**
 * Cuts products and row errors, given piece by piece, into the writer's batches of BATCH_SIZE
 * products, putting each error in the batch of the product open when it was met.
 */
export class Rebatcher {
  readonly ready: { errors: RowError[]; records: BronzeInput[]; releases: (() => void)[] }[] = [];
  private errors: RowError[] = [];
  private records: BronzeInput[] = [];
  private releases: (() => void)[] = [];
  private products = 0;
  private limit = BATCH_SIZE;

  add(batch: PackedBatch, release: () => void): void {
    const records = unpack(batch);
    const { errors, anchors } = batch;
    let e = 0;
    for (let i = 0; i <= records.length; i++) {
      for (; e < errors.length && anchors[e] === i; e++) {
        this.reach(this.products + i);
        this.errors.push(errors[e]);
      }
      if (i < records.length) {
        this.reach(this.products + i);
        this.records.push(records[i]);
      }
    }
    this.products += records.length;
    this.releases.push(release);
  }

  end(): void {
    if (this.records.length > 0 || this.errors.length > 0) this.cut();
  }

  /** One reader hands a batch over as the product after its last opens. */
  private reach(product: number): void {
    while (product >= this.limit) {
      this.cut();
      this.limit += BATCH_SIZE;
    }
  }

  private cut(): void {
    this.ready.push({ errors: this.errors, records: this.records, releases: this.releases });
    this.errors = [];
    this.records = [];
    this.releases = [];
  }
}
