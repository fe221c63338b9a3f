// Bench cases for the batch stages: normalize --offline (duplicate detection included)
// and analyze, each as a separate process on a copy of a catalog prepared once, so every
// run starts from the same state; plus how normalize's time grows from 100,000 to 1,000,000.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, catalog, freshDb, measure, median, OUT, round } from './lib.mjs';

/** Runs `assay ARGS --db COPY` on a fresh copy of `base` each time; medians of the runs. */
async function timed(base, args, rows, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const db = freshDb('bench-stage.db');
    copyFileSync(base, db);
    const result = await measure(process.execPath, [BIN, ...args, '--db', db, '-q']);
    if (result.code !== 0) throw new Error(`assay ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().slice(0, 500)}`);
    results.push(result);
  }
  freshDb('bench-stage.db');
  const seconds = median(results.map((r) => r.seconds));
  return {
    rows,
    seconds: round(seconds, 2),
    rowsPerSecond: round(rows / seconds),
    peakRssMb: round(median(results.map((r) => r.peakRssMb)), 1),
    runs: results.map((r) => ({ seconds: round(r.seconds, 2), peakRssMb: round(r.peakRssMb, 1) })),
  };
}

/** A loaded catalog and a normalized one for `rows` products, made once and kept under bench/out. */
async function prepared(rows) {
  const file = await catalog(rows);
  const loaded = join(OUT, `stage-${rows}-loaded.db`);
  const normalized = join(OUT, `stage-${rows}-normalized.db`);
  if (!existsSync(normalized)) {
    process.stderr.write(`preparing catalogs of ${rows.toLocaleString('en-US')} products ...\n`);
    for (const db of [loaded, normalized]) freshDb(db.slice(OUT.length + 1));
    const load = await measure(process.execPath, [BIN, 'load', file, '--db', loaded, '-q']);
    if (load.code !== 0) throw new Error(`load exited ${load.code}: ${load.stderr.slice(0, 300)}`);
    copyFileSync(loaded, normalized);
    const normalize = await measure(process.execPath, [BIN, 'normalize', '--all', '--offline', '--db', normalized, '-q']);
    if (normalize.code !== 0) throw new Error(`normalize exited ${normalize.code}: ${normalize.stderr.slice(0, 300)}`);
  }
  return { loaded, normalized };
}

export function stageCases(sizes, runs) {
  const normalizeTimes = new Map();
  const runsFor = (rows) => (rows >= 1_000_000 ? 1 : runs);
  const cases = [];
  for (const rows of sizes) {
    const label = rows.toLocaleString('en-US');
    cases.push({
      name: `normalize --offline ${label} products`,
      run: async () => {
        const { loaded } = await prepared(rows);
        const m = await timed(loaded, ['normalize', '--all', '--offline'], rows, runsFor(rows));
        normalizeTimes.set(rows, m.seconds);
        return m;
      },
    });
    cases.push({
      name: `analyze ${label} products`,
      run: async () => timed((await prepared(rows)).normalized, ['analyze', '--all'], rows, runsFor(rows)),
    });
  }
  if (sizes.includes(100_000) && sizes.includes(1_000_000)) {
    cases.push({
      name: 'normalize growth 100,000 -> 1,000,000',
      run: async () => {
        const small = normalizeTimes.get(100_000);
        const big = normalizeTimes.get(1_000_000);
        if (!small || !big) return { error: 'a normalize case failed' };
        return { ratio: round(big / small, 2), linear: 10, target: 12, met: big / small <= 12 };
      },
    });
  }
  return cases;
}
