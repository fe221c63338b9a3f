import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TASKS, type TaskName, type TaskTypes } from './tasks.js';

const ENTRY = new URL('./task-thread.js', import.meta.url);

/**
 * Below this many products a job does its pure work in the main thread: starting a thread
 * and loading the modules again in it costs more than it saves.
 */
export const THREAD_MIN_PRODUCTS = 5000;

/**
 * The thread's young generation, per task. Scoring makes a result object graph per product that
 * dies within its batch: at 16 MB the analyze thread spent about a quarter of its time in
 * scavenges. 64 MB cut that to a third, but once analyze kept two batches queued it peaked at
 * 449 MB on 1,000,000 products against 321 MB at 32 MB, for 32.2 against 33.5 s: 32 it is. The
 * keys thread ends before the batches start, but its heap is part of the indexing phase's peak,
 * which `assay run` adds to what load left: at 32 MB instead of 16 it saved about 2 s of
 * 1,000,000 products (79.4 against 81.2 s) for 20 MB more peak memory there, and `run` on
 * 100,000 products peaked at 365-383 MB against 346-366 MB, too near the bench's 380 MB guard.
 */
const YOUNG_GENERATION_MB: Record<TaskName, number> = { keys: 16, normalize: 16, analyze: 32 };

/** The pure half of a stage's batches (parsing, standardizing, scoring), run in order. */
export interface TaskRunner<I, O> {
  run(input: I): Promise<O>;
  /** When the task finished its latest answer, by `clock`. */
  endedAt(): number;
  close(): Promise<void>;
}

interface Reply {
  id: number;
  output?: unknown;
  endedAt?: number;
  error?: { message: string; stack?: string };
}

/** Milliseconds since the epoch, alike in every thread of the process (the unit of `endedAt`). */
export const clock = () => performance.timeOrigin + performance.now();

/**
 * Runs a task in a worker thread, so that it works on the next batches while the main
 * thread reads and writes the catalog: the two cores of a laptop both busy. Falls back to
 * this thread when asked to, or when the compiled thread entry is not there (tests run the
 * TypeScript sources, the CLI runs dist/).
 */
export function startTask<N extends TaskName>(
  name: N,
  init: TaskTypes[N]['init'],
  options: { thread: boolean },
): TaskRunner<TaskTypes[N]['input'], TaskTypes[N]['output']> {
  type Input = TaskTypes[N]['input'];
  type Output = TaskTypes[N]['output'];
  if (!options.thread || !existsSync(fileURLToPath(ENTRY))) {
    const task = TASKS[name](init as never) as (input: Input) => Output;
    let ended = 0;
    return {
      async run(input) {
        const output = task(input);
        ended = clock();
        return output;
      },
      endedAt: () => ended,
      close: async () => {},
    };
  }
  // The young generation is sized per task (YOUNG_GENERATION_MB): the thread's garbage is
  // short-lived batch data, and peak memory counts for a job that runs beside other work.
  const worker = new Worker(ENTRY, { workerData: { name, init }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB[name] } });
  const waiting = new Map<number, { resolve: (output: Output) => void; reject: (error: Error) => void }>();
  let broken: Error | undefined;
  let next = 0;
  let ended = 0;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const { reject } of waiting.values()) reject(broken);
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    const entry = waiting.get(reply.id);
    if (!entry) return;
    waiting.delete(reply.id);
    ended = reply.endedAt ?? clock();
    if (reply.error) {
      const error = new Error(reply.error.message);
      error.stack = reply.error.stack;
      entry.reject(error);
    } else entry.resolve(reply.output as Output);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the ${name} thread stopped (exit code ${code})`)));
  return {
    run(input) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      return new Promise<Output>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, input });
      });
    },
    endedAt: () => ended,
    async close() {
      broken ??= new Error(`the ${name} thread was closed`);
      await worker.terminate();
    },
  };
}
