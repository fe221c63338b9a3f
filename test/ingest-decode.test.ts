import { describe, expect, it } from 'vitest';
import { binaryKind, decodeStream, looksBinary, parseEncoding, sniffEncoding, sniffUtf16, type DecodeReport, type Encoding } from '../src/ingest/decode.js';
import { loadFiles } from '../src/ingest/load.js';
import { openCatalog } from '../src/store/catalog.js';
import { UserError } from '../src/errors.js';
import { tempDir } from './helpers/tmp.js';

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(bytes: Uint8Array, size: number, encoding?: Encoding): Promise<{ text: string; report: DecodeReport }> {
  const report: DecodeReport = { encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 };
  let text = '';
  for await (const chunk of decodeStream(pieces(bytes, size), encoding, report)) text += chunk;
  return { text, report };
}

const TEXT = 'id,title\n1,Café crème\n2,Ünïcödé ✓ 😀\n';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
/** One byte at a time (a BOM split over chunks), a few (surrogate pairs split), and whole. */
const SIZES = [1, 2, 3, 7, 1 << 20];

describe('decodeStream', () => {
  describe.each(SIZES)('in chunks of %i bytes', (size) => {
    it('reads UTF-8 without a BOM', async () => {
      const { text, report } = await decode(Buffer.from(TEXT), size);
      expect(text).toBe(TEXT);
      expect(report).toEqual({ encoding: 'utf-8', invalidSequences: 0, nulBytes: 0 });
    });

    it('drops a UTF-8 BOM', async () => {
      const { text, report } = await decode(Buffer.concat([UTF8_BOM, Buffer.from(TEXT)]), size);
      expect(text).toBe(TEXT);
      expect(report.encoding).toBe('utf-8');
    });

    it('reads UTF-16 LE with a BOM', async () => {
      const { text, report } = await decode(utf16le(TEXT), size);
      expect(text).toBe(TEXT);
      expect(report).toEqual({ encoding: 'utf-16le', invalidSequences: 0, nulBytes: 0 });
    });

    it('reads UTF-16 BE with a BOM', async () => {
      const { text, report } = await decode(utf16be(TEXT), size);
      expect(text).toBe(TEXT);
      expect(report).toEqual({ encoding: 'utf-16be', invalidSequences: 0, nulBytes: 0 });
    });

    it('reads Latin-1 when asked to', async () => {
      const { text, report } = await decode(Buffer.from('id,title\n1,Café crème\n', 'latin1'), size, 'latin1');
      expect(text).toBe('id,title\n1,Café crème\n');
      expect(report.invalidSequences).toBe(0);
    });

    it('counts bytes that are not UTF-8 and replaces them', async () => {
      const { text, report } = await decode(Buffer.from('id,title\n1,Café crème\n', 'latin1'), size);
      expect(report.invalidSequences).toBe(2);
      expect(text).toBe('id,title\n1,Caf\uFFFD cr\uFFFDme\n');
    });

    it('names the line of the first invalid sequence and of the first NUL, counting folded line endings', async () => {
      const bytes = Buffer.concat([Buffer.from('a\r\nb\rc\n'), Buffer.from([0xff]), Buffer.from('\r\nd\0\ne\0'), Buffer.from([0xff])]);
      const { report } = await decode(bytes, size);
      expect(report).toMatchObject({ invalidSequences: 2, firstInvalidLine: 4, nulBytes: 2, firstNulLine: 5 });
    });

    it('folds CRLF, LF and lone CR into LF, even when CR and LF fall in different chunks', async () => {
      const { text } = await decode(Buffer.from('a\r\nb\nc\rd\r\n\r\ne\r'), size);
      expect(text).toBe('a\nb\nc\nd\n\ne\n');
    });
  });

  it('reads windows-1252 punctuation that Latin-1 lacks (the euro sign, curly quotes)', async () => {
    const { text } = await decode(Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94]), 64, 'windows-1252');
    expect(text).toBe('€ “a”');
  });

  it('decodes an input shorter than a BOM', async () => {
    expect((await decode(Buffer.from('a\r'), 1)).text).toBe('a\n');
    expect((await decode(Buffer.from([0xff, 0xfe]), 1)).text).toBe('');
  });

  it('drops NUL characters and counts them', async () => {
    const { text, report } = await decode(Buffer.from('a\0b\0c'), 64);
    expect(text).toBe('abc');
    expect(report.nulBytes).toBe(2);
  });
});

describe('sniffEncoding and looksBinary', () => {
  it('knows the three BOMs and nothing else', () => {
    expect(sniffEncoding(UTF8_BOM)).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(sniffEncoding(Buffer.from('id,title'))).toBeUndefined();
  });

  it('calls a PNG binary and text (UTF-8 or Latin-1) not binary', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
    expect(looksBinary(png)).toBe(true);
    expect(looksBinary(Buffer.from(TEXT))).toBe(false);
    expect(looksBinary(Buffer.from('id,title\n1,Café\n', 'latin1'))).toBe(false);
  });

  it('calls text with a few stray NUL bytes or a DOS end-of-file mark text, so it loads with the NULs dropped', () => {
    expect(binaryKind(Buffer.from('id,title\nN1,a\0b\n\0\0\nN2,c\0\n'))).toBeUndefined();
    expect(binaryKind(Buffer.from('id,title\n1,a\n\x1a'))).toBeUndefined();
  });

  it('calls bytes without a known signature binary when they hold control bytes text never does', () => {
    const noise = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + (i >> 3) * 104729) & 0xff));
    expect(binaryKind(noise)).toEqual({ what: 'binary data' });
    expect(binaryKind(Buffer.alloc(100))).toEqual({ what: 'NUL bytes' });
  });

  it('names a gzip archive and a workbook, and says what to do instead', () => {
    expect(binaryKind(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))?.hint).toMatch(/gunzip -c FILE \| assay load -/);
    expect(binaryKind(Buffer.from('PK\x03\x04\x14\x00rest'))).toEqual({ what: 'a ZIP archive', hint: expect.stringMatching(/export the sheet as CSV/) });
  });

  it('finds UTF-16 without a BOM by its NUL in every other byte, and not in text with stray NULs', () => {
    expect(sniffUtf16(Buffer.from('id,title\n1,a\n', 'utf16le'))).toBe('utf-16le');
    expect(sniffUtf16(Buffer.from('id,title\n1,a\n', 'utf16le').swap16())).toBe('utf-16be');
    expect(sniffUtf16(Buffer.from('id,title\nN1,a\0b\n\0\0\n'))).toBeUndefined();
  });
});

describe('parseEncoding', () => {
  it.each([
    ['UTF8', 'utf-8'],
    ['utf-16LE', 'utf-16le'],
    ['iso-8859-1', 'latin1'],
    ['latin1', 'latin1'],
    ['cp1252', 'windows-1252'],
  ])('reads %s as %s', (given, encoding) => {
    expect(parseEncoding(given)).toBe(encoding);
  });

  it('refuses an unknown encoding with the list of known ones', () => {
    expect(() => parseEncoding('ebcdic')).toThrow(UserError);
    expect(() => parseEncoding('ebcdic')).toThrow(/latin1/);
  });
});

describe('loading encoded files', () => {
  it.each([
    ['UTF-8 without BOM', Buffer.from(TEXT), undefined],
    ['UTF-8 with BOM', Buffer.concat([UTF8_BOM, Buffer.from(TEXT)]), undefined],
    ['UTF-16 LE', utf16le(TEXT), undefined],
    ['UTF-16 BE', utf16be(TEXT), undefined],
    ['UTF-16 LE without a BOM', Buffer.from(TEXT, 'utf16le'), undefined],
    ['Latin-1 with --encoding latin1', Buffer.from(TEXT.replace(' ✓ 😀', ''), 'latin1'), 'latin1' as const],
  ])('keeps the text of %s intact, with the BOM out of the first column name', async (_name, bytes, encoding) => {
    const tmp = tempDir();
    const file = tmp.write('products.csv', bytes);
    const db = openCatalog(tmp.path('catalog.db'));
    try {
      const summary = await loadFiles(db, [file], { encoding });
      expect(summary.errors).toEqual([]);
      expect(summary.warnings).toEqual([]);
      const rows = db.prepare('SELECT id, bronze FROM products ORDER BY id').all() as { id: string; bronze: string }[];
      expect(rows.map((r) => r.id)).toEqual(['1', '2']);
      expect(JSON.parse(rows[0].bronze)).toEqual({ id: '1', title: 'Café crème' });
      expect(JSON.parse(rows[1].bronze).title).toMatch(/^Ünïcödé/);
    } finally {
      db.close();
    }
  });

  it('warns, naming --encoding latin1, when a file is not valid UTF-8', async () => {
    const tmp = tempDir();
    const file = tmp.write('latin.csv', Buffer.from('id,title\n1,Café\n2,Crème\n', 'latin1'));
    const db = openCatalog(tmp.path('catalog.db'));
    try {
      const summary = await loadFiles(db, [file]);
      expect(summary.created).toBe(2);
      expect(summary.warnings).toHaveLength(1);
      expect(summary.warnings[0].file).toBe(file);
      expect(summary.warnings[0].message).toMatch(/2 byte sequence\(s\).*\(first on line 2\).*--encoding latin1/);
    } finally {
      db.close();
    }
  });
});
