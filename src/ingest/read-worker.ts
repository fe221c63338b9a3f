import { parentPort, workerData } from 'node:worker_threads';
import { readBatches, type ReadOptions } from './batches.js';
import { toFailure } from './worker-failure.js';

/** Batches posted ahead of the writer: enough to keep both threads busy, few enough to bound memory. */
const AHEAD = 2;

const port = parentPort!;
const { file, options } = workerData as { file: string; options: ReadOptions };
let credits = AHEAD;
let resume: (() => void) | undefined;
const spares: ArrayBuffer[] = [];
// The writer hands each batch's buffer back once it is written.
port.on('message', (spare: ArrayBuffer) => {
  spares.push(spare);
  credits++;
  resume?.();
});

try {
  for await (const message of readBatches(file, options, spares)) {
    if (message.kind !== 'batch') {
      port.postMessage(message);
      continue;
    }
    while (credits === 0) await new Promise<void>((resolve) => (resume = resolve));
    credits--;
    port.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
  }
} catch (error) {
  port.postMessage(toFailure(error));
}
port.close();
