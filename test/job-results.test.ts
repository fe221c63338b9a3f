import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../src/store/catalog.js';
import { worstOfJob, type ScoredLine } from '../src/store/job-results.js';
import { ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// The panel of an analyze job lists its products worst first. A job over half the catalog or more
// walks the score index and keeps its own products; a smaller one sorts its own: both must list
// what sorting every product of the job would.

/** Every product of a job, sorted as the panel promises: unscored first, then by score, ties in load order. */
function sortedJob(db: Db, jobId: number): ScoredLine[] {
  const rows = db
    .prepare(
      `SELECT g.seq, p.id, s.title, g.score, g.band, g.top_gap, g.error, g.capped_by
       FROM job_items j JOIN gold g ON g.seq = j.seq JOIN products p ON p.seq = g.seq LEFT JOIN silver s ON s.seq = g.seq
       WHERE j.job_id = ?`,
    )
    .all(jobId) as (ScoredLine & { seq: number })[];
  rows.sort((a, b) => (a.score === null ? 0 : 1) - (b.score === null ? 0 : 1) || (a.score ?? 0) - (b.score ?? 0) || a.seq - b.seq);
  return rows.map(({ seq, ...line }) => line);
}

describe('the worst products of an analyze job', () => {
  const tmp = { dir: '', db: '' };
  let jobs: { all: number; best: number; two: number };
  let db: Db;

  beforeAll(async () => {
    const dir = tempDir();
    tmp.dir = dir.dir;
    tmp.db = dir.path('c.db');
    const cli = async (...args: string[]) => {
      const result = await runCli([...args, '--db', tmp.db], { cwd: tmp.dir, timeoutMs: 60_000 });
      if (result.code !== 0) throw new Error(`assay ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return result;
    };
    await cli('load', join(ROOT, 'fixtures', 'sample.csv'), '-q');
    await cli('normalize', '--all', '--offline', '-q');
    // Three products loaded but not normalized: analyze gives them an error and no score.
    const header = readFileSync(join(ROOT, 'fixtures', 'sample.csv'), 'utf8').split('\n')[0];
    const rest = ','.repeat(header.split(',').length - 2);
    await cli('load', dir.write('more.csv', `${header}\nNEW-1,First new${rest}\nNEW-2,Second new${rest}\nNEW-3,Third new${rest}\n`), '-q');
    await cli('analyze', '--all', '-q');
    db = openCatalog(tmp.db, { mustExist: true });
    const all = db.prepare("SELECT max(id) FROM jobs WHERE stage = 'analyze'").pluck().get() as number;
    // The eight best scored products: over half of the catalog's fifteen, and none of its worst.
    const best = sortedJob(db, all)
      .slice(-8)
      .map((line) => line.id);
    db.close();
    await cli('analyze', '--ids', best.join(','), '-q');
    await cli('analyze', '--ids', 'TR-1001,NEW-2', '-q');
    db = openCatalog(tmp.db, { mustExist: true });
    const ids = db.prepare("SELECT id FROM jobs WHERE stage = 'analyze' ORDER BY id").pluck().all() as number[];
    jobs = { all: ids[0], best: ids[1], two: ids[2] };
  }, 120_000);

  afterAll(() => db?.close());

  it('lists a whole-catalog job (walked along the score index) as sorting it would, unscored first', () => {
    const sorted = sortedJob(db, jobs.all);
    expect(sorted).toHaveLength(15);
    expect(sorted.slice(0, 3).map((line) => line.score)).toEqual([null, null, null]);
    for (const limit of [1, 3, 4, 10, 15, 40]) expect(worstOfJob(db, jobs.all, limit), `limit ${limit}`).toEqual(sorted.slice(0, limit));
    expect(worstOfJob(db, jobs.all, Number.POSITIVE_INFINITY)).toEqual(sorted);
  });

  it('lists a job of the best products (walked past the worst, which are not its own) as sorting it would', () => {
    const sorted = sortedJob(db, jobs.best);
    expect(sorted).toHaveLength(8);
    expect(sorted.every((line) => line.score !== null)).toBe(true);
    for (const limit of [1, 5, 8, 20]) expect(worstOfJob(db, jobs.best, limit), `limit ${limit}`).toEqual(sorted.slice(0, limit));
  });

  it('lists a job of two products (sorted, not walked) as sorting it would', () => {
    const sorted = sortedJob(db, jobs.two);
    expect(sorted.map((line) => line.id)).toEqual(['NEW-2', 'TR-1001']);
    for (const limit of [1, 2, 5]) expect(worstOfJob(db, jobs.two, limit), `limit ${limit}`).toEqual(sorted.slice(0, limit));
  });
});
