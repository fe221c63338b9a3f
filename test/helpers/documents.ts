import Database from 'better-sqlite3';
import type { z } from 'zod';
import type { SilverContext, SilverProduct, SilverResult } from '../../src/silver/product.js';
import { contextOf, recordOf, resultOf, SILVER_SELECT, type SilverColumns } from '../../src/store/silver-columns.js';
import { jsonOf, type CliResult } from './cli.js';

/** Parses the whole of stdout as one JSON document of `schema`; fails with the zod issues and both streams. */
export function documentOf<S extends z.ZodType>(schema: S, result: CliResult): z.infer<S> {
  const parsed = schema.safeParse(jsonOf(result));
  if (!parsed.success) {
    throw new Error(
      `stdout does not match the schema (exit ${result.code}):\n${JSON.stringify(parsed.error.issues, null, 2)}\nstdout:\n${result.stdout.slice(0, 4000)}\nstderr:\n${result.stderr}`,
    );
  }
  return parsed.data;
}

export interface SilverRow {
  id: string;
  status: string;
  duplicateOf: string | null;
  record: SilverProduct | null;
  result: SilverResult;
  context: SilverContext | null;
}

/** The silver table of a catalog file, keyed by product id, read directly (not through the CLI). */
export function silverRows(dbPath: string): Map<string, SilverRow> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare(`SELECT p.id, ${SILVER_SELECT} FROM silver s JOIN products p ON p.seq = s.seq ORDER BY p.seq`).all() as (SilverColumns & {
      id: string;
    })[];
    return new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, status: r.status, duplicateOf: r.duplicate_of, record: recordOf(r.id, r), result: resultOf(r.id, r), context: contextOf(r) },
      ]),
    );
  } finally {
    db.close();
  }
}

/** A product's bronze record as loaded. */
export function bronzeOf(dbPath: string, id: string): Record<string, string> | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    const text = db.prepare('SELECT bronze FROM products WHERE id = ?').pluck().get(id) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, string>);
  } finally {
    db.close();
  }
}
