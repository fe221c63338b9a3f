import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOf, ROOT, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const REPEATED = join(ROOT, 'fixtures/real-exports/repeated-ids.csv');
const SHOPIFY = join(ROOT, 'fixtures/real-exports/shopify-stock.csv');

interface LoadDoc {
  total: number;
  errors: Array<{ line: number; code: string }>;
  warnings: Array<{ message: string }>;
}
interface ShowDoc {
  product: { bronze: Record<string, string> };
}

async function load(args: string[]) {
  const { dir } = tempDir();
  const db = join(dir, 'c.db');
  const result = await runCli(['load', ...args, '--db', db, '--json'], { cwd: dir });
  const show = async (id: string) => jsonOf<ShowDoc>(await runCli(['show', id, '--db', db, '--json'], { cwd: dir })).product.bronze;
  return { result, doc: jsonOf<LoadDoc>(result), show };
}

describe('repeated ids at load', () => {
  it('warns with the count and the first lines, and folds by default', async () => {
    const { doc, show } = await load([REPEATED]);
    expect(doc.total).toBe(3);
    expect(doc.warnings.map((w) => w.message).join('\n')).toMatch(/2 row\(s\) repeat an id already read \(line 3 'A1', line 6 'B2'\): folded/);
    expect(await show('A1')).toMatchObject({ title: 'Lamp', price: '10.00', color: 'red' });
  });

  it('keeps the first or the last row with --on-repeat', async () => {
    expect(await (await load([REPEATED, '--on-repeat', 'first'])).show('A1')).toMatchObject({ title: 'Lamp', color: '' });
    const last = await load([REPEATED, '--on-repeat', 'last']);
    expect(await last.show('A1')).toMatchObject({ title: 'Lamp (new)', price: '12.00' });
    expect(await last.show('B2')).toMatchObject({ price: '31.00', color: 'black' });
  });

  it('rejects repeats as row errors with --on-repeat error', async () => {
    const { doc } = await load([REPEATED, '--on-repeat', 'error']);
    expect(doc.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'repeated_id'],
      [6, 'repeated_id'],
    ]);
  });

  it('says nothing of Shopify continuation rows, which have no title', async () => {
    const { doc } = await load([SHOPIFY]);
    expect(doc.warnings).toEqual([]);
    expect(doc.total).toBe(6);
  });

  it('refuses an unknown policy', async () => {
    const { dir } = tempDir();
    const result = await runCli(['load', REPEATED, '--db', join(dir, 'c.db'), '--on-repeat', 'merge'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fold, first, last, error/);
  });
});
