import type { Db } from '../store/catalog.js';
import { completeItems, heartbeat, pendingItems, type JobRow } from '../store/jobs.js';

export interface BatchOutcome {
  /** Writes the batch's results; runs inside the transaction that marks the batch done. */
  write(): void;
  errors: number;
}

/**
 * One stage's work on a batch of products, given by their load sequence numbers, in two
 * halves: `prepare` reads the batch and does the work that depends on nothing the job
 * writes (it may run a few batches ahead, in another thread); `finish` runs once every
 * earlier batch is committed and returns what to write.
 */
export interface StageWorker<P = unknown> {
  prepare(seqs: number[]): Promise<P>;
  finish(prepared: P): Promise<BatchOutcome>;
  /** Stops whatever the worker started (its thread); called once, however the job ends. */
  close?(): Promise<void>;
  /**
   * Batches handed to `prepare` beyond the one being finished (default 1). With two, a thread
   * that prepares a batch in about the time this thread reads and writes one always has the
   * next queued, instead of waiting while this thread reads it.
   */
  ahead?: number;
}

export interface ProgressEvent {
  job: number;
  phase: string;
  done: number;
  total: number;
  errors: number;
}

export interface RunOptions {
  batchSize?: number;
  now?: () => number;
  onProgress?: (event: ProgressEvent) => void;
  /** Asked between batches; true stops the job after the batch in hand is committed. */
  shouldStop?: () => 'interrupted' | 'cancelled' | undefined;
}

export type RunOutcome = 'succeeded' | 'interrupted' | 'cancelled';

const DEFAULT_BATCH = 2000;
/** Batches prepared ahead of the one being written, unless the worker asks for more: one keeps a second core busy. */
const AHEAD = 1;

/**
 * Runs a job to its end: takes the products not done yet in load order, a batch
 * at a time, and commits each batch's results together with the job's progress,
 * so a killed run loses at most the batch in hand and never redoes committed work.
 */
export async function runJob<P>(db: Db, job: JobRow, worker: StageWorker<P>, options: RunOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let { done, errors } = job;
  let after = 0;
  const ahead: { seqs: number[]; prepared: Promise<P> }[] = [];
  const depth = worker.ahead ?? AHEAD;
  // Keeps `depth` batches prepared or in preparation, so a worker thread works while this one writes.
  const fill = () => {
    while (ahead.length < depth) {
      const seqs = pendingItems(db, job.id, after, batchSize);
      if (seqs.length === 0) return;
      after = seqs[seqs.length - 1];
      const prepared = worker.prepare(seqs);
      // A batch dropped when the job stops is never awaited: its failure is not an error then.
      prepared.catch(() => {});
      ahead.push({ seqs, prepared });
    }
  };
  options.onProgress?.({ job: job.id, phase: job.stage, done, total: job.total, errors });
  try {
    for (;;) {
      // CPU-bound batches resolve as microtasks; yield so signals and timers get their turn.
      await new Promise((resolve) => setImmediate(resolve));
      const stop = options.shouldStop?.() ?? (heartbeat(db, job, now()).cancelRequested ? 'cancelled' : undefined);
      if (stop) return stop;
      fill();
      const batch = ahead.shift();
      if (!batch) return 'succeeded';
      const outcome = await worker.finish(await batch.prepared);
      // The next batch goes to the worker before this one is written, so both cores work.
      fill();
      db.transaction(() => {
        outcome.write();
        completeItems(db, job, batch.seqs, outcome.errors, now());
      }).immediate();
      done += batch.seqs.length;
      errors += outcome.errors;
      options.onProgress?.({ job: job.id, phase: job.stage, done, total: job.total, errors });
    }
  } finally {
    await worker.close?.();
  }
}
