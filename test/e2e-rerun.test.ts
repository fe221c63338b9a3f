import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { RunJsonSchema } from '../src/report/schemas.js';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// `assay run` works only on what changed, yet answers for the whole catalog: these tests run it
// again on unchanged and changed files and compare with what the staged --all commands leave.
vi.setConfig({ testTimeout: 120_000 });

const sample = readFileSync(`${ROOT}/fixtures/sample.csv`, 'utf8');
/** The sample with its best product stripped to an id and a short title. */
const worse = sample.replace(/^TR-1001,.*$/m, `TR-1001,Pack${','.repeat(18)}`);

function runDoc(result: CliResult) {
  return RunJsonSchema.parse(JSON.parse(result.stdout));
}

/** Every product's silver and gold as the catalog holds them, every column but the times they were written. */
function layers(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT p.id, p.bronze, s.*, g.* FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq ORDER BY p.seq')
      .raw()
      .all() as unknown[][];
    const columns = db
      .prepare('SELECT p.id, p.bronze, s.*, g.* FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq')
      .columns()
      .map((column) => column.name);
    const kept = columns.flatMap((name, i) => (name === 'normalized_at' || name === 'analyzed_at' ? [] : [i]));
    expect(kept.length).toBeGreaterThan(10);
    return rows.map((row) => kept.map((i) => row[i]));
  } finally {
    db.close();
  }
}

describe('assay run again', () => {
  it('on an unchanged file works on no product and reports the same catalog, gates and list', async () => {
    const tmp = tempDir();
    const file = tmp.write('s.csv', sample);
    const args = ['run', file, '--offline', '--db', tmp.path('c.db'), '--min-score', '60'];
    const first = await runCli([...args, '--json'], { cwd: tmp.dir });
    const again = await runCli([...args, '--json'], { cwd: tmp.dir });
    expect([first.code, again.code], again.stderr).toEqual([1, 1]);
    const [before, after] = [runDoc(first), runDoc(again)];
    expect(before.analyze.job.done).toBe(12);
    expect(after.load).toMatchObject({ created: 0, updated: 0, unchanged: 12 });
    expect(after.normalize.job.done).toBe(0);
    expect(after.analyze.job.done).toBe(0);
    // The gate judged the catalog, not the empty job: same verdict, same offenders.
    expect(after.gates).toEqual(before.gates);
    expect(after.gates.gates[0]).toMatchObject({ name: 'min-score', passed: false });
    expect(after.catalogSummary).toEqual(before.catalogSummary);

    const text = await runCli(['run', file, '--offline', '--db', tmp.path('c.db'), '--limit', '3'], { cwd: tmp.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('0 products scored, 12 current from earlier runs');
    expect(text.stdout).toContain('... 9 more (worst first');
    // The catalog's worst three, in the order `products --sort score` gives them.
    const listed = await runCli(['products', '--sort', 'score', '--limit', '3', '--json', '--db', tmp.path('c.db')], { cwd: tmp.dir });
    const worst = (JSON.parse(listed.stdout) as { products: { id: string }[] }).products.map((p) => p.id);
    expect(worst).toHaveLength(3);
    expect([...text.stdout.matchAll(/^\s+\d+ \w+\s+(\S+)/gm)].map((m) => m[1])).toEqual(worst);
  });

  it('after a change leaves the catalog that load, normalize --all and analyze --all leave', async () => {
    const tmp = tempDir();
    const [a, b] = [tmp.write('a.csv', sample), tmp.write('b.csv', worse)];
    for (const file of [a, b]) {
      const run = await runCli(['run', file, '--offline', '--db', tmp.path('run.db'), '-q'], { cwd: tmp.dir });
      expect(run.code, run.stderr).toBe(0);
      for (const args of [
        ['load', file],
        ['normalize', '--all', '--offline'],
        ['analyze', '--all'],
      ]) {
        const staged = await runCli([...args, '--db', tmp.path('staged.db'), '-q'], { cwd: tmp.dir });
        expect(staged.code, staged.stderr).toBe(0);
      }
    }
    const runLayers = layers(tmp.path('run.db'));
    expect(runLayers).toHaveLength(12);
    expect(runLayers).toEqual(layers(tmp.path('staged.db')));
  });

  it('on a changed file works only on the changed product', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    expect((await runCli(['run', tmp.write('a.csv', sample), '--offline', '--db', db, '-q'], { cwd: tmp.dir })).code).toBe(0);
    const changed = runDoc(await runCli(['run', tmp.write('b.csv', worse), '--offline', '--db', db, '--json'], { cwd: tmp.dir }));
    expect(changed.load).toMatchObject({ updated: 1, unchanged: 11 });
    expect(changed.normalize.job.done).toBe(1);
    expect(changed.analyze.job.done).toBe(1);
    expect(changed.catalogSummary.products + changed.catalogSummary.errors).toBe(12);
  });

  it('keeps reporting a regression against the baseline when the product that fell was scored in an earlier run', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const base = await runCli(['run', tmp.write('s.csv', sample), '--offline', '--db', db, '-q', '--export', `json:${tmp.path('base.json')}`], {
      cwd: tmp.dir,
    });
    expect(base.code, base.stderr).toBe(0);
    const gated = ['--baseline', tmp.path('base.json'), '--max-product-drop', '20'];
    const file = tmp.write('w.csv', worse);
    for (const round of ['scores the change', 'scores nothing']) {
      const run = await runCli(['run', file, '--offline', '--db', db, '--json', ...gated], { cwd: tmp.dir });
      expect(run.code, `${round}: ${run.stderr}`).toBe(1);
      const doc = runDoc(run);
      expect(doc.analyze.job.done, round).toBe(round === 'scores nothing' ? 0 : 1);
      expect(
        doc.regressions?.products.map((p) => p.id),
        round,
      ).toEqual(['TR-1001']);
    }
  });
});
