import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../src/cli/commands/analyze.js';
import { runLoad } from '../src/cli/commands/load.js';
import { normalizeCommand } from '../src/cli/commands/normalize.js';
import type { CliContext } from '../src/cli/context.js';
import { THREAD_MIN_PRODUCTS } from '../src/jobs/thread.js';
import { createPaint } from '../src/report/color.js';
import { ROOT, runCli } from './helpers/cli.js';
import { createRowGenerator, mulberry32, toCsv } from './helpers/fuzz-rows.js';
import { testSeed } from './helpers/seed.js';
import { tempDir } from './helpers/tmp.js';

// The CLI (dist/) standardizes and scores a large scope in a worker thread; the command
// functions run in-process from the TypeScript sources do the same work in one thread.
// Both must write the very same catalog.

function quietContext(dbPath: string, configPath: string): CliContext {
  const ignore = (): void => {};
  return { dbPath, configPath, json: false, quiet: true, verbose: false, interactive: false, paint: createPaint(false), out: ignore, log: ignore, warn: ignore };
}

function layers(path: string): { silver: unknown[]; keys: unknown[]; gold: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      silver: db.prepare('SELECT seq, record, result, context, status, duplicate_of, broken_urls, silver_hash FROM silver ORDER BY seq').raw().all(),
      keys: db.prepare('SELECT key, seq FROM dup_keys ORDER BY key, seq').raw().all(),
      gold: db.prepare('SELECT seq, result, status, score, band, feed_ready, top_gap, duplicate, broken_urls, silver_hash FROM gold ORDER BY seq').raw().all(),
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
    for (const args of [['load', csv], ['normalize', '--all', '--offline'], ['analyze', '--all']]) {
      const result = await runCli([...args, '--db', threaded, '--config', config, '-q'], { cwd: tmp.dir, timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(0);
    }

    const inline = quietContext(tmp.path('inline.db'), config);
    await runLoad({ args: [[csv]] }, inline);
    expect(await normalizeCommand({ args: [], offline: true, all: true } as never, inline)).toBe(0);
    expect(await analyzeCommand({ args: [], all: true } as never, inline)).toBe(0);

    const a = layers(threaded);
    const b = layers(inline.dbPath);
    expect(a.silver.length).toBeGreaterThanOrEqual(THREAD_MIN_PRODUCTS);
    expect(a.gold.length).toBe(a.silver.length);
    expect(a.silver).toEqual(b.silver);
    expect(a.keys).toEqual(b.keys);
    expect(a.gold).toEqual(b.gold);
  }, 180_000);
});
