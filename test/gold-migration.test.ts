import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../src/store/catalog.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { ROOT, runCli, SAMPLE, startCli } from './helpers/cli.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

// fixtures/catalogs/schema-11.db was written by the release that kept gold as one JSON text per
// product (see its README): it must open, migrate in place, and print what a fresh catalog of the
// same file prints.

const FIXTURE = join(ROOT, 'fixtures', 'catalogs', 'schema-11.db');
const TYPED_GOLD = MIGRATIONS.find((m) => m.name === 'typed gold')!;

/** Times, durations and process ids differ between two runs of the same commands; nothing else may. */
function masked(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'TIME')
    .replace(/"(duration_ms|pid)":\d+/g, '"$1":0')
    .replace(/in \d+ ms/g, 'in N ms');
}

function oldCatalog(tmp: TempDir, name = 'old.db'): string {
  const path = tmp.path(name);
  copyFileSync(FIXTURE, path);
  return path;
}

/** The fixture with 150,000 more scored products: several batches of the copy. */
function largeOldCatalog(tmp: TempDir): string {
  const path = oldCatalog(tmp);
  const db = new Database(path);
  db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
    INSERT INTO products (id, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id)
    SELECT 'X' || i, '{}', 'h', 'x.csv', i, 0, 0, 1 FROM n;
    INSERT INTO gold (seq, result, status, score, band, feed_ready, top_gap, duplicate, broken_urls, silver_hash, rubric_version, analyzed_at)
    SELECT p.seq, g.result, g.status, g.score, g.band, g.feed_ready, g.top_gap, 0, 0, 'x', g.rubric_version, 0
    FROM products p, (SELECT * FROM gold ORDER BY seq LIMIT 1) g WHERE p.id LIKE 'X%';
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'gold_version';
  `);
  db.close();
  return path;
}

/** The same file scored the same way by this version: `run`, then `analyze --channel google`, as the fixture was made. */
async function freshCatalog(tmp: TempDir): Promise<string> {
  mkdirSync(tmp.path('fixtures'), { recursive: true });
  copyFileSync(SAMPLE, tmp.path('fixtures/sample.csv'));
  const path = tmp.path('fresh.db');
  for (const args of [
    ['run', 'fixtures/sample.csv', '--offline'],
    ['analyze', '--all', '--channel', 'google'],
  ]) {
    const result = await runCli(['--db', path, ...args], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(0);
  }
  return path;
}

const tables = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
};

describe('typed gold migration', () => {
  it('migrates a schema 11 catalog in place and keeps every score', () => {
    const tmp = tempDir();
    const path = oldCatalog(tmp);
    const before = new Database(path, { readonly: true });
    const stored = before.prepare('SELECT p.id, g.result FROM gold g JOIN products p USING (seq) ORDER BY p.id').raw().all() as [string, string][];
    before.close();
    expect(stored).toHaveLength(12);

    openCatalog(path).close();
    expect(tables(path)).not.toContain('gold_typed');
    expect(tables(path)).toEqual(expect.arrayContaining(['gold', 'assay_scores', 'assay_gaps', 'assay_blockers']));
    const db = new Database(path, { readonly: true });
    try {
      for (const [id, text] of stored) {
        const result = JSON.parse(text);
        const row = db.prepare('SELECT * FROM assay_scores WHERE id = ?').get(id) as Record<string, unknown>;
        expect(row, id).toMatchObject({
          score: result.score,
          band: result.band,
          feed_ready: result.feedReady ? 1 : 0,
          channel: 'google',
          capped_by: result.cappedBy,
        });
        expect(row.identity, id).toBe(result.stages.identity);
        const gaps = db.prepare('SELECT field, points_lost AS pointsLost, reasons FROM assay_gaps WHERE id = ? ORDER BY rank').all(id) as { reasons: string }[];
        expect(
          gaps.map((gap) => ({ ...gap, reasons: JSON.parse(gap.reasons) })),
          id,
        ).toEqual(result.gaps);
        expect(db.prepare('SELECT code FROM assay_blockers WHERE id = ?').pluck().all(id), id).toEqual(result.blockers.map((b: { code: string }) => b.code));
      }
      expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
      expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('goes on from where a stopped copy left off', () => {
    const tmp = tempDir();
    const whole = oldCatalog(tmp, 'whole.db');
    openCatalog(whole).close();
    // Stopped after the first batch of the gold copy: what a kill -9 between batches leaves.
    const stopped = oldCatalog(tmp, 'stopped.db');
    expect(() =>
      openCatalog(stopped, {
        migrationBatch: 5,
        onMigrate: (progress) => {
          if (progress.version === TYPED_GOLD.version) throw new Error('stopped after the first batch of gold');
        },
      }),
    ).toThrow('stopped after the first batch of gold');
    const db = new Database(stopped, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM gold_typed').pluck().get()).toBe(5);
    expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(TYPED_GOLD.version - 1);
    db.close();

    // A catalog with the copy unfinished is not read as it is: any open finishes it first.
    openCatalog(stopped).close();
    const rows = (path: string) => {
      const reader = new Database(path, { readonly: true });
      try {
        return reader.prepare('SELECT * FROM gold ORDER BY seq').raw().all();
      } finally {
        reader.close();
      }
    };
    expect(rows(stopped)).toEqual(rows(whole));
    expect(tables(stopped)).toEqual(tables(whole));
  });

  it('finishes after a kill -9 in the middle of copying a large catalog', async () => {
    const tmp = tempDir();
    const path = largeOldCatalog(tmp);

    const running = startCli(['--db', path, 'summary', '--json'], { cwd: tmp.dir });
    // Kill it once the first batch is committed (or when it is done, if it is that quick).
    const watcher = new Database(path, { readonly: true, fileMustExist: true });
    const copied = () => {
      try {
        return watcher.prepare('SELECT count(*) FROM gold_typed').pluck().get() as number;
      } catch {
        return 0;
      }
    };
    const exited = running.result.then(() => true);
    while (copied() === 0 && !(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(false), 20))]))) {
      // waiting for the first committed batch
    }
    const partial = copied();
    running.child.kill('SIGKILL');
    await running.result;
    watcher.close();

    const result = await runCli(['--db', path, 'summary', '--json'], { cwd: tmp.dir, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).catalogSummary.products).toBe(150_012);
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) FROM gold').pluck().get()).toBe(150_012);
      expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'gold_typed'").pluck().get()).toBe(0);
      expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'gold'").pluck().get()).toBe(2);
    } finally {
      after.close();
    }
    expect(partial).toBeLessThanOrEqual(150_012);
  }, 180_000);

  it('is shared by commands that open the old catalog at once', async () => {
    const tmp = tempDir();
    const path = largeOldCatalog(tmp);
    const results = await Promise.all([1, 2, 3].map(() => runCli(['--db', path, 'summary', '--json'], { cwd: tmp.dir, timeoutMs: 120_000 })));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).catalogSummary.products).toBe(150_012);
    }
    expect(tables(path)).not.toContain('gold_typed');
  }, 180_000);

  it('prints what a fresh catalog of the same file prints', async () => {
    const tmp = tempDir();
    const migrated = oldCatalog(tmp);
    const fresh = await freshCatalog(tmp);
    const ids = ['TR-1001', 'TR-1003', 'TR-1005', 'TR-1007', 'TR-1009', 'TR-1010', 'TR-1012'];
    const commands: string[][] = [
      ['summary'],
      ['summary', '--json'],
      ['products'],
      ['products', '--json'],
      ['products', '--gap', 'title', '--json'],
      ['products', '--gap', 'gtin.missing'],
      ['products', '--not-feed-ready', '--sort', 'score', '--json'],
      ['products', '--band', 'warning', '--sort', '-score'],
      ...ids.flatMap((id) => [
        ['show', id],
        ['show', id, '--json'],
      ]),
      ...['csv', 'json', 'jsonl', 'junit', 'html', 'merchant-tsv'].map((format) => ['export', '--format', format, '--out', '-']),
      ['export', '--format', 'json', '--out', 'baseline.json'],
      // A re-score under other weights, compared with the baseline: results, gates, regressions.
      [
        'analyze',
        '--all',
        '--weights',
        'identity=30,taxonomy=10,content=25,media=15,pricing=10,attributes=5,seo=5',
        '--baseline',
        'baseline.json',
        '--max-product-drop',
        '0',
        '--min-score',
        '50',
        '--json',
      ],
      ['analyze', '--all', '--channel', 'google', '--baseline', 'baseline.json', '--max-avg-drop', '0', '--require-feed-ready'],
      ['summary', '--json'],
    ];
    for (const args of commands) {
      const outputs = [];
      for (const path of [migrated, fresh]) outputs.push(await runCli(['--db', path, ...args], { cwd: tmp.dir }));
      expect(outputs[0].code, `${args.join(' ')}: ${outputs[0].stderr}`).toBe(outputs[1].code);
      expect(masked(outputs[0].stdout), args.join(' ')).toBe(masked(outputs[1].stdout));
      if (!args.includes('baseline.json') || args[0] === 'analyze') expect(outputs[0].stdout.length, args.join(' ')).toBeGreaterThan(0);
    }
  }, 120_000);
});
