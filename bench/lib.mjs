// Shared pieces of the benchmark harness: the tools it needs, measuring a child process,
// medians, and the generated catalogs cached under bench/out.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench', 'out');
export const BIN = join(ROOT, 'bin', 'assay.js');
export const SEED = 42;
/** A run that takes longer than this is killed and the bench fails. */
const RUN_TIMEOUT_MS = 20 * 60 * 1000;
const APT_TIMEOUT_MS = 5 * 60 * 1000;
const TIME = '/usr/bin/time';

// --- tools -------------------------------------------------------------------------

let canTime = false;

/**
 * Finds GNU time (for peak RSS) and the sqlite3 shell (the load baseline); as root on
 * Debian, installs whichever is missing. Without GNU time, peak RSS comes from /proc.
 */
export function setUpTools() {
  const probeTime = () => existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;
  const probeSqlite3 = () => {
    const found = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
    return found.status === 0 ? found.stdout.trim().split(' ')[0] : undefined;
  };
  canTime = probeTime() || (aptInstall('time') && probeTime());
  const sqlite3 = probeSqlite3() ?? (aptInstall('sqlite3') ? probeSqlite3() : undefined);
  return { sqlite3, rssFrom: canTime ? 'GNU time %M' : existsSync('/proc/self/status') ? '/proc VmHWM polling' : undefined };
}

function aptInstall(pkg) {
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) return false;
  process.stderr.write(`${pkg} is not installed: apt-get install -y ${pkg} ...\n`);
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'ignore', timeout: APT_TIMEOUT_MS }).status === 0;
  if (install()) return true;
  // A fresh Debian image has no package lists yet.
  spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', timeout: APT_TIMEOUT_MS });
  return install();
}

// --- measuring one child process -------------------------------------------------

/**
 * Runs a command to its end; returns wall seconds, peak RSS in MB (null when it could
 * not be read), exit code and output. Peak RSS comes from GNU time's %M when it is
 * there, else from polling VmHWM in /proc (a high-water mark, so the last reading is
 * the peak so far).
 */
export function measure(command, args) {
  return new Promise((resolve, reject) => {
    const marker = 'ASSAY_BENCH_MAXRSS_KB=';
    const [file, argv] = canTime ? [TIME, ['-f', `${marker}%M %U %S`, command, ...args]] : [command, args];
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
      // CPU time (user + system, every thread) is steadier than wall time on a shared machine,
      // whose speed drifts; only GNU time reports it for the child.
      let cpuSeconds = null;
      if (canTime) {
        const at = err.lastIndexOf(marker);
        if (at !== -1) {
          const [kb, user, system] = err
            .slice(at + marker.length)
            .trim()
            .split(' ')
            .map(Number);
          hwmKb = kb || 0;
          if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user + system;
          err = err.slice(0, at);
        }
      }
      const peakRssMb = hwmKb > 0 ? hwmKb / 1024 : null;
      resolve({ seconds, cpuSeconds, peakRssMb, code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err });
    });
  });
}

/** Runs `assay ARGS` under measure; throws with its stderr when it exits non-zero. */
export async function measureAssay(args) {
  const result = await measure(process.execPath, [BIN, ...args]);
  if (result.code !== 0) throw new Error(`assay ${args[0]} exited ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
  return result;
}

/** Medians of measured runs of `rows` products, the worst peak RSS, and every run. */
export function summarize(results, rows) {
  const seconds = median(results.map((r) => r.seconds));
  const rss = results.map((r) => r.peakRssMb);
  const isRssKnown = rss.every((mb) => mb !== null);
  const cpu = results.map((r) => r.cpuSeconds ?? null);
  const isCpuKnown = cpu.every((s) => s !== null);
  return {
    rows,
    seconds: round(seconds, 2),
    rowsPerSecond: round(rows / seconds),
    cpuSeconds: isCpuKnown ? round(median(cpu), 1) : null,
    peakRssMb: isRssKnown ? round(median(rss), 1) : null,
    maxPeakRssMb: isRssKnown ? round(Math.max(...rss), 1) : null,
    runs: results.map((r) => ({
      seconds: round(r.seconds, 2),
      cpuSeconds: r.cpuSeconds == null ? null : round(r.cpuSeconds, 1),
      peakRssMb: r.peakRssMb === null ? null : round(r.peakRssMb, 1),
    })),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

export const count = (n) => n.toLocaleString('en-US');

export const formatMb = (mb) => (mb === null ? 'not measured' : `${mb} MB`);

/** ", 61.2 s of CPU" when GNU time measured it, else nothing. */
export const formatCpu = (seconds) => (seconds == null ? '' : `, ${seconds} s of CPU`);

// --- inputs ------------------------------------------------------------------------

/** A generated catalog, cached under bench/out by size, seed and generator version. */
export async function catalog(rows, format = 'csv') {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `catalog-${rows}-s${SEED}-v${GENERATOR_VERSION}.${format}`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${count(rows)} rows into ${relative(ROOT, file)} ...\n`);
    const partial = `${file}.partial-${process.pid}`;
    await generate({ rows, out: partial, seed: SEED, format });
    renameSync(partial, file);
  }
  return file;
}

const DB_SUFFIXES = ['', '-wal', '-shm'];

export function freshDb(name) {
  const db = join(OUT, name);
  removeDb(db);
  return db;
}

export function removeDb(db) {
  for (const suffix of DB_SUFFIXES) rmSync(db + suffix, { force: true });
}

/** Copies a catalog file with its WAL, if a process left one. */
export function copyDb(from, to) {
  removeDb(to);
  for (const suffix of ['', '-wal']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

export function renameDb(from, to) {
  removeDb(to);
  for (const suffix of ['', '-wal']) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
  rmSync(`${from}-shm`, { force: true });
}

/** The newest prepared 100,000-product normalized catalog, which the by-hand tools read by default. */
export function newestNormalizedCatalog() {
  const found = readdirSync(OUT)
    .filter((name) => /^stage-100000-.*-normalized\.db$/.test(name))
    .map((name) => join(OUT, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) throw new Error('no bench/out/stage-100000-*-normalized.db: run npm run bench -- --quick --only analyze --runs 1');
  return found[0];
}
