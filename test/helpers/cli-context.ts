import type { CliContext } from '../../src/cli/context.js';
import { createPaint } from '../../src/report/color.js';

/** The context a command gets, in-process, printing nothing: for tests that look at what it wrote to the catalog or disk. */
export function quietContext(dbPath: string, configPath?: string): CliContext {
  const ignore = (): void => {};
  return {
    dbPath,
    configPath,
    json: false,
    quiet: true,
    verbose: false,
    interactive: false,
    paint: createPaint(false),
    out: ignore,
    log: ignore,
    warn: ignore,
  };
}
