import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../src/report/export/record.js';
import { scoredSample, type ScoredCatalog } from './helpers/catalog.js';
import { jsonOf, runCli } from './helpers/cli.js';
import { neutralizeFormula } from '../src/csv-cell.js';
import { checkWellFormed, isLiveFormula, spreadsheetCells } from './helpers/export.js';
import { tempDir } from './helpers/tmp.js';

let catalog: ScoredCatalog;
let all: ExportRecord[];

beforeAll(async () => {
  catalog = await scoredSample();
  const result = await catalog.assay('export', '--format', 'json', '--out', '-');
  expect(result.code).toBe(0);
  all = jsonOf<{ products: ExportRecord[] }>(result).products;
});

afterAll(() => catalog?.remove());

const scoreOf = (record: ExportRecord) => (record.gold?.status === 'success' ? record.gold.score : null);

let exports = 0;

async function exportFile(format: string, ...flags: string[]): Promise<string> {
  const out = join(catalog.dir, `export-${++exports}.${format}`);
  const result = await catalog.assay('export', '--format', format, '--out', out, ...flags);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^wrote \\d+ products? as ${format} to .+\\n$`));
  return readFileSync(out, 'utf8');
}

describe('assay export, each format on the sample catalog', () => {
  it('json: the whole catalog, every product scored', async () => {
    const doc = JSON.parse(await exportFile('json'));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.catalogSummary.products).toBe(12);
    expect(doc.products).toHaveLength(12);
    expect(all.every((p) => p.gold?.status === 'success' && p.silver?.status === 'success')).toBe(true);
  });

  it('jsonl: one record a line, the same records', async () => {
    const lines = (await exportFile('jsonl'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(all);
  });

  it('csv: a header and a row per product, scores as in json', async () => {
    const rows = parse(await exportFile('csv'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.id, Number(r.score)])).toEqual(all.map((p) => [p.id, scoreOf(p)]));
    expect(rows.find((r) => r.duplicate_of !== '')).toBeDefined();
  });

  it('junit: well-formed, failing the products under 65 by default', async () => {
    const xml = await exportFile('junit');
    checkWellFormed(xml);
    const failing = all.filter((p) => (scoreOf(p) ?? 0) < 65).length;
    expect(failing).toBeGreaterThan(0);
    expect(xml.match(/<testcase /g)).toHaveLength(24);
    expect(xml.match(/<failure /g)).toHaveLength(failing);
    expect(xml).toMatch(new RegExp(`<testsuite name="assay.gold" tests="12" failures="${failing}"`));
  });

  it('junit: --threshold moves the line', async () => {
    const xml = await exportFile('junit', '--threshold', '90');
    expect(xml.match(/<failure /g)).toHaveLength(all.filter((p) => (scoreOf(p) ?? 0) < 90).length);
  });

  it('junit: the config file min-score gate is the default threshold', async () => {
    const config = tempDir().write('assay.config.json', JSON.stringify({ gates: { minScore: 95 } }));
    const xml = await exportFile('junit', '--config', config);
    expect(xml.match(/<failure /g)).toHaveLength(all.filter((p) => (scoreOf(p) ?? 0) < 95).length);
  });

  it('html: the page with its chart and table', async () => {
    const html = await exportFile('html');
    expect(html).toMatch(/<svg id="distribution"/);
    expect(
      html
        .match(/<tbody>[\s\S]*?<\/tbody>/g)
        ?.at(-1)
        ?.match(/<tr>/g),
    ).toHaveLength(12);
  });

  it('- writes to stdout, and --json reports a file written', async () => {
    const jsonl = await catalog.assay('export', '--format', 'jsonl', '--out', '-');
    expect(jsonl.stdout.trimEnd().split('\n')).toHaveLength(12);
    const out = join(catalog.dir, 'reported.csv');
    const reported = await catalog.assay('--json', 'export', '--format', 'csv', '--out', out);
    expect(jsonOf(reported)).toEqual({ schemaVersion: 1, format: 'csv', out, products: 12 });
  });
});

describe('assay export with filters', () => {
  it('--band poor', async () => {
    const rows = parse(await exportFile('csv', '--band', 'poor'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(all.filter((p) => p.gold?.status === 'success' && p.gold.band === 'poor').length);
    expect(rows.every((r) => r.band === 'poor')).toBe(true);
  });

  it('--max-score, --sort score and --limit', async () => {
    const lines = (await exportFile('jsonl', '--max-score', '80', '--sort', 'score', '--limit', '3')).trimEnd().split('\n');
    const scores = lines.map((line) => scoreOf(JSON.parse(line)));
    const expected = all
      .map(scoreOf)
      .filter((s): s is number => s !== null && s <= 80)
      .sort((a, b) => a - b)
      .slice(0, 3);
    expect(scores).toEqual(expected);
  });

  it('--gap gtin in junit keeps to those products', async () => {
    const xml = await exportFile('junit', '--gap', 'gtin');
    const withGap = all.filter((p) => p.gold?.status === 'success' && p.gold.gaps.some((g) => g.field === 'gtin'));
    expect(xml).toMatch(new RegExp(`<testsuite name="assay.gold" tests="${withGap.length}"`));
  });
});

describe('csv from data that holds formulas behind separators', () => {
  const products = [
    ['ID;=2+2', 'foo;=1+1;bar', 'Acme;@SUM(A1)'],
    ['X\t+1', 'Tent\t=cmd|/C calc!A0', 'Brand,-2+3'],
    ['=HYPERLINK("http://x")', 'Stove; =1+1', '"=1+1"'],
    ['plain-1', 'Mug, enamel; blue', 'Northpeak'],
  ];
  const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
  const input = ['id,title,brand,price', ...products.map((p) => [...p, '9.99'].map(quote).join(','))].join('\n') + '\n';

  it('export --format csv (file and stdout) and run --export csv: no cell in a , ; or tab locale runs, and a CSV reader reads the escaped values', async () => {
    const tmp = tempDir();
    tmp.write('hostile.csv', input);
    const assay = (...args: string[]) => runCli(['--db', 'c.db', ...args], { cwd: tmp.dir });
    const run = await assay('run', 'hostile.csv', '--offline', '--export', 'csv:run.csv');
    expect(run.code, run.stderr).toBe(0);
    const exported = await assay('export', '--format', 'csv', '--out', 'export.csv');
    expect(exported.code, exported.stderr).toBe(0);
    const stdout = await assay('export', '--format', 'csv', '--out', '-');
    expect(stdout.code, stdout.stderr).toBe(0);
    const texts = [readFileSync(tmp.path('run.csv'), 'utf8'), readFileSync(tmp.path('export.csv'), 'utf8'), stdout.stdout];
    for (const text of texts) {
      for (const separator of [',', ';', '\t'])
        expect(spreadsheetCells(text, separator).filter(isLiveFormula), `split on ${JSON.stringify(separator)}`).toEqual([]);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.id)).toEqual(products.map(([id]) => neutralizeFormula(id)));
      expect(rows.map((r) => r.brand)).toEqual(products.map(([, , brand]) => neutralizeFormula(brand)));
    }
  });
});

describe('assay export refusals (exit 2)', () => {
  it.each([
    [['--format', 'xml', '--out', 'x'], /argument 'xml' is invalid/],
    [['--out', 'x.csv'], /--format <format>' not specified/],
    [['--format', 'csv'], /--out <file>' not specified/],
    [['--format', 'junit', '--out', 'x', '--threshold', 'high'], /--threshold takes a score from 0 to 100/],
    [['--format', 'csv', '--out', 'no/such/folder/x.csv'], /its folder does not exist/],
  ])('%j', async (args, message) => {
    const result = await catalog.assay('export', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a missing catalog', async () => {
    const dir = tempDir();
    const result = await runCli(['--db', dir.path('none.db'), 'export', '--format', 'csv', '--out', 'x.csv'], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no catalog at/);
  });
});
