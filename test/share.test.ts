import { describe, expect, it } from 'vitest';
import { createShare } from '../src/jobs/share.js';

describe('the share of a batch the main thread assembles', () => {
  it('grows while the main thread waits for the worker, shrinks while the worker waits, within its bounds', () => {
    const share = createShare();
    expect(share.hereOf(2000)).toBe(400);
    // Waiting 100 ms at 0.1 ms a product on each side: 500 products would even it out, half of it moves.
    share.record(100, 0.1, 0.1);
    expect(share.hereOf(2000)).toBe(650);
    share.record(-100, 0.1, 0.1);
    expect(share.hereOf(2000)).toBe(400);
    share.record(10_000, 0.1, 0.1);
    expect(share.hereOf(2000)).toBe(1500);
    share.record(-10_000, 0.1, 0.1);
    expect(share.hereOf(2000)).toBe(100);
    // No timing to go by: the share stays.
    share.record(100, 0, 0);
    expect(share.hereOf(2000)).toBe(100);
  });
});
