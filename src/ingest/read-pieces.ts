import { Worker } from 'node:worker_threads';
import type { BronzeInput } from '../store/bronze.js';
import { decodeWarnings, type ReadMessage, type ReadOptions } from './batches.js';
import { CsvCutter, type Cut } from './csv-cut.js';
import type { DecodeReport } from './decode.js';
import { BatchBuilder, type PackedBatch } from './packed-batch.js';
import type { PiecePlan } from './piece-plan.js';
import type { PieceMessage } from './piece-worker.js';
import { readPiece, type PieceJob, type PieceResult } from './read-piece.js';
import { decodeBytes, leaveOut, Rebatcher } from './rebatch.js';
import { ProductFolder } from './product-folder.js';
import type { RepeatExample } from './repeats.js';
import type { RawItem, RowError } from './types.js';
import { fromFailure, toFailure } from './worker-failure.js';

const WORKER = new URL('./piece-worker.js', import.meta.url);
/** Pieces a worker is given before it has read them: one to read, one to start on next. */
const AHEAD = 2;
/** Pieces read or being read ahead of the writer, per reader: a bound on memory. */
const QUEUED = 3;
const SHOWN_REPEATS = 5;

/** A batch of records for the writer, cut from pieces read apart: the same batches one reader would make. */
export interface RecordBatch {
  kind: 'records';
  errors: RowError[];
  records: BronzeInput[];
  rows: number;
}

/**
 * Reads a CSV file in pieces, each in one of `plan.readers` worker threads, and hands the writer
 * its products in file order, cut into the batches one reader would make (so row errors and
 * rejected rows come out in the same order). A piece after the first starts with the header the
 * first one read. Where two pieces meet, the product the first left open and the rows the second
 * held back (up to its second id) are folded here, as one reader would have. A piece whose last
 * record runs past its end (the cut fell inside a quoted field) drops that record, and the file
 * is read on from its line; the pieces read ahead are thrown away.
 */
export async function* readInPieces(file: string, options: ReadOptions, plan: PiecePlan): AsyncGenerator<ReadMessage | RecordBatch> {
  const cutter = new CsvCutter(file, plan.size, plan.bytes);
  const workers: Worker[] = [];
  const results = new Map<number, PieceMessage>();
  let header: { columns: string[]; delimiter: string; warnings: string[] } | undefined;
  let crashed: Error | undefined;
  let wake: (() => void) | undefined;
  // Pieces read ahead of a cut that fell inside a record: their results are thrown away as they come.
  const skipped = new Set<number>();
  const onMessage = (message: PieceMessage) => {
    if (message.kind === 'header') header = message;
    else if (!skipped.delete(message.id)) results.set(message.id, message);
    else if (message.kind === 'piece') giveBack(message.id, message.batch);
    wake?.();
  };
  const until = async (ready: () => boolean) => {
    while (!ready()) {
      if (crashed) throw crashed;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };
  for (let i = 0; i < plan.readers; i++) {
    const worker = new Worker(WORKER, { workerData: { file, options } });
    worker.on('message', onMessage);
    worker.on('error', (error) => {
      crashed ??= error;
      wake?.();
    });
    worker.on('exit', () => {
      crashed ??= new Error(`a reader of ${file} stopped without finishing`);
      wake?.();
    });
    workers.push(worker);
  }
  // Who reads each piece not yet taken in: a worker, or this thread (`here`).
  const owners = new Map<number, Worker | 'here'>();
  const spares: ArrayBuffer[] = [];
  const hereSpares: ArrayBuffer[] = [];
  let nextId = 0;
  let cut: Cut | undefined;
  let cutDone = false;
  const queued: Cut[] = [];
  const jobOf = (piece: Cut): PieceJob => {
    const id = nextId++;
    queued.push(piece);
    cutDone = piece.isLast;
    cut = piece;
    return {
      kind: 'piece',
      id,
      start: piece.start,
      end: piece.end,
      linesBefore: piece.linesBefore,
      isLast: piece.isLast,
      delimiter: header?.delimiter ?? plan.delimiter,
      ...(header && piece.start > 0 ? { header: header.columns } : {}),
    };
  };
  const load = (worker: Worker) => {
    let n = 0;
    for (const [id, owner] of owners) if (owner === worker && id >= live && !results.has(id)) n++;
    return n;
  };
  const room = () => queued.length < (workers.length + (plan.readsHere ? 1 : 0)) * QUEUED;
  const dispatch = (piece: Cut) => {
    const worker = workers.reduce((a, b) => (load(b) < load(a) ? b : a));
    const job = jobOf(piece);
    owners.set(job.id, worker);
    worker.postMessage(job);
  };
  /** The next piece for a worker with room for it, while the writer is not too far behind. */
  const dispatchMore = () => {
    while (!cutDone && header && room() && workers.some((w) => load(w) < AHEAD)) dispatch(next());
  };
  const next = () => cutter.cut(cut!.end, cut!.linesBefore + cut!.lines);
  const giveBack = (id: number, batch: PackedBatch) => {
    const buffer = batch.bytes.buffer as ArrayBuffer;
    const owner = owners.get(id);
    if (owner === 'here') hereSpares.push(buffer);
    else owner?.postMessage(buffer, [buffer]);
    owners.delete(id);
  };
  /** On two cores this thread reads a piece itself whenever the piece it must write next is not ready. */
  const readHere = async () => {
    const job = jobOf(next());
    owners.set(job.id, 'here');
    try {
      results.set(job.id, await readPiece(file, options, job, hereSpares, () => {}));
    } catch (error) {
      results.set(job.id, { ...toFailure(error), id: job.id });
    }
  };

  const seamBatch = new BatchBuilder(file, spares);
  const folder = new ProductFolder(file, options, seamBatch, () => {}, Infinity);
  const rebatcher = new Rebatcher();
  const decode: DecodeReport = { encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 };
  const repeats = { count: 0, examples: [] as RepeatExample[] };
  let rows = 0;
  let live = 0;
  try {
    dispatch(cutter.cut(0, 0));
    let isHeaderSent = false;
    for (;;) {
      await until(() => header !== undefined || results.has(live));
      if (header && !isHeaderSent) {
        for (const message of header.warnings) yield { kind: 'warning', message };
        yield { kind: 'header', columns: header.columns };
        folder.useHeader(header.columns);
        isHeaderSent = true;
      }
      dispatchMore();
      while (plan.readsHere && !results.has(live) && !cutDone && header && room()) {
        await readHere();
        dispatchMore();
      }
      // A worker that finishes a piece meanwhile is given the next one.
      await until(() => {
        dispatchMore();
        return results.has(live);
      });
      const message = results.get(live)!;
      results.delete(live);
      const piece = queued.shift()!;
      if (message.kind === 'failed') throw fromFailure(message);
      const result = message as PieceResult;
      live++;
      if (!header) {
        // The first piece ended before its header did: read the whole file as one piece.
        giveBack(result.id, result.batch);
        dropQueued();
        dispatch(cutter.cut(0, 0, true));
        continue;
      }
      if (result.settled) takeIn(result);
      else {
        // The cut fell inside a record: read on from its line, throwing away the pieces read ahead.
        // What decoding met after that line is met again there: it counts once.
        const start = cutter.offsetOfLine(piece.start, piece.linesBefore, result.resumeLine);
        leaveOut(result.decode, await decodeBytes(file, start, piece.end, result.resumeLine - 1));
        takeIn(result);
        dropQueued();
        dispatch(cutter.cut(start, result.resumeLine - 1, start === piece.start));
      }
      yield* drain();
      if (piece.isLast && queued.length === 0) break;
    }
    folder.close();
    const rest = seamBatch.take(rows);
    rebatcher.add(rest, () => spares.push(rest.bytes.buffer as ArrayBuffer));
    rebatcher.end();
    yield* drain();
    if (repeats.count > 0) yield { kind: 'repeats', count: repeats.count, examples: repeats.examples };
    yield* decodeWarnings(decode);
    yield { kind: 'end', rows };
  } finally {
    cutter.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  function dropQueued(): void {
    for (let id = live; id < nextId; id++) {
      const result = results.get(id);
      results.delete(id);
      if (result?.kind === 'piece') giveBack(id, result.batch);
      else if (!result) skipped.add(id);
    }
    queued.length = 0;
    live = nextId;
    cutDone = false;
  }

  /** Hands over the batches cut so far; a batch's buffers go back once it is written (the writer asks for more). */
  function* drain(): Generator<RecordBatch> {
    for (const ready of rebatcher.ready.splice(0)) {
      yield { kind: 'records', errors: ready.errors, records: ready.records, rows };
      for (const release of ready.releases) release();
    }
  }

  function takeIn(result: PieceResult): void {
    // The rows the piece held back meet the product the piece before left open.
    const before = folder.repeats.count;
    const shown = folder.repeats.examples.length;
    for (const item of result.seam) folder.replay(fromClone(item));
    addRepeats(folder.repeats.count - before, folder.repeats.examples.slice(shown));
    if (!result.isAllSeam) {
      folder.close();
      if (seamBatch.size > 0 || seamBatch.errorCount > 0) {
        const batch = seamBatch.take(rows);
        rebatcher.add(batch, () => spares.push(batch.bytes.buffer as ArrayBuffer));
      }
      folder.open = result.open && { ...result.open, fields: nullProto(result.open.fields) };
    }
    rebatcher.add(result.batch, () => giveBack(result.id, result.batch));
    addRepeats(result.repeats.count, result.repeats.examples);
    addDecode(result.decode);
    rows += result.rows;
  }

  function addRepeats(count: number, examples: RepeatExample[]): void {
    repeats.count += count;
    for (const example of examples) if (repeats.examples.length < SHOWN_REPEATS) repeats.examples.push(example);
  }

  function addDecode(piece: DecodeReport): void {
    decode.encoding = piece.encoding;
    decode.invalidSequences += piece.invalidSequences;
    decode.nulBytes += piece.nulBytes;
    if (piece.latin1Like) decode.latin1Like = (decode.latin1Like ?? 0) + piece.latin1Like;
    if (piece.firstInvalidLine !== undefined) decode.firstInvalidLine = Math.min(decode.firstInvalidLine ?? Infinity, piece.firstInvalidLine);
    if (piece.firstNulLine !== undefined) decode.firstNulLine = Math.min(decode.firstNulLine ?? Infinity, piece.firstNulLine);
  }
}

/** A structured clone gives fields a prototype; the reader's have none (a column may be called `__proto__`). */
function nullProto(fields: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, fields);
}

function fromClone(item: RawItem): RawItem {
  if (item.kind === 'record' || (item.kind === 'error' && item.fields)) return { ...item, fields: nullProto(item.fields!) } as RawItem;
  return item;
}
