import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { catalogErrorFrom } from './errors.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

/** 'ASSY' in PRAGMA application_id marks a file as an assay catalog. */
const APPLICATION_ID = 0x41535359;
const SQLITE_MAGIC = 'SQLite format 3\0';

export interface OpenOptions {
  /** Refuse to create the file when it does not exist (read commands). */
  mustExist?: boolean;
  readonly?: boolean;
  /** How a migration that copies rows goes: after each committed batch. */
  onMigrate?: (progress: MigrationProgress) => void;
  /** Rows a migration copies per transaction (tests make it small). */
  migrationBatch?: number;
}

/** A migration that copies rows, after one of its batches: `done` and `total` count seqs, not rows. */
export interface MigrationProgress {
  path: string;
  version: number;
  name: string;
  done: number;
  total: number;
}

/** Rows per transaction of a migration's copy: about a second's work, so a kill loses little. */
const MIGRATION_BATCH = 20_000;

let migrationListener: ((progress: MigrationProgress) => void) | undefined;

/** Where the migrations of every catalog this process opens report, unless its open names another (the CLI's stderr). */
export function setMigrationListener(listener: ((progress: MigrationProgress) => void) | undefined): void {
  migrationListener = listener;
}

export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.ASSAY_DB || 'catalog.db';
}

/** Opens (creating or migrating as needed) the catalog file at `path`. */
export function openCatalog(path: string, options: OpenOptions = {}): Db {
  const exists = existsSync(path);
  if (!exists && options.mustExist) {
    throw new UserError('catalog_missing', `no catalog at ${path}: run 'assay load FILE' first, or name one with --db`);
  }
  if (exists) assertSqliteFile(path);
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.mustExist ?? false });
  } catch (error) {
    throw catalogErrorFrom(error, path) ?? new UserError('catalog_unreadable', `cannot open catalog ${path}: ${(error as Error).message}`);
  }
  try {
    prepare(db, path, options);
  } catch (error) {
    db.close();
    throw catalogErrorFrom(error, path) ?? error;
  }
  return db;
}

function assertSqliteFile(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    throw new UserError('catalog_is_directory', `${path} is a directory, not a catalog file: name a file with --db`);
  }
  if (stat.size === 0) return;
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) {
    throw new UserError('catalog_not_sqlite', `${path} is not a SQLite file, so not an assay catalog; it was left untouched: name another file with --db`);
  }
}

function prepare(db: Db, path: string, options: OpenOptions): void {
  const readonly = options.readonly ?? false;
  db.pragma('busy_timeout = 5000');
  // One read transaction, so both come from one state of the file: another assay may be creating it.
  const { applicationId, tableCount } = db.transaction(() => ({
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tableCount: db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number },
  }))();
  if (applicationId !== APPLICATION_ID && tableCount.n > 0) {
    throw new UserError('catalog_foreign', `${path} is a SQLite file but not an assay catalog; it was left untouched: name another file with --db`);
  }
  // Read before anything is written (WAL, migrations), so a damaged file is refused as it is.
  const version = tableCount.n === 0 ? 0 : currentVersion(db, path);
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  if (version > LATEST_VERSION) {
    throw new UserError(
      'catalog_too_new',
      `${path} was written by a newer assay (catalog schema ${version}; this assay knows up to ${LATEST_VERSION}): upgrade assay to use it`,
    );
  }
  if (version < LATEST_VERSION) {
    if (readonly) throw new UserError('catalog_old', `${path} needs a migration: run any writing command first`);
    migrate(db, path, options);
  }
}

/**
 * The schema version the catalog records. Migrations add the versions 1, 2, 3, ... one row each,
 * so anything else (no table, no version column, a gap, a version that is not a whole number, or
 * no version beside tables of data) is a file assay cannot safely migrate.
 */
function currentVersion(db: Db, path: string): number {
  const damaged = (what: string) =>
    new UserError(
      'catalog_damaged',
      `${path} is not an assay catalog, or it is damaged: ${what}; it was left untouched: restore it from a copy, or name another file with --db`,
    );
  let versions: unknown[];
  try {
    versions = db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_ERROR') throw error;
    throw damaged(hasVersionTable(db) ? 'its schema_version table has no version column' : 'it has no schema_version table');
  }
  const notVersion = versions.find((v) => !(typeof v === 'number' && Number.isInteger(v) && v > 0));
  if (notVersion !== undefined) {
    throw damaged(`its schema_version table holds ${typeof notVersion === 'string' ? `'${notVersion}'` : String(notVersion)}, which is not a schema version`);
  }
  if (versions.some((v, i) => v !== i + 1)) throw damaged(`its schema_version table skips or repeats a version (${versions.slice(0, 10).join(', ')})`);
  const dataTable = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  if (versions.length === 0 && db.prepare(dataTable).get() !== undefined) throw damaged('it holds tables but records no schema version');
  return versions.length;
}

function hasVersionTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
}

/**
 * Applies the migrations this file lacks, each in its own IMMEDIATE transaction. Two processes
 * may open a new or old catalog at once: each migration looks at the version again once it holds
 * the write lock, so only one of them applies it. The first one also marks the file as a catalog,
 * in the same transaction, so no reader ever sees its tables without the mark.
 */
function migrate(db: Db, path: string, options: OpenOptions): void {
  const record = () => db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of MIGRATIONS) {
    if (migration.copy) copyRows(db, path, migration, options);
    db.transaction(() => {
      if (!hasVersionTable(db)) {
        db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
        db.pragma(`application_id = ${APPLICATION_ID}`);
      } else if (currentVersion(db, path) >= migration.version) return;
      db.exec(migration.sql);
      record().run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

/**
 * The row copy of a migration, a batch per IMMEDIATE transaction, each looking again at the
 * version once it holds the write lock: a killed copy goes on where it stopped, and two
 * processes opening the file at once share the batches.
 */
function copyRows(db: Db, path: string, migration: Migration, options: OpenOptions): void {
  const copy = migration.copy!;
  const applied = () => hasVersionTable(db) && currentVersion(db, path) >= migration.version;
  const started = db.transaction(() => {
    if (applied()) return false;
    db.exec(copy.prepare);
    return true;
  });
  if (!started.immediate()) return;
  const report = options.onMigrate ?? migrationListener;
  const limit = options.migrationBatch ?? MIGRATION_BATCH;
  const total = db.prepare(copy.end).pluck().get() as number;
  const batch = db.prepare(copy.batch);
  const position = db.prepare(copy.position).pluck();
  const step = db.transaction(() => (applied() ? 0 : batch.run({ limit }).changes));
  while (step.immediate() > 0) {
    report?.({ path, version: migration.version, name: migration.name, done: position.get() as number, total });
  }
}
