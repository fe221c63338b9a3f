import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, type CliResult } from './cli.js';

export interface ScoredCatalog {
  dir: string;
  db: string;
  /** Runs the CLI in the catalog's folder against its catalog file. */
  assay(...args: string[]): Promise<CliResult>;
  remove(): void;
}

/**
 * The sample fixture loaded, normalized offline and analyzed, in a folder of its own that
 * outlives single tests (tempDir() removes its folder after each one); call remove() in afterAll.
 */
export async function scoredSample(): Promise<ScoredCatalog> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-e2e-'));
  const db = join(dir, 'catalog.db');
  const assay = (...args: string[]) => runCli(['--db', db, ...args], { cwd: dir });
  for (const step of [
    ['load', join(ROOT, 'fixtures', 'sample.csv')],
    ['normalize', '--all', '--offline'],
    ['analyze', '--all'],
  ]) {
    const result = await assay(...step);
    if (result.code !== 0) throw new Error(`assay ${step[0]} exited ${result.code}:\n${result.stderr}`);
  }
  return { dir, db, assay, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
