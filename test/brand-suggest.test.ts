import { describe, expect, it } from 'vitest';
import { brandSides, nearBrandPairs, suggestBrandMerges } from '../src/silver/brand-suggest.js';
import { BrandSuggestionsJsonSchema } from '../src/report/schemas.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

describe('brand suggestions', () => {
  it('pairs brand keys a letter or two apart that share a one-letter deletion, and no others (nike, nikon)', () => {
    const pairs = nearBrandPairs(['greatvalue', 'greatvaulue', 'belkin', 'delkin', 'nike', 'nikon', 'sony', 'samsung']);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['belkin', 'delkin', 1],
        ['greatvalue', 'greatvaulue', 1],
      ]),
    );
    expect(pairs).toHaveLength(2);
    expect(nearBrandPairs(['acmeco', 'acmeoc'])).toEqual([['acmeco', 'acmeoc', 2]]);
  });

  it('lists the spellings and counts of each side, the best evidenced first', () => {
    const sides = brandSides([
      ['Great Value', 40],
      ['GREAT VALUE', 2],
      ['Great Vaulue', 3],
      ['Belkin', 9],
      ['Delkin', 4],
    ]);
    const shared = (a: string, b: string) => (a === 'greatvalue' && b === 'greatvaulue' ? 2 : 0);
    const [first, second] = suggestBrandMerges(sides, shared);
    expect(first).toMatchObject({
      a: {
        key: 'greatvalue',
        products: 42,
        spellings: [
          ['Great Value', 40],
          ['GREAT VALUE', 2],
        ],
      },
      b: { key: 'greatvaulue' },
      sharedTitles: 2,
    });
    expect(second).toMatchObject({ a: { key: 'belkin' }, b: { key: 'delkin' }, sharedTitles: 0 });
  });

  it('assay brands --suggest finds a typo with the products both spellings sell, and never merges it', async () => {
    const tmp = tempDir();
    const db = tmp.path('c.db');
    const csv =
      'id,title,brand\n1,Paper Towels 6 Rolls,Great Value\n2,Paper Towels 6 Rolls,Great Vaulue\n3,Whole Milk 1 gal,Great Value\n4,USB Hub 4 port,Belkin\n';
    expect((await runCli(['load', tmp.write('c.csv', csv), '--db', db, '-q'], { cwd: tmp.dir })).code).toBe(0);
    expect((await runCli(['normalize', '--all', '--offline', '--db', db, '-q'], { cwd: tmp.dir })).code).toBe(0);
    const result = await runCli(['brands', '--suggest', '--db', db, '--json'], { cwd: tmp.dir });
    expect(result.code, result.stderr).toBe(0);
    const { suggestions } = BrandSuggestionsJsonSchema.parse(JSON.parse(result.stdout));
    expect(suggestions.map((s) => [s.a.key, s.b.key, s.sharedTitles])).toEqual([['greatvalue', 'greatvaulue', 1]]);
    const human = await runCli(['brands', '--suggest', '--db', db], { cwd: tmp.dir });
    expect(human.stdout).toContain('{"name":"Great Value","aliases":["Great Vaulue"]}');
  });
});
