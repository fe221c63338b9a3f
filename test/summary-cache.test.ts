import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AnalyzeJsonSchema, SummaryJsonSchema } from '../src/report/schemas.js';
import { ROOT, runCli } from './helpers/cli.js';
import { documentOf } from './helpers/documents.js';
import { tempDir } from './helpers/tmp.js';

// The whole catalog's summary is kept in the catalog file until gold is written again.

describe('the cached catalog summary', () => {
  it('is read back while gold is unchanged and recomputed once it changes', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const cli = (...args: string[]) => runCli([...args, '--db', db], { cwd: tmp.dir, timeoutMs: 60_000 });
    const sample = readFileSync(join(ROOT, 'fixtures', 'sample.csv'), 'utf8');
    const file = tmp.write('c.csv', sample);
    expect((await cli('load', file, '-q')).code).toBe(0);
    expect((await cli('normalize', '--all', '--offline', '-q')).code).toBe(0);
    const first = documentOf(AnalyzeJsonSchema, await cli('analyze', '--all', '--json')).catalogSummary;
    const summary = async () => documentOf(SummaryJsonSchema, await cli('summary', '--json')).catalogSummary;
    expect(await summary()).toEqual(first);

    // Nothing stale: the catalog summary comes from the cache and is the same.
    const rerun = documentOf(AnalyzeJsonSchema, await cli('analyze', '--stale', '--json'));
    expect(rerun.results).toHaveLength(0);
    expect(rerun.catalogSummary).toEqual(first);

    // A product loses its brand and description: its gold changes, and so must the summary.
    const changed = sample.replace('Northpeak,Outdoor > Hiking > Backpacks', ',Outdoor > Hiking > Backpacks');
    expect(changed).not.toBe(sample);
    tmp.write('c.csv', changed);
    expect((await cli('load', file, '-q')).code).toBe(0);
    expect((await cli('normalize', '--stale', '--offline', '-q')).code).toBe(0);
    const after = documentOf(AnalyzeJsonSchema, await cli('analyze', '--stale', '--json'));
    expect(after.results.map((r) => r.productId)).toEqual(['TR-1001']);
    expect(after.catalogSummary.avgScore).toBeLessThan(first.avgScore);

    // The summary read back equals one computed from scratch, without the cache.
    const cached = await summary();
    expect(cached).toEqual(after.catalogSummary);
    const conn = new Database(db);
    const removed = conn.prepare("DELETE FROM meta WHERE key LIKE 'catalog_summary%'").run().changes;
    conn.close();
    expect(removed).toBe(1);
    expect(await summary()).toEqual(cached);
  });
});
