// Shared pieces of the benchmark harness: measuring a child process, medians, and
// the generated catalogs cached under bench/out.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench', 'out');
export const BIN = join(ROOT, 'bin', 'assay.js');
export const SEED = 42;
/** A run that takes longer than this is killed and the bench fails. */
const RUN_TIMEOUT_MS = 20 * 60 * 1000;
const TIME = '/usr/bin/time';

// --- measuring one child process -------------------------------------------------

export const canTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;

/**
 * Runs a command to its end; returns wall seconds, peak RSS in MB, exit code and
 * output. Peak RSS comes from GNU time's %M when it is there, else from polling
 * VmHWM in /proc (a high-water mark, so the last reading is the peak so far).
 */
export function measure(command, args) {
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

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

// --- inputs ------------------------------------------------------------------------

/** A generated catalog, cached under bench/out by size, seed and generator version. */
export async function catalog(rows, format = 'csv') {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `catalog-${rows}-s${SEED}-v${GENERATOR_VERSION}.${format}`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${relative(ROOT, file)} ...\n`);
    await generate({ rows, out: file, seed: SEED, format });
  }
  return file;
}

export function freshDb(name) {
  const db = join(OUT, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return db;
}

