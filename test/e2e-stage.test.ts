import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductsJsonSchema } from '../src/report/schemas.js';
import { ROOT, runCli } from './helpers/cli.js';
import { documentOf } from './helpers/documents.js';
import { tempDir } from './helpers/tmp.js';

// A product's stage is the furthest of its layers that is current, derived from them.

describe('product stage', () => {
  it('follows the layers: a changed record goes back to bronze, then up again as its stages run', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const cli = (...args: string[]) => runCli([...args, '--db', db], { cwd: tmp.dir, timeoutMs: 60_000 });
    const stages = async () => {
      const doc = documentOf(ProductsJsonSchema, await cli('products', '--json'));
      return Object.fromEntries(doc.products.map((p) => [p.id, p.stage]));
    };
    const sample = readFileSync(join(ROOT, 'fixtures', 'sample.csv'), 'utf8');
    const file = tmp.write('c.csv', sample);
    expect((await cli('load', file, '-q')).code).toBe(0);
    const ids = Object.keys(await stages());
    const all = (stage: string, except: Record<string, string> = {}) => Object.fromEntries(ids.map((id) => [id, except[id] ?? stage]));
    expect(await stages()).toEqual(all('bronze'));
    expect((await cli('normalize', '--all', '--offline', '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('silver'));
    expect((await cli('analyze', '--all', '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('gold'));

    // Loading the same file changes nothing; a changed record goes back to bronze alone.
    expect((await cli('load', file, '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('gold'));
    tmp.write('c.csv', sample.replace('Trailblazer 45L Hiking Backpack', 'Trailblazer 45 L Hiking Backpack'));
    expect((await cli('load', file, '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('gold', { 'TR-1001': 'bronze' }));
    expect((await cli('normalize', '--stale', '--offline', '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('gold', { 'TR-1001': 'silver' }));
    expect((await cli('analyze', '--stale', '-q')).code).toBe(0);
    expect(await stages()).toEqual(all('gold'));
    expect((await cli('products', '--stage', 'gold', '--json')).stdout).toContain('TR-1001');
  });
});
