// The benchmark harness behind `npm run bench` (which builds first).
//
//   npm run bench                        100,000 and 1,000,000 generated products
//   npm run bench -- --quick             100,000 only; long fields of 1 and 8 MB, not 8 and 64
//   npm run bench -- --only normalize,analyze   only the cases whose names hold those words
//   npm run bench -- --runs 5            runs per case (default 3; 1,000,000-product stage cases run once)
//   npm run bench -- --max-rss-mb 300    exit 1 when a 100,000-product case peaks above 300 MB (CI);
//                                        the long-fields case is not guarded, its peak follows the field
//
// Every command is a separate process; wall time, rows per second and peak RSS are the
// medians of the runs. Generating catalogs and preparing the catalogs a stage starts
// from are not timed. The targets are judged at the end. Everything is
// printed and written to bench/out/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { count, formatMb, OUT, ROOT, round, setUpTools } from './lib.mjs';
import { describeHeartbeat, runHeartbeatBench } from './heartbeat.mjs';
import { loadCase } from './load.mjs';
import { longFieldsCase } from './long-fields.mjs';
import { buildFingerprint } from './prepare.mjs';
import { similarCase, stageCases } from './stages.mjs';
import { formatTargets, judgeTargets } from './targets.mjs';

const GUARDED_ROWS = 100_000;
/** The 1,000,000-product stage cases take minutes each; load and its sqlite3 floor keep --runs. */
const BIG_STAGE_RUNS = 1;

const options = readOptions();
const sizes = options.quick ? [100_000] : [100_000, 1_000_000];
const tools = setUpTools();

const CASES = [];
for (const rows of sizes) {
  CASES.push(loadCase(rows, options.runs, tools.sqlite3));
  CASES.push(...stageCases(rows, rows >= 1_000_000 ? Math.min(options.runs, BIG_STAGE_RUNS) : options.runs));
  // Its target is a growth ratio, which the quick run cannot judge: full runs only.
  if (!options.quick) CASES.push(similarCase(rows, rows >= 1_000_000 ? Math.min(options.runs, BIG_STAGE_RUNS) : options.runs));
}
// No `rows`: the RSS guard is for the catalog cases; this one's peak follows its field (see long-fields.mjs).
CASES.push(longFieldsCase({ quick: options.quick, runs: options.runs }));
const urlBench = join(ROOT, 'bench', 'urls.mjs');
if (existsSync(urlBench)) {
  CASES.push({
    kind: 'urls',
    name: 'url checks',
    run: async () => (await import(pathToFileURL(urlBench).href)).runUrlBench({ quick: options.quick }),
    describe: (m) =>
      `${count(m.urls)} URLs at ${count(m.urlsPerSecond)}/s (${m.ratioToBare}x a bare undici loop), ` +
      `at most ${m.maxInFlightPerHost} in flight to a host (limit ${m.perHostLimit}), ${m.cachedRequests} requests when cached`,
  });
}
CASES.push({ kind: 'heartbeat', name: 'job heartbeat', run: runHeartbeatBench, describe: describeHeartbeat });
const selected = options.only ? CASES.filter((c) => options.only.some((word) => c.name.includes(word))) : CASES;

const results = {
  date: new Date().toISOString(),
  commit: gitCommit(),
  build: buildFingerprint(),
  node: process.version,
  machine: { cpus: cpus().length, memoryGb: round(totalmem() / 2 ** 30, 1) },
  quick: options.quick,
  runs: options.runs,
  runsAt1M: { load: options.runs, stages: Math.min(options.runs, BIG_STAGE_RUNS) },
  rssFrom: tools.rssFrom ?? 'not measured',
  cases: {},
};
const bigRuns = options.quick ? '' : `, 1,000,000-product stage cases ${results.runsAt1M.stages}`;
console.log(
  `assay bench at ${results.commit ?? 'an unknown commit'} (build ${results.build}): ` +
    `medians of ${options.runs} run(s) a case${bigRuns}; peak RSS from ${results.rssFrom}`,
);

let hasFailed = false;
const done = [];
for (const benchCase of selected) {
  process.stderr.write(`running ${benchCase.name} ...\n`);
  let measurements;
  try {
    measurements = await benchCase.run();
  } catch (error) {
    hasFailed = true;
    measurements = { error: error instanceof Error ? error.message : String(error) };
  }
  results.cases[benchCase.name] = measurements;
  done.push({ ...benchCase, measurements });
  const text = measurements.error ? `FAILED: ${measurements.error}` : (benchCase.describe?.(measurements) ?? JSON.stringify(measurements));
  console.log(`${benchCase.name}: ${text}`);
}

results.targets = judgeTargets(done, options);
console.log(`\ntargets (${results.machine.cpus} CPUs; --stale "a few seconds" means ≤ 5 s each):`);
for (const text of formatTargets(results.targets)) console.log(text);

if (options.maxRssMb !== undefined) {
  const { lines, ...guard } = guardRss(done, options.maxRssMb);
  results.rssGuard = guard;
  console.log(`\npeak RSS guard, the worst run of each ${count(GUARDED_ROWS)}-product case ≤ ${options.maxRssMb} MB:`);
  for (const text of lines) console.log(`  ${text}`);
  if (!guard.isPassed) hasFailed = true;
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nresults: ${relative(ROOT, join(OUT, 'results.json'))}`);
if (hasFailed) process.exitCode = 1;

// --- helpers -----------------------------------------------------------------------

function readOptions() {
  const usage = 'usage: node bench/run.mjs [--quick] [--only WORD,...] [--runs N] [--max-rss-mb N]';
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        runs: { type: 'string', default: '3' },
        'max-rss-mb': { type: 'string' },
      },
    });
    const runs = Number(values.runs);
    const maxRssMb = values['max-rss-mb'] === undefined ? undefined : Number(values['max-rss-mb']);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of at least 1, not ${values.runs}`);
    if (maxRssMb !== undefined && !(maxRssMb > 0)) throw new Error(`--max-rss-mb takes a number of MB, not ${values['max-rss-mb']}`);
    return { quick: values.quick, only: values.only?.split(',').filter(Boolean), runs, maxRssMb };
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
}

/** Every case of GUARDED_ROWS products must have peaked (its worst run) at or under the limit. */
function guardRss(cases, limitMb) {
  const checked = cases
    .filter((c) => c.rows === GUARDED_ROWS && !c.measurements.error)
    .map(({ name, measurements: { maxPeakRssMb: peakMb = null, peakIn } }) => ({
      case: peakIn ? `${name} (${peakIn})` : name,
      peakMb,
      status: peakMb === null ? 'not measured' : peakMb > limitMb ? 'over' : 'ok',
    }));
  const lines = checked.map((c) => `${c.status === 'ok' ? 'ok  ' : 'FAIL'} ${c.case}: ${formatMb(c.peakMb)}${c.status === 'over' ? ` > ${limitMb} MB` : ''}`);
  if (checked.length === 0) lines.push(`FAIL no ${count(GUARDED_ROWS)}-product case ran`);
  return { limitMb, isPassed: checked.length > 0 && checked.every((c) => c.status === 'ok'), checked, lines };
}

function gitCommit() {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const isDirty = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'src'], { cwd: ROOT }).status === 1;
  return head.stdout.trim() + (isDirty ? '+changes in src' : '');
}
