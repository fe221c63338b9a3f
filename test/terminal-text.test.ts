import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visible } from '../src/report/visible.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { hasScript, runInTerminal } from './helpers/terminal.js';

/** Anything a terminal acts on, bar the line break: C0, DEL, C1, bidi controls, line and paragraph separators. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('visible', () => {
  it.each([
    ['E1\u001b[2J\u001b[H', 'E1\\x1b[2J\\x1b[H'],
    ['\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['\u001b]8;;http://evil.test\u001b\\link\u001b]8;;\u001b\\', '\\x1b]8;;http://evil.test\\x1b\\link\\x1b]8;;\\x1b\\'],
    ['a\u009b31m', 'a\\x9b31m'],
    ['XL\b\b', 'XL\\x08\\x08'],
    ['ok\rFAKE', 'ok\\x0dFAKE'],
    ['tab\there\nline', 'tab\\x09here\\x0aline'],
    ['del\u007f', 'del\\x7f'],
    ['gnp\u202eexe \u2066x\u2069 \u200f', 'gnp\\u202eexe \\u2066x\\u2069 \\u200f'],
  ])('shows %j as %j', (text, shown) => expect(visible(text)).toBe(shown));

  it.each(['Trail 45L', 'Café crème – 2 × 1 €', '日本語', 'C:\\data\\feed.csv', ''])('leaves %j as it is', (text) => expect(visible(text)).toBe(text));
});

// Ids, titles, brands, attribute values, column names and the file name, each with escapes a terminal acts on.
const E1 = 'E1\u001b[2J\u001b[H';
const E2 = 'E2\u202egnp.exe';
const PLAIN = 'A sturdy product for long days outside, described at length. '.repeat(20);
const FILE = 'feed\u001b[2J\u0007.csv';
// The long descriptions keep the few control bytes under the share that makes load take the file for binary.
const header = [
  'id',
  'title',
  'description',
  'brand',
  'price',
  'availability',
  'color',
  'size\u001b[1A',
  'gtin',
  'note\u001b]0;t\u0007',
  'note\u001b]0;t\u0007',
];
const rows = [
  [
    E1,
    'Tent\u001b]0;pwned\u0007 two person \u001b[38;5;196mred',
    PLAIN,
    'Acme\u009b31m',
    '\u001b[5m9.99',
    'in\u202estock',
    'red\u001b]8;;http://evil.test\u001b\\link\u001b]8;;\u001b\\',
    'L\b\b\bXL',
    '4006381333931',
    'a\u0007',
    'b\rFAKE',
  ],
  [E2, 'Stove\rFAKE LINE\u2066', PLAIN, 'Acme\u009b31m', '10', 'in stock', 'blue\u007f', 'M', '4006381333931', '', ''],
  ['E3\u001b[31m', '', PLAIN, 'Acme', '1', '', '', '', '', '', ''],
];
const csv = [header, ...rows].map((r) => r.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\n') + '\n';

let dir: string;
const assay = (...args: string[]) => runCli(['--db', 'c.db', ...args], { cwd: dir });
const runAssay = (...args: string[]) => runCli(args, { cwd: dir });

function expectNoControls(result: CliResult, what: string): void {
  expect(CONTROL.exec(result.stdout)?.[0], `${what}: a control character on stdout:\n${JSON.stringify(result.stdout)}`).toBeUndefined();
  expect(CONTROL.exec(result.stderr)?.[0], `${what}: a control character on stderr:\n${JSON.stringify(result.stderr)}`).toBeUndefined();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-terminal-'));
  writeFileSync(join(dir, FILE), csv);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data never reaches the terminal as control codes (NO_COLOR, pipes)', () => {
  it('load, normalize, analyze, products, show, summary, status and run print every value from data visibly', async () => {
    const load = await assay('load', FILE);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/✗ feed\\x1b\[2J\\x07\.csv line \d+: no title/);
    expect(load.stderr).toContain('note\\x1b]0;t\\x07');
    const steps: [string, string[]][] = [
      ['load', []],
      ['normalize', ['normalize', '--all', '--offline']],
      ['normalize --ids', ['normalize', '--ids', `${E1},missing\u001b[31m`, '--offline']],
      ['analyze', ['analyze', '--all']],
      ['analyze --ids', ['analyze', '--ids', `${E2},missing\u001b]0;x\u0007`]],
      ['products', ['products']],
      ['show E1', ['show', E1]],
      ['show E2', ['show', E2]],
      ['show missing', ['show', 'nope\u001b[2J']],
      ['summary', ['summary']],
      ['status', ['status', '2']],
      ['run', ['run', FILE, '--offline']],
    ];
    const results: Record<string, CliResult> = { load };
    for (const [name, args] of steps.slice(1)) {
      results[name] = name === 'run' ? await runAssay('--db', 'run.db', ...args) : await assay(...args);
      expect(results[name].code, `${name}: ${results[name].stderr}`).toBe(name === 'show missing' ? 2 : 0);
    }
    for (const [name, result] of Object.entries(results)) expectNoControls(result, name);

    expect(results.products.stdout).toContain('E1\\x1b[2J\\x1b[H');
    expect(results.products.stdout).toContain('E2\\u202egnp.exe');
    expect(results['show E1'].stdout).toContain('Tent\\x1b]0;pwned\\x07 two person');
    expect(results['show E1'].stdout).toContain('size\\x1b[1A');
    expect(results['show E1'].stdout).toContain('\\x1b[5m9.99');
    expect(results['show E2'].stdout).toContain(`duplicate of ${visible(E1)}`);
    expect(results['normalize --ids'].stdout).toContain("product not found: 'missing\\x1b[31m'");
    expect(results['analyze --ids'].stdout).toContain("product not found: 'missing\\x1b]0;x\\x07'");
    expect(results['show missing'].stderr).toContain("product not found: 'nope\\x1b[2J'");
    expect(results.status.stdout).toContain('missing\\x1b[31m');
    // Twelve CLI processes one after another: on a busy two-core machine that outlasts the default 30 s.
  }, 120_000);
});

describe('config files are shown like data too', () => {
  it('config show and config validate print keys and values from the file visibly', async () => {
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ brands: { list: ['Acme\u009b31m\u202e'] } }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ 'bad\u001b]0;x\u0007': 1, brands: { list: [7] } }));
    const show = await assay('--config', 'good.json', 'config', 'show');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('Acme\\x9b31m\\u202e');
    const validate = await assay('config', 'validate', 'bad.json');
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('bad\\x1b]0;x\\x07');
    for (const [name, result] of Object.entries({ show, validate })) expectNoControls(result, name);
  });
});

// Colour on (a terminal): only assay's own SGR codes reach it; the data asked for blink (5) and 256 colours (38;5).
const OWN_SGR = new Set(['1', '2', '22', '31', '32', '33', '34', '35', '36', '39']);

describe.skipIf(!hasScript)('data never reaches the terminal as control codes (colour on a terminal)', () => {
  it.each([
    ['load', [FILE]],
    ['normalize', ['--ids', `${E1},${E2},missing\u001b[5m`, '--offline']],
    ['analyze', ['--all']],
    ['products', []],
    ['show', [E1]],
  ])('%s: only its own colours', async (command, args) => {
    const { code, screen } = await runInTerminal(['--db', 'tty.db', command, ...args], { cwd: dir });
    expect(code, screen).toBe(0);
    const codes = [...screen.matchAll(/\u001b\[([0-9;]*)m/g)].map((m) => m[1]);
    expect(codes.length, screen).toBeGreaterThan(0);
    expect(codes.filter((c) => !OWN_SGR.has(c))).toEqual([]);
    const rest = screen.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r\n/g, '\n');
    expect(CONTROL.exec(rest)?.[0], JSON.stringify(rest)).toBeUndefined();
  });
});
