import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReadMessage, ReadOptions } from './batches.js';
import { fromFailure, type WorkerFailure } from './worker-failure.js';

const WORKER = new URL('./read-worker.js', import.meta.url);

/** Whether the compiled worker is there: it is under dist/, not beside the TypeScript sources that tests run. */
export function canReadInWorker(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/**
 * Reads a file in a worker thread, so that decoding and parsing the next batches
 * overlap with writing this one. The worker stays at most a few batches ahead: each
 * batch is acknowledged once the caller asks for the next message, i.e. once it is written,
 * and its buffer goes back to the worker then: a batch's records are good until then only.
 */
export async function* readInWorker(file: string, options: ReadOptions): AsyncGenerator<ReadMessage> {
  const worker = new Worker(WORKER, { workerData: { file, options } });
  const queue: (ReadMessage | WorkerFailure)[] = [];
  let crashed: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on('message', (message: ReadMessage | WorkerFailure) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    crashed = error;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message) {
        if (message.kind === 'failed') throw fromFailure(message);
        yield message;
        if (message.kind === 'end') return;
        if (message.kind === 'batch') {
          const { buffer } = message.bytes;
          worker.postMessage(buffer, [buffer as ArrayBuffer]);
        }
        continue;
      }
      if (crashed) throw crashed;
      if (exited) throw new Error(`the reader of ${file} stopped without finishing`);
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    await worker.terminate();
  }
}
