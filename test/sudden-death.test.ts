import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeed } from './helpers/seed.js';
import {
  KILL_POINTS,
  RUN_KILL_POINTS,
  formatOutcome,
  planKillPoints,
  planRunKillPoints,
  prepareSuddenDeath,
  runKillPoint,
  runRunKillPoint,
  type KillPoint,
  type SuddenDeath,
} from './helpers/sudden-death.mjs';

// See docs/guarantees.md#jobs-concurrency-and-sudden-death: kill -9 normalize and analyze at chosen moments, resume, and compare the catalog
// with an uninterrupted run's (checksums of the Silver and Gold layers, the duplicate index and the
// URL cache), the job's counts, the writes (each product once) and PRAGMA integrity_check.
// 6,000 generated rows: three batches of 2,000 and two indexing chunks of 5,000, so there is a
// "between" for every kind of point. bench/sudden-death.mjs (npm run test:soak) runs 50,000.
const ROWS = 6_000;
const LONG = 180_000;
// The kill points move with the seed: a fixed one, so every run places them alike, unless
// ASSAY_SUDDEN_DEATH_SEED gives another (bench/sudden-death.mjs draws a new one each soak).
const SEED = testSeed('sudden death: kill points', 1, 'ASSAY_SUDDEN_DEATH_SEED');
// Every point but two plain random moments of normalize (the soak runs those too), to keep the file near a minute.
const POINTS = KILL_POINTS.filter((name) => name !== 'normalize: a random moment' && name !== 'normalize: indexing phase, at a random moment');

let h: SuddenDeath;
let plan: KillPoint[];
let runPlan: KillPoint[];

beforeAll(async () => {
  h = await prepareSuddenDeath({ rows: ROWS, log: (line) => console.log(`sudden death: ${line}`) });
  plan = planKillPoints(h, SEED);
  runPlan = planRunKillPoints(h, SEED);
}, LONG);

afterAll(async () => {
  await h?.close();
});

describe(`sudden death (seed ${SEED})`, () => {
  it('plans at least ten kill points over both stages', () => {
    expect(POINTS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(plan.filter((p) => POINTS.includes(p.name)).map((p) => p.stage))).toEqual(new Set(['normalize', 'analyze']));
  });

  for (const name of POINTS) {
    it(
      `kill -9 ${name}, then resume: the catalog equals the uninterrupted run's`,
      async () => {
        const point = plan.find((p) => p.name === name)!;
        const outcome = await runKillPoint(h, point, KILL_POINTS.indexOf(name));
        console.log(`sudden death (seed ${SEED}): ${formatOutcome(outcome)}`);
        expect(outcome.failures, formatOutcome(outcome)).toEqual([]);
      },
      LONG,
    );
  }

  for (const name of RUN_KILL_POINTS) {
    it(
      `kill -9 ${name}, then the same run again: the catalog equals the uninterrupted run's`,
      async () => {
        const point = runPlan.find((p) => p.name === name)!;
        const outcome = await runRunKillPoint(h, point, RUN_KILL_POINTS.indexOf(name));
        console.log(`sudden death (seed ${SEED}): ${formatOutcome(outcome)}`);
        expect(outcome.failures, formatOutcome(outcome)).toEqual([]);
        expect(outcome.attempts[0]?.killed, `the first run was not killed: ${formatOutcome(outcome)}`).toBe(true);
      },
      LONG,
    );
  }
});
