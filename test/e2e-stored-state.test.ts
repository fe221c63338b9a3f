import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoredSample, type ScoredCatalog } from './helpers/catalog.js';
import { jsonOf, runCli } from './helpers/cli.js';
import { copyCatalog } from './helpers/jobs.js';
import { tempDir } from './helpers/tmp.js';

// The sample catalog after `normalize --all --offline` (job 1) and `analyze --all` (job 2).
const NORMALIZE = 1;
const ANALYZE = 2;

let sample: ScoredCatalog;

beforeAll(async () => {
  sample = await scoredSample();
}, 60_000);

afterAll(() => sample?.remove());

/** A copy of the sample catalog whose job `id` was stopped half-way with this stored state. */
function stoppedJob(id: number, state: { options?: string; summary?: string | null }) {
  const tmp = tempDir();
  const db = copyCatalog(sample.db, join(tmp.dir, 'catalog.db'));
  const conn = new Database(db);
  try {
    conn.prepare("UPDATE jobs SET status = 'interrupted', done = 0 WHERE id = ?").run(id);
    conn.prepare('UPDATE job_items SET done = 0 WHERE job_id = ?').run(id);
    if (state.options !== undefined) conn.prepare('UPDATE jobs SET options = ? WHERE id = ?').run(state.options, id);
    if (state.summary !== undefined) conn.prepare('UPDATE jobs SET summary = ? WHERE id = ?').run(state.summary, id);
  } finally {
    conn.close();
  }
  const assay = (...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir });
  const status = () => {
    const conn = new Database(db, { readonly: true });
    try {
      return conn.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id);
    } finally {
      conn.close();
    }
  };
  return { db, assay, status };
}

function storedOptions(id: number): Record<string, unknown> {
  const conn = new Database(sample.db, { readonly: true });
  try {
    return JSON.parse(conn.prepare('SELECT options FROM jobs WHERE id = ?').pluck().get(id) as string) as Record<string, unknown>;
  } finally {
    conn.close();
  }
}

function expectRefusal(result: { code: number | null; stderr: string }, ...words: string[]): void {
  expect(result.code).toBe(2);
  for (const word of words) expect(result.stderr).toContain(word);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('job options read back from the catalog', () => {
  it('refuses to resume a job whose options are not JSON, naming the job and what to do, and leaves it as it was', async () => {
    const job = stoppedJob(ANALYZE, { options: '{"weights": {"identity": 20,' });
    expectRefusal(await job.assay('resume', String(ANALYZE)), `job ${ANALYZE}`, 'options', 'not valid JSON', `assay cancel ${ANALYZE}`);
    expect(job.status()).toBe('interrupted');
  });

  it('names the key that does not fit: weights missing a stage', async () => {
    const { seo: _seo, ...weights } = storedOptions(ANALYZE).weights as Record<string, number>;
    const job = stoppedJob(ANALYZE, { options: JSON.stringify({ ...storedOptions(ANALYZE), weights }) });
    expectRefusal(await job.assay('resume', String(ANALYZE)), `job ${ANALYZE}`, 'weights.seo');
  });

  it('names the key that does not fit: mapping rules that are not a list', async () => {
    const job = stoppedJob(NORMALIZE, { options: JSON.stringify({ ...storedOptions(NORMALIZE), rules: 'title=name' }) });
    expectRefusal(await job.assay('resume', String(NORMALIZE)), `job ${NORMALIZE}`, 'rules');
  });

  it('still lists and cancels a job whose options cannot be read', async () => {
    const job = stoppedJob(NORMALIZE, { options: 'not json' });
    const listed = await job.assay('jobs', '--json');
    expect(listed.code).toBe(0);
    expect(jsonOf<{ jobs: { id: number; status: string }[] }>(listed).jobs.find((j) => j.id === NORMALIZE)?.status).toBe('interrupted');
    expect((await job.assay('cancel', String(NORMALIZE))).code).toBe(0);
    expect(job.status()).toBe('cancelled');
  });

  it('resumes a normalize job stored before later options existed, ignoring one since dropped', async () => {
    const { language: _l, notDuplicates: _n, similarTitles: _s, store: _st, taxonomyFile: _t, ...older } = storedOptions(NORMALIZE);
    const job = stoppedJob(NORMALIZE, { options: JSON.stringify({ ...older, dropped: true }), summary: null });
    const resumed = await job.assay('resume', String(NORMALIZE));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(job.status()).toBe('succeeded');
  });

  it('resumes an analyze job stored before channels, countries, caps and gates were options', async () => {
    const { weights, bands } = storedOptions(ANALYZE);
    const job = stoppedJob(ANALYZE, { options: JSON.stringify({ weights, bands }), summary: null });
    const resumed = await job.assay('resume', String(ANALYZE), '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(job.status()).toBe('succeeded');
  });
});

describe('job summaries and scopes read back from the catalog', () => {
  it('lists and cancels a job whose scope does not fit, and refuses to resume it', async () => {
    const job = stoppedJob(NORMALIZE, {});
    const conn = new Database(job.db);
    conn.prepare('UPDATE jobs SET scope = ? WHERE id = ?').run('{"kind": "some"}', NORMALIZE);
    conn.close();
    expect((await job.assay('jobs')).code).toBe(0);
    expectRefusal(await job.assay('resume', String(NORMALIZE)), `job ${NORMALIZE}`, 'scope', 'kind');
    expect((await job.assay('cancel', String(NORMALIZE))).code).toBe(0);
    expect(job.status()).toBe('cancelled');
  });

  it('lists a job whose summary does not fit without it, says so in its status, and refuses to resume it', async () => {
    const job = stoppedJob(NORMALIZE, { summary: '{"notFound": 3, "urlRequests": 0}' });
    const listed = await job.assay('jobs', '--json');
    expect(listed.code).toBe(0);
    expect(jsonOf<{ jobs: { id: number; summary: unknown }[] }>(listed).jobs.find((j) => j.id === NORMALIZE)?.summary).toBeNull();
    const status = await job.assay('status', String(NORMALIZE));
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/unreadable its stored summary \(notFound: /);
    expectRefusal(await job.assay('resume', String(NORMALIZE)), `job ${NORMALIZE}`, 'summary', 'notFound');
    expect(job.status()).toBe('interrupted');
  });

  it('carries on the counters of a summary an older assay stored half-way', async () => {
    const job = stoppedJob(NORMALIZE, { summary: JSON.stringify({ urlRequests: 7, presetsDetected: { shopify: 2 } }) });
    const resumed = await job.assay('resume', String(NORMALIZE), '--json');
    expect(resumed.code).toBe(0);
    const summary = jsonOf<{ summary: { urlRequests: number; presetsDetected: Record<string, number> } }>(resumed).summary;
    expect(summary.urlRequests).toBe(7);
    expect(summary.presetsDetected.shopify).toBeGreaterThanOrEqual(2);
  });
});

describe('a baseline that does not fit', () => {
  it('is refused through the CLI with the product and the key, and exit 2', async () => {
    const tmp = tempDir();
    const db = copyCatalog(sample.db, join(tmp.dir, 'catalog.db'));
    const baseline = tmp.write('base.json', JSON.stringify({ schemaVersion: 1, products: [{ id: 'X', gold: { status: 'success', score: '80' } }] }));
    const result = await runCli(['--db', db, 'analyze', '--all', '--baseline', baseline, '--max-avg-drop', '5'], { cwd: tmp.dir });
    expectRefusal(result, 'product 1 (X): gold.score', 'assay export --format json');
  });
});

describe('other state the catalog keeps as JSON', () => {
  function tampered(sql: string, ...params: unknown[]) {
    const tmp = tempDir();
    const db = copyCatalog(sample.db, join(tmp.dir, 'catalog.db'));
    const conn = new Database(db);
    try {
      conn.prepare(sql).run(...params);
    } finally {
      conn.close();
    }
    return (...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir });
  }
  const SUMMARY_CACHE = "UPDATE meta SET value = json_set(value, '$.summary.avgScore', json(?)) WHERE key LIKE 'catalog_summary%'";
  const avgScore = async (assay: (...args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>) => {
    const result = await assay('summary', '--json');
    expect(result.code, result.stderr).toBe(0);
    return jsonOf<{ catalogSummary: { avgScore: number } }>(result).catalogSummary.avgScore;
  };

  it('uses the cached catalog summary while it fits, and makes it again when it does not', async () => {
    const truth = await avgScore(tampered('SELECT 1'));
    expect(await avgScore(tampered(SUMMARY_CACHE, '12.5'))).toBe(12.5);
    expect(await avgScore(tampered(SUMMARY_CACHE, '"high"'))).toBe(truth);
  });

  it('refuses to explain a score whose stored rubric does not fit, saying how to score again', async () => {
    const assay = tampered('UPDATE rubrics SET weights = \'{"identity": 100}\'');
    expectRefusal(await assay('show', 'TR-1001'), 'rubric', 'weights', 'assay analyze --all');
  });
});
