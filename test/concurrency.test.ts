import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, type CliResult } from './helpers/cli.js';
import { copyCatalog, generatedCatalog, jobStates, readCatalog, startCli, waitForProgress, type GeneratedCatalog } from './helpers/jobs.js';
import { tempDir } from './helpers/tmp.js';

// See docs/guarantees.md#jobs-concurrency-and-sudden-death. The refusal of a second writer, --wait and reads against a *stopped* job are
// in e2e-jobs.test.ts ("one writer at a time"); here the first job really runs while the others
// knock, and the catalog sits on paths that cannot be written.

const LONG = 180_000;
/** Twenty batches of analyze: the first job is still running when the others start. */
const PRODUCTS = 40_000;
const NO_STACK = /internal error|This is a bug|\n\s+at /;

let big: GeneratedCatalog;
let small: GeneratedCatalog;
const started: number[] = [];

beforeAll(async () => {
  [big, small] = await Promise.all([generatedCatalog(PRODUCTS, 11), generatedCatalog(1_500, 12)]);
  const normalized = await runCli(['--db', big.db, 'normalize', '--all', '--offline', '--quiet'], { cwd: big.dir, timeoutMs: LONG });
  if (normalized.code !== 0) throw new Error(`normalize of the base catalog exited ${normalized.code}:\n${normalized.stderr}`);
  checkpoint(big.db);
  checkpoint(small.db);
}, 2 * LONG);

afterAll(() => {
  big?.remove();
  small?.remove();
});

afterEach(() => {
  for (let pid = started.pop(); pid !== undefined; pid = started.pop()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Moves the WAL into the file, so one copy of the file is the whole catalog. */
function checkpoint(db: string): void {
  const conn = new Database(db);
  conn.pragma('wal_checkpoint(TRUNCATE)');
  conn.close();
}

function assayIn(dir: string, db: string) {
  return (...args: string[]) => runCli(['--db', db, ...args], { cwd: dir, timeoutMs: LONG });
}

function integrity(db: string): string {
  return readCatalog(db, (conn) => conn.pragma('integrity_check', { simple: true }) as string);
}

function count(db: string, table: string): number {
  return readCatalog(db, (conn) => conn.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
}

function expectClean(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(NO_STACK);
}

/** Root ignores file modes, so read-only and full places are made with mounts; null says why not. */
function mountProbe(): string | null {
  if (process.platform !== 'linux') return 'mounts need Linux';
  const dir = mkdtempSync(join(tmpdir(), 'assay-mount-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    if (mounted.status !== 0) return 'cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)';
    spawnSync('umount', [dir], { stdio: 'ignore' });
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const cannotMount = mountProbe();
const mounts: string[] = [];

/** A tmpfs of `size` holding a copy of `db` (and nothing else); read-only after the copy when asked. */
function tmpfsWith(db: string, size: string, readonly = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-mount-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
  const copy = copyCatalog(db, join(dir, 'catalog.db'));
  if (readonly) execFileSync('mount', ['-o', 'remount,ro', dir]);
  return copy;
}

afterEach(() => {
  for (let dir = mounts.pop(); dir !== undefined; dir = mounts.pop()) {
    spawnSync('umount', [dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('a writer at work', () => {
  it(
    'a second analyze is refused with exit 4 naming the job; --wait waits and succeeds; reads keep working',
    async () => {
      const tmp = tempDir();
      const db = copyCatalog(big.db, tmp.path('catalog.db'));
      const assay = assayIn(tmp.dir, db);
      const before = jobStates(db)[0].id;
      const first = startCli(['--db', db, 'analyze', '--all', '--quiet'], { cwd: tmp.dir, timeoutMs: LONG });
      started.push(first.child.pid!);
      const running = await waitForProgress(db, before, LONG);

      const waiter = startCli(['--db', db, 'analyze', '--all', '--wait', '--quiet'], { cwd: tmp.dir, timeoutMs: LONG });
      started.push(waiter.child.pid!);
      const second = await assay('analyze', '--all');
      const reads: CliResult[] = [];
      // Read while batches commit, until the first job ends (bounded).
      for (let i = 0; i < 20 && jobStates(db).find((job) => job.id === running.id)?.status === 'running'; i++) {
        reads.push(await assay('products', '--limit', '3', '--json'), await assay('summary', '--json'));
      }
      const [firstDone, waited] = await Promise.all([first.result, waiter.result]);

      expect(firstDone.code, firstDone.stderr).toBe(0);
      // The refusal can only be missed if the 40,000 products were analyzed before it started.
      const refusedOrLate = second.code === 4 ? 'refused' : `exit ${second.code}: ${second.stderr}`;
      expect(refusedOrLate).toBe('refused');
      expectClean(second, 4, new RegExp(`the catalog is busy: job ${running.id} \\(analyze\\)`));
      expect(reads.length).toBeGreaterThan(0);
      for (const read of reads) {
        expect(read.code, read.stderr).toBe(0);
        expect(() => jsonOf(read)).not.toThrow();
      }
      expect(waited.code, waited.stderr).toBe(0);
      const jobs = jobStates(db).filter((job) => job.stage === 'analyze');
      expect(jobs.map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
      expect(count(db, 'gold')).toBe(big.products);
      expect(integrity(db)).toBe('ok');
    },
    2 * LONG,
  );
});

describe('a load while a job runs', () => {
  it(
    'takes the write lock for each batch in turn: every row loads, and the job ends as it would have',
    async () => {
      const tmp = tempDir();
      const db = copyCatalog(big.db, tmp.path('catalog.db'));
      const rows = Array.from({ length: 12_000 }, (_, i) => `NEW-${i},New product ${i},${(i % 90) + 10}.50`);
      tmp.write('more.csv', ['id,title,price', ...rows].join('\n') + '\n');
      const before = jobStates(db)[0].id;
      const job = startCli(['--db', db, 'normalize', '--all', '--offline', '--quiet'], { cwd: tmp.dir, timeoutMs: LONG });
      started.push(job.child.pid!);
      await waitForProgress(db, before, LONG);

      const loaded = await assayIn(tmp.dir, db)('load', 'more.csv', '--json');
      const done = await job.result;
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(jsonOf(loaded)).toMatchObject({ created: 12_000, updated: 0, errors: [] });
      expect(done.code, done.stderr).toBe(0);
      expect(count(db, 'products')).toBe(big.products + 12_000);
      expect(integrity(db)).toBe('ok');
    },
    2 * LONG,
  );
});

describe.skipIf(cannotMount !== null)(`catalogs that cannot be written${cannotMount ? ` (skipped: ${cannotMount})` : ''}`, () => {
  it('on a read-only filesystem: writes and reads exit 2 with a message that says what to do', async () => {
    const db = tmpfsWith(small.db, '8m', true);
    const assay = assayIn(tmpdir(), db);
    for (const args of [['analyze', '--all'], ['normalize', '--all', '--offline'], ['summary']]) {
      expectClean(await assay(...args), 2, /cannot open catalog .*catalog\.db .*must exist and be writable/);
    }
  });

  it('an immutable file (chattr +i): writes exit 2 as read-only, reads still work', async () => {
    const tmp = tempDir();
    const db = copyCatalog(small.db, tmp.path('catalog.db'));
    if (spawnSync('chattr', ['+i', db], { stdio: 'ignore' }).status !== 0) return void console.warn('chattr +i not supported here: case skipped');
    try {
      const assay = assayIn(tmp.dir, db);
      expectClean(await assay('normalize', '--all', '--offline'), 2, /cannot write to catalog .* it is read-only \(SQLITE_READONLY/);
      expect((await assay('products', '--limit', '3')).code).toBe(0);
      expect((await assay('summary')).code).toBe(0);
    } finally {
      spawnSync('chattr', ['-i', db], { stdio: 'ignore' });
    }
  });

  it.each([
    ['a full disk (tmpfs)', 'tmpfs', /SQLITE_FULL/],
    ['a file-size limit (ulimit -f)', 'ulimit', /SQLITE_(FULL|IOERR)/],
  ])(
    '%s: normalize exits 3 saying so, the catalog stays intact, and resumes once there is room',
    async (_name, how, code) => {
      const bytes = statSync(small.db).size;
      let db: string;
      let run: CliResult;
      if (how === 'tmpfs') {
        db = tmpfsWith(small.db, `${Math.ceil(bytes / 1024) + 512}k`);
        run = await assayIn(tmpdir(), db)('normalize', '--all', '--offline');
      } else {
        const tmp = tempDir();
        db = copyCatalog(small.db, tmp.path('catalog.db'));
        // node ignores SIGXFSZ, so a write past the limit fails with EFBIG instead of killing it.
        const limited = startCli(['--db', db, 'normalize', '--all', '--offline'], { cwd: tmp.dir, fileSizeLimit: Math.ceil(bytes / 1024) + 256 });
        started.push(limited.child.pid!);
        run = await limited.result;
      }
      expectClean(run, 3, /cannot write to catalog .*disk is full or a file-size limit was reached/);
      expect(run.stderr).toMatch(code);
      const [job] = jobStates(db);
      expect(run.stderr).toContain(`assay resume ${job.id}`);
      expect(integrity(db)).toBe('ok');
      expect(count(db, 'products')).toBe(small.products);

      const roomy = tempDir();
      const copy = copyCatalog(db, roomy.path('catalog.db'));
      const assay = assayIn(roomy.dir, copy);
      const resumed = await assay('resume', String(job.id), '--quiet');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(count(copy, 'silver')).toBe(small.products);
      expect((await assay('analyze', '--all', '--quiet')).code).toBe(0);
      expect(count(copy, 'gold')).toBe(small.products);
      expect(integrity(copy)).toBe('ok');
    },
    LONG,
  );
});
