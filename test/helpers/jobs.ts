import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, startCli, type CliResult, type RunningCli } from './cli.js';
import { SILVER_SELECT } from '../../src/store/silver-columns.js';
import { readCatalog } from './sudden-death.mjs';

export { readCatalog, startCli, type RunningCli };

/**
 * Kills the background process of a detached job on `db` if it is still that process
 * (Linux: its command line names _run-job and the catalog), never a pid reused since.
 */
export function killJobProcess(pid: number, db: string): void {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (cmdline.includes('_run-job') && cmdline.includes(db)) process.kill(pid, 'SIGKILL');
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface JobState {
  id: number;
  stage: string;
  status: string;
  total: number;
  done: number;
  errors: number;
  pid: number;
}

/** The catalog's jobs, newest first, as the jobs table has them. */
export function jobStates(db: string): JobState[] {
  return readCatalog(db, (conn) => conn.prepare('SELECT id, stage, status, total, done, errors, pid FROM jobs ORDER BY id DESC').all() as JobState[]);
}

/**
 * Waits until the newest job of the catalog (newer than job `after`, when given) has
 * committed at least one batch but not all of them.
 */
export async function waitForProgress(db: string, after = 0, timeoutMs = 60_000): Promise<JobState> {
  return waitFor(
    'a job to commit its first batch',
    () => {
      const [job] = jobStates(db);
      if (!job || job.id <= after || job.done === 0) return undefined;
      if (job.done >= job.total || job.status !== 'running')
        throw new Error(`job ${job.id} ended (${job.status}, ${job.done}/${job.total}) before the test could stop it: use a larger catalog`);
      return job;
    },
    timeoutMs,
  );
}

/**
 * A fingerprint of the Silver layer: every product's silver columns by id,
 * leaving out the columns that hold times.
 */
export function silverChecksum(db: string): { rows: number; sha1: string } {
  return readCatalog(db, (conn) => {
    const hash = createHash('sha1');
    let rows = 0;
    const query = conn.prepare(`SELECT p.id, ${SILVER_SELECT} FROM silver s JOIN products p USING(seq) ORDER BY p.id`).raw();
    for (const row of query.iterate() as Iterable<unknown[]>) {
      hash.update(JSON.stringify(row)).update('\n');
      rows++;
    }
    return { rows, sha1: hash.digest('hex') };
  });
}

/** Copies a catalog file that no process has open (its WAL, if any, goes along). */
export function copyCatalog(from: string, to: string): string {
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
    else rmSync(to + suffix, { force: true });
  }
  return to;
}

export interface GeneratedCatalog {
  dir: string;
  /** The loaded catalog; copy it before running anything that writes. */
  db: string;
  /** Products the load accepted (the generator blanks a few titles, which the load rejects). */
  products: number;
  remove(): void;
}

/**
 * A catalog of `rows` synthetic products from bench/generate.mjs (seeded), loaded with the
 * built CLI, in a folder that outlives single tests (call remove() in afterAll).
 */
export async function generatedCatalog(rows: number, seed = 7): Promise<GeneratedCatalog> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-jobs-'));
  const csv = join(dir, 'catalog.csv');
  const db = join(dir, 'base.db');
  const generated = await runNode([join(ROOT, 'bench', 'generate.mjs'), '--rows', String(rows), '--seed', String(seed), '--out', csv], dir);
  if (generated.code !== 0) throw new Error(`bench/generate.mjs exited ${generated.code}:\n${generated.stderr}`);
  const loaded = await runCli(['--db', db, 'load', csv, '--quiet'], { cwd: dir, timeoutMs: 120_000 });
  if (loaded.code !== 0 && loaded.code !== 1) throw new Error(`assay load exited ${loaded.code}:\n${loaded.stderr}`);
  rmSync(csv);
  const products = readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM products').pluck().get() as number);
  return { dir, db, products, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function runNode(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
