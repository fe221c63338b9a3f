import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { foldFields, isImageColumn } from '../src/ingest/fold.js';
import { loadFiles, type LoadSummary } from '../src/ingest/load.js';
import { openCatalog, type Db } from '../src/store/catalog.js';
import { tempDir } from './helpers/tmp.js';

interface ProductRow {
  id: string;
  bronze: string;
  source_line: number;
}

function products(db: Db): Map<string, { fields: Record<string, string>; line: number }> {
  const rows = db.prepare('SELECT id, bronze, source_line FROM products ORDER BY seq').all() as ProductRow[];
  return new Map(rows.map((r) => [r.id, { fields: JSON.parse(r.bronze) as Record<string, string>, line: r.source_line }]));
}

/** Opens a catalog in a fresh folder, runs `fn`, closes it. */
async function withCatalog(fn: (db: Db, write: (name: string, text: string) => string) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  const db = openCatalog(tmp.path('catalog.db'));
  try {
    await fn(db, (name, text) => tmp.write(name, text));
  } finally {
    db.close();
  }
}

const counts = (s: LoadSummary) => ({ total: s.total, created: s.created, updated: s.updated, unchanged: s.unchanged, errors: s.errors.length });

describe('foldFields', () => {
  it('keeps the first value, fills empty fields from later rows and adds new columns', () => {
    const base = { Handle: 'tee', Title: 'Tee', Vendor: '', 'Variant SKU': 'TEE-S' };
    const next = { Handle: 'tee', Title: 'Other title', Vendor: 'Acme', 'Variant SKU': 'TEE-M', Extra: 'x' };
    expect(foldFields(base, next)).toEqual({ Handle: 'tee', Title: 'Tee', Vendor: 'Acme', 'Variant SKU': 'TEE-S', Extra: 'x' });
  });

  it('keeps image URLs of every row in order, each once', () => {
    let fields: Record<string, string> = { id: 'p', 'Image Src': 'https://i.test/1.jpg' };
    for (const url of ['https://i.test/2.jpg', 'https://i.test/1.jpg', '', 'https://i.test/3.jpg']) fields = foldFields(fields, { id: 'p', 'Image Src': url });
    expect(fields['Image Src']).toBe('https://i.test/1.jpg | https://i.test/2.jpg | https://i.test/3.jpg');
  });

  it('does not change its inputs', () => {
    const base = { a: '', image: 'x' };
    foldFields(base, { a: '1', image: 'y' });
    expect(base).toEqual({ a: '', image: 'x' });
  });

  it.each([
    ['Image Src', true],
    ['image_link', true],
    ['additional_image_link', true],
    ['Variant Image', true],
    ['Title', false],
    ['Body (HTML)', false],
  ])('treats %s as an image column: %s', (name, yes) => {
    expect(isImageColumn(name)).toBe(yes);
  });
});

const SHOPIFY = [
  'Handle,Title,Body (HTML),Vendor,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position',
  'tee,Classic Tee,<p>Soft</p>,Acme,S,TEE-S,19.00,https://cdn.test/tee-1.jpg,1',
  'tee,,,,M,TEE-M,19.00,https://cdn.test/tee-2.jpg,2',
  'tee,,,,L,TEE-L,21.00,,',
  'tee,,,,,,,https://cdn.test/tee-3.jpg,3',
  'mug,Mug,,,Default Title,MUG-1,9.50,https://cdn.test/mug.jpg,1',
  'cap,Cap,,,,CAP-1,12.00,,',
].join('\n');

describe('loading rows that share an id', () => {
  it('folds Shopify variant and image rows into one product per Handle', async () => {
    await withCatalog(async (db, write) => {
      const summary = await loadFiles(db, [write('shopify.csv', SHOPIFY)]);
      expect(counts(summary)).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0, errors: 0 });
      expect(summary.rows).toBe(6);
      const tee = products(db).get('tee')!;
      expect(tee.line).toBe(2);
      expect(tee.fields).toMatchObject({ Title: 'Classic Tee', Vendor: 'Acme', 'Variant SKU': 'TEE-S', 'Variant Price': '19.00', 'Option1 Value': 'S' });
      expect(tee.fields['Image Src']).toBe('https://cdn.test/tee-1.jpg | https://cdn.test/tee-2.jpg | https://cdn.test/tee-3.jpg');
      expect([...products(db).keys()]).toEqual(['tee', 'mug', 'cap']);
    });
  });

  it('folds a repeated id that comes back later in the file, across batches', async () => {
    await withCatalog(async (db, write) => {
      const lines = ['id,title,brand,image'];
      lines.push('A,Alpha,,https://cdn.test/a1.jpg');
      for (let i = 0; i < 6000; i++) lines.push(`N${i},Product ${i},Brand,`);
      lines.push('A,Alpha again,Acme,https://cdn.test/a2.jpg');
      const summary = await loadFiles(db, [write('repeat.csv', lines.join('\n'))]);
      expect(counts(summary)).toEqual({ total: 6001, created: 6001, updated: 0, unchanged: 0, errors: 0 });
      expect(products(db).get('A')!.fields).toEqual({ id: 'A', title: 'Alpha', brand: 'Acme', image: 'https://cdn.test/a1.jpg | https://cdn.test/a2.jpg' });
    });
  });

  it('reports a row without an id and keeps loading', async () => {
    await withCatalog(async (db, write) => {
      const summary = await loadFiles(db, [write('noid.csv', 'sku,title\nA,Alpha\n,Nameless\nB,Beta\n')]);
      expect(summary.errors).toEqual([expect.objectContaining({ line: 3, code: 'no_id' })]);
      expect(summary.errors[0].reason).toMatch(/no id.*'sku'/);
      expect(counts(summary)).toMatchObject({ created: 2 });
    });
  });
});

describe('upsert by id', () => {
  const V1 = 'id,title,price\n1,One,10\n2,Two,20\n3,Three,30\n';

  it('creates, then leaves the same records unchanged, then updates only what changed', async () => {
    await withCatalog(async (db, write) => {
      const file = write('p.csv', V1);
      expect(counts(await loadFiles(db, [file]))).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0, errors: 0 });
      const before = db.prepare('SELECT id, bronze_hash, updated_at FROM products ORDER BY id').all();

      expect(counts(await loadFiles(db, [file]))).toEqual({ total: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
      expect(db.prepare('SELECT id, bronze_hash, updated_at FROM products ORDER BY id').all()).toEqual(before);

      write('p.csv', 'id,title,price\n1,One,10\n2,Two,25\n3,Three,30\n4,Four,40\n');
      expect(counts(await loadFiles(db, [file]))).toEqual({ total: 4, created: 1, updated: 1, unchanged: 2, errors: 0 });
      expect(products(db).get('2')!.fields.price).toBe('25');
    });
  });

  it('sees a folded product as unchanged when its rows are loaded again, and writes nothing to it', async () => {
    await withCatalog(async (db, write) => {
      const file = write('shopify.csv', SHOPIFY);
      await loadFiles(db, [file]);
      const before = db.prepare('SELECT * FROM products ORDER BY seq').all();
      expect(counts(await loadFiles(db, [file]))).toEqual({ total: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
      expect(db.prepare('SELECT * FROM products ORDER BY seq').all()).toEqual(before);
    });
  });

  it('folds later rows into a product the same load first found unchanged', async () => {
    await withCatalog(async (db, write) => {
      await loadFiles(db, [write('p.csv', 'id,title,image\n1,One,https://i.test/1.jpg\n2,Two,\n3,Three,\n')]);
      const again = write('again.csv', 'id,title,image\n1,One,https://i.test/1.jpg\n2,Two,\n3,Three,\n1,,https://i.test/1b.jpg\n2,,\n');
      expect(counts(await loadFiles(db, [again]))).toEqual({ total: 3, created: 0, updated: 1, unchanged: 2, errors: 0 });
      expect(products(db).get('1')!.fields.image).toBe('https://i.test/1.jpg | https://i.test/1b.jpg');
      // Loading the same file again finds the folded product as it left it.
      expect(counts(await loadFiles(db, [again]))).toEqual({ total: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
    });
  });

  it('folds a row without a title into the product of the same id from an earlier file of the load', async () => {
    await withCatalog(async (db, write) => {
      const a = write('a.csv', 'id,title,image\n1,One,https://i.test/1.jpg\n');
      const b = write('b.csv', 'id,title,image\n1,,https://i.test/2.jpg\n2,Two,\n');
      const summary = await loadFiles(db, [a, b]);
      expect(summary.files).toEqual([a, b]);
      expect(counts(summary)).toEqual({ total: 2, created: 2, updated: 0, unchanged: 0, errors: 0 });
      expect(products(db).get('1')!.fields).toEqual({ id: '1', title: 'One', image: 'https://i.test/1.jpg | https://i.test/2.jpg' });
    });
  });

  it('folds a row without a title that comes back later in the same file, but rejects one that comes first', async () => {
    await withCatalog(async (db, write) => {
      const text = 'id,title,image\n1,One,https://i.test/1.jpg\n2,,https://i.test/x.jpg\n3,Three,\n1,,https://i.test/1b.jpg\n2,Two,\n';
      const summary = await loadFiles(db, [write('p.csv', text)]);
      expect(summary.errors).toEqual([expect.objectContaining({ line: 3, code: 'no_title', reason: "no title (column 'title' is empty)" })]);
      expect(counts(summary)).toMatchObject({ total: 3, created: 3 });
      expect(products(db).get('1')!.fields.image).toBe('https://i.test/1.jpg | https://i.test/1b.jpg');
      expect(products(db).get('2')!.fields).toEqual({ id: '2', title: 'Two', image: '' });
    });
  });
});

describe('--strict', () => {
  it('loads nothing when any row has an error, and leaves the catalog as it was', async () => {
    await withCatalog(async (db, write) => {
      await loadFiles(db, [write('good.csv', 'id,title\n1,One\n2,Two\n')]);
      const before = db.prepare('SELECT id, bronze, bronze_hash FROM products ORDER BY id').all();
      const bad = write('bad.csv', 'id,title\n1,One changed\n3,Three\n4,\n5,Five\n');
      const error = await loadFiles(db, [bad], { strict: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('strict_load_failed');
      expect((error as UserError).message).toMatch(/1 row error.*nothing was loaded.*line 4/);
      expect(db.inTransaction).toBe(false);
      expect(db.prepare('SELECT id, bronze, bronze_hash FROM products ORDER BY id').all()).toEqual(before);
    });
  });

  it('loads everything when no row has an error', async () => {
    await withCatalog(async (db, write) => {
      const summary = await loadFiles(db, [write('good.csv', 'id,title\n1,One\n2,Two\n')], { strict: true });
      expect(counts(summary)).toEqual({ total: 2, created: 2, updated: 0, unchanged: 0, errors: 0 });
      expect(products(db).size).toBe(2);
    });
  });
});

describe('foldFields and the names of Object members', () => {
  it('fills a __proto__ or constructor field from a later row like any other', () => {
    const base = JSON.parse('{"id":"1","constructor":""}') as Record<string, string>;
    const next = JSON.parse('{"id":"1","__proto__":"a","constructor":"b"}') as Record<string, string>;
    expect(Object.entries(foldFields(base, next))).toEqual([
      ['id', '1'],
      ['constructor', 'b'],
      ['__proto__', 'a'],
    ]);
  });
});
