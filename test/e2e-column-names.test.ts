import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';
import { silverRows } from './helpers/documents.js';
import { tempDir, type TempDir } from './helpers/tmp.js';

vi.setConfig({ testTimeout: 120_000 });

const BAD = join(ROOT, 'fixtures', 'bad');
const BUILTINS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

function cli(tmp: TempDir, args: string[]): Promise<CliResult> {
  return runCli(['--db', tmp.path('c.db'), ...args], { cwd: tmp.dir });
}

async function loadAndNormalize(tmp: TempDir, load: string[], normalize: string[] = []): Promise<void> {
  const loaded = await cli(tmp, ['load', ...load]);
  expect(loaded.code, loaded.stderr).toBe(0);
  const normalized = await cli(tmp, [...normalize, 'normalize', '--all', '--offline', '--quiet']);
  expect(normalized.code, normalized.stderr).toBe(0);
}

const attributesOf = (tmp: TempDir, id: string) => Object.entries(silverRows(tmp.path('c.db')).get(id)?.record?.attributes ?? {});

describe('column names that are members of every JavaScript object (end to end)', () => {
  it.each(['builtin-names.csv', 'builtin-names.json'])('%s: every such column reaches the silver attributes', async (file) => {
    const tmp = tempDir();
    await loadAndNormalize(tmp, [join(BAD, file)]);
    expect(attributesOf(tmp, 'N1')).toEqual(BUILTINS.map((name) => [name, `${name}-1`]));
  });

  it('load --id-column __proto__ takes the ids from that column, and normalize maps the rest', async () => {
    const tmp = tempDir();
    await loadAndNormalize(tmp, [join(BAD, 'builtin-names.csv'), '--id-column', '__proto__']);
    const silver = silverRows(tmp.path('c.db'));
    expect([...silver.keys()]).toEqual(['__proto__-1', '__proto__-2']);
    expect(silver.get('__proto__-1')?.record).toMatchObject({ id: '__proto__-1', title: 'Hat', price: 10 });
  });

  it('a mapping rule may read a column named __proto__ and write an attribute named constructor', async () => {
    const tmp = tempDir();
    tmp.write('assay.config.json', JSON.stringify({ mapping: [{ sourceField: '__proto__', targetField: 'attributes.constructor', transform: 'uppercase' }] }));
    await loadAndNormalize(tmp, [join(BAD, 'builtin-names.csv')]);
    expect(attributesOf(tmp, 'N1')).toContainEqual(['constructor', '__PROTO__-1']);
  });

  it('a mapping transform named __proto__ or constructor is an unknown transform: exit 2, one line, no crash', async () => {
    for (const transform of ['__proto__', 'constructor']) {
      const tmp = tempDir();
      tmp.write('assay.config.json', JSON.stringify({ mapping: [{ sourceField: 'title', targetField: 'title', transform }] }));
      const loaded = await cli(tmp, ['load', join(BAD, 'builtin-names.csv')]);
      expect(loaded.code, loaded.stderr).toBe(0);
      const result = await cli(tmp, ['normalize', '--all', '--offline']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`mapping.0: unknown transform '${transform}'`);
      expect(result.stderr).not.toMatch(/bug|^\s+at /m);
    }
  });
});
