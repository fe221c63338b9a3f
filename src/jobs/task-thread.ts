// Entry of the worker thread behind `startTask`: builds the named task once from its
// init data, then answers each input in the order it arrives.
import { parentPort, workerData } from 'node:worker_threads';
import { TASKS, type TaskName } from './tasks.js';
import { clock } from './thread.js';

const { name, init } = workerData as { name: TaskName; init: never };
const task = TASKS[name](init) as (input: unknown) => unknown;

parentPort!.on('message', ({ id, input }: { id: number; input: unknown }) => {
  try {
    const output = task(input);
    parentPort!.postMessage({ id, output, endedAt: clock() });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort!.postMessage({ id, error: { message: e.message, stack: e.stack } });
  }
});
