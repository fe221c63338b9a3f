import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, runCli, type CliResult, SAMPLE, NO_STACK } from './helpers/cli.js';
import { jobStates, killJobProcess, waitFor } from './helpers/jobs.js';
import { tempDir } from './helpers/tmp.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) cleanup();
});

/** A loaded catalog in `folder`, and a function running assay against it there. */
async function loadedIn(folder: string) {
  const db = join(folder, 'catalog.db');
  const assay = (...args: string[]) => runCli(['--db', db, ...args], { cwd: folder });
  const loaded = await assay('load', SAMPLE);
  expect(loaded.code, loaded.stderr).toBe(0);
  return { db, assay };
}

/** Waits for the detached job to succeed, so its folder can be removed; stops it if it does not. */
async function finished(db: string, id: number): Promise<void> {
  const { pid } = jobStates(db).find((job) => job.id === id)!;
  cleanups.push(() => killJobProcess(pid, db));
  const job = await waitFor(`job ${id} to end`, () => jobStates(db).find((j) => j.id === id && j.status !== 'running'), 20_000);
  expect(job.status).toBe('succeeded');
}

function expectRefused(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(NO_STACK);
}

describe('--detach logs never follow symlinks', () => {
  it('a symlink planted at the log path is replaced by a fresh log; its target is untouched', async () => {
    const tmp = tempDir();
    const { db, assay } = await loadedIn(tmp.dir);
    const victim = tmp.write('victim.txt', 'keep me\n');
    // The next job ids are not known in advance: plant a link for each of the first few.
    for (let id = 1; id <= 5; id++) symlinkSync(victim, `${db}.job-${id}.log`);
    const detached = await assay('normalize', '--all', '--offline', '--detach', '--json');
    expect(detached.code, detached.stderr).toBe(0);
    const { job, logFile } = jsonOf<{ job: { id: number }; logFile: string }>(detached);
    await finished(db, job.id);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(logFile).isFile()).toBe(true);
    // The job is marked done just before its last lines reach the log.
    await waitFor(
      'the log to name the job',
      () => (new RegExp(`Normalize job ${job.id} succeeded`).test(readFileSync(logFile, 'utf8')) ? true : undefined),
      10_000,
    );
  });

  it('a folder anyone can write to (no sticky bit) is refused before a job starts', async () => {
    const tmp = tempDir();
    const { db, assay } = await loadedIn(tmp.dir);
    chmodSync(tmp.dir, 0o777);
    const detached = await assay('normalize', '--all', '--offline', '--detach');
    expectRefused(detached, /^assay: .*--detach.* log .*world-writable/);
    expect(detached.stderr).toContain(tmp.dir);
    expect(jobStates(db)).toEqual([]);
  });

  it('a folder owned by another user is refused before a job starts', async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip();
    const tmp = tempDir();
    const folder = join(tmp.dir, 'theirs');
    mkdirSync(folder);
    const { db, assay } = await loadedIn(folder);
    chownSync(folder, 4242, 4242);
    const detached = await assay('analyze', '--all', '--detach');
    expectRefused(detached, /^assay: .*--detach.* log .*owned by another user/);
    expect(jobStates(db)).toEqual([]);
  });

  it('a log that is a hard link to another file is replaced, not appended to', async () => {
    const tmp = tempDir();
    const { db, assay } = await loadedIn(tmp.dir);
    const victim = tmp.write('victim.txt', 'keep me\n');
    for (let id = 1; id <= 5; id++) linkSync(victim, `${db}.job-${id}.log`);
    const detached = await assay('normalize', '--all', '--offline', '--detach', '--json');
    expect(detached.code, detached.stderr).toBe(0);
    const { job } = jsonOf<{ job: { id: number } }>(detached);
    await finished(db, job.id);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  });
});
