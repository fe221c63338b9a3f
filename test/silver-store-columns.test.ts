import { describe, expect, it } from 'vitest';
import { SILVER_CONTENT_COLUMNS, silverColumnsOf } from '../src/store/silver-columns.js';

describe('silverColumnsOf', () => {
  it('names each value of a row read as an array after the column at its place, in table order', () => {
    const values = SILVER_CONTENT_COLUMNS.map((_, i) => `value ${i}`);
    const row = silverColumnsOf(values);
    expect(Object.keys(row)).toEqual([...SILVER_CONTENT_COLUMNS]);
    expect(SILVER_CONTENT_COLUMNS.map((column) => row[column])).toEqual(values);
  });

  it('does not take a value from the place of another column', () => {
    const values = SILVER_CONTENT_COLUMNS.map(() => null as unknown);
    values[SILVER_CONTENT_COLUMNS.indexOf('image_states')] = '{}';
    const row = silverColumnsOf(values);
    expect(row.image_states).toBe('{}');
    expect(row.issues).toBeNull();
    expect(row.broken_url_list).toBeNull();
  });
});
