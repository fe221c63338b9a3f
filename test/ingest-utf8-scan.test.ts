import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeStream, type DecodeReport } from '../src/ingest/decode.js';
import { loadFiles } from '../src/ingest/load.js';
import { scanUtf8 } from '../src/ingest/utf8-scan.js';
import { openCatalog } from '../src/store/catalog.js';
import { tempDir } from './helpers/tmp.js';

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(bytes: Uint8Array, size: number): Promise<{ text: string; report: DecodeReport }> {
  const report: DecodeReport = { encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 };
  let text = '';
  for await (const chunk of decodeStream(pieces(bytes, size), undefined, report)) text += chunk;
  return { text, report };
}

describe.each([1, 2, 3, 5, 1 << 20])('UTF-8 decoding in chunks of %i bytes', (size) => {
  it('takes a literal U+FFFD for the character it is, not for a bad byte', async () => {
    const { text, report } = await decode(readFileSync('fixtures/real-exports/utf8-with-fffd.csv'), size);
    expect(text).toContain('Mug \ufffd blue');
    expect(text).toContain('Vitória');
    expect(report.invalidSequences).toBe(0);
    expect(report.latin1Like).toBeUndefined();
  });

  it('reports Latin-1 bytes, with the line, as readable Latin-1', async () => {
    const { report } = await decode(readFileSync('fixtures/real-exports/latin1.csv'), size);
    expect(report).toMatchObject({ invalidSequences: 2, firstInvalidLine: 2, latin1Like: 2 });
  });

  it('counts a bad byte beside a literal U+FFFD, and a cut-off sequence is no Latin-1', async () => {
    const bytes = Buffer.concat([Buffer.from('id,t\n1,\ufffd ok\n2,'), Buffer.from([0xe2, 0x82]), Buffer.from('x\n')]);
    const { report } = await decode(bytes, size);
    expect(report).toMatchObject({ invalidSequences: 1, firstInvalidLine: 3, latin1Like: 0 });
  });
});

describe('scanUtf8', () => {
  it('finds nothing in valid text, surrogates and overlongs are invalid', () => {
    expect(scanUtf8(Buffer.from('Vitória 😀 \ufffd'), true).invalid).toBe(0);
    expect(scanUtf8(Buffer.from([0xc0, 0xaf]), true).invalid).toBe(2);
    expect(scanUtf8(Buffer.from([0xed, 0xa0, 0x80]), true).invalid).toBe(3);
  });

  it('leaves a sequence cut at the end of a chunk to the next one', () => {
    expect(scanUtf8(Buffer.from([0x61, 0xe2, 0x82]), false).invalid).toBe(0);
    expect(scanUtf8(Buffer.from([0x61, 0xe2, 0x82]), true).invalid).toBe(1);
  });
});

describe('the Latin-1 advice at load', () => {
  async function warningOf(bytes: Buffer): Promise<string> {
    const tmp = tempDir();
    const file = tmp.write('f.csv', bytes);
    const db = openCatalog(tmp.path('c.db'));
    try {
      return (await loadFiles(db, [file])).warnings.map((w) => w.message).join('\n');
    } finally {
      db.close();
    }
  }
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('is given when most bad bytes read as Latin-1, a stray cut sequence aside', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => `${i},Caf\u00e9 ${i}`).join('\n');
    const bytes = Buffer.concat([latin1(`id,title\n${rows}\n9,x`), Buffer.from([0xe2, 0xae]), latin1(' y\n')]);
    expect(await warningOf(bytes)).toMatch(/10 byte sequence\(s\).*load it again with --encoding latin1/);
  });

  it('is not given when the bad bytes are mostly cut UTF-8 sequences', async () => {
    const bytes = Buffer.concat([latin1('id,title\n1,a'), Buffer.from([0xe2, 0x82]), latin1(' b\n2,c'), Buffer.from([0xf0, 0x9f, 0x98]), latin1(' d\n')]);
    const warning = await warningOf(bytes);
    expect(warning).toMatch(/2 byte sequence\(s\).*the file is damaged or in another encoding/);
    expect(warning).not.toMatch(/latin1/);
  });
});
