import { z } from 'zod';
import type { Db } from './catalog.js';
import { parseStored } from './stored-json.js';

/**
 * Every transaction that writes bronze adds one to this counter, so "the catalog's bronze is as
 * a load left it" is one comparison. A killed load's committed batches count; a rolled-back one's do not.
 */
const BRONZE_VERSION = 'bronze_version';
/** The last load that read only files and that nothing interleaved with: what it read and reported. */
const LAST_LOAD = 'last_load';

export function bronzeVersion(db: Db): number {
  const value = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(BRONZE_VERSION) as string | undefined;
  return value === undefined ? 0 : Number(value);
}

export function bumpBronzeVersion(db: Db): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run(BRONZE_VERSION);
}

const FileMarkSchema = z.strictObject({ file: z.string(), size: z.number(), mtimeMs: z.number(), sha256: z.string() });

const LoadMarkSchema = z.strictObject({
  /** The bronze version the load left. */
  version: z.number(),
  /** What reads the files the same way: assay's version and every option that changes what is read. */
  reading: z.string(),
  files: z.array(FileMarkSchema),
  finishedAt: z.number(),
  rows: z.number(),
  total: z.number(),
  errors: z.array(z.strictObject({ file: z.string(), line: z.number(), code: z.string(), reason: z.string() })),
  warnings: z.array(z.strictObject({ file: z.string(), message: z.string() })),
});

export type FileMark = z.infer<typeof FileMarkSchema>;
export type LoadMark = z.infer<typeof LoadMarkSchema>;

/** The last marked load, while the bronze is still as it left it. */
export function readLoadMark(db: Db): LoadMark | undefined {
  const text = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(LAST_LOAD) as string | undefined;
  if (text === undefined) return undefined;
  const stored = parseStored(text, LoadMarkSchema);
  return stored.ok && stored.value.version === bronzeVersion(db) ? stored.value : undefined;
}

/** Keeps the mark unless bronze was written since the load wrote its last batch (then it describes nothing). */
export function saveLoadMark(db: Db, mark: LoadMark): boolean {
  return db
    .transaction(() => {
      if (bronzeVersion(db) !== mark.version) return false;
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(LAST_LOAD, JSON.stringify(mark));
      return true;
    })
    .immediate();
}
