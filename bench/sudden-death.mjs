// Sudden-death soak (see docs/guarantees.md#jobs-concurrency-and-sudden-death): 50,000 generated products by default, normalize (URL checks
// against a local image server) and analyze, each killed with SIGKILL at the planned points and
// resumed, and `assay run --offline` killed and run again; every time the final catalog must equal
// the uninterrupted run's. The harness lives in
// test/helpers/sudden-death.mjs (test/sudden-death.test.ts runs it on a small catalog).
// Prints the seed, the kill points, what happened at each, and the timings; exits 1 on any failure.
// Unlike the test, a soak draws new kill points each run unless --seed (or ASSAY_SUDDEN_DEATH_SEED,
// as the test reads it) says which.
//
//   npm run build && node bench/sudden-death.mjs [--rows 50000] [--seed N] [--only 3,7] [--keep]
import {
  KILL_POINTS,
  RUN_KILL_POINTS,
  formatOutcome,
  planKillPoints,
  planRunKillPoints,
  prepareSuddenDeath,
  runKillPoint,
  runRunKillPoint,
} from '../test/helpers/sudden-death.mjs';

function parseArgs(argv) {
  const options = {
    rows: 50_000,
    seed: process.env.ASSAY_SUDDEN_DEATH_SEED ? Number(process.env.ASSAY_SUDDEN_DEATH_SEED) : Math.floor(Math.random() * 2 ** 31),
    only: undefined,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--keep') options.keep = true;
    else if (flag === '--rows') options.rows = Number(argv[++i]);
    else if (flag === '--seed') options.seed = Number(argv[++i]);
    else if (flag === '--only') options.only = argv[++i].split(',').map(Number);
    else throw new Error(`unknown flag ${flag}: use --rows N, --seed N, --only I,J, --keep`);
  }
  if (!(options.rows > 0) || !Number.isInteger(options.seed)) throw new Error('--rows must be positive and --seed a whole number');
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  console.log(`sudden-death: ${options.rows} generated rows, kill-point seed ${options.seed} (rerun with --seed ${options.seed})`);
  const h = await prepareSuddenDeath({ rows: options.rows, keep: options.keep, log: (line) => console.log(`  ${line}`) });
  const outcomes = [];
  try {
    // Stage points first, then the points of `assay run`, numbered on after them.
    const plan = [...planKillPoints(h, options.seed), ...planRunKillPoints(h, options.seed)];
    for (const [index, point] of plan.entries()) {
      if (options.only && !options.only.includes(index)) continue;
      const outcome = point.stage === 'run' ? await runRunKillPoint(h, point, index - KILL_POINTS.length) : await runKillPoint(h, point, index);
      outcomes.push(outcome);
      console.log(`  ${formatOutcome(outcome)}`);
    }
  } finally {
    await h.close();
  }
  const failed = outcomes.filter((o) => o.failures.length > 0);
  const killed = outcomes.reduce((n, o) => n + o.attempts.filter((a) => a.killed).length, 0);
  console.log(
    `sudden-death: ${outcomes.length} of ${KILL_POINTS.length + RUN_KILL_POINTS.length} kill points, ${killed} kills, ${failed.length} failed, ${Math.round((Date.now() - started) / 1000)} s in all (seed ${options.seed})`,
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`sudden-death: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
