import { parentPort, workerData } from 'node:worker_threads';
import type { ReadOptions } from './batches.js';
import { readPiece, type PieceHeader, type PieceJob, type PieceResult } from './read-piece.js';
import { toFailure, type WorkerFailure } from './worker-failure.js';

export type PieceMessage = PieceHeader | PieceResult | (WorkerFailure & { id: number });

const port = parentPort!;
const { file, options } = workerData as { file: string; options: ReadOptions };
const spares: ArrayBuffer[] = [];
const jobs: PieceJob[] = [];
let wake: (() => void) | undefined;

// Pieces to read, in order, and the buffers of pieces written, to fill again.
port.on('message', (message: PieceJob | ArrayBuffer) => {
  if (message instanceof ArrayBuffer) spares.push(message);
  else {
    jobs.push(message);
    wake?.();
  }
});

for (;;) {
  const job = jobs.shift();
  if (!job) {
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    continue;
  }
  try {
    const result = await readPiece(file, options, job, spares, (header) => port.postMessage(header));
    port.postMessage(result, [result.batch.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ ...toFailure(error), id: job.id });
  }
}
