import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCatalog, type MigrationProgress } from '../src/store/catalog.js';
import { LATEST_VERSION, MIGRATIONS } from '../src/store/migrations.js';
import { readProduct } from '../src/store/show.js';
import { migrationNotice } from '../src/cli/migration-progress.js';
import { ROOT, runCli, SAMPLE } from './helpers/cli.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

/** A catalog file written by release 0.1.0 (schema 11): 12 products, normalized and scored. */
const SCHEMA_11 = join(ROOT, 'fixtures', 'catalogs', 'schema-11.db');

function copyOfOld(tmp: TempDir, name = 'old.db'): string {
  const path = tmp.path(name);
  copyFileSync(SCHEMA_11, path);
  return path;
}

/** What the old layout holds for each product: its silver as JSON texts, its stage and the hash its gold was scored from. */
function oldLayers(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.id, s.record, s.result, s.context, s.silver_hash AS silverHash, g.silver_hash = s.silver_hash AS goldCurrent
         FROM products p JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq ORDER BY p.seq`,
      )
      .all() as { id: string; record: string; result: string; context: string; silverHash: string; goldCurrent: number }[];
  } finally {
    db.close();
  }
}

/** Every table and view of a catalog, row by row, for comparing two files. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name <> 'schema_version' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(names.map((name) => [name, db.prepare(`SELECT * FROM "${name}"`).raw().all()]));
  } finally {
    db.close();
  }
}

/** Schema 12; typed gold (13) follows it. */
const TYPED_SILVER = MIGRATIONS.find((m) => m.name === 'typed silver')!.version;

describe('the typed silver migration', () => {
  it('gives every product of a schema-11 catalog the silver it had, key for key, and keeps its gold current', () => {
    const tmp = tempDir();
    const path = copyOfOld(tmp);
    const before = oldLayers(path);
    expect(before).toHaveLength(12);
    const db = openCatalog(path);
    try {
      expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(LATEST_VERSION);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('silver_typed')").pluck().get()).toBe(0);
      for (const old of before) {
        const product = readProduct(db, old.id)!;
        // The same JSON text: the same keys in the same order, not only equal values.
        expect(JSON.stringify(product.silver!.record)).toBe(old.record);
        expect(JSON.stringify(product.silver!.result)).toBe(old.result);
        expect(JSON.stringify(product.silver!.context)).toBe(old.context);
        expect(product.gold!.current).toBe(old.goldCurrent === 1);
        expect(db.prepare('SELECT silver_hash FROM silver s JOIN products p USING (seq) WHERE p.id = ?').pluck().get(old.id)).toBe(old.silverHash);
      }
    } finally {
      db.close();
    }
  });

  it('stopped between two batches, finishes when the catalog is opened again, as if never stopped', () => {
    const tmp = tempDir();
    const whole = copyOfOld(tmp, 'whole.db');
    openCatalog(whole, { migrationBatch: 5 }).close();

    const stopped = copyOfOld(tmp, 'stopped.db');
    const seen: MigrationProgress[] = [];
    expect(() =>
      openCatalog(stopped, {
        migrationBatch: 5,
        onMigrate: (progress) => {
          seen.push(progress);
          throw new Error('stopped after the first batch');
        },
      }),
    ).toThrow('stopped after the first batch');
    expect(seen).toEqual([{ path: stopped, version: TYPED_SILVER, name: 'typed silver', done: 5, total: 12 }]);
    const half = new Database(stopped, { readonly: true });
    expect(half.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(TYPED_SILVER - 1);
    expect(half.prepare('SELECT count(*) FROM silver_typed').pluck().get()).toBe(5);
    half.close();

    const resumed: MigrationProgress[] = [];
    openCatalog(stopped, { migrationBatch: 5, onMigrate: (progress) => resumed.push(progress) }).close();
    expect(resumed.filter((p) => p.version === TYPED_SILVER).map((p) => p.done)).toEqual([10, 12]);
    expect(dump(stopped)).toEqual(dump(whole));
  });

  it('killed -9 in the middle, finishes when the catalog is opened again, as if never killed', () => {
    const tmp = tempDir();
    const whole = copyOfOld(tmp, 'whole.db');
    openCatalog(whole).close();
    const killed = copyOfOld(tmp, 'killed.db');
    // The built store, in a process of its own that kills itself once 4 batches of 2 are committed.
    const script = `
      const { openCatalog } = await import(${JSON.stringify(join(ROOT, 'dist', 'store', 'catalog.js'))});
      openCatalog(${JSON.stringify(killed)}, { migrationBatch: 2, onMigrate: (p) => { if (p.done >= 8) process.kill(process.pid, 'SIGKILL'); } });
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const half = new Database(killed, { readonly: true });
    expect(half.prepare('SELECT count(*) FROM silver_typed').pluck().get()).toBe(8);
    half.close();
    openCatalog(killed).close();
    expect(dump(killed)).toEqual(dump(whole));
  });

  it('is reported on stderr once it has run for a second, not before, and never on stdout', () => {
    const lines: string[] = [];
    let clock = 0;
    const notice = migrationNotice({ log: (text) => lines.push(text) }, () => clock);
    const progress = (done: number) => ({ path: 'c.db', version: 12, name: 'typed silver', done, total: 100 });
    notice(progress(10));
    clock = 500;
    notice(progress(20));
    expect(lines).toEqual([]);
    clock = 1500;
    notice(progress(40));
    clock = 2000;
    notice(progress(50));
    clock = 6400;
    notice(progress(70));
    clock = 6600;
    notice(progress(80));
    notice(progress(100));
    expect(lines).toEqual([
      'migrating c.db to catalog schema 12 (typed silver): 40%',
      'migrating c.db to catalog schema 12 (typed silver): 80%',
      'migrating c.db to catalog schema 12 (typed silver): copied, finishing',
    ]);
  });
});

/** The CLI's outputs with the times of day (which differ between two catalogs made minutes apart) masked. */
function masked(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>');
}

describe('a migrated catalog and a fresh one of the same file', () => {
  it('print byte for byte the same show, products and exports', async () => {
    const tmp = tempDir();
    const migrated = copyOfOld(tmp, 'migrated.db');
    // Made as the fixture was (see its README), from the same relative path, by this assay.
    mkdirSync(tmp.path('fixtures'));
    copyFileSync(SAMPLE, tmp.path('fixtures/sample.csv'));
    const fresh = tmp.path('fresh.db');
    const cli = (db: string, ...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir });
    expect((await cli(fresh, 'run', 'fixtures/sample.csv', '--offline', '-q')).code).toBe(0);
    expect((await cli(fresh, 'analyze', '--all', '--channel', 'google', '-q')).code).toBe(0);

    const ids = new Database(fresh, { readonly: true }).prepare('SELECT id FROM products ORDER BY seq').pluck().all() as string[];
    expect(ids).toHaveLength(12);
    const commands = [
      ...ids.flatMap((id) => [
        ['show', id, '--json'],
        ['show', id],
      ]),
      ['products', '--json'],
      ['products'],
      ['products', '--brand', 'northpeak', '--json'],
      ['products', '--duplicates', '--json'],
      ...['json', 'jsonl', 'csv', 'html', 'junit', 'merchant-tsv'].map((format) => ['export', '--format', format, '--out', '-']),
    ];
    // The migration runs on the first command; every output after it comes from the typed columns.
    for (const command of commands) {
      const [a, b] = [await cli(migrated, ...command), await cli(fresh, ...command)];
      expect(a.code, `${command.join(' ')}: ${a.stderr}`).toBe(0);
      expect(masked(a.stdout), command.join(' ')).toBe(masked(b.stdout));
      expect(a.stdout.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
