// Bench cases for the stages after load, each command a separate process: normalize
// --offline (duplicate detection included) and analyze on a copy of a prepared catalog,
// the whole `assay run` on a fresh one, and two no-change re-runs: the same file loaded
// again, then `normalize --stale` and `analyze --stale`, which should find nothing to do; and
// `assay run` again on the same file, as a nightly job runs it.
import { catalog, copyDb, count, formatCpu, formatMb, freshDb, measureAssay, summarize } from './lib.mjs';
import { prepared } from './prepare.mjs';

/** Runs `assay ARGS --db COPY` on a fresh copy of `base` each time; medians of the runs. */
async function timedOnCopy(base, args, rows, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const db = freshDb('bench-stage.db');
    copyDb(base, db);
    results.push(await measureAssay([...args, '--db', db, '-q']));
  }
  freshDb('bench-stage.db');
  return summarize(results, rows);
}

const describeStage = (m) => `${m.seconds} s${formatCpu(m.cpuSeconds)}, ${count(m.rowsPerSecond)} products/s, peak RSS ${formatMb(m.peakRssMb)}`;

function normalizeCase(rows, runs) {
  return {
    name: `normalize --offline ${count(rows)} products`,
    kind: 'normalize',
    rows,
    run: async () => timedOnCopy(await prepared(rows, 'loaded'), ['normalize', '--all', '--offline'], rows, runs),
    describe: describeStage,
  };
}

/**
 * normalize with the optional similar-title step, which reads every title key of the catalog
 * once: its own growth target. The generated titles draw on a small vocabulary, so no word is
 * rare enough to block and the case times the step's reading and weighing, not its comparisons.
 */
export function similarCase(rows, runs) {
  return {
    name: `normalize --offline --similar-titles ${count(rows)} products`,
    kind: 'normalize-similar',
    rows,
    run: async () => timedOnCopy(await prepared(rows, 'loaded'), ['normalize', '--all', '--offline', '--similar-titles'], rows, runs),
    describe: describeStage,
  };
}

function analyzeCase(rows, runs) {
  return {
    name: `analyze ${count(rows)} products`,
    kind: 'analyze',
    rows,
    run: async () => timedOnCopy(await prepared(rows, 'normalized'), ['analyze', '--all'], rows, runs),
    describe: describeStage,
  };
}

function wholeRunCase(rows, runs) {
  return {
    name: `run --offline ${count(rows)} products`,
    kind: 'run',
    rows,
    run: async () => {
      const file = await catalog(rows);
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await measureAssay(['run', file, '--offline', '--db', freshDb('bench-run.db'), '-q']));
      freshDb('bench-run.db');
      return summarize(results, rows);
    },
    describe: describeStage,
  };
}

/**
 * On one copy of an analyzed catalog, `runs` rounds of: load the same file, normalize
 * --stale --offline, analyze --stale. Each round leaves the catalog as it found it.
 */
function noChangeCase(rows, runs) {
  return {
    name: `no-change --stale ${count(rows)} products`,
    kind: 'stale',
    rows,
    run: async () => {
      const file = await catalog(rows);
      const db = freshDb('bench-stale.db');
      copyDb(await prepared(rows, 'analyzed'), db);
      const steps = {
        reload: { args: ['load', file], stale: (out) => out.created + out.updated },
        normalizeStale: { args: ['normalize', '--stale', '--offline'], stale: (out) => out.job.total },
        analyzeStale: { args: ['analyze', '--stale'], stale: (out) => out.job.total },
      };
      const results = Object.fromEntries(Object.keys(steps).map((name) => [name, []]));
      const changed = Object.fromEntries(Object.keys(steps).map((name) => [name, 0]));
      for (let i = 0; i < runs; i++) {
        for (const [name, step] of Object.entries(steps)) {
          const result = await measureAssay([...step.args, '--db', db, '--json']);
          changed[name] = Math.max(changed[name], step.stale(JSON.parse(result.stdout)));
          results[name].push(result);
        }
      }
      freshDb('bench-stale.db');
      const parts = Object.fromEntries(
        Object.keys(steps).map((name) => {
          const { seconds, peakRssMb, maxPeakRssMb, runs: each } = summarize(results[name], rows);
          return [name, { seconds, peakRssMb, maxPeakRssMb, productsChanged: changed[name], runs: each }];
        }),
      );
      const rss = Object.values(parts).map((part) => part.maxPeakRssMb);
      const maxPeakRssMb = rss.includes(null) ? null : Math.max(...rss);
      return { rows, ...parts, maxPeakRssMb, peakIn: Object.keys(parts)[rss.indexOf(maxPeakRssMb)] };
    },
    describe: (m) =>
      [
        `reload ${m.reload.seconds} s (${count(m.reload.productsChanged)} changed)`,
        `normalize --stale ${m.normalizeStale.seconds} s (${count(m.normalizeStale.productsChanged)} stale)`,
        `analyze --stale ${m.analyzeStale.seconds} s (${count(m.analyzeStale.productsChanged)} stale)`,
        `peak RSS ${formatMb(m.maxPeakRssMb)}${m.peakIn ? ` (in ${m.peakIn})` : ''}`,
      ].join(', '),
  };
}

/**
 * The nightly re-run as a cron job runs it: the whole `assay run --offline` again, on a copy of a
 * catalog already made from the same, unchanged file.
 */
function rerunCase(rows, runs) {
  return {
    name: `unchanged re-run --offline ${count(rows)} products`,
    kind: 'rerun',
    rows,
    run: async () => {
      const file = await catalog(rows);
      return timedOnCopy(await prepared(rows, 'analyzed'), ['run', file, '--offline'], rows, runs);
    },
    describe: describeStage,
  };
}

/** The stage cases for one size; `runs` rounds each (the caller lowers it for 1,000,000). */
export function stageCases(rows, runs) {
  return [normalizeCase(rows, runs), analyzeCase(rows, runs), wholeRunCase(rows, runs), noChangeCase(rows, runs), rerunCase(rows, runs)];
}
