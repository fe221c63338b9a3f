import type { ProgressEvent } from '../jobs/runner.js';
import type { JobStage } from '../store/jobs.js';

/**
 * What a running load or stage reports as it goes. The caller decides whether and how to
 * show it: the CLI draws bars and prints notes on stderr, a script may log or ignore them.
 */
export type AssayEvent =
  /** Rows read so far by a load. */
  | { type: 'rows'; rows: number }
  /** Another job holds the catalog; this one waits for it (`wait: true`). */
  | { type: 'waiting'; job: number; stage: JobStage; since: string }
  | { type: 'started'; job: number; stage: JobStage }
  | ({ type: 'progress' } & ProgressEvent)
  | { type: 'finished'; job: number; stage: JobStage; outcome: 'succeeded' | 'interrupted' | 'cancelled'; done: number; total: number };

export interface StageHooks {
  onProgress?: (event: AssayEvent) => void;
  /** Aborting stops the job after its current batch: it ends interrupted, and can be resumed. */
  signal?: AbortSignal;
  /** Wait for a job running on the catalog instead of failing with `catalog_busy`. */
  wait?: boolean;
}
