import type { Db } from '../store/catalog.js';
import { completeItems, finishJob, getJob, heartbeat, pendingItems, type JobRow } from '../store/jobs.js';

export interface BatchOutcome {
  /** Writes the batch's results; runs inside the transaction that marks the batch done. */
  write(): void;
  errors: number;
}

/** One stage's work on a batch of products, given by their load sequence numbers. */
export interface StageWorker {
  processBatch(seqs: number[]): Promise<BatchOutcome>;
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

/**
 * Runs a job to its end: takes the products not done yet in load order, a batch
 * at a time, and commits each batch's results together with the job's progress,
 * so a killed run loses at most the batch in hand and never redoes committed work.
 */
export async function runJob(db: Db, job: JobRow, worker: StageWorker, options: RunOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let { done, errors } = job;
  let after = 0;
  options.onProgress?.({ job: job.id, phase: job.stage, done, total: job.total, errors });
  for (;;) {
    // CPU-bound batches resolve as microtasks; yield so signals and timers get their turn.
    await new Promise((resolve) => setImmediate(resolve));
    const stop = options.shouldStop?.() ?? (heartbeat(db, job.id, now()).cancelRequested ? 'cancelled' : undefined);
    if (stop) return stop;
    const seqs = pendingItems(db, job.id, after, batchSize);
    if (seqs.length === 0) return 'succeeded';
    after = seqs[seqs.length - 1];
    const outcome = await worker.processBatch(seqs);
    db.transaction(() => {
      outcome.write();
      completeItems(db, job.id, seqs, outcome.errors, now());
    }).immediate();
    done += seqs.length;
    errors += outcome.errors;
    options.onProgress?.({ job: job.id, phase: job.stage, done, total: job.total, errors });
  }
}

export function endJob(db: Db, jobId: number, outcome: RunOutcome | 'failed', summary: unknown, now: number, error?: string): JobRow {
  finishJob(db, jobId, outcome, now, summary, error);
  return getJob(db, jobId)!;
}
