import { ExitCode, isUserError, UserError } from '../errors.js';
import { executeJob, scopeSeqs } from '../jobs/execute.js';
import { processIdentity, sweepDeadJobs } from '../jobs/liveness.js';
import { checkResumable, type AnalyzeJobOptions, type NormalizeJobOptions } from '../jobs/options.js';
import type { Db } from '../store/catalog.js';
import { catalogErrorFrom } from '../store/errors.js';
import { adoptJob, claimJob, createJob, finishJob, getJob, runningJobs, setJobSummary, type JobRow, type JobScope, type JobStage } from '../store/jobs.js';
import type { StageHooks } from './events.js';

export interface StageRun {
  job: JobRow;
  missing: string[];
  summary: Record<string, unknown>;
  exitCode: number;
}

const WAIT_POLL_MS = 1000;

/** Waits for the catalog to be free of running jobs (`wait`), or refuses with exit 4. */
async function ensureFree(db: Db, hooks: StageHooks): Promise<void> {
  for (let announced = false; ; ) {
    sweepDeadJobs(db);
    const busy = runningJobs(db)[0];
    if (!busy) return;
    const since = new Date(busy.startedAt).toISOString();
    if (!hooks.wait) {
      throw new UserError(
        'catalog_busy',
        `the catalog is busy: job ${busy.id} (${busy.stage}) has been running since ${since}: wait with --wait, or watch it with 'assay status ${busy.id} --watch'`,
        ExitCode.busy,
      );
    }
    if (!announced) hooks.onProgress?.({ type: 'waiting', job: busy.id, stage: busy.stage, since });
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/** Starts a normalize or analyze job over a scope and runs it to its end. */
export async function startStage(
  db: Db,
  stage: JobStage,
  scope: JobScope,
  options: NormalizeJobOptions | AnalyzeJobOptions,
  hooks: StageHooks = {},
): Promise<StageRun> {
  return runStage(db, await createStageJob(db, stage, scope, options, hooks), hooks);
}

/** Claims the catalog and records a job over the scope; the ids the catalog lacks are kept in its summary. */
export async function createStageJob(
  db: Db,
  stage: JobStage,
  scope: JobScope,
  options: NormalizeJobOptions | AnalyzeJobOptions,
  hooks: StageHooks = {},
): Promise<JobRow> {
  for (;;) {
    await ensureFree(db, hooks);
    const { seqs, missing } = scopeSeqs(db, stage, scope, options);
    const id = createJob(db, { stage, scope, options, process: processIdentity(), now: Date.now() }, seqs);
    // Another writer took the catalog since ensureFree looked: look again (wait for it, or refuse naming it).
    if (id === undefined) continue;
    if (missing.length > 0) setJobSummary(db, id, { notFound: missing });
    return getJob(db, id)!;
  }
}

/**
 * Resumes an interrupted job: only what is left, with the job's own options. `detached`: this
 * process was started to run the job, which names it (or its parent) as its process.
 */
export async function resumeStage(db: Db, job: JobRow, hooks: StageHooks = {}, detached = false): Promise<StageRun> {
  if (detached && job.status === 'running' && job.pid === process.pid) return runStage(db, job, hooks);
  if (detached && job.status === 'running' && job.pid === process.ppid) {
    // Started before the parent named this process in the job: only the job's process may write its progress.
    adoptJob(db, job.id, processIdentity(), Date.now());
    return runStage(db, getJob(db, job.id)!, hooks);
  }
  for (;;) {
    if (job.status === 'running')
      throw new UserError('job_running', `job ${job.id} is still running: watch it with 'assay status ${job.id} --watch'`, ExitCode.busy);
    if (job.status === 'succeeded' || job.status === 'cancelled') throw new UserError('job_finished', `job ${job.id} is ${job.status}: nothing to resume`);
    checkResumable(job);
    try {
      await ensureFree(db, hooks);
    } catch (error) {
      // The job that holds the catalog may be this one, resumed by another process since it was read:
      // then say so by its own status rather than as some job holding the catalog.
      const now = getJob(db, job.id)!;
      if (now.status === job.status) throw error;
      job = now;
      continue;
    }
    // Two resumes of one job must not both run it: the claim fails if anything runs by now.
    if (claimJob(db, job.id, processIdentity(), Date.now())) return runStage(db, getJob(db, job.id)!, hooks);
    job = getJob(db, job.id)!;
  }
}

async function runStage(db: Db, job: JobRow, hooks: StageHooks): Promise<StageRun> {
  const missing = job.summary?.notFound ?? [];
  const emit = hooks.onProgress;
  emit?.({ type: 'started', job: job.id, stage: job.stage });
  try {
    const { outcome, summary } = await executeJob(db, job, {
      onProgress: emit && ((event) => emit({ type: 'progress', ...event })),
      shouldStop: () => (hooks.signal?.aborted ? 'interrupted' : undefined),
    });
    const full = { ...summary, notFound: missing, errors: ((summary.errors as number | undefined) ?? 0) + missing.length };
    finishJob(db, job.id, outcome, Date.now(), full);
    // A --stale job may have grown once indexing found products whose links moved: read its total back.
    const { done, total } = getJob(db, job.id)!;
    emit?.({ type: 'finished', job: job.id, stage: job.stage, outcome, done, total });
    return { job: getJob(db, job.id)!, missing, summary: full, exitCode: outcome === 'succeeded' ? ExitCode.ok : ExitCode.failed };
  } catch (error) {
    // The job is another process's now: its status is that run's to write.
    if (isUserError(error) && error.code === 'job_taken_over') throw error;
    try {
      finishJob(db, job.id, 'failed', Date.now(), undefined, error instanceof Error ? error.message : String(error));
    } catch {
      // The catalog refused this write too (a full disk): the job stays 'running' under a pid
      // that is about to end, and the next command marks it interrupted. Report the first error.
    }
    throw catalogErrorFrom(error, db.name, `resume with: assay resume ${job.id}`) ?? error;
  }
}
