import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadWithSpinner } from '../src/cli/commands/load.js';
import { normalizeCommand } from '../src/cli/commands/normalize.js';
import { taxonomyFileReads } from '../src/jobs/taxonomy-file.js';
import { ROOT } from './helpers/cli.js';
import { quietContext } from './helpers/cli-context.js';
import { tempDir } from './helpers/tmp.js';

function taxonomyIdOf(db: string, id: string): unknown {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT s.taxonomy_id FROM silver s JOIN products p ON p.seq = s.seq WHERE p.id = ?').pluck().get(id) ?? undefined;
  } finally {
    conn.close();
  }
}

describe('the taxonomy file', () => {
  it('is read once by a normalize run, however many times its settings are built, and used', async () => {
    const tmp = tempDir();
    const taxonomy = tmp.write('taxonomy.txt', '# Google product taxonomy\n5181 - Outdoor > Hiking > Backpacks\n');
    const config = tmp.write('assay.config.json', JSON.stringify({ categories: { taxonomyFile: taxonomy } }));
    const ctx = quietContext(tmp.path('catalog.db'), config);
    await loadWithSpinner({ args: [[join(ROOT, 'fixtures', 'sample.csv')]] }, ctx);

    const before = taxonomyFileReads();
    // --stale builds the settings to find the scope, then again to run the job and in each task.
    expect(await normalizeCommand({ offline: true, stale: true }, ctx)).toBe(0);
    expect(taxonomyFileReads() - before).toBe(1);
    expect(taxonomyIdOf(ctx.dbPath, 'TR-1001')).toBe('5181');

    // Unchanged, it is not read again; changed, it is read again, once.
    expect(await normalizeCommand({ offline: true, all: true }, ctx)).toBe(0);
    expect(taxonomyFileReads() - before).toBe(1);
    tmp.write('taxonomy.txt', `${readFileSync(taxonomy, 'utf8')}5182 - Outdoor > Hiking > Tents\n`);
    utimesSync(taxonomy, new Date(), new Date(Date.now() + 5000));
    expect(await normalizeCommand({ offline: true, stale: true }, ctx)).toBe(0);
    expect(taxonomyFileReads() - before).toBe(2);
  });
});
