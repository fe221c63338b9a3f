// The benchmark harness behind `npm run bench` (which builds first).
//
//   npm run bench             load of 100,000 and 1,000,000 generated rows, plus later stages
//   npm run bench -- --quick  100,000 rows only
//
// Each case is a named function returning measurements; later stages (normalize,
// analyze, run, URL checks) join the CASES list. Every run is a separate process on
// a fresh catalog file; wall time, rows per second and peak RSS are the medians of
// RUNS runs. Results are printed and written to bench/out/results.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'assay.js');
const RUNS = 3;
const SEED = 42;
/** A run that takes longer than this is killed and the bench fails. */
const RUN_TIMEOUT_MS = 20 * 60 * 1000;
const TIME = '/usr/bin/time';

const quick = process.argv.includes('--quick');
const sizes = quick ? [100_000] : [100_000, 1_000_000];

// --- measuring one child process -------------------------------------------------

const canTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

/**
 * Runs a command to its end; returns wall seconds, peak RSS in MB, exit code and
 * output. Peak RSS comes from GNU time's %M when it is there, else from polling
 * VmHWM in /proc (a high-water mark, so the last reading is the peak so far).
 */
function measure(command, args) {
  return new Promise((resolve, reject) => {
    const marker = 'ASSAY_BENCH_MAXRSS_KB=';
    const [file, argv] = canTime ? [TIME, ['-f', `${marker}%M`, command, ...args]] : [command, args];
    const started = performance.now();
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const stdout = [];
    const stderr = [];
    let hwmKb = 0;
    const poll = canTime
      ? undefined
      : setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) hwmKb = Math.max(hwmKb, Number(match[1]));
          } catch {
            // the process has just ended
          }
        }, 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (b) => stdout.push(b));
    child.stderr.on('data', (b) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let err = Buffer.concat(stderr).toString('utf8');
      if (canTime) {
        const at = err.lastIndexOf(marker);
        if (at !== -1) {
          hwmKb = Number(err.slice(at + marker.length).trim());
          err = err.slice(0, at);
        }
      }
      resolve({ seconds, peakRssMb: hwmKb / 1024, code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- inputs ------------------------------------------------------------------------

/** A generated catalog, cached under bench/out by size, seed and generator version. */
async function catalog(rows, format = 'csv') {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `catalog-${rows}-s${SEED}-v${GENERATOR_VERSION}.${format}`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${relative(ROOT, file)} ...\n`);
    await generate({ rows, out: file, seed: SEED, format });
  }
  return file;
}

function freshDb(name) {
  const db = join(OUT, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return db;
}

// --- cases -------------------------------------------------------------------------

const sqlite3 = findSqlite3();

function findSqlite3() {
  const probe = () => spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  let found = probe();
  if (found.status !== 0 && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    process.stderr.write('sqlite3 is not installed: trying apt-get install -y sqlite3 ...\n');
    spawnSync('apt-get', ['install', '-y', '-q', 'sqlite3'], { stdio: 'ignore' });
    found = probe();
  }
  return found.status === 0 ? found.stdout.trim().split(' ')[0] : undefined;
}

/** `assay load FILE --json` on a fresh catalog, RUNS times; plus sqlite3's .import of the same CSV. */
function loadCase(rows) {
  return async () => {
    const file = await catalog(rows);
    const mb = statSync(file).size / 1e6;
    const runs = [];
    let summary;
    for (let i = 0; i < RUNS; i++) {
      const db = freshDb('bench-load.db');
      const result = await measure(process.execPath, [BIN, 'load', file, '--db', db, '--json']);
      if (result.code !== 0) throw new Error(`assay load exited ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
      summary = JSON.parse(result.stdout);
      runs.push(result);
    }
    freshDb('bench-load.db');
    const seconds = median(runs.map((r) => r.seconds));
    const measurements = {
      rows,
      fileMb: round(mb, 1),
      products: summary.total,
      rowErrors: summary.errors.length,
      seconds: round(seconds, 2),
      rowsPerSecond: round(rows / seconds),
      mbPerSecond: round(mb / seconds, 1),
      peakRssMb: round(median(runs.map((r) => r.peakRssMb)), 1),
      runs: runs.map((r) => ({ seconds: round(r.seconds, 2), peakRssMb: round(r.peakRssMb, 1) })),
    };
    if (!sqlite3) return { ...measurements, sqlite3: 'skipped: the sqlite3 command-line program is not installed' };
    const baseline = [];
    for (let i = 0; i < RUNS; i++) {
      const db = freshDb('bench-sqlite3.db');
      const result = await measure('sqlite3', [db, '-cmd', '.mode csv', `.import ${file} t`]);
      if (result.code !== 0) throw new Error(`sqlite3 .import exited ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
      baseline.push(result);
    }
    freshDb('bench-sqlite3.db');
    const floor = median(baseline.map((r) => r.seconds));
    return {
      ...measurements,
      sqlite3: {
        version: sqlite3,
        seconds: round(floor, 2),
        rowsPerSecond: round(rows / floor),
        peakRssMb: round(median(baseline.map((r) => r.peakRssMb)), 1),
      },
      /** How many times the sqlite3 .import time assay's load takes (1 = as fast as the floor). */
      ratioToSqlite3: round(seconds / floor, 2),
    };
  };
}

const CASES = sizes.map((rows) => ({ name: `load ${rows.toLocaleString('en-US')} rows`, run: loadCase(rows) }));

const urlBench = join(ROOT, 'bench', 'urls.mjs');
if (existsSync(urlBench)) {
  CASES.push({
    name: 'url checks',
    run: async () => {
      const { runUrlBench } = await import(pathToFileURL(urlBench).href);
      return runUrlBench({ quick });
    },
  });
}

// --- report ------------------------------------------------------------------------

function line(name, m) {
  if (m.error) return `${name}: FAILED: ${m.error}`;
  if (m.rowsPerSecond === undefined) return `${name}: ${JSON.stringify(m)}`;
  const parts = [
    `${name}: ${m.seconds} s`,
    `${m.rowsPerSecond.toLocaleString('en-US')} rows/s (${m.mbPerSecond} MB/s)`,
    `peak RSS ${m.peakRssMb} MB`,
  ];
  if (typeof m.sqlite3 === 'object') {
    parts.push(`sqlite3 .import ${m.sqlite3.seconds} s (${m.sqlite3.rowsPerSecond.toLocaleString('en-US')} rows/s), assay takes ${m.ratioToSqlite3}x its time`);
  } else parts.push(`sqlite3 comparison ${m.sqlite3}`);
  return parts.join(', ');
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, memoryGb: round(totalmem() / 2 ** 30, 1) },
  quick,
  runs: RUNS,
  rssFrom: canTime ? 'GNU time %M' : '/proc VmHWM polling',
  cases: {},
};
let failed = false;
for (const benchCase of CASES) {
  process.stderr.write(`running ${benchCase.name} ...\n`);
  let measurements;
  try {
    measurements = await benchCase.run();
  } catch (error) {
    failed = true;
    measurements = { error: error instanceof Error ? error.message : String(error) };
  }
  results.cases[benchCase.name] = measurements;
  console.log(line(benchCase.name, measurements));
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`results: ${relative(ROOT, join(OUT, 'results.json'))}`);
if (failed) process.exitCode = 1;
