import { describe, expect, it } from 'vitest';
import { readBaseline } from '../src/app/baseline.js';
import { UserError } from '../src/errors.js';
import { tempDir } from './helpers/tmp.js';

const exportOf = (products: unknown[], avgScore = 70) =>
  JSON.stringify({ schemaVersion: 1, exportedAt: '2026-01-01T00:00:00.000Z', catalogSummary: { avgScore }, products });

function refusal(write: (name: string, text: string) => string, text: string): UserError {
  const path = write('base.json', text);
  try {
    readBaseline(path);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the baseline was read');
}

describe('reading a baseline', () => {
  it('reads an export older than feed readiness and gap lists, counting its products as not feed-ready', () => {
    const tmp = tempDir();
    const path = tmp.write('base.json', exportOf([{ id: 'A', gold: { status: 'success', score: 80 }, rubricVersion: 'r1', title: 'kept aside' }]));
    const baseline = readBaseline(path);
    expect(baseline.products.get('A')).toEqual({ score: 80, feedReady: false, gaps: [] });
    expect(baseline.avgScore).toBe(70);
    expect([...baseline.rubricVersions]).toEqual(['r1']);
  });

  it('reads the gap fields of a jsonl export and averages its scores', () => {
    const tmp = tempDir();
    const lines = [
      { id: 'A', gold: { status: 'success', score: 60, feedReady: true, gaps: [{ field: 'gtin', pointsLost: 5, reasons: [] }] } },
      { id: 'B', gold: { status: 'error', error: 'boom' } },
      { id: 'C', gold: null },
      { id: 'D', gold: { status: 'success', score: 81, feedReady: false, gaps: [] } },
    ];
    const baseline = readBaseline(tmp.write('base.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')));
    expect(baseline.products.get('A')).toEqual({ score: 60, feedReady: true, gaps: ['gtin'] });
    expect(baseline.products.get('B')).toEqual({ score: null, feedReady: false, gaps: [] });
    expect(baseline.avgScore).toBe(70.5);
  });

  it('refuses a product whose score is not a number, naming the product, the key and what to do', () => {
    const tmp = tempDir();
    const error = refusal(
      tmp.write,
      exportOf([
        { id: 'A', gold: { status: 'success', score: 80 } },
        { id: 'B', gold: { status: 'success', score: 'high' } },
      ]),
    );
    expect(error.code).toBe('baseline_invalid');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('product 2 (B): gold.score');
    expect(error.message).toContain('assay export --format json --out');
  });

  it('refuses a product without an id', () => {
    const tmp = tempDir();
    expect(refusal(tmp.write, exportOf([{ gold: null }])).message).toContain('product 1: id:');
  });

  it('refuses a jsonl line that is not JSON, naming the line', () => {
    const tmp = tempDir();
    expect(refusal(tmp.write, '{"id":"A","gold":null}\n{"id":').message).toContain('line 2: not valid JSON');
  });

  it('refuses an export whose products are not a list', () => {
    const tmp = tempDir();
    expect(refusal(tmp.write, JSON.stringify({ schemaVersion: 1, products: {} })).message).toContain('products:');
  });
});
