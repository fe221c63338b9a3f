// The benchmark harness behind `npm run bench` (which builds first).
//
//   npm run bench             load of 100,000 and 1,000,000 generated rows, plus later stages
//   npm run bench -- --quick  100,000 rows only
//   npm run bench -- --only normalize,analyze   only the cases whose names hold those words
//
// Each case is a named function returning measurements; later stages (normalize,
// analyze, run, URL checks) join the CASES list. Every run is a separate process on
// a fresh catalog file; wall time, rows per second and peak RSS are the medians of
// RUNS runs. Results are printed and written to bench/out/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, canTime, catalog, freshDb, measure, median, OUT, ROOT, round } from './lib.mjs';
import { stageCases } from './stages.mjs';

const RUNS = 3;

const quick = process.argv.includes('--quick');
const sizes = quick ? [100_000] : [100_000, 1_000_000];

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
CASES.push(...stageCases(sizes, RUNS));

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

// `--only normalize,analyze` runs the cases whose names contain one of the words.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean);
const selected = only ? CASES.filter((c) => only.some((word) => c.name.includes(word))) : CASES;

// --- report ------------------------------------------------------------------------

function line(name, m) {
  if (m.error) return `${name}: FAILED: ${m.error}`;
  if (m.rowsPerSecond === undefined) return `${name}: ${JSON.stringify(m)}`;
  const parts = [
    `${name}: ${m.seconds} s`,
    `${m.rowsPerSecond.toLocaleString('en-US')} rows/s${m.mbPerSecond === undefined ? '' : ` (${m.mbPerSecond} MB/s)`}`,
    `peak RSS ${m.peakRssMb} MB`,
  ];
  if (m.sqlite3 === undefined) return parts.join(', ');
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
for (const benchCase of selected) {
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
