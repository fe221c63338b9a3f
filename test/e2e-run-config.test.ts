import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as schemas from '../src/report/schemas.js';
import { jsonOf, NO_STACK, ROOT, runCli, startCli, type CliResult, SAMPLE } from './helpers/cli.js';
import { documentOf } from './helpers/documents.js';
import { hasScript, runInTerminal } from './helpers/terminal.js';
import { tempDir } from './helpers/tmp.js';

// Each test runs the CLI several times; under a loaded machine that can outgrow the 30 s default.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const EXAMPLE_CONFIG = join(ROOT, 'fixtures', 'assay.config.example.json');
const ANSI = /\u001b\[/;

/** A catalog made once by `assay run`; tests here only read it or write elsewhere. */
let dir: string;
const cli = (args: string[], env?: Record<string, string>): Promise<CliResult> => runCli([...args, '--db', join(dir, 'c.db')], { cwd: dir, env });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-run-'));
  const result = await cli(['run', SAMPLE, '--offline']);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three mistakes: a wrong type, a value out of range, and a misspelt key. */
const BROKEN_CONFIG = {
  weights: { identity: 20, taxonomy: 15, content: '25%', media: 20, pricing: 10, attributes: 5, seo: 5 },
  urls: { timeoutMs: -5 },
  brand: { list: ['Nike'] },
};

describe('assay run (end to end)', () => {
  it('exits 0 and prints the run document', async () => {
    const tmp = tempDir();
    const result = await runCli(['run', SAMPLE, '--offline', '--json', '--db', tmp.path('c.db')], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(0);
    const doc = documentOf(schemas.RunJsonSchema, result);
    expect(doc.load).toMatchObject({ created: 12, errors: [] });
    expect(doc.normalize.job).toMatchObject({ stage: 'normalize', status: 'succeeded', done: 12 });
    expect(doc.analyze.job).toMatchObject({ stage: 'analyze', status: 'succeeded', done: 12 });
    expect(doc.catalogSummary.products).toBe(12);
    expect(doc.gates).toEqual({ passed: true, gates: [] });
  });

  it('exits 1 when a gate fails, with the gate in the document', async () => {
    const tmp = tempDir();
    const result = await runCli(['run', SAMPLE, '--offline', '--min-avg', '90', '--json', '--db', tmp.path('c.db')], { cwd: tmp.dir });
    expect(result.code).toBe(1);
    expect(documentOf(schemas.RunJsonSchema, result).gates).toMatchObject({ passed: false, gates: [{ name: 'min-avg', passed: false }] });
  });

  it('exits 2 on bad input, with a message and no stack trace', async () => {
    const tmp = tempDir();
    for (const args of [
      ['run', tmp.path('missing.csv')],
      ['run', tmp.write('catalog.xml', '<products/>')],
      ['run', tmp.write('no-id.csv', 'name,colour\nShoe,red\n')],
      ['run', SAMPLE, '--min-avg', 'lots'],
    ]) {
      const result = await runCli([...args, '--offline', '--db', tmp.path('c.db')], { cwd: tmp.dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^assay: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('habits of a good CLI', () => {
  it('shows an example in the --help of every command', async () => {
    const help = (await runCli(['--help'], { cwd: dir })).stdout;
    const commands = [
      ...help
        .split('Commands:')[1]
        .split('\n\n')[0]
        .matchAll(/^ {2}([a-z][a-z-]*)/gm),
    ]
      .map((m) => m[1])
      .filter((name) => name !== 'help');
    expect(commands).toEqual(
      expect.arrayContaining(['load', 'normalize', 'analyze', 'run', 'products', 'show', 'summary', 'jobs', 'status', 'config', 'export']),
    );
    expect(help).toMatch(/Example:\n {2}assay /);
    const pages = await Promise.all(commands.map((name) => runCli([name, '--help'], { cwd: dir })));
    commands.forEach((name, i) => {
      expect(pages[i].code, name).toBe(0);
      expect(pages[i].stdout, name).toMatch(new RegExp(`Example:\\n {2}assay ${name}\\b`));
    });
  });

  it('prints the version of package.json with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it.each([
    ['products', '2.5'],
    ['export --format csv --out -', '1e30'],
    ['jobs', 'abc'],
    ['jobs', '-1'],
    ['analyze --all', 'abc'],
  ])('%s --limit %s exits 2 before doing anything, naming the flag', async (command, value) => {
    const before = jsonOf<{ jobs: unknown[] }>(await cli(['jobs', '--json'])).jobs.length;
    const result = await cli([...command.split(' '), '--limit', value]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(`assay: --limit takes a whole number from 0, got '${value}'\n`);
    expect(jsonOf<{ jobs: unknown[] }>(await cli(['jobs', '--json'])).jobs.length).toBe(before);
  });

  it('--gap naming a field the rubric does not grade exits 2 and lists the ones it does', async () => {
    for (const command of [['products'], ['export', '--format', 'csv', '--out', '-']]) {
      const result = await cli([...command, '--gap', 'colour']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(
        /^assay: --gap takes a field the rubric grades, or a reason code such as title\.all_caps, got 'colour': use one of .*\bgtin\b.*\battributes\.color\b/,
      );
    }
  });

  it('lists every product when stdout is not a terminal; 50 is the default on one', async () => {
    const tmp = tempDir();
    const rows = Array.from({ length: 60 }, (_, i) => `L-${i},Listed product number ${i}`);
    const db = tmp.path('c.db');
    expect((await runCli(['run', tmp.write('p.csv', ['id,title', ...rows].join('\n')), '--offline', '--quiet', '--db', db], { cwd: tmp.dir })).code).toBe(0);
    const listed = await runCli(['products', '--db', db], { cwd: tmp.dir });
    expect(listed.stdout).toContain('L-59');
    expect(
      listed.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => /L-\d+/.test(line)),
    ).toHaveLength(60);
  });

  it('exits 2 on an unknown command or flag, with a did-you-mean', async () => {
    const command = await cli(['analyse', '--all']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'analyse'/);
    expect(command.stderr).toMatch(/Did you mean analyze\?/);
    const flag = await cli(['analyze', '--all', '--min-avgg', '50']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--min-avgg'/);
    expect(flag.stderr).toMatch(/Did you mean --min-avg\?/);
  });

  it('with --json, puts nothing but one document of its schema on stdout, for every command', async () => {
    const id = 'TR-1003';
    const table: [string[], z.ZodType][] = [
      [['load', SAMPLE], schemas.LoadJsonSchema],
      [['normalize', '--ids', id, '--offline'], schemas.NormalizeJsonSchema],
      [['analyze', '--ids', id], schemas.AnalyzeJsonSchema],
      [['show', id], schemas.ShowJsonSchema],
      [['products'], schemas.ProductsJsonSchema],
      [['summary'], schemas.SummaryJsonSchema],
      [['jobs'], schemas.JobsJsonSchema],
      [['status', '1'], schemas.StatusJsonSchema],
      [['cancel', '1'], schemas.CancelJsonSchema],
      [['config', 'show'], schemas.ConfigShowJsonSchema],
      [['config', 'validate', EXAMPLE_CONFIG], schemas.ConfigValidateJsonSchema],
    ];
    for (const [args, schema] of table) {
      const result = await cli([...args, '--json']);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      documentOf(schema, result);
      expect(result.stdout.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('colour', () => {
  it('leaves no ANSI escape in the output with NO_COLOR or --no-color', async () => {
    for (const [args, env] of [
      [['summary'], { NO_COLOR: '1' }],
      [['summary', '--no-color'], {}],
      [['products'], { NO_COLOR: '1' }],
    ] as const) {
      const result = await cli([...args], { ...env });
      expect(result.stdout + result.stderr).not.toMatch(ANSI);
      expect(result.stdout + result.stderr).toContain(args[0] === 'summary' ? 'excellent' : 'TR-1001');
    }
  });

  it.skipIf(!hasScript)('colours a terminal, and NO_COLOR and --no-color turn it off there too', async () => {
    const onTerminal = (args: string[], env: Record<string, string> = {}) => runInTerminal([...args, '--db', join(dir, 'c.db')], { cwd: dir, env });
    const coloured = await onTerminal(['summary']);
    expect(coloured.code).toBe(0);
    expect(coloured.screen).toMatch(ANSI);
    const noColorEnv = await onTerminal(['summary'], { NO_COLOR: '1' });
    expect(noColorEnv.screen).toContain('excellent');
    expect(noColorEnv.screen).not.toMatch(ANSI);
    const noColorFlag = await onTerminal(['summary', '--no-color']);
    expect(noColorFlag.screen).toContain('excellent');
    expect(noColorFlag.screen).not.toMatch(ANSI);
  });

  it.skipIf(!hasScript)('keeps data redirected from stdout plain while stderr is a terminal', async () => {
    const tmp = tempDir();
    const result = await runInTerminal(['products', '--db', join(dir, 'c.db')], { cwd: dir, stdoutTo: tmp.path('list.txt') });
    expect(result.code).toBe(0);
    const list = readFileSync(tmp.path('list.txt'), 'utf8');
    expect(list).toContain('TR-1001');
    expect(list).not.toMatch(ANSI);
  });
});

describe('on a terminal', () => {
  // A hang shows as a kill after the timeout: code null instead of 0.
  const shown = (screen: string) => screen.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
  it.skipIf(!hasScript)('draws the load spinner and the progress bars on a sized terminal, and ends', async () => {
    const tmp = tempDir();
    const result = await runInTerminal(['run', SAMPLE, '--offline', '--db', tmp.path('c.db')], { cwd: tmp.dir, size: { columns: 100, rows: 30 } });
    expect(result.code, shown(result.screen).slice(-2000)).toBe(0);
    expect(shown(result.screen)).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Loading/);
    expect(shown(result.screen)).toMatch(/Normalized 12 \/ 12 products/);
    expect(shown(result.screen)).toMatch(/Analyzed 12 \/ 12 products/);
    expect(shown(result.screen)).toContain('Catalog: 12 scored');
  });

  it.skipIf(!hasScript)('keeps the spinner uncoloured with NO_COLOR', async () => {
    const tmp = tempDir();
    const result = await runInTerminal(['load', SAMPLE, '--db', tmp.path('c.db')], { cwd: tmp.dir, env: { NO_COLOR: '1' }, size: { columns: 100, rows: 30 } });
    expect(result.code, shown(result.screen).slice(-2000)).toBe(0);
    expect(shown(result.screen)).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Loading/);
    // Cursor moves are fine; a colour (SGR) sequence is not.
    expect(result.screen).not.toMatch(/\u001b\[[0-9;]*m/);
  });

  it.skipIf(!hasScript)('prints plain progress lines on a terminal of no size, where a spinner would redraw forever', async () => {
    const tmp = tempDir();
    const result = await runInTerminal(['run', SAMPLE, '--offline', '--db', tmp.path('c.db')], { cwd: tmp.dir });
    expect(result.code, shown(result.screen).slice(-2000)).toBe(0);
    expect(shown(result.screen)).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Loading/);
    expect(shown(result.screen)).toMatch(/normalize job \d+: 12\/12 \(100%\)/);
    expect(shown(result.screen)).toContain('Catalog: 12 scored');
  });
});

describe('a reader that stops early', () => {
  /** Starts `run` on the sample, lets the reader take one chunk of `stream` and close its end, as head does. */
  async function runClosing(stream: 'stdout' | 'stderr', flags: string[]) {
    const tmp = tempDir();
    const run = startCli(['run', SAMPLE, '--offline', ...flags, '--db', tmp.path('c.db')], { cwd: tmp.dir });
    await new Promise<void>((resolve) => run.child[stream]!.once('data', () => resolve()));
    run.child[stream]!.destroy();
    const result = await run.result;
    const jobs = jsonOf<{ jobs: { stage: string; status: string; done: number }[] }>(
      await runCli(['jobs', '--json', '--db', tmp.path('c.db')], { cwd: tmp.dir }),
    );
    return { result, jobs: jobs.jobs.map((j) => [j.stage, j.status, j.done]) };
  }
  const BOTH_DONE = [
    ['analyze', 'succeeded', 12],
    ['normalize', 'succeeded', 12],
  ];

  it('closing stderr after the first line (2>&1 | head -1) loses the panels, not the run', async () => {
    const { result, jobs } = await runClosing('stderr', []);
    expect(result.code).toBe(0);
    expect(jobs).toEqual(BOTH_DONE);
  });

  it('closing stdout after the first line (| head -1) loses the panels, not the run nor its exit code', async () => {
    // The gate fails, so the exit code says whether the run got as far as judging the catalog.
    const { result, jobs } = await runClosing('stdout', ['--min-avg', '99']);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.code).toBe(1);
    expect(jobs).toEqual(BOTH_DONE);
  });
});

describe('assay status', () => {
  it('shows a finished analyze job in readable lines with its gates, and --watch exits 1 when a gate failed', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const run = await runCli(['run', SAMPLE, '--offline', '--quiet', '--min-avg', '99', '--db', db], { cwd: tmp.dir });
    expect(run.code).toBe(1);
    const status = await runCli(['status', '2', '--db', db], { cwd: tmp.dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\n {2}summary {4}12 scored, average [\d.]+; excellent \d+, good \d+, warning \d+, poor \d+\n/);
    expect(status.stdout).toMatch(/\n {2}gate {7}FAIL average score [\d.]+ is [\d.]+ below --min-avg 99\n/);
    expect(status.stdout).not.toContain('{');
    expect((await runCli(['status', '2', '--watch', '--db', db], { cwd: tmp.dir })).code).toBe(1);
  });
});

describe('the config file', () => {
  it("reports what normalize would refuse: a mapping rule's target field or transform", async () => {
    const tmp = tempDir();
    const file = tmp.write(
      'rules.json',
      JSON.stringify({
        mapping: [
          { sourceField: 'X', targetField: 'nosuch' },
          { sourceField: 'Y', targetField: 'title', transform: 'reverse' },
        ],
      }),
    );
    const validate = await runCli(['config', 'validate', file, '--json'], { cwd: tmp.dir });
    expect(validate.code).toBe(2);
    expect(documentOf(schemas.ConfigValidateJsonSchema, validate).problems).toEqual([
      expect.stringMatching(/^mapping\.0: unknown target field 'nosuch'/),
      expect.stringMatching(/^mapping\.1: unknown transform 'reverse'/),
    ]);
  });

  it('names a number too large for a double (1e400) by its key path and as written, and asks for a finite number', async () => {
    const tmp = tempDir();
    const weights = '{"identity": 1e400, "taxonomy": 15, "content": 25, "media": 20, "pricing": 10, "attributes": 5, "seo": 5}';
    const file = tmp.write('huge.json', `{"weights": ${weights}, "gates": {"minScore": -1E+400}}`);
    const validate = await runCli(['config', 'validate', file, '--json'], { cwd: tmp.dir });
    expect(validate.code).toBe(2);
    expect(documentOf(schemas.ConfigValidateJsonSchema, validate).problems).toEqual([
      'weights.identity: must be a finite number, got 1e400',
      'gates.minScore: must be a finite number, got -1E+400',
    ]);
    const flag = await cli(['analyze', '--all', '--weights', 'identity=Infinity,taxonomy=15,content=25,media=20,pricing=10,attributes=5,seo=5']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^assay: --weights: identity must be a finite number, got Infinity\b/);
  });

  it('reports the brand list entries normalize would refuse, by their key paths', async () => {
    const tmp = tempDir();
    const list = ['[', 'Acme', { name: 'Beta', aliases: ['B', 'ACME Inc.'] }, { name: ' - ' }];
    const file = tmp.write('brands.json', JSON.stringify({ brands: { list } }));
    const validate = await runCli(['config', 'validate', file, '--json'], { cwd: tmp.dir });
    expect(validate.code).toBe(2);
    expect(documentOf(schemas.ConfigValidateJsonSchema, validate).problems).toEqual([
      "brands.list.0: '[' has no letters or digits: give it a name",
      "brands.list.2.aliases.1: 'Beta' and 'Acme' both claim the spelling key 'acme': keep it on one brand",
      "brands.list.3.name: ' - ' has no letters or digits: give it a name",
    ]);
    const normalize = await cli(['normalize', '--all', '--offline', '--config', file]);
    expect(normalize.code).toBe(2);
    expect(normalize.stderr).toContain("brands.list.0: '[' has no letters or digits");
  });

  it('reports the category map rules normalize would refuse, by their key paths', async () => {
    const tmp = tempDir();
    const map = [
      { source: 'Shoes', target: 'Apparel > Shoes' },
      { source: ' > ', target: 'Apparel' },
      { source: 'shoes', target: 'Footwear' },
    ];
    const file = tmp.write('categories.json', JSON.stringify({ categories: { map } }));
    const validate = await runCli(['config', 'validate', file, '--json'], { cwd: tmp.dir });
    expect(validate.code).toBe(2);
    expect(documentOf(schemas.ConfigValidateJsonSchema, validate).problems).toEqual([
      "categories.map.1: ' > ' → 'Apparel' needs a source and a target path",
      "categories.map.2: 'shoes' is mapped twice ('Apparel > Shoes' and 'Footwear'): keep one rule",
    ]);
  });

  it('reports all three mistakes of a config file with their key paths, and exits 2', async () => {
    const tmp = tempDir();
    const file = tmp.write('broken.json', JSON.stringify(BROKEN_CONFIG));
    const validate = await runCli(['config', 'validate', file, '--json'], { cwd: tmp.dir });
    expect(validate.code).toBe(2);
    const { valid, problems } = documentOf(schemas.ConfigValidateJsonSchema, validate);
    expect(valid).toBe(false);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^weights\.content: expected a number, got "25%"/),
        expect.stringMatching(/^urls\.timeoutMs: /),
        expect.stringMatching(/^brand: unknown key \(did you mean 'brands'\?\)/),
      ]),
    );

    tmp.write('assay.config.json', JSON.stringify(BROKEN_CONFIG));
    const analyze = await runCli(['analyze', '--all', '--db', tmp.path('c.db')], { cwd: tmp.dir });
    expect(analyze.code).toBe(2);
    for (const path of ['weights.content', 'urls.timeoutMs', 'brand:']) expect(analyze.stderr).toContain(path);
  });

  it('assay config schema validates the example config, and rejects a broken one', async () => {
    const printed = await runCli(['config', 'schema'], { cwd: dir });
    expect(printed.code).toBe(0);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(printed.stdout) as object);
    const example = JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect((await runCli(['config', 'validate', EXAMPLE_CONFIG], { cwd: dir })).code).toBe(0);

    expect(validate(BROKEN_CONFIG)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
    expect(where).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/weights\/content type/),
        expect.stringMatching(/^\/urls\/timeoutMs exclusiveMinimum|^\/urls\/timeoutMs minimum/),
        expect.stringMatching(/^ additionalProperties .*"brand"/),
      ]),
    );
  });
});
