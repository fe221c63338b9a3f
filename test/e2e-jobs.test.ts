import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, jsonOf, runCli, type CliResult } from './helpers/cli.js';
import {
  copyCatalog,
  generatedCatalog,
  jobStates,
  killJobProcess,
  readCatalog,
  silverChecksum,
  startCli,
  waitFor,
  waitForProgress,
  type GeneratedCatalog,
  type JobState,
  type RunningCli,
} from './helpers/jobs.js';
import { tempDir } from './helpers/tmp.js';

// Four batches of 2,000 (the generator blanks a few titles, which the load rejects): enough
// to stop a job between its first and last batch, few enough to keep the file quick.
const PRODUCTS = 8_000;
const LONG = 120_000;

/** `normalize job 12: 40000/100000 (40%), 8123/s, eta 7s` (see docs/commands.md#jobs). */
const PLAIN_LINE = /^(normalize|analyze|indexing) job (\d+): (\d+)\/(\d+) \((\d+)%\), (\d+)\/s, eta (\d+)s$/;

/** A progress line in the documented format, whose rate and ETA say something while work is left. */
function expectPlainLine(line: string): void {
  expect(line).toMatch(PLAIN_LINE);
  const [, , , done, total, , rate, eta] = PLAIN_LINE.exec(line)!.map(Number);
  if (done < total) expect({ line, rate: rate > 0, eta: eta > 0 }).toEqual({ line, rate: true, eta: true });
}

interface JobJson extends JobState {
  logFile: string | null;
  summary: Record<string, unknown> | null;
}

let base: GeneratedCatalog;
let reference: { db: string; run: CliResult; job: JobState; silver: { rows: number; sha1: string }; summary: Record<string, unknown> };

/** Stops what a test started and left running (when it failed half-way), before its folder goes. */
const cleanups: (() => void)[] = [];

function assayIn(dir: string, db: string) {
  return (...args: string[]) => runCli(['--db', db, ...args], { cwd: dir, timeoutMs: LONG });
}

function jobSummary(db: string, id: number): Record<string, unknown> {
  const text = readCatalog(db, (conn) => conn.prepare('SELECT summary FROM jobs WHERE id = ?').pluck().get(id) as string);
  const { duration_ms: _duration, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
}

function doneItems(db: string, id: number): number {
  return readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM job_items WHERE job_id = ? AND done = 1').pluck().get(id) as number);
}

function silverRows(db: string): number {
  return readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM silver').pluck().get() as number);
}

function track(run: RunningCli): RunningCli {
  cleanups.push(() => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return run;
}

/** The background process of a detached job, stopped after the test if it still runs that job. */
function trackJob(db: string, id: number): void {
  const { pid } = jobStates(db).find((job) => job.id === id)!;
  cleanups.push(() => killJobProcess(pid, db));
}

beforeAll(async () => {
  base = await generatedCatalog(PRODUCTS);
  const db = copyCatalog(base.db, join(base.dir, 'reference.db'));
  const run = await runCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: base.dir, timeoutMs: LONG });
  if (run.code !== 0) throw new Error(`the reference normalize exited ${run.code}:\n${run.stderr}`);
  const [job] = jobStates(db);
  reference = { db, run, job, silver: silverChecksum(db), summary: jobSummary(db, job.id) };
}, 3 * LONG);

afterAll(() => base?.remove());

afterEach(() => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) cleanup();
});

describe('the reference run', () => {
  it('normalizes every product once, off a TTY with plain progress lines in the documented format', () => {
    expect(reference.job).toMatchObject({ stage: 'normalize', status: 'succeeded', done: base.products, total: base.products });
    expect(reference.silver.rows).toBe(base.products);
    const stderr = reference.run.stderr;
    expect(stderr).not.toMatch(/\r|\u001b\[/);
    const lines = stderr.split('\n').filter((line) => / job \d+: /.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expectPlainLine(line);
    const normalize = lines.filter((line) => line.startsWith('normalize job'));
    expect(normalize.length).toBeGreaterThan(0);
    for (const line of normalize) {
      const [, , id, done, total, pct] = PLAIN_LINE.exec(line)!;
      expect(Number(id)).toBe(reference.job.id);
      expect(Number(total)).toBe(base.products);
      expect(Number(pct)).toBe(Math.floor((Number(done) / Number(total)) * 100));
    }
    expect(normalize.at(-1)).toMatch(new RegExp(`^normalize job ${reference.job.id}: ${base.products}/${base.products} \\(100%\\), \\d+/s, eta 0s$`));
  });
});

describe('stopping and resuming', () => {
  it('SIGINT finishes the batch in hand, exits 3 naming assay resume; resume ends with the Silver layer of an uninterrupted run', async () => {
    const tmp = tempDir();
    const db = copyCatalog(base.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const run = track(startCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: tmp.dir }));
    const seen = await waitForProgress(db);
    run.child.kill('SIGINT');
    const stopped = await run.result;
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stderr).toContain(`assay resume ${seen.id}`);
    expect(stopped.stderr).not.toMatch(/internal error|\n\s+at /);

    const [job] = jobStates(db);
    expect(job).toMatchObject({ id: seen.id, status: 'interrupted', total: base.products });
    expect(job.done).toBeGreaterThanOrEqual(seen.done);
    expect(job.done).toBeLessThan(job.total);
    // What the job counts as done is exactly what is committed: no more, no less.
    expect(doneItems(db, job.id)).toBe(job.done);
    expect(silverRows(db)).toBe(job.done);

    const resumed = await assay('resume', String(job.id));
    expect(resumed.code, resumed.stderr).toBe(0);
    const [after] = jobStates(db);
    expect(after).toMatchObject({ id: job.id, status: 'succeeded', done: base.products, total: base.products, errors: reference.job.errors });
    expect(silverChecksum(db)).toEqual(reference.silver);
    expect(jobSummary(db, job.id)).toEqual(reference.summary);
  });

  it('kill -9: the next command marks the job interrupted; resume does only what is left, nothing twice', async () => {
    const tmp = tempDir();
    const db = copyCatalog(base.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const run = track(startCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: tmp.dir }));
    const seen = await waitForProgress(db);
    run.child.kill('SIGKILL');
    const killed = await run.result;
    expect(killed.code).toBeNull();
    expect(jobStates(db)[0]).toMatchObject({ id: seen.id, status: 'running' });

    const listed = await assay('jobs', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { jobs } = jsonOf<{ jobs: JobJson[] }>(listed);
    expect(jobs[0]).toMatchObject({ id: seen.id, status: 'interrupted' });
    const [before] = jobStates(db);
    expect(before.status).toBe('interrupted');
    expect(before.done).toBeGreaterThanOrEqual(seen.done);
    expect(before.done).toBeLessThan(before.total);
    expect(doneItems(db, before.id)).toBe(before.done);
    expect(silverRows(db)).toBe(before.done);

    // Count every write to the Silver layer from here on; the triggers live in this copy of the catalog.
    const conn = new Database(db);
    conn.exec(`
      CREATE TABLE test_silver_writes (seq INTEGER NOT NULL, op TEXT NOT NULL);
      CREATE TRIGGER test_count_insert AFTER INSERT ON silver BEGIN INSERT INTO test_silver_writes VALUES (new.seq, 'insert'); END;
      CREATE TRIGGER test_count_update AFTER UPDATE ON silver BEGIN INSERT INTO test_silver_writes VALUES (new.seq, 'update'); END;
    `);
    conn.close();

    // Three resumes at once, as overlapping cron runs would: one runs the job, the others are
    // refused (it is running, or already finished), and no product is written twice.
    const resumes = await Promise.all([1, 2, 3].map(() => assay('resume', String(before.id))));
    expect(resumes.filter((r) => r.code === 0).length, resumes.map((r) => r.stderr).join('\n')).toBe(1);
    for (const refused of resumes.filter((r) => r.code !== 0)) expect(refused.stderr).toMatch(new RegExp(`job ${before.id} is (still running|succeeded)`));
    const writes = readCatalog(
      db,
      (c) => c.prepare('SELECT count(*) AS n, count(DISTINCT seq) AS products FROM test_silver_writes').get() as { n: number; products: number },
    );
    expect(writes).toEqual({ n: before.total - before.done, products: before.total - before.done });
    const [after] = jobStates(db);
    expect(after).toMatchObject({ id: before.id, status: 'succeeded', done: after.total, total: base.products, errors: reference.job.errors });
    expect(silverChecksum(db)).toEqual(reference.silver);
    expect(jobSummary(db, after.id)).toEqual(reference.summary);
  });

  it('a second SIGINT stops at once, leaving committed work consistent; the next command marks the job interrupted', async () => {
    const tmp = tempDir();
    const db = copyCatalog(base.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const run = track(startCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: tmp.dir }));
    const seen = await waitForProgress(db);
    // Back to back: both arrive while the batch is in hand (or as one, when the kernel merges them).
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    const stopped = await run.result;
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stderr).toContain(`assay resume ${seen.id}`);

    const status = await assay('status', String(seen.id), '--json');
    expect(status.code, status.stderr).toBe(0);
    const { job } = jsonOf<{ job: JobJson }>(status);
    expect(job.status).toBe('interrupted');
    expect(doneItems(db, job.id)).toBe(job.done);
    expect(silverRows(db)).toBe(job.done);
    expect(job.done).toBeLessThan(job.total);
    // Resuming from here is the kill -9 case above.
  });
});

describe('detached jobs', () => {
  it('--detach returns at once; status --watch exits 0 when the job succeeds; the log sits next to the catalog', async () => {
    const tmp = tempDir();
    const db = copyCatalog(base.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const detached = await assay('normalize', '--all', '--offline', '--detach', '--json');
    expect(detached.code, detached.stderr).toBe(0);
    const out = jsonOf<{ job: JobJson; logFile: string }>(detached);
    trackJob(db, out.job.id);
    expect(out.job).toMatchObject({ stage: 'normalize', status: 'running', total: base.products });
    expect(out.logFile).toBe(`${db}.job-${out.job.id}.log`);

    const watched = await assay('status', String(out.job.id), '--watch');
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(new RegExp(`Job ${out.job.id}\\b.*succeeded`));
    expect(watched.stdout).toContain(out.logFile);
    expect(watched.stdout).toMatch(/\n {2}summary {4}processed [\d,]+, fields normalized [\d,]+, duplicates [\d,]+/);
    for (const line of watched.stderr.split('\n').filter((l) => / job \d+: /.test(l))) expect(line).toMatch(PLAIN_LINE);

    expect(existsSync(out.logFile)).toBe(true);
    const log = readFileSync(out.logFile, 'utf8');
    expect(log).not.toMatch(/\r|\u001b\[/);
    const progress = log.split('\n').filter((line) => line.startsWith('normalize job'));
    for (const line of progress) expectPlainLine(line);
    expect(progress.length > 0 || /Normalize job \d+ succeeded/.test(log)).toBe(true);
    expect(log).toMatch(new RegExp(`Normalize job ${out.job.id} succeeded`));
    expect(jobStates(db)[0]).toMatchObject({ id: out.job.id, status: 'succeeded', done: base.products });
    expect(silverChecksum(db)).toEqual(reference.silver);
  });

  it('a cron-style analyze --all --detach (no terminal) ends succeeded with plain progress lines in its log', async () => {
    const tmp = tempDir();
    const db = copyCatalog(reference.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    // Like cron: no TTY anywhere, a shell script, a minimal environment.
    const script = tmp.write('nightly.sh', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" --db "${db}" analyze --all --detach\n`);
    const cron = await new Promise<CliResult>((resolve) => {
      execFile('/bin/sh', [script], { cwd: tmp.dir, env: { PATH: process.env.PATH ?? '', HOME: tmp.dir } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(cron.code, cron.stderr).toBe(0);
    const id = Number(/job (\d+) started in the background/.exec(cron.stderr)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(cron.stderr).toContain(`assay status ${id} --watch`);
    trackJob(db, id);

    await waitFor('the detached analyze to end', () => (jobStates(db).find((j) => j.id === id)?.status === 'running' ? undefined : true), LONG, 200);
    const status = await assay('status', String(id), '--json');
    expect(status.code, status.stderr).toBe(0);
    const { job } = jsonOf<{ job: JobJson }>(status);
    expect(job).toMatchObject({ id, stage: 'analyze', status: 'succeeded', done: base.products, total: base.products });
    expect(job.logFile).toBe(`${db}.job-${id}.log`);
    const log = readFileSync(job.logFile!, 'utf8');
    const progress = log.split('\n').filter((line) => line.startsWith('analyze job'));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expectPlainLine(line);
    expect(log).not.toMatch(/\r|\u001b\[/);
  });

  it('cancel stops a detached job at its next batch boundary; status --watch exits 3 with status cancelled', async () => {
    const tmp = tempDir();
    const db = copyCatalog(base.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const detached = await assay('normalize', '--all', '--offline', '--detach', '--json');
    expect(detached.code, detached.stderr).toBe(0);
    const { job } = jsonOf<{ job: JobJson }>(detached);
    trackJob(db, job.id);
    // At once, so the job cannot end first on a slow machine: it stops between index chunks or batches.
    const cancel = await assay('cancel', String(job.id), '--json');
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stderr).toMatch(/cancel requested/);
    expect(jsonOf<{ job: JobJson; outcome: string }>(cancel)).toMatchObject({ job: { id: job.id }, outcome: 'requested' });
    const watched = await assay('status', String(job.id), '--watch', '--json');
    expect(watched.code, watched.stderr).toBe(3);
    const after = jsonOf<{ job: JobJson }>(watched).job;
    expect(after.status).toBe('cancelled');
    expect(after.done).toBeLessThan(after.total);
    expect(doneItems(db, job.id)).toBe(after.done);
    expect(silverRows(db)).toBe(after.done);
    const log = readFileSync(after.logFile!, 'utf8');
    expect(log).not.toMatch(/internal error/);
    expect(log).toMatch(new RegExp(`job ${job.id} cancelled`));
    // A cancelled job is not resumed: nothing may suggest it.
    expect(log).not.toContain('assay resume');

    const resume = await assay('resume', String(job.id));
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/cancelled: nothing to resume/);
  });
});

describe('one writer at a time', () => {
  it('writers started together never run at once: each is refused with exit 4 or runs after the other', async () => {
    const tmp = tempDir();
    const db = copyCatalog(reference.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const runs = await Promise.all([1, 2, 3, 4, 5].map(() => assay('analyze', '--all', '--quiet')));
    for (const run of runs) {
      expect([0, 4], run.stderr).toContain(run.code);
      if (run.code === 4) expect(run.stderr).toMatch(/the catalog is busy: job \d+ \(analyze\)/);
    }
    const jobs = readCatalog(
      db,
      (conn) =>
        conn.prepare("SELECT id, status, started_at AS startedAt, finished_at AS finishedAt FROM jobs WHERE stage = 'analyze' ORDER BY started_at").all() as {
          id: number;
          status: string;
          startedAt: number;
          finishedAt: number;
        }[],
    );
    expect(jobs).toHaveLength(runs.filter((r) => r.code === 0).length);
    for (const job of jobs) expect(job.status).toBe('succeeded');
    for (let i = 1; i < jobs.length; i++)
      expect(jobs[i].startedAt, `job ${jobs[i].id} started while job ${jobs[i - 1].id} ran`).toBeGreaterThanOrEqual(jobs[i - 1].finishedAt);
  });

  it('a second writer exits 4 naming the job, its stage and since when; reads work; --wait waits, then succeeds', async () => {
    const tmp = tempDir();
    const db = copyCatalog(reference.db, tmp.path('catalog.db'));
    const assay = assayIn(tmp.dir, db);
    const firstId = readCatalog(db, (conn) => conn.prepare('SELECT id FROM products ORDER BY seq LIMIT 1').pluck().get() as string);
    const holder = track(startCli(['--db', db, 'analyze', '--all'], { cwd: tmp.dir }));
    const running = await waitForProgress(db, reference.job.id);
    // Hold the job still between the checks below, so it is surely running while they run.
    holder.child.kill('SIGSTOP');
    try {
      const [normalize, analyze, show, products, summary, jobs, status] = await Promise.all([
        assay('normalize', '--all', '--offline'),
        assay('analyze', '--all'),
        assay('show', firstId),
        assay('products', '--json'),
        assay('summary'),
        assay('jobs', '--json'),
        assay('status', String(running.id)),
      ]);
      for (const refused of [normalize, analyze]) {
        expect(refused.code, refused.stderr).toBe(4);
        expect(refused.stderr).toMatch(new RegExp(`job ${running.id} \\(analyze\\) has been running since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d`));
        expect(refused.stderr).not.toMatch(/internal error|\n\s+at /);
      }
      for (const read of [show, products, summary, jobs, status]) expect(read.code, read.stderr).toBe(0);
      expect(show.stdout).toContain(firstId);
      expect(jsonOf<{ jobs: JobJson[] }>(jobs).jobs[0]).toMatchObject({ id: running.id, status: 'running' });
      expect(status.stdout).toMatch(/running/);

      const waiter = track(startCli(['--db', db, 'analyze', '--all', '--wait'], { cwd: tmp.dir }));
      await waitFor('the second writer to say it waits', () => (/waiting for job/.test(waiter.output().stderr) ? true : undefined), LONG);
      expect(jobStates(db)[0].id).toBe(running.id);
      holder.child.kill('SIGCONT');
      const [held, waited] = await Promise.all([holder.result, waiter.result]);
      expect(held.code, held.stderr).toBe(0);
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stderr).toMatch(new RegExp(`waiting for job ${running.id} \\(analyze, running since \\d{4}-`));
      const [second, first] = jobStates(db);
      expect(first).toMatchObject({ id: running.id, status: 'succeeded', done: base.products });
      expect(second).toMatchObject({ id: running.id + 1, stage: 'analyze', status: 'succeeded', done: base.products });
    } finally {
      holder.child.kill('SIGCONT');
    }
  });
});
