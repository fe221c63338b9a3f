import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnalyzeJsonSchema, RunJsonSchema } from '../src/report/schemas.js';
import { ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const sample = readFileSync(`${ROOT}/fixtures/sample.csv`, 'utf8');
/** The sample with its best product stripped to an id and a short title. */
const worse = sample.replace(/^TR-1001,.*$/m, 'TR-1001,Pack' + ','.repeat(18));

describe('regression gates through the CLI', () => {
  it('fails --max-avg-drop, --max-product-drop and --no-new-failures when a product got worse, and names it', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const base = await runCli(['run', tmp.write('s.csv', sample), '--offline', '--db', db, '-q', '--export', `json:${tmp.path('base.json')}`], {
      cwd: tmp.dir,
      timeoutMs: 120_000,
    });
    expect(base.code, base.stderr).toBe(0);

    const gated = ['--baseline', tmp.path('base.json'), '--max-avg-drop', '1', '--max-product-drop', '20', '--no-new-failures'];
    const run = await runCli(['run', tmp.write('w.csv', worse), '--offline', '--db', db, '--json', ...gated], { cwd: tmp.dir, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(1);
    const doc = RunJsonSchema.parse(JSON.parse(run.stdout));
    expect(doc.regressions?.products.map((p) => p.id)).toEqual(['TR-1001']);
    expect(doc.regressions?.products[0].newGaps).toContain('description');
    const failed = doc.gates.gates.filter((g) => !g.passed).map((g) => g.name);
    expect(failed).toEqual(['max-avg-drop', 'max-product-drop', 'no-new-failures']);

    const same = await runCli(['analyze', '--all', '--db', db, '--json', '--baseline', tmp.path('base.json'), '--max-avg-drop', '10'], {
      cwd: tmp.dir,
      timeoutMs: 120_000,
    });
    expect(same.code, same.stderr).toBe(0);
    expect(AnalyzeJsonSchema.parse(JSON.parse(same.stdout)).gates.passed).toBe(true);
  });

  it('reports a baseline scored under other weights instead of comparing it, and exits 1', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    await runCli(['run', tmp.write('s.csv', sample), '--offline', '--db', db, '-q', '--export', `json:${tmp.path('base.json')}`], {
      cwd: tmp.dir,
      timeoutMs: 120_000,
    });
    const weights = 'identity=25,taxonomy=10,content=25,media=20,pricing=10,attributes=5,seo=5';
    const result = await runCli(['analyze', '--all', '--db', db, '--weights', weights, '--baseline', tmp.path('base.json'), '--max-avg-drop', '50'], {
      cwd: tmp.dir,
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/not comparable/);
  });

  it('asks for --baseline when a regression gate is given without one (exit 2)', async () => {
    const tmp = tempDir();
    const result = await runCli(['analyze', '--all', '--db', tmp.path('c.db'), '--no-new-failures'], { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--baseline FILE/);
  });
});
