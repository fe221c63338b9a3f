import { spawn } from 'node:child_process';
import { closeSync, linkSync, openSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoredSample, type ScoredCatalog } from './helpers/catalog.js';
import { BIN, runCli, SAMPLE, NO_STACK } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

let catalog: ScoredCatalog;
let before: Buffer;

beforeAll(async () => {
  catalog = await scoredSample();
  before = readFileSync(catalog.db);
});

afterAll(() => catalog?.remove());

function expectRefused(result: { code: number | null; stderr: string; stdout: string }, ...named: string[]): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^assay: .*catalog.*\n$/);
  expect(result.stderr).not.toMatch(NO_STACK);
  for (const name of named) expect(result.stderr).toContain(name);
}

describe('the catalog is never an output', () => {
  const aliases: [string, () => string][] = [
    ['the catalog itself', () => catalog.db],
    ['its -wal file', () => `${catalog.db}-wal`],
    ['its -shm file', () => `${catalog.db}-shm`],
    [
      'a symlink to it',
      () => {
        const link = join(tempDir().dir, 'link.db');
        symlinkSync(catalog.db, link);
        return link;
      },
    ],
    [
      'a hard link to it',
      () => {
        const link = join(catalog.dir, `hard-${Date.now()}.db`);
        linkSync(catalog.db, link);
        return link;
      },
    ],
    ['a relative path to it through another folder', () => join('..', catalog.dir.split('/').pop()!, 'catalog.db')],
  ];

  it.each(aliases)('export --out %s: exit 2 naming both paths, the catalog untouched', async (_what, target) => {
    const out = target();
    const result = await catalog.assay('export', '--format', 'csv', '--out', out);
    expectRefused(result, out, catalog.db);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });

  it.each(aliases.slice(0, 4))('run --export csv:%s: exit 2 before loading anything', async (_what, target) => {
    const out = target();
    const result = await catalog.assay('run', SAMPLE, '--offline', '--export', `csv:${out}`);
    expectRefused(result, out, catalog.db);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });

  it.each(aliases.slice(0, 4))('load --rejects %s: exit 2 before loading anything', async (_what, target) => {
    const out = target();
    const result = await catalog.assay('load', SAMPLE, '--rejects', out);
    expectRefused(result, out, catalog.db);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });

  it('export --out - with stdout appending to the catalog (>> catalog.db): exit 2, nothing written', async () => {
    const fd = openSync(catalog.db, 'a');
    const child = spawn(process.execPath, [BIN, '--db', catalog.db, 'export', '--format', 'csv', '--out', '-'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expectRefused({ code, stderr, stdout: '' }, '--out -', catalog.db);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });

  it('load --rejects naming a catalog that does not exist yet (through a dangling symlink): exit 2, no catalog made', async () => {
    const tmp = tempDir();
    symlinkSync(tmp.path('new.db'), tmp.path('rejects.csv'));
    const result = await runCli(['--db', 'new.db', 'load', SAMPLE, '--rejects', 'rejects.csv'], { cwd: tmp.dir });
    expectRefused(result, 'rejects.csv', 'new.db');
    expect(statSync(tmp.path('new.db'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('run --export naming one of the input files: exit 2, the input kept', async () => {
    const tmp = tempDir();
    const input = tmp.write('in.csv', readFileSync(SAMPLE));
    const result = await runCli(['--db', 'c.db', 'run', 'in.csv', '--offline', '--export', 'csv:in.csv'], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--export .*in\.csv.* input file/);
    expect(readFileSync(input).equals(readFileSync(SAMPLE))).toBe(true);
  });

  it('run --export naming one file twice (two spellings): exit 2 naming both', async () => {
    const result = await catalog.assay('run', SAMPLE, '--offline', '--export', 'csv:twice.out', '--export', 'json:./twice.out');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--export json:\.\/twice\.out and --export csv:twice\.out are the same file/);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });

  it('config init naming the catalog, even with --force: exit 2', async () => {
    const result = await catalog.assay('config', 'init', catalog.db, '--force');
    expectRefused(result, catalog.db);
    expect(readFileSync(catalog.db).equals(before)).toBe(true);
  });
});
