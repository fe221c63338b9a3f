// Soak test of the resume promise (docs/guarantees.md#jobs-concurrency-and-sudden-death): generate a catalog (200,000 products by default),
// normalize one copy without interruption, kill -9 a normalize of another copy at about
// half-way, let the next command mark it interrupted, `assay resume` it, and compare the
// two Silver layers by checksum. Also checks that the job's counts add up and that the
// resume wrote each remaining product exactly once (a trigger counts writes to silver).
// Prints the numbers; exits 1 on any mismatch.
//
//   npm run build && node bench/soak-kill.mjs [--rows 200000] [--seed 42] [--at 0.5] [--keep]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generate } from './generate.mjs';
import { SILVER_SELECT } from '../dist/store/silver-columns.js';
import { readCatalog } from '../test/helpers/sudden-death.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'assay.js');

function parseArgs(argv) {
  const options = { rows: 200_000, seed: 42, at: 0.5, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--keep') options.keep = true;
    else if (flag === '--rows') options.rows = Number(argv[++i]);
    else if (flag === '--seed') options.seed = Number(argv[++i]);
    else if (flag === '--at') options.at = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}: use --rows N, --seed N, --at FRACTION, --keep`);
  }
  if (!(options.rows > 0) || !(options.at > 0 && options.at < 1) || !Number.isInteger(options.seed))
    throw new Error('--rows must be positive, --at between 0 and 1 and --seed a whole number');
  return options;
}

/** Runs the CLI; resolves with its exit code, output and wall time. */
function assay(args, { cwd, onSpawn } = {}) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
    onSpawn?.(child);
  });
}

function must(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code ?? result.signal}:\n${result.stderr.slice(-2000)}`);
  return result;
}

const newestJob = (db) => readCatalog(db, (c) => c.prepare('SELECT id, status, total, done, errors FROM jobs ORDER BY id DESC LIMIT 1').get());

/** Every product's silver columns by id; the columns that hold times are left out. */
function silverChecksum(db) {
  return readCatalog(db, (c) => {
    const hash = createHash('sha1');
    let rows = 0;
    for (const row of c.prepare(`SELECT p.id, ${SILVER_SELECT} FROM silver s JOIN products p USING(seq) ORDER BY p.id`).raw().iterate()) {
      hash.update(JSON.stringify(row)).update('\n');
      rows++;
    }
    return { rows, sha1: hash.digest('hex') };
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'assay-soak-'));
  const failures = [];
  const check = (ok, message) => {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${message}`);
    if (!ok) failures.push(message);
  };
  try {
    console.log(`soak-kill: ${options.rows} generated products (seed ${options.seed}), kill -9 at ${Math.round(options.at * 100)}%, in ${dir}`);
    const csv = join(dir, 'catalog.csv');
    let t = Date.now();
    await generate({ rows: options.rows, out: csv, seed: options.seed });
    console.log(`  generate         ${seconds(Date.now() - t)}`);
    const base = join(dir, 'base.db');
    const loaded = await assay(['--db', base, 'load', csv, '--quiet'], { cwd: dir });
    if (loaded.code !== 0 && loaded.code !== 1) must(loaded, 'assay load');
    rmSync(csv);
    const products = readCatalog(base, (c) => c.prepare('SELECT count(*) FROM products').pluck().get());
    console.log(`  load             ${seconds(loaded.ms)} (${products} products)`);
    const reference = join(dir, 'reference.db');
    const killed = join(dir, 'killed.db');
    copyFileSync(base, reference);
    copyFileSync(base, killed);

    const clean = must(await assay(['--db', reference, 'normalize', '--all', '--offline', '--quiet'], { cwd: dir }), 'the uninterrupted normalize');
    console.log(`  normalize        ${seconds(clean.ms)} uninterrupted`);

    // Poll the jobs table (read-only) and kill -9 once the job has committed the target share.
    let child;
    let killedAt;
    const target = Math.floor(products * options.at);
    t = Date.now();
    const run = assay(['--db', killed, 'normalize', '--all', '--offline', '--quiet'], { cwd: dir, onSpawn: (c) => (child = c) });
    const deadline = Date.now() + 30 * 60_000;
    let exited = false;
    run.then(() => (exited = true));
    while (!killedAt) {
      if (exited) throw new Error('the normalize to kill ended before it reached its target: lower --at');
      if (Date.now() > deadline) throw new Error('timed out waiting for the normalize to reach its target');
      await new Promise((resolve) => setTimeout(resolve, 20));
      let job;
      try {
        job = newestJob(killed);
      } catch {
        continue; // not created yet
      }
      if (job && job.done >= target) {
        child.kill('SIGKILL');
        killedAt = job.done;
      }
    }
    const dead = await run;
    const before = newestJob(killed);
    console.log(
      `  kill -9          after ${seconds(dead.ms)}, at ${before.done}/${before.total} committed (${Math.round((before.done / before.total) * 100)}%)`,
    );

    const listed = must(await assay(['--db', killed, 'jobs', '--json'], { cwd: dir }), 'assay jobs');
    const listedJob = JSON.parse(listed.stdout).jobs.find((j) => j.id === before.id);
    check(dead.signal === 'SIGKILL', `the normalize died of SIGKILL (${dead.signal ?? `exit ${dead.code}`})`);
    check(listedJob?.status === 'interrupted', `the next command (assay jobs) marked job ${before.id} interrupted (${listedJob?.status})`);
    const committed = readCatalog(killed, (c) => ({
      items: c.prepare('SELECT count(*) FROM job_items WHERE job_id = ? AND done = 1').pluck().get(before.id),
      silver: c.prepare('SELECT count(*) FROM silver').pluck().get(),
    }));
    check(
      committed.items === before.done && committed.silver === before.done,
      `committed work matches the job's count before resume (done ${before.done}, items ${committed.items}, silver rows ${committed.silver})`,
    );

    const conn = new Database(killed);
    conn.exec(`
      CREATE TABLE soak_silver_writes (seq INTEGER NOT NULL);
      CREATE TRIGGER soak_count_insert AFTER INSERT ON silver BEGIN INSERT INTO soak_silver_writes VALUES (new.seq); END;
      CREATE TRIGGER soak_count_update AFTER UPDATE ON silver BEGIN INSERT INTO soak_silver_writes VALUES (new.seq); END;
    `);
    conn.close();
    const resumed = must(await assay(['--db', killed, 'resume', String(before.id), '--quiet'], { cwd: dir }), 'assay resume');
    console.log(`  resume           ${seconds(resumed.ms)}`);

    const after = newestJob(killed);
    const writes = readCatalog(killed, (c) => c.prepare('SELECT count(*) AS n, count(DISTINCT seq) AS products FROM soak_silver_writes').get());
    const doneItems = readCatalog(killed, (c) => c.prepare('SELECT count(*) FROM job_items WHERE job_id = ? AND done = 1').pluck().get(before.id));
    check(after.status === 'succeeded', `job ${after.id} succeeded (${after.status})`);
    check(
      after.done === after.total && doneItems === after.total && after.total === products,
      `counts add up: done ${after.done} = total ${after.total} = items done ${doneItems} = products ${products}`,
    );
    check(
      writes.n === before.total - before.done && writes.products === writes.n,
      `the resume wrote ${writes.n} Silver rows for ${writes.products} products; ${before.total - before.done} were left`,
    );
    const ref = newestJob(reference);
    check(after.errors === ref.errors, `errors match the uninterrupted run (${after.errors} and ${ref.errors})`);
    t = Date.now();
    const a = silverChecksum(reference);
    const b = silverChecksum(killed);
    console.log(`  checksums        ${seconds(Date.now() - t)}`);
    check(a.rows === b.rows && a.sha1 === b.sha1, `Silver checksum: uninterrupted ${a.sha1} (${a.rows} rows), killed and resumed ${b.sha1} (${b.rows} rows)`);
    const summaries = [reference, killed].map((db) =>
      readCatalog(db, (c) => {
        const { duration_ms: _, ...rest } = JSON.parse(c.prepare('SELECT summary FROM jobs ORDER BY id DESC LIMIT 1').pluck().get());
        return JSON.stringify(rest);
      }),
    );
    check(
      summaries[0] === summaries[1],
      `the resumed job's summary equals the uninterrupted one's${summaries[0] === summaries[1] ? '' : `:\n    ${summaries[0]}\n    ${summaries[1]}`}`,
    );
  } finally {
    if (options.keep) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? 'soak-kill: passed' : `soak-kill: ${failures.length} check(s) failed`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`soak-kill: ${error.message}`);
  process.exitCode = 1;
});
