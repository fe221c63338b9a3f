import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../src/errors.js';
import { catalogErrorFrom } from '../src/store/errors.js';

const sqlite = (code: string): Error => Object.assign(new Error('message text is never read'), { code });

describe('catalogErrorFrom', () => {
  it.each([
    ['SQLITE_FULL', 'catalog_disk_full', ExitCode.failed],
    ['SQLITE_IOERR_WRITE', 'catalog_disk_full', ExitCode.failed],
    ['SQLITE_READONLY', 'catalog_readonly', ExitCode.usage],
    ['SQLITE_READONLY_DIRECTORY', 'catalog_readonly', ExitCode.usage],
    ['SQLITE_CANTOPEN', 'catalog_unopenable', ExitCode.usage],
    ['SQLITE_CORRUPT', 'catalog_corrupt', ExitCode.usage],
    ['SQLITE_NOTADB', 'catalog_corrupt', ExitCode.usage],
    ['SQLITE_BUSY', 'catalog_locked', ExitCode.busy],
    ['SQLITE_IOERR_READ', 'catalog_io', ExitCode.failed],
  ])('%s is %s, exit %i, naming the catalog', (code, expected, exitCode) => {
    const mapped = catalogErrorFrom(sqlite(code), 'shop/catalog.db');
    expect(mapped).toMatchObject({ code: expected, exitCode });
    expect(mapped?.message).toContain('shop/catalog.db');
    expect(mapped?.message).toContain(code);
  });

  it('ends the full-disk advice with what to do next', () => {
    expect(catalogErrorFrom(sqlite('SQLITE_FULL'), 'c.db', 'resume with: assay resume 7')?.message).toMatch(
      /free some space, then resume with: assay resume 7\.$/,
    );
  });

  it('leaves bugs alone: other SQLite codes and non-SQLite errors stay internal', () => {
    expect(catalogErrorFrom(sqlite('SQLITE_ERROR'), 'c.db')).toBeUndefined();
    expect(catalogErrorFrom(sqlite('SQLITE_CONSTRAINT_UNIQUE'), 'c.db')).toBeUndefined();
    expect(catalogErrorFrom(new TypeError('x is undefined'), 'c.db')).toBeUndefined();
    expect(catalogErrorFrom(Object.assign(new Error('no'), { code: 'ENOENT' }), 'c.db')).toBeUndefined();
  });

  it('passes user errors through unchanged', () => {
    const error = new UserError('catalog_busy', 'busy', ExitCode.busy);
    expect(catalogErrorFrom(error, 'c.db')).toBe(error);
  });
});
