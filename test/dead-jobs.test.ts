import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MISSED_BEATS } from '../src/jobs/liveness.js';
import { BIN, jsonOf, runCli, startCli, type CliResult } from './helpers/cli.js';
import { startServer } from './helpers/http-server.js';
import { copyCatalog, jobStates, readCatalog, waitFor } from './helpers/jobs.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

// A job counts as running while its process does. A pid is not a process: after a reboot, or in a
// container where every run is pid 1, a live pid may be another process's. Here a job row is left
// 'running' under the pid of a live, unrelated process (a `sleep`, or this test), as a process
// killed with -9 leaves it once its pid is reused; every command must see that its process is gone.

const HAS_PROC = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');
const HOUR_AGO = () => Date.now() - 3_600_000;

let baseDir: string;
let baseDb: string;
const sleepers: ChildProcess[] = [];

beforeAll(async () => {
  // Made here rather than with tempDir, which removes its folders after each test.
  baseDir = mkdtempSync(join(tmpdir(), 'assay-dead-jobs-'));
  baseDb = join(baseDir, 'base.db');
  const rows = Array.from({ length: 30 }, (_, i) => `p${i},Product ${i},Acme,${i}.50`);
  const csv = join(baseDir, 'catalog.csv');
  writeFileSync(csv, `id,title,brand,price\n${rows.join('\n')}\n`);
  for (const args of [
    ['load', csv],
    ['normalize', '--all', '--offline'],
  ]) {
    const run = await runCli(['--db', baseDb, '--quiet', ...args], { cwd: baseDir });
    if (run.code !== 0) throw new Error(`${args[0]} exited ${run.code}:\n${run.stderr}`);
  }
});

afterEach(() => {
  for (let child = sleepers.pop(); child; child = sleepers.pop()) child.kill('SIGKILL');
});

afterAll(() => {
  if (baseDir) rmSync(baseDir, { recursive: true, force: true });
});

/** A live process that has nothing to do with assay. */
function unrelatedProcess(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  sleepers.push(child);
  return child.pid!;
}

/** Linux: a process's start time in clock ticks since boot (field 22 of /proc/PID/stat). */
function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

interface Owner {
  pid: number;
  heartbeatAt: number;
  startTime?: number | null;
  bootId?: string | null;
}

/** A copy of the normalized catalog whose job 1 is left 'running', with nothing done, under `owner`. */
function stuckCatalog(owner: Owner): { tmp: TempDir; db: string } {
  const tmp = tempDir();
  const db = copyCatalog(baseDb, tmp.path('catalog.db'));
  const conn = new Database(db);
  try {
    conn
      .prepare("UPDATE jobs SET status = 'running', finished_at = NULL, done = 0, errors = 0, summary = NULL, pid = ?, heartbeat_at = ? WHERE id = 1")
      .run(owner.pid, owner.heartbeatAt);
    if (owner.startTime !== undefined || owner.bootId !== undefined) {
      conn.prepare('UPDATE jobs SET start_time = ?, boot_id = ? WHERE id = 1').run(owner.startTime ?? null, owner.bootId ?? null);
    }
    conn.prepare('UPDATE job_items SET done = 0 WHERE job_id = 1').run();
  } finally {
    conn.close();
  }
  return { tmp, db };
}

const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3');
/** Run by the process that is about to become assay: gives it job 1, as a killed run with the same pid left it. */
const TAKE_JOB = `
const [pid, db, mode] = process.argv.slice(1);
const stat = require('node:fs').readFileSync('/proc/' + pid + '/stat', 'utf8');
const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
const boot = require('node:fs').readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const conn = new (require(process.env.SQLITE))(db);
const owner = mode === 'stale' ? [Date.now() - 3600000, null, null] : [Date.now(), start - 1, boot];
conn.prepare('UPDATE jobs SET pid = ?, heartbeat_at = ?, start_time = ?, boot_id = ? WHERE id = 1').run(Number(pid), ...owner);
conn.close();
`;

/**
 * Runs the CLI under the pid job 1 names: bash writes its own pid into the job, then execs node,
 * which keeps that pid. 'stale': no start time recorded, heartbeat an hour old; 'earlier': the
 * start time of a process older than this one, heartbeat fresh.
 */
function runAsJobOwner(db: string, mode: 'stale' | 'earlier', args: string[], cwd: string): Promise<CliResult> {
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', SQLITE, TAKE_JOB };
  const script = `"$0" -e "$TAKE_JOB" $$ "$1" "$2" && shift 2 && exec "$0" "$@"`;
  const child = spawn('bash', ['-c', script, process.execPath, db, mode, BIN, '--db', db, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  sleepers.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function job(db: string, id: number) {
  return jobStates(db).find((j) => j.id === id)!;
}

describe('a job whose process is gone never blocks the catalog', () => {
  it('a live unrelated process has its pid and its heartbeat is an hour old: normalize runs, and the old job is interrupted', async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: HOUR_AGO() });
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1).status).toBe('interrupted');
    expect(job(db, 2)).toMatchObject({ status: 'succeeded', done: 30 });
  });

  it("the pid is the new command's own (pid 1 in a container, killed and started again) and no start time was recorded: normalize runs", async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: HOUR_AGO() });
    const run = await runAsJobOwner(db, 'stale', ['normalize', '--all', '--offline', '--quiet'], tmp.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1).status).toBe('interrupted');
  });

  it('resume finishes the stuck job', async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: HOUR_AGO() });
    const run = await runCli(['--db', db, 'resume', '1', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1)).toMatchObject({ status: 'succeeded', done: 30 });
  });

  it('--wait does not wait for it', async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: HOUR_AGO() });
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline', '--wait'], { cwd: tmp.dir, timeoutMs: 10_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/waiting for job/);
  });

  it('cancel ends it, and the catalog takes a new job', async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: HOUR_AGO() });
    const cancel = await runCli(['--db', db, 'cancel', '1', '--json'], { cwd: tmp.dir });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(jsonOf<{ outcome: string; job: { status: string } }>(cancel)).toMatchObject({ outcome: 'cancelled', job: { status: 'cancelled' } });
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
  });
});

describe.skipIf(!HAS_PROC)('where the OS tells a process apart from a later one with its pid (Linux /proc)', () => {
  it('a heartbeat of a moment ago does not save a job whose pid now belongs to a process started later', async () => {
    const pid = unrelatedProcess();
    const { tmp, db } = stuckCatalog({ pid, heartbeatAt: Date.now(), startTime: startTicks(pid) - 1, bootId: bootId() });
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1).status).toBe('interrupted');
  });

  it("the pid is the new command's own, but the job was claimed by an earlier process with that pid: normalize runs", async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: Date.now() });
    const run = await runAsJobOwner(db, 'earlier', ['normalize', '--all', '--offline', '--quiet'], tmp.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1).status).toBe('interrupted');
  });

  it('a job claimed before the machine restarted is dead, whatever has its pid now', async () => {
    const pid = unrelatedProcess();
    const { tmp, db } = stuckCatalog({ pid, heartbeatAt: Date.now(), startTime: startTicks(pid), bootId: '00000000-0000-0000-0000-000000000000' });
    const run = await runCli(['--db', db, 'resume', '1', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1)).toMatchObject({ status: 'succeeded', done: 30 });
  });

  it('a job left by another container on this machine (its own hostname, the same boot) is dead once its heartbeat is two minutes old', async () => {
    const { tmp, db } = stuckCatalog({ pid: unrelatedProcess(), heartbeatAt: Date.now() - 120_000, startTime: null, bootId: bootId() });
    const conn = new Database(db);
    conn.prepare("UPDATE jobs SET host = 'a-container-since-removed' WHERE id = 1").run();
    conn.close();
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline', '--quiet'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(job(db, 1).status).toBe('interrupted');
  });

  it('the very process that claimed the job still holds it, however old its heartbeat (stopped with Ctrl-Z): the catalog is busy', async () => {
    const pid = unrelatedProcess();
    const { tmp, db } = stuckCatalog({ pid, heartbeatAt: HOUR_AGO(), startTime: startTicks(pid), bootId: bootId() });
    const run = await runCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: tmp.dir });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/the catalog is busy: job 1 \(normalize\)/);
    expect(job(db, 1).status).toBe('running');
  });
});

/**
 * A catalog of three products whose image server holds every answer until `release()`, so one
 * batch lasts as long as the test wants; a normalize of it is started, and resolves once the
 * images are asked for.
 */
async function heldImageJob(interval: number) {
  const tmp = tempDir();
  const held: ServerResponse[] = [];
  let isHolding = true;
  const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '0' }).end();
  const server = await startServer((_req, res) => {
    if (isHolding) held.push(res);
    else answer(res);
  });
  const release = (): void => {
    isHolding = false;
    for (const res of held.splice(0)) if (!res.destroyed) answer(res);
  };
  const db = tmp.path('catalog.db');
  const rows = Array.from({ length: 3 }, (_, i) => `p${i},Product ${i},${server.url(`/p${i}.jpg`)}`);
  const loaded = await runCli(['--db', db, 'load', tmp.write('catalog.csv', `id,title,image_link\n${rows.join('\n')}\n`), '--quiet'], { cwd: tmp.dir });
  expect(loaded.code, loaded.stderr).toBe(0);
  const run = startCli(['--db', db, 'normalize', '--all', '--allow-private-hosts', '--timeout', '60000', '--quiet'], {
    cwd: tmp.dir,
    env: { ASSAY_HEARTBEAT_MS: String(interval) },
  });
  sleepers.push(run.child);
  await waitFor('the image requests', () => (server.requests.length > 0 ? true : undefined), 20_000);
  return { db, run, server, release };
}

describe('a live job keeps its heartbeat fresh', () => {
  it('while one batch waits on image servers for longer than a job may stay silent, the heartbeat keeps moving', async () => {
    const { db, run, server, release } = await heldImageJob(100);
    try {
      // The answers are held until the heartbeat has moved more often than the beats a job may
      // miss before it is taken for dead, so the batch outlasts that threshold, whatever the
      // machine's speed; a heartbeat that stood still would end this at the timeout.
      const beats = new Set<number>();
      await waitFor(
        `${MISSED_BEATS + 2} heartbeats during one batch`,
        () => {
          const row = readCatalog(
            db,
            (conn) => conn.prepare('SELECT status, done, heartbeat_at AS beat FROM jobs WHERE id = 1').get() as { status: string; done: number; beat: number },
          );
          expect({ status: row.status, done: row.done }).toEqual({ status: 'running', done: 0 });
          beats.add(row.beat);
          return beats.size >= MISSED_BEATS + 2 ? true : undefined;
        },
        20_000,
        10,
      );
      expect(server.requests.length).toBeGreaterThan(0);
      release();
      const result = await run.result;
      expect(result.code, result.stderr).toBe(0);
      expect(job(db, 1)).toMatchObject({ status: 'succeeded', done: 3 });
    } finally {
      release();
      await server.close();
    }
  });
});

describe('a job taken for dead while its process still runs', () => {
  it('stops at its next commit without writing its batch, and leaves the job to the process that took it (exit 3, one line)', async () => {
    const { db, run, server, release } = await heldImageJob(100);
    try {
      // What a sweep and a resume by another process do to the row, while this one waits on the images.
      const other = unrelatedProcess();
      const conn = new Database(db);
      conn.prepare('UPDATE jobs SET pid = ?, heartbeat_at = ? WHERE id = 1').run(other, Date.now());
      conn.close();
      release();
      const result = await run.result;
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr.trim()).toMatch(new RegExp(`^assay: job 1 was taken for dead by another assay \\(it is running under pid ${other} now\\)`));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(job(db, 1)).toMatchObject({ status: 'running', pid: other, done: 0 });
      expect(readCatalog(db, (conn) => conn.prepare('SELECT count(*) FROM silver').pluck().get())).toBe(0);
    } finally {
      release();
      await server.close();
    }
  });
});
