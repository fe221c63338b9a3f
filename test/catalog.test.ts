import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { openCatalog, resolveDbPath } from '../src/store/catalog.js';
import { LATEST_VERSION, MIGRATIONS } from '../src/store/migrations.js';
import { tempDir } from './helpers/tmp.js';

const APPLICATION_ID = 0x41535359;

function refusal(path: string): UserError {
  let error: unknown;
  try {
    openCatalog(path).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... with a name each', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS.every((m) => m.name.trim().length > 0)).toBe(true);
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it("all run in order on a new catalog file, which is marked as assay's and uses WAL", () => {
    const tmp = tempDir();
    const path = tmp.path('new.db');
    openCatalog(path).close();
    const db = new Database(path, { readonly: true });
    try {
      const applied = db.prepare('SELECT version, name, applied_at FROM schema_version ORDER BY rowid').all() as {
        version: number;
        name: string;
        applied_at: number;
      }[];
      expect(applied.map((r) => [r.version, r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
      for (let i = 1; i < applied.length; i++) expect(applied[i].applied_at).toBeGreaterThanOrEqual(applied[i - 1].applied_at);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(tables(db)).toEqual(expect.arrayContaining(['products', 'loads', 'schema_version']));
    } finally {
      db.close();
    }
  });

  it('bring an old catalog up to date, running only the missing ones and keeping its data', () => {
    const tmp = tempDir();
    const path = tmp.path('old.db');
    const old = new Database(path);
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.exec(MIGRATIONS[0].sql);
    old.prepare('INSERT INTO schema_version VALUES (1, ?, 1)').run(MIGRATIONS[0].name);
    old
      .prepare(
        `INSERT INTO products (id, bronze, bronze_hash, source_file, source_line, loaded_at, updated_at, load_id) VALUES ('keep-me', '{}', 'h', 'f.csv', 2, 1, 1, 1)`,
      )
      .run();
    old.close();

    openCatalog(path).close();
    const db = new Database(path, { readonly: true });
    try {
      const applied = db.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all() as { version: number; applied_at: number }[];
      expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(applied[0].applied_at).toBe(1);
      expect(db.prepare('SELECT id FROM products').all()).toEqual([{ id: 'keep-me' }]);
    } finally {
      db.close();
    }
  });

  it('do not run again when the catalog is opened a second time', () => {
    const tmp = tempDir();
    const path = tmp.path('twice.db');
    openCatalog(path).close();
    openCatalog(path).close();
    const db = new Database(path, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });
});

describe('openCatalog refuses, leaving the file untouched,', () => {
  it('a file that is not SQLite', () => {
    const tmp = tempDir();
    const path = tmp.write('notes.db', 'id,title\n1,This is a CSV, not a catalog\n');
    const error = refusal(path);
    expect(error.code).toBe('catalog_not_sqlite');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/notes\.db is not a SQLite file.*--db/);
    expect(readFileSync(path, 'utf8')).toBe('id,title\n1,This is a CSV, not a catalog\n');
  });

  it('a SQLite file that belongs to something else', () => {
    const tmp = tempDir();
    const path = tmp.path('other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5)');
    other.close();
    const before = readFileSync(path);
    const error = refusal(path);
    expect(error.code).toBe('catalog_foreign');
    expect(error.message).toMatch(/not an assay catalog/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a catalog written by a newer assay', () => {
    const tmp = tempDir();
    const path = tmp.path('future.db');
    openCatalog(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(LATEST_VERSION + 1, 'from the future', Date.now());
    db.close();
    const error = refusal(path);
    expect(error.code).toBe('catalog_too_new');
    expect(error.message).toMatch(new RegExp(`newer assay.*schema ${LATEST_VERSION + 1}.*up to ${LATEST_VERSION}.*upgrade`));
    const check = new Database(path, { readonly: true });
    expect((check.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number }).v).toBe(LATEST_VERSION + 1);
    check.close();
  });

  it.each([
    ['dropped', 'DROP TABLE schema_version', /it has no schema_version table/],
    ['with other columns', 'DROP TABLE schema_version; CREATE TABLE schema_version (v INTEGER, note TEXT)', /has no version column/],
    [
      'holding a garbage row',
      "DROP TABLE schema_version; CREATE TABLE schema_version (version, name, applied_at); INSERT INTO schema_version VALUES (1, 'a', 1), ('garbage', 'b', 2)",
      /holds 'garbage', which is not a schema version/,
    ],
    [
      'recording a version that is not a whole number',
      "DROP TABLE schema_version; CREATE TABLE schema_version (version REAL, name TEXT, applied_at INTEGER); INSERT INTO schema_version VALUES (1, 'a', 1), (2.5, 'b', 2)",
      /holds 2\.5, which is not a schema version/,
    ],
    ['skipping a version', 'DELETE FROM schema_version WHERE version = 2', /skips or repeats a version \(1, 3, /],
    ['emptied', 'DELETE FROM schema_version', /holds tables but records no schema version/],
  ])('a catalog whose schema_version table is %s, for writing and for reading', (_what, damage, reason) => {
    const tmp = tempDir();
    const path = tmp.path('damaged.db');
    openCatalog(path).close();
    const db = new Database(path);
    db.exec(damage);
    db.close();
    const before = readFileSync(path);
    for (const readonly of [false, true]) {
      let error: unknown;
      try {
        openCatalog(path, { readonly, mustExist: readonly }).close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('catalog_damaged');
      expect((error as UserError).exitCode).toBe(2);
      expect((error as UserError).message).toMatch(/damaged\.db is not an assay catalog, or it is damaged: /);
      expect((error as UserError).message).toMatch(reason);
      expect((error as UserError).message).toMatch(/left untouched.*--db/);
      expect(readFileSync(path).equals(before), 'file unchanged').toBe(true);
    }
  });

  it('a directory', () => {
    const tmp = tempDir();
    const path = tmp.path('folder.db');
    mkdirSync(path);
    const error = refusal(path);
    expect(error.code).toBe('catalog_is_directory');
    expect(error.message).toMatch(/is a directory/);
    expect(statSync(path).isDirectory()).toBe(true);
  });
});

describe('openCatalog', () => {
  it('turns an empty file into a catalog', () => {
    const tmp = tempDir();
    const path = tmp.path('empty.db');
    writeFileSync(path, '');
    openCatalog(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it('refuses to create a file for a read command that needs one to exist', () => {
    const tmp = tempDir();
    expect(() => openCatalog(tmp.path('missing.db'), { mustExist: true })).toThrow(/no catalog at .*missing\.db/);
  });

  it('takes --db first, then ASSAY_DB, then ./catalog.db', () => {
    expect(resolveDbPath('flag.db', { ASSAY_DB: 'env.db' })).toBe('flag.db');
    expect(resolveDbPath(undefined, { ASSAY_DB: 'env.db' })).toBe('env.db');
    expect(resolveDbPath(undefined, {})).toBe('catalog.db');
  });
});
