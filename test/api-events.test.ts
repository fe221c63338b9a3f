import { describe, expect, it } from 'vitest';
import { openCatalog, type AssayEvent } from '../src/index.js';
import { SAMPLE } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// The API in-process: what a stage reports, and how a script stops one.

describe('API progress and stopping', () => {
  it('reports a job from start to end, in order', async () => {
    const catalog = openCatalog(tempDir().path('shop.db'));
    try {
      await catalog.load(SAMPLE);
      const events: AssayEvent[] = [];
      const run = await catalog.normalize('all', { offline: true, onProgress: (event) => events.push(event) });
      const types = events.map((event) => event.type);
      expect(types[0]).toBe('started');
      expect(types.at(-1)).toBe('finished');
      expect(types).toContain('progress');
      expect(events.at(-1)).toEqual({ type: 'finished', job: run.job.id, stage: 'normalize', outcome: 'succeeded', done: run.job.total, total: run.job.total });
    } finally {
      catalog.close();
    }
  });

  it('stops a job when its AbortSignal is aborted, leaving it interrupted to resume, with no signal handler left behind', async () => {
    const catalog = openCatalog(tempDir().path('shop.db'));
    const listeners = process.listenerCount('SIGINT');
    try {
      await catalog.load(SAMPLE);
      const stop = new AbortController();
      stop.abort();
      const outcomes: string[] = [];
      const run = await catalog.normalize('all', {
        offline: true,
        signal: stop.signal,
        onProgress: (event) => event.type === 'finished' && outcomes.push(event.outcome),
      });
      expect(run.job.status).toBe('interrupted');
      expect(run.exitCode).toBe(3);
      expect(outcomes).toEqual(['interrupted']);
      expect(process.listenerCount('SIGINT')).toBe(listeners);
      expect(catalog.products({ stage: 'silver' })).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('refuses a scope it does not know (from a script without types) with a usage error', async () => {
    const catalog = openCatalog(tempDir().path('shop.db'));
    try {
      // @ts-expect-error a scope is 'all', 'stale' or { ids }
      await expect(catalog.normalize('everything')).rejects.toMatchObject({ code: 'scope_missing', exitCode: 2 });
    } finally {
      catalog.close();
    }
  });
});
