import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resumeStage, type StageRun } from '../../app/stage.js';
import { ExitCode, UserError } from '../../errors.js';
import { checkLogFolder, openLogFile } from '../../files/private-log.js';
import { processIdentity, sweepDeadJobs } from '../../jobs/liveness.js';
import { renderAnalyze, writeAnalyzeJson } from '../../report/analyze.js';
import { renderJob, renderJobs, jobRecord } from '../../report/jobs.js';
import { renderNormalize, writeNormalizeJson } from '../../report/normalize.js';
import { visible } from '../../report/visible.js';
import type { GateReport } from '../../gold/gates.js';
import { openCatalog, type Db } from '../../store/catalog.js';
import { finishJob, getJob, listJobs, requestCancel, setJobProcess, type JobRow } from '../../store/jobs.js';
import type { CliContext } from '../context.js';
import { parseLimit } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';
import type { CancelJson } from '../../report/schemas.js';
import { createProgressView } from '../progress.js';
import { stageHooks } from '../stage-hooks.js';

const WATCH_INTERVAL_MS = 2000;

function jobId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('bad_job_id', `'${text}' is not a job id: list jobs with 'assay jobs'`);
  return id;
}

function findJob(db: Db, text: string): JobRow {
  const job = getJob(db, jobId(text));
  if (!job) throw new UserError('job_not_found', `no job ${text} in this catalog: list jobs with 'assay jobs'`);
  return job;
}

/** A job's exit code, as the command that ran it would have ended: gates stored with an analyze job count. */
export function exitCodeOf(job: JobRow): number {
  if (job.status !== 'succeeded') return ExitCode.failed;
  const gates = job.summary?.gates;
  return gates && !gates.passed ? ExitCode.gateFailed : ExitCode.ok;
}

export async function jobsCommand(flags: { limit?: string }, ctx: CliContext): Promise<number> {
  const limit = parseLimit(flags.limit, DEFAULT_LIMITS.jobs);
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    sweepDeadJobs(db);
    const jobs = listJobs(db, limit);
    if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, jobs: jobs.map(jobRecord) }));
    else renderJobs(jobs, ctx);
    return ExitCode.ok;
  } finally {
    db.close();
  }
}

export async function statusCommand(flags: { args: [string]; watch?: boolean }, ctx: CliContext): Promise<number> {
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    sweepDeadJobs(db);
    let job = findJob(db, flags.args[0]);
    if (flags.watch && job.status === 'running') {
      const progress = createProgressView({ ...ctx, quiet: ctx.quiet || ctx.json });
      while (job.status === 'running') {
        progress.update({ job: job.id, phase: job.stage, done: job.done, total: job.total, errors: job.errors });
        await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
        sweepDeadJobs(db);
        job = getJob(db, job.id)!;
      }
      progress.update({ job: job.id, phase: job.stage, done: job.done, total: job.total, errors: job.errors });
      progress.stop();
    }
    if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, job: jobRecord(job) }));
    else renderJob(job, ctx);
    return flags.watch ? exitCodeOf(job) : ExitCode.ok;
  } finally {
    db.close();
  }
}

export async function cancelCommand(flags: { args: [string] }, ctx: CliContext): Promise<number> {
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    sweepDeadJobs(db);
    const job = findJob(db, flags.args[0]);
    let outcome: CancelJson['outcome'] = 'unchanged';
    if (job.status === 'running') {
      requestCancel(db, job.id);
      outcome = 'requested';
      ctx.log(`job ${job.id}: cancel requested; it stops after its current batch (watch with 'assay status ${job.id} --watch')`);
    } else if (job.status === 'interrupted' || job.status === 'failed') {
      finishJob(db, job.id, 'cancelled', Date.now());
      outcome = 'cancelled';
      ctx.log(`job ${job.id} was ${job.status}; it is now cancelled and will not be resumed`);
    } else ctx.log(`job ${job.id} is already ${job.status}`);
    if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, job: jobRecord(getJob(db, job.id)!), outcome } satisfies CancelJson));
    return ExitCode.ok;
  } finally {
    db.close();
  }
}

export async function resumeCommand(flags: { args: [string]; wait?: boolean }, ctx: CliContext): Promise<number> {
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  const hooks = stageHooks(ctx, Boolean(flags.wait));
  try {
    sweepDeadJobs(db);
    const run = await resumeStage(db, findJob(db, flags.args[0]), hooks);
    return renderRun(db, run, ctx);
  } finally {
    hooks.dispose();
    db.close();
  }
}

/** The hidden command a detached job runs in its background process. */
export async function runJobCommand(flags: { args: [string] }, ctx: CliContext): Promise<number> {
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  const hooks = stageHooks(ctx, false);
  try {
    const run = await resumeStage(db, findJob(db, flags.args[0]), hooks, true);
    return renderRun(db, run, ctx);
  } finally {
    hooks.dispose();
    db.close();
  }
}

export function renderRun(db: Db, run: StageRun, ctx: CliContext): number {
  if (run.job.stage === 'normalize') {
    if (ctx.json) writeNormalizeJson(db, run);
    else renderNormalize(run, ctx);
    return run.exitCode;
  }
  const gates = (run.summary as { gates?: GateReport }).gates ?? { passed: true, gates: [] };
  if (ctx.json) writeAnalyzeJson(db, run, gates);
  else renderAnalyze(db, run, gates, ctx, { limit: DEFAULT_LIMITS.analyze });
  return run.exitCode === ExitCode.ok && !gates.passed ? ExitCode.gateFailed : run.exitCode;
}

/**
 * Creates a job with `create` and starts it in a background process that outlives the terminal;
 * its output goes to a log file beside the catalog, in a folder checked first so that nobody
 * else can plant a link at the log's name.
 */
export async function detachJob(db: Db, ctx: CliContext, create: () => Promise<JobRow>): Promise<number> {
  checkLogFolder(dirname(resolve(ctx.dbPath)), '--detach');
  const job = await create();
  const logFile = `${ctx.dbPath}.job-${job.id}.log`;
  let fd: number;
  try {
    fd = openLogFile(logFile, `--detach (job ${job.id})`);
  } catch (error) {
    finishJob(db, job.id, 'cancelled', Date.now(), undefined, 'its log file could not be opened');
    throw error;
  }
  const bin = fileURLToPath(new URL('../../../bin/assay.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '_run-job', String(job.id), '--db', ctx.dbPath, ...(ctx.configPath ? ['--config', ctx.configPath] : [])], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NO_COLOR: '1' },
  });
  closeSync(fd);
  setJobProcess(db, job.id, processIdentity(child.pid!), logFile);
  child.unref();
  if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, job: jobRecord(getJob(db, job.id)!), logFile }));
  else
    ctx.log(
      `job ${job.id} started in the background (pid ${child.pid}), log ${visible(logFile)}\nwatch it with: assay status ${job.id} --watch${ctx.dbPath === 'catalog.db' ? '' : ` --db ${visible(ctx.dbPath)}`}`,
    );
  return ExitCode.ok;
}
