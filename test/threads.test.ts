import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../src/index.js';
import { THREAD_MIN_PRODUCTS } from '../src/jobs/thread.js';
import { SILVER_SELECT } from '../src/store/silver-columns.js';
import { ROOT, runCli } from './helpers/cli.js';
import { createRowGenerator, mulberry32, toCsv } from './helpers/fuzz-rows.js';
import { testSeed } from './helpers/seed.js';
import { tempDir } from './helpers/tmp.js';

// The CLI (dist/) standardizes and scores a large scope in a worker thread; the API run
// in-process from the TypeScript sources does the same work in one thread.
// Both must write the very same catalog.

function layers(path: string): { silver: unknown[]; keys: unknown[]; gold: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      silver: db.prepare(`SELECT s.seq, ${SILVER_SELECT}, s.silver_hash FROM silver s ORDER BY s.seq`).raw().all(),
      keys: db.prepare('SELECT key, seq FROM dup_keys ORDER BY key, seq').raw().all(),
      gold: db
        .prepare('SELECT * FROM gold ORDER BY seq')
        .raw()
        .all()
        .map((row) => (row as unknown[]).slice(0, -1)),
    };
  } finally {
    db.close();
  }
}

describe('worker threads', () => {
  it('write the same silver, duplicate index and gold as one thread', async () => {
    const tmp = tempDir();
    const generator = createRowGenerator(mulberry32(testSeed('worker threads', 21)));
    const rows = THREAD_MIN_PRODUCTS + 1500;
    const csv = tmp.write('c.csv', toCsv(Array.from({ length: rows }, () => generator.row())));
    const config = tmp.write('assay.config.json', '{}');

    // The CLI starts the compiled thread entry; without it, it would fall back to one thread too.
    expect(existsSync(join(ROOT, 'dist', 'jobs', 'task-thread.js'))).toBe(true);
    const threaded = tmp.path('threaded.db');
    for (const args of [
      ['load', csv],
      ['normalize', '--all', '--offline'],
      ['analyze', '--all'],
    ]) {
      const result = await runCli([...args, '--db', threaded, '--config', config, '-q'], { cwd: tmp.dir, timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(0);
    }

    const inline = openCatalog(tmp.path('inline.db'));
    try {
      await inline.load(csv);
      expect((await inline.normalize('all', { offline: true })).exitCode).toBe(0);
      expect((await inline.analyze('all')).exitCode).toBe(0);
    } finally {
      inline.close();
    }

    const a = layers(threaded);
    const b = layers(inline.path);
    expect(a.silver.length).toBeGreaterThanOrEqual(THREAD_MIN_PRODUCTS);
    expect(a.gold.length).toBe(a.silver.length);
    expect(a.silver).toEqual(b.silver);
    expect(a.keys).toEqual(b.keys);
    expect(a.gold).toEqual(b.gold);
  }, 180_000);
});
