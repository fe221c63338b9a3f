import { describe, expect, it } from 'vitest';
import { runJob, type StageWorker } from '../src/jobs/runner.js';
import { openCatalog } from '../src/store/catalog.js';
import { createJob, getJob } from '../src/store/jobs.js';
import { tempDir } from './helpers/tmp.js';

/** A worker that logs when each batch (by its first seq) is handed to `prepare` and to `finish`. */
function loggingWorker(ahead: number | undefined, log: string[]): StageWorker<number> {
  return {
    ahead,
    prepare: async (seqs) => {
      log.push(`prepare ${seqs[0]}`);
      return seqs[0];
    },
    finish: async (first) => {
      log.push(`finish ${first}`);
      return { errors: 0, write: () => {} };
    },
  };
}

async function runLogged(ahead: number | undefined): Promise<{ log: string[]; done: number }> {
  const tmp = tempDir();
  const db = openCatalog(tmp.path('catalog.db'));
  try {
    const process = { pid: globalThis.process.pid, host: 'test', startTime: null, bootId: null };
    const id = createJob(db, { stage: 'analyze', scope: { kind: 'all' }, options: {}, process, now: 1 }, [1, 2, 3, 4, 5, 6, 7, 8])!;
    const log: string[] = [];
    const outcome = await runJob(db, getJob(db, id)!, loggingWorker(ahead, log), { batchSize: 2 });
    const job = getJob(db, id)!;
    expect(outcome).toBe('succeeded');
    return { log, done: job.done };
  } finally {
    db.close();
  }
}

describe('runJob', () => {
  it('by default hands the worker the next batch only once the one before is being finished', async () => {
    const { log, done } = await runLogged(undefined);
    expect(log).toEqual(['prepare 1', 'finish 1', 'prepare 3', 'finish 3', 'prepare 5', 'finish 5', 'prepare 7', 'finish 7']);
    expect(done).toBe(8);
  });

  it('keeps two batches with a worker that asks for them, so it never waits for the next read', async () => {
    const { log, done } = await runLogged(2);
    expect(log).toEqual(['prepare 1', 'prepare 3', 'finish 1', 'prepare 5', 'finish 3', 'prepare 7', 'finish 5', 'finish 7']);
    expect(done).toBe(8);
  });
});
