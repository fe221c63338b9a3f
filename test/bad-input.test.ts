import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, type ExpectStatic } from 'vitest';
import { caseBytes, manifestText } from '../scripts/make-bad-corpus.mjs';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';
import { startServer } from './helpers/http-server.js';
import { STAGE_SQL } from '../src/store/products.js';

interface Case {
  case: string;
  file: string;
  what: string;
  flags: string[];
  exit: number;
  loaded: number;
  ids: string[];
  errors: { line: number; reason: string }[];
  warnings: string[];
  message?: string;
  bronze?: Record<string, Record<string, string>>;
  bronzeLengths?: Record<string, Record<string, number>>;
  bronzeColumns?: Record<string, number>;
  exportIds?: string[];
  big?: boolean;
  /** Served from 127.0.0.1 and loaded by URL, with this status (and Location). */
  serve?: { status: number; location?: string };
}

const CORPUS = join(ROOT, 'fixtures', 'bad');
const MANIFEST = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { cases: Case[] };
const bytesOf = caseBytes as (file: string) => Buffer;

/** No stack frames and no internal-error banner, whatever the outcome. */
function expectNoStackTrace(expect: ExpectStatic, result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/node:internal/);
  expect(result.stderr).not.toMatch(/internal error/);
}

function catalog(path: string): { ids: string[]; stages: string[]; bronze: Map<string, Record<string, string>> } {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT p.id, ${STAGE_SQL} AS stage, p.bronze FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq ORDER BY p.seq`,
      )
      .all() as { id: string; stage: string; bronze: string }[];
    return {
      ids: rows.map((r) => r.id),
      stages: rows.map((r) => r.stage),
      bronze: new Map(rows.map((r) => [r.id, JSON.parse(r.bronze) as Record<string, string>])),
    };
  } finally {
    db.close();
  }
}

/** The `✗ FILE line N: REASON` lines of the load summary. */
function errorLines(stderr: string): { file: string; line: number; reason: string }[] {
  return [...stderr.matchAll(/^ {2}✗ (.+?) line (\d+): (.*)$/gm)].map((m) => ({ file: m[1], line: Number(m[2]), reason: m[3] }));
}

describe('the bad-input corpus', () => {
  it('is what scripts/make-bad-corpus.mjs writes, byte for byte', () => {
    expect(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')).toBe(manifestText());
    for (const c of MANIFEST.cases.filter((x) => !x.big && x.case === x.file)) {
      expect(readFileSync(join(CORPUS, c.file)).equals(bytesOf(c.file)), c.file).toBe(true);
    }
  });

  it('covers every kind of bad input the reliability issue names', () => {
    expect(MANIFEST.cases.map((c) => c.case)).toEqual(
      expect.arrayContaining([
        'malformed.xml',
        'truncated.xml',
        'html-page.xml',
        'truncated.csv.gz',
        'csv-named.xlsx',
        'password.xlsx',
        'feed-404.xml',
        'feed-500.xml',
        'feed-redirect.xml',
        'unclosed-quote.csv',
        'empty.csv',
        'blank-lines.csv',
        'utf16le-bom.csv',
        'nul-bytes.csv',
        'image.csv',
        'big-field.csv',
        'wide-header.csv',
        'syntax-error.json',
        'bad-line.jsonl',
        'formula-cells.csv',
      ]),
    );
  });
});

// Each case runs up to four CLI processes; running cases side by side keeps the suite short. The timeout
// is a guard for a busy machine (the 10 MB and 100,000-column cases take a few seconds alone), not a measure.
describe.concurrent.each(MANIFEST.cases.map((c) => [c.case, c] as const))('assay load %s', (_name, c) => {
  it(`${c.what}: exit ${c.exit}, ${c.loaded} product(s), ${c.errors.length} error line(s), no stack trace; normalize and analyze take what loaded`, async ({
    expect,
  }) => {
    // Not tempDir(): its afterEach would remove the folders of cases still running.
    const dir = mkdtempSync(join(tmpdir(), 'assay-bad-'));
    try {
      await runCase(expect, c, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Serves the case's bytes with its status on 127.0.0.1 and loads it by URL (loopback needs --allow-private-hosts). */
async function loadServed(c: Case, dir: string, assay: (...args: string[]) => Promise<CliResult>): Promise<CliResult> {
  const body = readFileSync(join(dir, c.file));
  const server = await startServer((_req, res) => void res.writeHead(c.serve!.status, c.serve!.location ? { location: c.serve!.location } : {}).end(body));
  try {
    return await assay('load', server.url(`/${c.file}`), '--allow-private-hosts', ...c.flags);
  } finally {
    await server.close();
  }
}

async function runCase(expect: ExpectStatic, c: Case, dir: string): Promise<void> {
  if (c.big) writeFileSync(join(dir, c.file), bytesOf(c.file));
  else copyFileSync(join(CORPUS, c.file), join(dir, c.file));
  const assay = (...args: string[]) => runCli(['--db', 'c.db', ...args], { cwd: dir, timeoutMs: 60_000 });

  const load = c.serve ? await loadServed(c, dir, assay) : await assay('load', c.file, ...c.flags);
  expectNoStackTrace(expect, load);
  expect(load.code, load.stderr).toBe(c.exit);
  if (c.message) {
    expect(load.stderr).toMatch(new RegExp(c.message, 'm'));
    expect(load.stderr.trim().split('\n'), 'one line on stderr').toHaveLength(1);
  } else {
    expect(load.stdout).toMatch(new RegExp(`^Loaded ${c.file.replace(/\./g, '\\.')} in .*: \\d+ rows, ${c.loaded} products$`, 'm'));
  }

  // The load panel, with its error lines, is the command's output (stdout); warnings are on stderr.
  const errors = errorLines(load.stdout);
  expect(errors.map((e) => [e.file, e.line])).toEqual(c.errors.map((e) => [c.file, e.line]));
  for (const [i, e] of errors.entries()) expect(e.reason).toMatch(new RegExp(c.errors[i].reason));
  const warnings = load.stderr.split('\n').filter((l) => l.startsWith('warning: '));
  expect(warnings).toHaveLength(c.warnings.length);
  for (const [i, w] of warnings.entries()) expect(w).toMatch(new RegExp(c.warnings[i]));

  const loaded = catalog(join(dir, 'c.db'));
  expect(loaded.ids).toHaveLength(c.loaded);
  expect(loaded.ids).toEqual(c.ids);
  for (const [id, fields] of Object.entries(c.bronze ?? {})) expect(loaded.bronze.get(id), id).toEqual(fields);
  for (const [id, lengths] of Object.entries(c.bronzeLengths ?? {})) {
    for (const [field, length] of Object.entries(lengths)) expect(loaded.bronze.get(id)![field], `${id}.${field}`).toHaveLength(length);
  }
  for (const [id, count] of Object.entries(c.bronzeColumns ?? {})) expect(Object.keys(loaded.bronze.get(id)!), id).toHaveLength(count);
  if (c.loaded === 0) return;

  for (const step of [
    ['normalize', '--all', '--offline'],
    ['analyze', '--all'],
  ]) {
    const result = await assay(...step, '--quiet');
    expectNoStackTrace(expect, result);
    expect(result.code, `${step[0]}: ${result.stderr}`).toBe(0);
  }
  expect(catalog(join(dir, 'c.db')).stages).toEqual(c.ids.map(() => 'gold'));

  if (c.exportIds) {
    const exported = await assay('export', '--format', 'csv', '--out', 'out.csv');
    expect(exported.code, exported.stderr).toBe(0);
    const rows = parse(readFileSync(join(dir, 'out.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id).sort()).toEqual([...c.exportIds].sort());
    const risky = rows.flatMap((r) => Object.values(r)).filter((v) => /^[=+\-@]/.test(v) && !/^-\d+(\.\d+)?$/.test(v));
    expect(risky).toEqual([]);
  }
}
