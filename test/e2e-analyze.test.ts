import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalyzeJsonSchema, ProductsJsonSchema, ShowJsonSchema, SummaryJsonSchema, type AnalyzeJson, type GoldResultJson } from '../src/report/schemas.js';
import { runCli, type CliResult, SAMPLE } from './helpers/cli.js';
import { documentOf } from './helpers/documents.js';
import { tempDir } from './helpers/tmp.js';

// Each test runs the CLI several times; under a loaded machine that can outgrow the 30 s default.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const STAGES = ['identity', 'taxonomy', 'content', 'media', 'pricing', 'attributes', 'seo'] as const;

/** One catalog loaded, normalized and analyzed once; the tests below only read it or re-run analyze over it. */
let dir: string;
let analyzed: AnalyzeJson;
const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--db', join(dir, 'c.db')], { cwd: dir });

type Scored = Extract<GoldResultJson, { status: 'success' }>;
const scored = (): Scored[] => analyzed.results.filter((r): r is Scored => r.status === 'success');
const idsWhere = (keep: (r: Scored) => boolean) =>
  scored()
    .filter(keep)
    .map((r) => r.productId)
    .sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-analyze-'));
  expect((await cli(['load', SAMPLE])).code).toBe(0);
  expect((await cli(['normalize', '--all', '--offline'])).code).toBe(0);
  const result = await cli(['analyze', '--all', '--json']);
  expect(result.code, result.stderr).toBe(0);
  analyzed = documentOf(AnalyzeJsonSchema, result);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assay analyze (end to end)', () => {
  it('prints the analyze document: a result per product and the catalog summary', () => {
    expect(analyzed.results).toHaveLength(12);
    expect(scored()).toHaveLength(12);
    expect(analyzed.catalogSummary.products).toBe(12);
    expect(analyzed.runSummary).toEqual(analyzed.catalogSummary);
    const distribution = Object.values(analyzed.catalogSummary.scoreDistribution).reduce((a, b) => a + b, 0);
    expect(distribution).toBe(12);
    // A middling catalog: the gate tests below depend on it being neither excellent nor poor.
    expect(analyzed.catalogSummary.avgScore).toBeGreaterThan(40);
    expect(analyzed.catalogSummary.avgScore).toBeLessThan(85);
  });

  it('gives a product not normalized yet an error result and scores the rest of the batch', async () => {
    const tmp = tempDir();
    const run = (args: string[]) => runCli([...args, '--db', tmp.path('c.db')], { cwd: tmp.dir });
    await run(['load', SAMPLE]);
    await run(['normalize', '--ids', 'TR-1001,TR-1004', '--offline']);
    const result = await run(['analyze', '--all', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = documentOf(AnalyzeJsonSchema, result);
    expect(doc.results.filter((r) => r.status === 'success').map((r) => r.productId)).toEqual(['TR-1001', 'TR-1004']);
    const errors = doc.results.filter((r) => r.status === 'error');
    expect(errors).toHaveLength(10);
    for (const error of errors) expect(error).toMatchObject({ error: 'not in silver stage: run normalize first' });
    expect(doc.catalogSummary).toMatchObject({ products: 2, errors: 10 });
  });

  it('scores again with --stale a product it refused while its bronze was newer, even when normalize leaves its silver as it was', async () => {
    const tmp = tempDir();
    const run = async (args: string[]) => {
      const result = await runCli([...args, '--db', tmp.path('c.db'), '--json'], { cwd: tmp.dir });
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    const v1 = 'id,title,brand\nA1,Trail Runner Pro,Nike\nB2,Linen Shirt Classic,Nike\n';
    await run(['load', tmp.write('v1.csv', v1)]);
    await run(['normalize', '--all', '--offline']);
    // A new spelling of the brand: new bronze, but the same silver (Nike stays the canonical spelling).
    await run(['load', tmp.write('v2.csv', v1.replace('Pro,Nike', 'Pro,NIKE'))]);
    expect(documentOf(AnalyzeJsonSchema, await run(['analyze', '--all'])).results.map((r) => r.status)).toEqual(['error', 'success']);
    await run(['normalize', '--stale', '--offline']);
    const again = documentOf(AnalyzeJsonSchema, await run(['analyze', '--stale']));
    expect(again.results.map((r) => [r.productId, r.status])).toEqual([['A1', 'success']]);
  });
});

describe('analyze gates', () => {
  it('--min-avg above the average exits 1 and says by how much it missed', async () => {
    const result = await cli(['analyze', '--all', '--min-avg', '90']);
    expect(result.code).toBe(1);
    // The gate compares the exact average and shows it to two decimals.
    const scores = analyzed.results.flatMap((r) => (r.status === 'success' ? [r.score] : []));
    const avg = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100;
    const missed = Math.round((90 - avg) * 100) / 100;
    expect(result.stdout).toContain(`average score ${avg} is ${missed} below --min-avg 90`);
    expect(result.stdout).toMatch(/FAIL --min-avg/);
  });

  it('--min-avg below the average exits 0', async () => {
    const result = await cli(['analyze', '--all', '--min-avg', '10', '--json']);
    expect(result.code).toBe(0);
    expect(documentOf(AnalyzeJsonSchema, result).gates).toMatchObject({ passed: true, gates: [{ name: 'min-avg', passed: true }] });
  });

  it('--min-score exits 1 naming every product under it', async () => {
    const below = idsWhere((r) => r.score < 60);
    expect(below.length).toBeGreaterThan(0);
    const result = await cli(['analyze', '--all', '--min-score', '60', '--json']);
    expect(result.code).toBe(1);
    const gate = documentOf(AnalyzeJsonSchema, result).gates.gates[0];
    expect(gate).toMatchObject({ name: 'min-score', passed: false, offenderCount: below.length });
    expect([...gate.offenders].sort()).toEqual(below);
    expect(gate.measured).toBe(Math.min(...scored().map((r) => r.score)));
    const text = await cli(['analyze', '--all', '--min-score', '60']);
    expect(text.code).toBe(1);
    for (const id of below) expect(text.stdout).toContain(id);
  });

  it('--max-poor exits 1 naming the poor products', async () => {
    const poor = idsWhere((r) => r.band === 'poor');
    expect(poor.length).toBeGreaterThan(0);
    const result = await cli(['analyze', '--all', '--max-poor', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL --max-poor/);
    for (const id of poor) expect(result.stdout).toContain(id);
    expect((await cli(['analyze', '--all', '--max-poor', String(poor.length)])).code).toBe(0);
  });

  it('--require-feed-ready exits 1 naming products that are not feed-ready', async () => {
    const notReady = idsWhere((r) => !r.feedReady);
    expect(notReady.length).toBeGreaterThan(0);
    const result = await cli(['analyze', '--all', '--require-feed-ready', '--json']);
    expect(result.code).toBe(1);
    const gate = documentOf(AnalyzeJsonSchema, result).gates.gates[0];
    expect(gate).toMatchObject({ name: 'require-feed-ready', passed: false, offenderCount: notReady.length });
    expect(notReady.length).toBeLessThanOrEqual(10);
    expect([...gate.offenders].sort()).toEqual(notReady);
  });

  it('--weights that do not add up to 100 exit 2 showing the sum and the stage names', async () => {
    const result = await cli(['analyze', '--all', '--weights', 'identity=20,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=10']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('105');
    for (const stage of STAGES) expect(result.stderr).toContain(stage);
  });
});

describe('looking at scores', () => {
  it('assay show --json: the checks add up to each stage score, and the stages to the score', async () => {
    const shown = await Promise.all(scored().map((r) => cli(['show', r.productId, '--json'])));
    for (const result of shown) {
      const { product } = documentOf(ShowJsonSchema, result);
      const gold = product.gold!;
      expect(gold.result.status).toBe('success');
      if (gold.result.status !== 'success') continue;
      const byStage = gold.result.stages;
      expect(gold.checks.length).toBeGreaterThan(0);
      for (const stage of STAGES) {
        const won = gold.checks.filter((c) => c.stage === stage).reduce((sum, c) => sum + c.won, 0);
        expect(won, `${product.id} ${stage}`).toBeCloseTo(byStage[stage], 1);
      }
      const total = STAGES.reduce((sum, stage) => sum + byStage[stage], 0);
      expect(Math.abs(total - gold.result.score), product.id).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(gold.result).toEqual(analyzed.results.find((r) => r.productId === product.id));
    }
  });

  it('assay products --band poor lists exactly the poor products', async () => {
    const { products } = documentOf(ProductsJsonSchema, await cli(['products', '--band', 'poor', '--json']));
    expect(products.map((p) => p.id).sort()).toEqual(idsWhere((r) => r.band === 'poor'));
    for (const p of products) expect(p).toMatchObject({ stage: 'gold', band: 'poor' });
  });

  it('assay products --gap FIELD lists the products that lost points on the field', async () => {
    const { products } = documentOf(ProductsJsonSchema, await cli(['products', '--gap', 'gtin', '--json']));
    const expected = idsWhere((r) => r.gaps.some((g) => g.field === 'gtin'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(12);
    expect(products.map((p) => p.id).sort()).toEqual(expected);
  });

  it('assay products --not-feed-ready lists the products that are not', async () => {
    const { products } = documentOf(ProductsJsonSchema, await cli(['products', '--not-feed-ready', '--json']));
    expect(products.map((p) => p.id).sort()).toEqual(idsWhere((r) => !r.feedReady));
    for (const p of products) expect(p.feedReady).toBe(false);
  });

  it('assay products --sort score lists every product from the lowest score up', async () => {
    const { products } = documentOf(ProductsJsonSchema, await cli(['products', '--sort', 'score', '--json']));
    expect(products).toHaveLength(12);
    const scores = products.map((p) => p.score!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0]).toBe(Math.min(...scored().map((r) => r.score)));
  });

  it('assay summary --json prints the catalog summary of the last run without running anything', async () => {
    const result = await cli(['summary', '--json']);
    expect(result.code).toBe(0);
    expect(documentOf(SummaryJsonSchema, result).catalogSummary).toEqual(analyzed.catalogSummary);
    const jobCount = async () => (JSON.parse((await cli(['jobs', '--limit', '1000', '--json'])).stdout) as { jobs: unknown[] }).jobs.length;
    const before = await jobCount();
    await cli(['summary']);
    expect(await jobCount()).toBe(before);
  });
});
