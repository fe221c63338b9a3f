import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ for the end-to-end tests before they run (and before a watch rerun after src/ changed).
    globalSetup: ['./test/setup/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test time is spent waiting on child processes (the CLI, HTTP servers), so two files at
    // once keep two cores busy: on a 2-core machine the suite took 284 s with two workers and 393 s
    // with the one vitest picks by default there (cores - 1).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
