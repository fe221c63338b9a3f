import { describe, expect, it } from 'vitest';
import { BatchBuilder, unpack } from '../src/ingest/packed-batch.js';

const MB = 1024 * 1024;

describe('BatchBuilder with a long record', () => {
  it('grows its buffer by the bytes of the record, not 3 bytes a character', () => {
    const json = JSON.stringify({ desc: 'x'.repeat(20 * MB) });
    const builder = new BatchBuilder('long.csv', []);
    builder.add('1', json, 2, undefined);
    const batch = builder.take(1);
    expect(batch.bytes.buffer.byteLength).toBeLessThan(2 * 20 * MB);
    expect(Buffer.from(unpack(batch)[0].json as Uint8Array).toString()).toBe(json);
  });

  it('does not use a buffer grown for one long record again', () => {
    const grown = new ArrayBuffer(64 * MB);
    const builder = new BatchBuilder('long.csv', [grown]);
    builder.add('1', '{"title":"a"}', 2, undefined);
    expect(builder.take(1).bytes.buffer).not.toBe(grown);
  });
});
