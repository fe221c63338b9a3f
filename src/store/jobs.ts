import { z } from 'zod';
import { ExitCode, UserError } from '../errors.js';
import type { Db } from './catalog.js';
import { parseStored } from './stored-json.js';

export type JobStage = 'normalize' | 'analyze';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

const StoredScopeSchema = z.object({ kind: z.enum(['all', 'ids', 'stale']), ids: z.array(z.string()).optional() });
export type JobScope = z.infer<typeof StoredScopeSchema>;

const count = z.number().int().nonnegative();

/**
 * What is read back of a job's summary: the counters a resumed job carries on, the ids it could
 * not find, and what `assay jobs` and `assay status` show. The rest is kept as it was stored.
 */
const JobSummarySchema = z.looseObject({
  notFound: z.array(z.string()).optional(),
  errors: count.optional(),
  presetsDetected: z.record(z.string(), count).optional(),
  urlRequests: count.optional(),
  run: z.looseObject({ products: count, avgScore: z.number(), scoreDistribution: z.record(z.string(), count) }).optional(),
  gates: z.looseObject({ passed: z.boolean(), gates: z.array(z.looseObject({ passed: z.boolean(), message: z.string() })) }).optional(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

/** A job whose stored state this assay cannot read: it was written by another version, or damaged. */
export function unreadableJob(jobId: number, what: string, problem: string): UserError {
  return new UserError(
    'job_unreadable',
    `job ${jobId}: its stored ${what} cannot be read by this version of assay (${problem}): cancel it with 'assay cancel ${jobId}' and run the stage again`,
    ExitCode.usage,
  );
}

/** The process that runs a job; the start time (clock ticks since boot) and boot id are null where the OS does not tell. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  startTime: number | null;
  bootId: string | null;
}

export interface JobRow {
  id: number;
  stage: JobStage;
  scope: JobScope;
  /** The options as stored, parsed by the stage that runs the job (see jobs/options.ts). */
  optionsJson: string;
  status: JobStatus;
  total: number;
  done: number;
  errors: number;
  startedAt: number;
  finishedAt: number | null;
  heartbeatAt: number;
  pid: number;
  host: string;
  startTime: number | null;
  bootId: string | null;
  cancelRequested: boolean;
  logFile: string | null;
  /** Null when none is stored, or when the stored one does not fit. */
  summary: JobSummary | null;
  /**
   * Stored state that does not fit (its scope or summary): the job is still listed and can be
   * cancelled, but not resumed. Options are read by the stage that runs the job.
   */
  unreadable?: { what: 'scope' | 'summary'; problem: string };
  error: string | null;
}

interface RawJob {
  id: number;
  stage: JobStage;
  scope: string;
  options: string;
  status: JobStatus;
  total: number;
  done: number;
  errors: number;
  started_at: number;
  finished_at: number | null;
  heartbeat_at: number;
  pid: number;
  host: string;
  start_time: number | null;
  boot_id: string | null;
  cancel_requested: number;
  log_file: string | null;
  summary: string | null;
  error: string | null;
}

function toJob(row: RawJob): JobRow {
  const scope = parseStored(row.scope, StoredScopeSchema);
  const summary = row.summary ? parseStored(row.summary, JobSummarySchema) : undefined;
  const unreadable = !scope.ok
    ? { what: 'scope' as const, problem: scope.problem }
    : summary && !summary.ok
      ? { what: 'summary' as const, problem: summary.problem }
      : undefined;
  return {
    id: row.id,
    stage: row.stage,
    scope: scope.ok ? scope.value : { kind: 'ids', ids: [] },
    optionsJson: row.options,
    status: row.status,
    total: row.total,
    done: row.done,
    errors: row.errors,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
    pid: row.pid,
    host: row.host,
    startTime: row.start_time,
    bootId: row.boot_id,
    cancelRequested: row.cancel_requested === 1,
    logFile: row.log_file,
    summary: summary?.ok ? summary.value : null,
    ...(unreadable ? { unreadable } : {}),
    error: row.error,
  };
}

export interface NewJob {
  stage: JobStage;
  scope: JobScope;
  options: unknown;
  process: ProcessIdentity;
  now: number;
  logFile?: string;
}

function anyRunning(db: Db): boolean {
  return db.prepare("SELECT 1 FROM jobs WHERE status = 'running' LIMIT 1").get() !== undefined;
}

/**
 * Creates a job and its item list (the product seqs in scope) in one transaction, unless a
 * job is running: the check and the insert share the write lock, so of two writers that
 * start together only one gets the catalog. Undefined when another job holds it.
 */
export function createJob(db: Db, job: NewJob, seqs: Iterable<number>): number | undefined {
  return db
    .transaction(() => {
      if (anyRunning(db)) return undefined;
      const id = Number(
        db
          .prepare(
            `INSERT INTO jobs (stage, scope, options, status, started_at, heartbeat_at, pid, host, start_time, boot_id, log_file)
           VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            job.stage,
            JSON.stringify(job.scope),
            JSON.stringify(job.options),
            job.now,
            job.now,
            job.process.pid,
            job.process.host,
            job.process.startTime,
            job.process.bootId,
            job.logFile ?? null,
          ).lastInsertRowid,
      );
      const insert = db.prepare('INSERT OR IGNORE INTO job_items (job_id, seq) VALUES (?, ?)');
      let total = 0;
      for (const seq of seqs) total += insert.run(id, seq).changes;
      db.prepare('UPDATE jobs SET total = ? WHERE id = ?').run(total, id);
      return id;
    })
    .immediate();
}

/** Adds products to a job's scope (those it holds already are kept as they are) and counts them in its total. */
export function addJobItems(db: Db, jobId: number, seqs: number[]): void {
  db.transaction(() => {
    const insert = db.prepare('INSERT OR IGNORE INTO job_items (job_id, seq) VALUES (?, ?)');
    let added = 0;
    for (const seq of seqs) added += insert.run(jobId, seq).changes;
    if (added > 0) db.prepare('UPDATE jobs SET total = total + ? WHERE id = ?').run(added, jobId);
  }).immediate();
}

export function getJob(db: Db, id: number): JobRow | undefined {
  const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJob | undefined;
  return row ? toJob(row) : undefined;
}

export function listJobs(db: Db, limit: number): JobRow[] {
  return (db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as RawJob[]).map(toJob);
}

export function runningJobs(db: Db): JobRow[] {
  return (db.prepare("SELECT * FROM jobs WHERE status = 'running' ORDER BY id").all() as RawJob[]).map(toJob);
}

/**
 * The next products of a job still to do, in load order, after seq `after` (everything
 * before it is done): a range read on the key, where a scan from the start would read every
 * done item again and make a long job quadratic.
 */
export function pendingItems(db: Db, jobId: number, after: number, limit: number): number[] {
  return db.prepare('SELECT seq FROM job_items WHERE job_id = ? AND seq > ? AND done = 0 ORDER BY seq LIMIT ?').pluck().all(jobId, after, limit) as number[];
}

/**
 * Marks a batch done and advances the job's counters; call inside the batch's transaction.
 * The batch is the job's next items in load order, so it is the range from its first seq to its last.
 */
export function completeItems(db: Db, job: JobOwner, seqs: number[], errors: number, now: number): void {
  const owned = db.prepare(OWNED_UPDATE('done = done + ?, errors = errors + ?, heartbeat_at = ?')).get(seqs.length, errors, now, job.id, job.pid);
  if (!owned) throw jobTakenOver(db, job.id);
  db.prepare('UPDATE job_items SET done = 1 WHERE job_id = ? AND seq BETWEEN ? AND ?').run(job.id, seqs[0], seqs[seqs.length - 1]);
}

/** Refreshes a running job's heartbeat and says whether it was asked to stop. */
export function heartbeat(db: Db, job: JobOwner, now: number): { cancelRequested: boolean } {
  const row = db.prepare(OWNED_UPDATE('heartbeat_at = ?')).get(now, job.id, job.pid) as { cancel_requested: number } | undefined;
  if (!row) throw jobTakenOver(db, job.id);
  return { cancelRequested: row.cancel_requested === 1 };
}

/** The job and the process that claimed it, which alone may write its progress. */
export type JobOwner = Pick<JobRow, 'id' | 'pid'>;

/**
 * Updates a job only while it is running under the process that claimed it. Another process
 * may have taken it for dead (where that is judged by the heartbeat alone) and resumed it: this
 * one must then stop, and its batch in hand must not be committed beside the new run's.
 */
const OWNED_UPDATE = (set: string) => `UPDATE jobs SET ${set} WHERE id = ? AND status = 'running' AND pid = ? RETURNING cancel_requested`;

function jobTakenOver(db: Db, jobId: number): UserError {
  const now = getJob(db, jobId);
  const by = now?.status === 'running' ? `it is running under pid ${now.pid} now` : `it is ${now?.status ?? 'gone'} now`;
  return new UserError(
    'job_taken_over',
    `job ${jobId} was taken for dead by another assay (${by}): this process stopped without committing its batch in hand`,
    ExitCode.failed,
  );
}

/** Takes a stopped job over for this process, unless a job (this one too) is running; false then. */
export function claimJob(db: Db, jobId: number, owner: ProcessIdentity, now: number): boolean {
  return db
    .transaction(() => {
      if (anyRunning(db)) return false;
      db.prepare(
        "UPDATE jobs SET status = 'running', pid = ?, host = ?, start_time = ?, boot_id = ?, heartbeat_at = ?, finished_at = NULL, cancel_requested = 0, error = NULL WHERE id = ?",
      ).run(owner.pid, owner.host, owner.startTime, owner.bootId, now, jobId);
      return true;
    })
    .immediate();
}

export function finishJob(db: Db, jobId: number, status: JobStatus, now: number, summary?: unknown, error?: string): void {
  db.prepare('UPDATE jobs SET status = ?, finished_at = ?, heartbeat_at = ?, summary = coalesce(?, summary), error = ? WHERE id = ?').run(
    status,
    now,
    now,
    summary === undefined ? null : JSON.stringify(summary),
    error ?? null,
    jobId,
  );
}

/**
 * Marks a running job interrupted unless it changed since it was read (`job`): another process
 * may have swept and resumed it meanwhile, and that run must not be marked as stopped.
 */
export function interruptJob(db: Db, job: JobRow, now: number, error: string): boolean {
  return (
    db
      .prepare("UPDATE jobs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running' AND pid = ? AND heartbeat_at = ?")
      .run(now, error, job.id, job.pid, job.heartbeatAt).changes === 1
  );
}

export function requestCancel(db: Db, jobId: number): void {
  db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(jobId);
}

/** Hands a job to the background process that will run it. */
export function setJobProcess(db: Db, jobId: number, owner: ProcessIdentity, logFile: string): void {
  db.prepare('UPDATE jobs SET pid = ?, start_time = ?, boot_id = ?, log_file = ?, heartbeat_at = ? WHERE id = ?').run(
    owner.pid,
    owner.startTime,
    owner.bootId,
    logFile,
    Date.now(),
    jobId,
  );
}

/** Names the process that runs a job from now on (a detached job's own process, taking it from its parent). */
export function adoptJob(db: Db, jobId: number, owner: ProcessIdentity, now: number): void {
  db.prepare("UPDATE jobs SET pid = ?, start_time = ?, boot_id = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'").run(
    owner.pid,
    owner.startTime,
    owner.bootId,
    now,
    jobId,
  );
}

export function setJobSummary(db: Db, jobId: number, summary: unknown): void {
  db.prepare('UPDATE jobs SET summary = ? WHERE id = ?').run(JSON.stringify(summary), jobId);
}

/**
 * Sets fields of a running job's summary, keeping the rest (such as notFound): counters a
 * stage keeps in memory are saved with each batch, so a resumed job carries them on.
 */
export function mergeJobSummary(db: Db, jobId: number, fields: Record<string, unknown>): void {
  const text = db.prepare('SELECT summary FROM jobs WHERE id = ?').pluck().get(jobId) as string | null | undefined;
  const stored = text ? parseStored(text, JobSummarySchema) : undefined;
  if (stored && !stored.ok) throw unreadableJob(jobId, 'summary', stored.problem);
  const summary = stored?.value ?? {};
  db.prepare('UPDATE jobs SET summary = ? WHERE id = ?').run(JSON.stringify({ ...summary, ...fields }), jobId);
}
