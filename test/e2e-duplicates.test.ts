import { describe, expect, it } from 'vitest';
import { NormalizeJsonSchema } from '../src/report/schemas.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

describe('duplicate detection through the CLI', () => {
  it('links products sharing a real SKU, but not products sharing a placeholder SKU written on many of them', async () => {
    const tmp = tempDir();
    const rows = ['id,title,sku'];
    // One store wrote SKU 100 on a dozen different products: a placeholder, not an identity.
    for (let i = 1; i <= 12; i++) rows.push(`P${i},Garden product number ${i} of the range,100`);
    rows.push('Q1,Folding camp chair with armrests,CH-77', 'Q2,Camp chair folding with arm rests,CH-77');
    const file = tmp.write('c.csv', rows.join('\n') + '\n');
    const db = tmp.path('c.db');
    expect((await runCli(['load', file, '--db', db, '-q'], { cwd: tmp.dir })).code).toBe(0);
    const result = await runCli(['normalize', '--all', '--offline', '--db', db, '--json'], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const links = NormalizeJsonSchema.parse(JSON.parse(result.stdout)).results.filter((r) => r.duplicateOf !== null);
    expect(links.map((r) => [r.productId, r.duplicateOf])).toEqual([['Q2', 'Q1']]);
  });
});
